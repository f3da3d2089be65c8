// A query's verdict and trace as text.
import type { DirectionTrace, Verdict } from '../evaluate/evaluate.js';
import type { TierTrace } from '../evaluate/tiers.js';
import { terminalText } from './escape.js';

const mark = (v: boolean | 'depends') => (v === true ? 'allowed' : v === false ? 'denied' : 'depends');

/** One tier's step: its policies in order, each rule with its action and answer. */
function tier(t: TierTrace, direction: string): string[] {
  const state = t.policies.length === 0 ? `no ${t.tier} tier policy selects this pod with ${direction} rules`
    : t.reached === false ? 'not reached (an earlier layer decided)'
    : t.decided ? `decided by ${t.decided.policy} ${direction} rule ${t.decided.rule} (${t.decided.action})`
    : t.outcomes.length > 1 ? 'depends' : 'no rule matches';
  const out = [`  ${t.tier} tier: ${state}`];
  const decidedAt = t.decided ? t.policies.findIndex((p) => p.policy === t.decided!.policy) : -1;
  t.policies.forEach((p, k) => {
    const skipped = decidedAt >= 0 && k > decidedAt && p.priority !== t.policies[decidedAt]!.priority ? ' - not reached' : '';
    out.push(`    ${p.kind} ${p.policy} priority ${p.priority}${p.file ? ` (${p.file}:${p.line})` : ''}${skipped}`);
    for (const r of p.rules) {
      const name = r.name !== undefined ? ` '${r.name}'` : '';
      out.push(`      ${r.path}${name} ${r.actionWritten ?? r.action}${r.line ? ` (line ${r.line})` : ''}: ${r.matched === true ? 'matches' : r.matched === false ? 'no match' : 'may match'} - ${r.why}`);
    }
  });
  for (const tie of t.ties ?? []) out.push(`    tie: ${tie.policies.join(' and ')} share priority ${tie.priority} (${tie.actions.join(' vs ')}): implementation-defined`);
  return out;
}

function direction(t: DirectionTrace): string[] {
  const head = `${t.direction.toUpperCase()} ${t.pod ? `at ${t.pod}` : '(external end)'}: ${mark(t.allowed)}${t.decidedBy ? ` (decided by ${t.decidedBy})` : ''}`;
  const out = [head, `  ${t.reason}`];
  const [admin, baseline] = t.tiers ?? [];
  if (admin) out.push(...tier(admin, t.direction));
  if (t.tiers && t.policies.length) out.push('  NetworkPolicy layer:');
  for (const p of t.policies) {
    const at = p.file ? ` (${p.file}:${p.line})` : '';
    out.push(`  policy ${p.policy}${at}: ${mark(p.allowed)}`);
    if (p.rules.length === 0) out.push(`    no ${t.direction} rules: this policy allows no ${t.direction} at all`);
    for (const r of p.rules) out.push(`    ${r.path}${r.line ? ` (line ${r.line})` : ''}: ${mark(r.matched)} - ${r.why}`);
  }
  if (baseline) out.push(...tier(baseline, t.direction));
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
    const tied = [v.egress, v.ingress].some((d) => d.tiers?.some((t) => t.ties?.length));
    if (tied) out.push('tier policies of equal priority that match with different actions: give them distinct priorities to make the order certain');
  }
  // Each entry is one line; names and reasons inside it come from manifests.
  return out.map(terminalText).join('\n');
}
