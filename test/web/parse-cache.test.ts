// The page's worker parses a changed file document by document (src/web/parse-cache.ts). Its
// result must be the file's own parse: the same values, diagnostics, document indexes and every
// position a diagnostic or a jump can ask for, after any edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseYamlText, type ParseResult } from '../../src/load/parse-yaml.js';
import { DEFAULT_LIMITS } from '../../src/load/limits.js';
import { PieceCache } from '../../src/web/parse-cache.js';
import { generateCluster } from '../../src/web/generate.js';

/** Every field path of a value, as origins take them (`a.b[0].c`). */
function paths(v: unknown, p = '', out: string[] = []): string[] {
  out.push(p);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, `${p}[${i}]`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, p ? `${p}.${k}` : k, out);
  return out;
}

/** What a parse gives, positions included, as plain data. */
function seen(r: ParseResult) {
  return {
    diagnostics: r.diagnostics,
    documents: r.documents.map((d) => ({
      file: d.file, document: d.document, value: d.value, originDocument: d.origin.document,
      at: paths(d.value).map((p) => [p, d.origin.locate(p), d.origin.sourceText?.(p)]),
      keys: paths(d.value).flatMap((p) => {
        const parts = p.split('.');
        return parts.length > 1 ? [[p, d.origin.locateKey?.(parts.slice(0, -1).join('.'), parts.at(-1)!)]] : [];
      }),
    })),
  };
}

function same(cache: PieceCache, file: string, text: string, why: string): boolean {
  assert.deepEqual(seen(cache.parseFile(file, text, DEFAULT_LIMITS, {})), seen(parseYamlText(file, text, DEFAULT_LIMITS, {})), why);
  return cache.whole;
}

function files(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(ya?ml|json)$/.test(e)) out.push(p);
  }
  return out;
}

test('a file parsed piece by piece = the file parsed whole (examples, fixtures, edge cases)', () => {
  const texts: [string, string][] = [...files('examples'), ...files('test/fixtures')].map((f) => [f, readFileSync(f, 'utf8')]);
  const doc = (n: number) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-${n}\n  labels: {a: "${n}"}\n`;
  texts.push(
    ['lead-comment', `# a comment before the first marker\n---\n${doc(1)}---\n${doc(2)}`],
    ['no-lead-marker', `${doc(1)}---\n${doc(2)}---\n${doc(3)}`],
    ['marker-comment', `--- # first\n${doc(1)}--- # second\n${doc(2)}`],
    ['empty-between', `${doc(1)}---\n# nothing here\n---\n---\n${doc(2)}---\n`],
    ['block-scalar', `${doc(1)}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  x: |\n    ---\n    not a marker\n---\n${doc(2)}`],
    ['end-marker', `${doc(1)}...\n---\n${doc(2)}`],
    ['directive', `%YAML 1.1\n---\n${doc(1)}---\n${doc(2)}`],
    ['syntax-error', `${doc(1)}---\nmetadata: {name: [\n---\n${doc(2)}`],
    ['duplicate-key', `${doc(1)}---\nkind: Namespace\nkind: Pod\n---\n${doc(2)}`],
    ['lenient', `${doc(1)}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  x: "one\n  two"\n---\n${doc(2)}`],
    ['template', `${doc(1)}---\nmetadata: {name: {{ .Values.name }}}\n---\n${doc(2)}`],
    ['crlf', `${doc(1)}---\n${doc(2)}`.replace(/\n/g, '\r\n')],
    ['json', '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "j"}}'],
    ...generateCluster(3, 2).map((s): [string, string] => [s.file, s.text]),
  );
  assert.ok(texts.length > 40);
  const whole = new Set(texts.filter(([file, text]) => same(new PieceCache(parseYamlText), file, text, file)).map(([file]) => file));
  // Both ways were taken: the edge cases that must be read whole were, the others in pieces.
  for (const f of ['end-marker', 'directive', 'syntax-error', 'duplicate-key', 'lenient', 'template', 'json']) assert.ok(whole.has(f), `${f} parsed whole`);
  for (const f of ['lead-comment', 'no-lead-marker', 'marker-comment', 'empty-between', 'block-scalar', 'crlf', 'generated/policies.yaml']) assert.ok(!whole.has(f), `${f} parsed in pieces`);
});

test('an edit parses only the documents it changed, and positions follow the lines it moved', () => {
  const policies = generateCluster(6, 2).find((s) => s.file.endsWith('policies.yaml'))!;
  const cache = new PieceCache(parseYamlText);
  let text = policies.text;
  same(cache, policies.file, text, 'first parse');
  const pieces = cache.parsed;
  assert.ok(pieces > 20, 'the file was cut into its documents');
  const step = (why: string, f: (t: string) => string, parsed: number) => {
    const before = cache.parsed;
    const next = f(text);
    assert.notEqual(next, text, why);
    text = next;
    assert.equal(same(cache, policies.file, text, why), why.includes('whole file'), `${why}: parsed whole`);
    assert.equal(cache.parsed - before, parsed, `${why}: documents parsed`);
  };
  step('a port changed', (t) => t.replace('ports: [{port: 80}]', 'ports: [{port: 800}]'), 1);
  step('lines added to the first document', (t) => t.replace('spec:\n', 'spec:\n  # one\n  # two\n'), 1);
  step('a document removed', (t) => t.split('\n---\n').filter((_, i) => i !== 3).join('\n---\n'), 0);
  step('a document added in the middle', (t) => t.replace('\n---\n', '\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: added}\n---\n'), 1);
  step('a syntax error (the whole file decides)', (t) => t.replace('podSelector: {}', 'podSelector: {'), 1);
  // The pieces kept are those of the last clean parse: the mended document is one of them.
  step('the error mended', (t) => t.replace('podSelector: {', 'podSelector: {}'), 0);
});
