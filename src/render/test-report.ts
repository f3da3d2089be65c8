// `netpol test` results as text (with the trace of each failure), JUnit XML and GitHub annotations.
import type { TestReport } from '../analysis/assert/run.js';
import { terminalBlock, terminalText } from './escape.js';
import { renderVerdictText } from './verdict.js';

export function renderTestText(r: TestReport): string {
  const out: string[] = [];
  for (const x of r.results) {
    const title = x.name ? `${x.name}: ${x.assertion}` : x.assertion;
    out.push(`${x.ok ? 'PASS' : 'FAIL'}  ${title}  (${x.file}:${x.line}${x.checked ? `, ${x.checked} connection${x.checked === 1 ? '' : 's'}` : ''})`);
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

// XML 1.0 has no place for most control characters: they become visible escapes first.
const xml = (s: string) => terminalBlock(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderJunit(r: TestReport, suite = 'netpol test'): string {
  const cases = r.results.map((x) => {
    const name = xml(terminalText(x.name ? `${x.name}: ${x.assertion}` : x.assertion));
    const head = `    <testcase classname="${xml(terminalText(x.file))}" name="${name}" file="${xml(terminalText(x.file))}" line="${x.line}">`;
    if (x.ok) return `${head}</testcase>`;
    const msg = x.error ?? `${x.failures.length} of ${x.checked} connection(s) not as expected`;
    const body = [terminalText(x.error ?? ''), ...x.failures.map((f) => terminalText(`${f.from} -> ${f.to} ${f.port}/${f.protocol}: ${f.verdict}`)), x.trace && x.failures.length ? `\n${renderVerdictText(x.trace)}` : ''].filter(Boolean).join('\n');
    return `${head}\n      <failure message="${xml(msg)}" type="assertion">${xml(body)}</failure>\n    </testcase>`;
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
  return r.results.filter((x) => !x.ok).map((x) => {
    const detail = x.error ?? x.failures.slice(0, 3).map((f) => `${f.from} -> ${f.to} ${f.port}/${f.protocol} is ${f.verdict}`).join('; ');
    const why = x.trace && x.failures.length ? ` — ${x.trace.verdict === 'allow' ? x.trace.ingress.reason : (x.trace.egress.allowed === true ? x.trace.ingress.reason : x.trace.egress.reason)}` : '';
    return `::error file=${prop(terminalText(x.file))},line=${x.line},title=${prop('netpol test')}::${esc(terminalText(`${x.assertion} failed: ${detail}${why}`))}`;
  }).join('\n');
}
