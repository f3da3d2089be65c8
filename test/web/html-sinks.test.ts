// The page shows manifest data (names, labels, messages) only through textContent and
// attributes. This fails if any source under src/web passes a non-constant value to an API that
// parses HTML: innerHTML/outerHTML (assignment or Object.assign property), insertAdjacentHTML,
// document.write, createContextualFragment, DOMParser.parseFromString, srcdoc, or an inline
// event-handler attribute. Constant string literals are allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const WEB = join(ROOT, 'src/web');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|js|html)$/.test(e) ? [p] : [];
  });
}

/** Strip comments so a sentence about innerHTML is not a finding. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1').replace(/<!--[\s\S]*?-->/g, '');
}

/** A plain string literal with no interpolation, e.g. '' or "<b>x</b>". */
const CONSTANT = String.raw`\s*(?:'[^'\\\n]*'|"[^"\\\n]*"|\x60[^\x60$\\]*\x60)\s*(?:[;,)}\n]|$)`;

const SINKS: { name: string; re: RegExp }[] = [
  { name: 'innerHTML/outerHTML assignment', re: /\b(?:inner|outer)HTML\s*\+?=(?!=)([^\n]*)/g },
  { name: 'innerHTML/outerHTML property', re: /\b(?:inner|outer)HTML\s*:([^\n]*)/g },
  { name: 'insertAdjacentHTML', re: /\binsertAdjacentHTML\s*\(\s*[^,]+,([^\n]*)/g },
  { name: 'document.write', re: /\bdocument\s*\.\s*write(?:ln)?\s*\(([^\n]*)/g },
  { name: 'createContextualFragment', re: /\bcreateContextualFragment\s*\(([^\n]*)/g },
  { name: 'DOMParser.parseFromString', re: /\bparseFromString\s*\(([^\n]*)/g },
  { name: 'srcdoc', re: /\bsrcdoc\s*[=:]([^\n]*)/g },
  { name: 'inline event handler attribute', re: /\bsetAttribute\s*\(\s*['"`]on[a-z]+['"`]\s*,([^\n]*)/g },
];

/** Findings in one source text: `name: excerpt`. */
export function htmlSinkFindings(text: string): string[] {
  const src = code(text);
  const out: string[] = [];
  for (const { name, re } of SINKS) {
    for (const m of src.matchAll(re)) {
      const arg = m[1] ?? '';
      if (!new RegExp(`^${CONSTANT}`).test(arg)) out.push(`${name}: ${m[0].trim().slice(0, 80)}`);
    }
  }
  return out;
}

test('the detector finds data reaching HTML parsers and accepts constants', () => {
  assert.deepEqual(htmlSinkFindings(`el.innerHTML = '';\nel.innerHTML = "<b>static</b>";\n// el.innerHTML = name\nel.textContent = name;`), []);
  for (const bad of [
    'el.innerHTML = name;',
    'el.innerHTML = `<b>${name}</b>`;',
    'el.innerHTML += row;',
    'Object.assign(el, { innerHTML: d.message });',
    'el.outerHTML = x;',
    "el.insertAdjacentHTML('beforeend', html);",
    'document.write(text);',
    'range.createContextualFragment(s);',
    "new DOMParser().parseFromString(s, 'text/html');",
    'frame.srcdoc = page;',
    "b.setAttribute('onclick', code);",
  ]) assert.equal(htmlSinkFindings(bad).length, 1, bad);
});

test('no source under src/web passes data to an HTML parser', () => {
  const list = files(WEB);
  assert.ok(list.some((f) => f.endsWith('main.ts')), 'src/web is where we think it is');
  const findings = list.flatMap((f) => htmlSinkFindings(readFileSync(f, 'utf8')).map((x) => `${relative(ROOT, f)}: ${x}`));
  assert.deepEqual(findings, []);
});
