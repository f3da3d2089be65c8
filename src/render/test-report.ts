// `netpol test` results as text (with the trace of each failure), JUnit XML and GitHub annotations.
import type { AssertionResult, TestReport } from '../analysis/assert/run.js';
import { terminalBlock, terminalText } from './escape.js';
import { renderVerdictText } from './verdict.js';

export function renderTestText(r: TestReport): string {
  const out: string[] = [];
  for (const x of r.results) {
    const title = x.name ? `${x.name}: ${x.assertion}` : x.assertion;
    out.push(`${x.ok ? 'PASS' : 'FAIL'}  ${title}  (${x.file}:${x.line}${x.checked ? `, ${x.checked} connection${x.checked === 1 ? '' : 's'}` : ''})`);
    out.push(...dependsLines(x));
    if (x.ok) continue;
    if (x.error) out.push(`      ${x.error}`);
    for (const f of x.failures.slice(0, 5)) out.push(`      ${f.from} -> ${f.to} ${f.port}/${f.protocol}: ${f.verdict}`);
    if (x.failures.length > 5) out.push(`      … and ${x.failures.length - 5} more`);
    if (x.trace && x.failures.length) out.push('', ...renderVerdictText(x.trace).split('\n').map((l) => `      ${l}`), '');
  }
  out.push('', `${r.passed} passed, ${r.failed} failed`);
  // Each entry is one line; names inside it come from manifests.
  return out.map(terminalText).join('\n');
}

/** Connections whose verdict hinges on the plugin are named under every assertion, passed or not. */
function dependsLines(x: AssertionResult): string[] {
  if (x.depends.length === 0) return [];
  const out = [`      depends: ${x.depends.length} connection${x.depends.length === 1 ? '' : 's'} hinge${x.depends.length === 1 ? 's' : ''} on what the manifests do not state or the API leaves to the network plugin:`];
  for (const d of x.depends.slice(0, 3)) out.push(`        ${d.from} -> ${d.to} ${d.port}/${d.protocol}: ${d.depends!.join('; ')}`);
  if (x.depends.length > 3) out.push(`        … and ${x.depends.length - 3} more (--format json lists every one)`);
  return out;
}

// XML 1.0 has no place for most control characters: they become visible escapes first.
const xml = (s: string) => terminalBlock(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderJunit(r: TestReport, suite = 'netpol test'): string {
  const cases = r.results.map((x) => {
    const name = xml(terminalText(x.name ? `${x.name}: ${x.assertion}` : x.assertion));
    const head = `    <testcase classname="${xml(terminalText(x.file))}" name="${name}" file="${xml(terminalText(x.file))}" line="${x.line}">`;
    const out = x.depends.length ? `\n      <system-out>${xml(dependsLines(x).map((l) => terminalText(l.trim())).join('\n'))}</system-out>` : '';
    if (x.ok) return out ? `${head}${out}\n    </testcase>` : `${head}</testcase>`;
    const msg = x.error ?? `${x.failures.length} of ${x.checked} connection(s) not as expected`;
    const body = [terminalText(x.error ?? ''), ...x.failures.map((f) => terminalText(`${f.from} -> ${f.to} ${f.port}/${f.protocol}: ${f.verdict}`)), x.trace && x.failures.length ? `\n${renderVerdictText(x.trace)}` : ''].filter(Boolean).join('\n');
    return `${head}\n      <failure message="${xml(msg)}" type="assertion">${xml(body)}</failure>${out}\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${r.results.length}" failures="${r.failed}">`,
    `  <testsuite name="${xml(suite)}" tests="${r.results.length}" failures="${r.failed}" errors="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n');
}

const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function renderTestGithub(r: TestReport): string {
  const warnings = r.results.filter((x) => x.ok && x.depends.length).map((x) =>
    `::warning file=${prop(terminalText(x.file))},line=${x.line},title=${prop('netpol test: depends')}::${esc(terminalText(`${x.assertion}: ${x.depends.length} connection(s) hinge on what the manifests do not state or the API leaves to the network plugin, e.g. ${x.depends[0]!.from} -> ${x.depends[0]!.to}: ${x.depends[0]!.depends!.join('; ')}`))}`);
  return [...warnings, ...r.results.filter((x) => !x.ok).map((x) => {
    const detail = x.error ?? x.failures.slice(0, 3).map((f) => `${f.from} -> ${f.to} ${f.port}/${f.protocol} is ${f.verdict}`).join('; ');
    const why = x.trace && x.failures.length ? ` — ${x.trace.verdict === 'allow' ? x.trace.ingress.reason : (x.trace.egress.allowed === true ? x.trace.ingress.reason : x.trace.egress.reason)}` : '';
    return `::error file=${prop(terminalText(x.file))},line=${x.line},title=${prop('netpol test')}::${esc(terminalText(`${x.assertion} failed: ${detail}${why}`))}`;
  })].join('\n');
}
