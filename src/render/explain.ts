// `netpol explain` as plain words (one block per policy) and as a table.
import type { PolicyExplanation } from '../analysis/explain/explain.js';
import type { TierPolicyExplanation } from '../analysis/explain/tiers.js';
import { terminalText } from './escape.js';

function podList(pods: readonly string[]): string {
  if (pods.length === 0) return 'no pod in the input';
  const shown = pods.slice(0, 6).join(', ');
  return `${pods.length} pod${pods.length === 1 ? '' : 's'}: ${shown}${pods.length > 6 ? ', …' : ''}`;
}

export function renderExplainText(list: readonly PolicyExplanation[]): string {
  const out: string[] = [];
  for (const e of list) {
    out.push(`NetworkPolicy ${e.policy}${e.file ? `  (${e.file}:${e.line})` : ''}`);
    out.push(`  applies to: ${e.subject}  [${podList(e.pods)}]`);
    out.push(`  isolates:   ${e.isolates.join(' and ') || 'nothing'}${e.policyTypesDefaulted ? ' (policyTypes defaulted)' : ''}`);
    for (const d of ['ingress', 'egress'] as const) {
      const rules = e.rules.filter((r) => r.direction === d);
      const active = e.isolates.includes(d);
      if (!active && rules.length === 0) continue;
      const verb = d === 'ingress' ? 'may connect to these pods' : 'these pods may connect to';
      if (!active) out.push(`  ${d}: IGNORED — ${d} rules present but ${d === 'ingress' ? 'Ingress' : 'Egress'} is not in policyTypes`);
      else if (rules.length === 0) out.push(`  ${d}: nothing is allowed (no rules)`);
      else out.push(`  ${d}: only these ${verb === 'may connect to these pods' ? 'sources may connect' : 'destinations may be reached'} (any rule may match):`);
      for (const r of rules) {
        const at = `${r.path}${r.line ? `, line ${r.line}` : ''}`;
        out.push(`    rule ${r.index + 1} (${at}): on ${r.ports}`);
        if (r.peers.length === 0) out.push(`      ${d === 'ingress' ? 'from' : 'to'} anywhere: every pod, every namespace, every address`);
        else {
          out.push(`      ${d === 'ingress' ? 'from' : 'to'} ${r.peers.length > 1 ? 'ANY ONE of these peers (OR):' : 'this peer:'}`);
          r.peers.forEach((p) => out.push(`      - ${p.text}${p.text.startsWith('addresses') ? '' : `  [${podList(p.pods)}]`}`));
        }
      }
    }
    out.push('');
  }
  if (list.length === 0) out.push('no NetworkPolicies in the input');
  // Each entry is one line; names, labels and selectors inside it come from manifests.
  return out.map(terminalText).join('\n').trimEnd();
}

/** Columns after Policy Assistant's explain table: TYPE, SUBJECT, RULE, PEER, PORT/PROTOCOL. */
export function renderExplainTable(list: readonly PolicyExplanation[]): string {
  const rows: string[][] = [['TYPE', 'POLICY', 'SUBJECT', 'RULE', 'PEER (rows of one rule are ORed)', 'PORT/PROTOCOL']];
  for (const e of list) {
    for (const d of ['ingress', 'egress'] as const) {
      const active = e.isolates.includes(d);
      const rules = e.rules.filter((r) => r.direction === d);
      if (!active && rules.length === 0) continue;
      if (active && rules.length === 0) rows.push([d, e.policy, e.subject, '-', 'none: deny all', '-']);
      for (const r of rules) {
        const peers = r.peers.length ? r.peers.map((p) => p.text) : ['anywhere'];
        peers.forEach((p, i) => rows.push([i === 0 ? d : '', i === 0 ? e.policy : '', i === 0 ? e.subject : '', i === 0 ? `${r.path}${active ? '' : ' (ignored)'}` : '', `${i > 0 ? 'OR ' : ''}${p}`, i === 0 ? r.ports : '']));
      }
    }
  }
  for (const r of rows) r.forEach((cell, c) => { r[c] = terminalText(cell); });
  const widths = rows[0]!.map((_, c) => Math.min(60, Math.max(...rows.map((r) => r[c]!.length))));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

/** Tier policies in evaluation order (Admin tier, then Baseline), one block each. */
export function renderTierExplainText(list: readonly TierPolicyExplanation[]): string {
  const out: string[] = [];
  for (const e of list) {
    out.push(`${e.kind} ${e.policy}${e.file ? `  (${e.file}:${e.line})` : ''}`);
    out.push(`  order:      ${e.tier} tier, priority ${e.priority}: ${ordinal(e.position)} of ${e.of} in the ${e.tier} tier (lower priority first)`);
    if (e.samePriority.length) out.push(`  TIE:        same priority as ${e.samePriority.join(', ')}: where both match, which applies is implementation-defined`);
    out.push(`  place:      ${e.place}`);
    out.push(`  applies to: ${e.subject}  [${podList(e.pods)}]`);
    for (const d of ['ingress', 'egress'] as const) {
      const rules = e.rules.filter((r) => r.direction === d);
      if (rules.length === 0) { out.push(`  ${d}: no rules: this policy does not affect ${d}`); continue; }
      out.push(`  ${d} (rules in order, the first that matches decides):`);
      for (const r of rules) {
        out.push(`    rule ${r.index}${r.name !== undefined ? ` '${r.name}'` : ''} (${r.path}${r.line ? `, line ${r.line}` : ''}): ${r.text}`);
        for (const p of r.peers) out.push(`      - ${p.text}  [${podList(p.pods)}]`);
      }
    }
    out.push('');
  }
  return out.map(terminalText).join('\n').trimEnd();
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}
