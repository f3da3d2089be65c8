// A query's verdict and trace as text.
import type { DirectionTrace, Verdict } from '../evaluate/evaluate.js';
import { terminalText } from './escape.js';

const mark = (v: boolean | 'depends') => (v === true ? 'allowed' : v === false ? 'denied' : 'depends');

function direction(t: DirectionTrace): string[] {
  const head = `${t.direction.toUpperCase()} ${t.pod ? `at ${t.pod}` : '(external end)'}: ${mark(t.allowed)}`;
  const out = [head, `  ${t.reason}`];
  for (const p of t.policies) {
    const at = p.file ? ` (${p.file}${p.line ? `:${p.line}` : ''})` : '';
    out.push(`  policy ${p.policy}${at}: ${mark(p.allowed)}`);
    if (p.rules.length === 0) out.push(`    no ${t.direction} rules: this policy allows no ${t.direction} at all`);
    for (const r of p.rules) out.push(`    ${r.path}${r.line ? ` (line ${r.line})` : ''}: ${mark(r.matched)} - ${r.why}`);
  }
  return out;
}

export function renderVerdictText(v: Verdict): string {
  const out = [`${v.from} -> ${v.to} ${v.port}/${v.protocol}: ${v.verdict.toUpperCase()}`, ''];
  out.push(...direction(v.egress), '', ...direction(v.ingress));
  if (v.notes.length) out.push('', ...v.notes.map((n) => `note: ${n}`));
  if (v.depends.length) {
    out.push('', v.verdict === 'depends'
      ? 'DEPENDS on what the manifests do not state or the API leaves to the network plugin:'
      : `depends: this ${v.verdict.toUpperCase()} assumes what the manifests do not state or the API leaves to the network plugin:`);
    out.push(...v.depends.map((d) => `  - ${d.reason}`));
    out.push(v.verdict === 'depends'
      ? 'to decide: give the pods their IPs (status.podIP), or choose --ipblock-pods match (ipBlocks match pod IPs) or ignore'
      : '(--ipblock-pods match|ignore chooses what is assumed; --ipblock-pods depends answers DEPENDS)');
  }
  // Each entry is one line; names and reasons inside it come from manifests.
  return out.map(terminalText).join('\n');
}
