// What `netpol check` says about the tier policies and Nodes it read: a count for the summary
// line, a list (text) and JSON entries. Names come from manifests: terminalText for the terminal.
import type { Cluster, ClusterPolicy, Node } from '../model/types.js';
import { terminalText } from './escape.js';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** In evaluation order: Admin before Baseline, then by priority, kind and name. */
function ordered(policies: readonly ClusterPolicy[]): ClusterPolicy[] {
  return [...policies].sort((a, b) => (a.tier === b.tier ? 0 : a.tier === 'Admin' ? -1 : 1) || a.priority - b.priority ||
    (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `, 3 tier policies (2 ClusterNetworkPolicy, 1 AdminNetworkPolicy), 2 nodes`, or '' when none. */
export function tierCounts(cluster: Cluster, rejected: number): string {
  const read = cluster.clusterPolicies ?? [];
  const nodes = cluster.nodes ?? [];
  let out = '';
  if (read.length + rejected > 0) {
    const byKind = new Map<string, number>();
    for (const p of read) byKind.set(p.kind, (byKind.get(p.kind) ?? 0) + 1);
    const parts = [...byKind].map(([k, n]) => `${n} ${k}`);
    if (rejected) parts.push(`${rejected} invalid`);
    out += `, ${plural(read.length + rejected, 'tier policy', 'tier policies')} (${parts.join(', ')})`;
  }
  if (nodes.length) out += `, ${plural(nodes.length, 'node')}`;
  return out;
}

/** One line per tier policy in evaluation order, then one per node; '' when none. */
export function tierListText(cluster: Cluster): string {
  const lines: string[] = [];
  for (const p of ordered(cluster.clusterPolicies ?? [])) {
    const where = p.origin ? `  ${p.origin.file}:${p.origin.locate('metadata.name').line}` : '';
    const prio = p.kind === 'BaselineAdminNetworkPolicy' ? '    ' : String(p.priority).padStart(4);
    lines.push(terminalText(`  ${p.tier.padEnd(8)} ${prio}  ${p.kind} ${p.name}: ${plural(p.ingress.length, 'ingress rule')}, ${plural(p.egress.length, 'egress rule')}${where}`));
  }
  for (const n of cluster.nodes ?? []) {
    lines.push(terminalText(`  Node ${n.name}: ${n.addresses.length ? n.addresses.join(', ') : 'no IP address'}`));
  }
  return lines.length ? `tier policies and nodes read:\n${lines.join('\n')}` : '';
}

export interface TierPolicyEntry {
  kind: string;
  apiVersion: string;
  name: string;
  tier: string;
  priority: number;
  ingressRules: number;
  egressRules: number;
  file?: string;
  line?: number;
}

const located = (o: { origin?: ClusterPolicy['origin'] }): { file?: string; line?: number } =>
  o.origin ? { file: o.origin.file, line: o.origin.locate('metadata.name').line } : {};

/** JSON additions for `check`: present only when the input has tier policies or nodes. */
export function tierJson(cluster: Cluster, rejected: number): { clusterPolicies?: TierPolicyEntry[]; rejectedClusterPolicies?: number; nodes?: { name: string; addresses: readonly string[]; file?: string; line?: number }[] } {
  const out: ReturnType<typeof tierJson> = {};
  const read = cluster.clusterPolicies ?? [];
  if (read.length + rejected > 0) {
    out.clusterPolicies = ordered(read).map((p) => ({
      kind: p.kind, apiVersion: p.apiVersion, name: p.name, tier: p.tier, priority: p.priority,
      ingressRules: p.ingress.length, egressRules: p.egress.length, ...located(p),
    }));
    out.rejectedClusterPolicies = rejected;
  }
  if (cluster.nodes?.length) out.nodes = cluster.nodes.map((n: Node) => ({ name: n.name, addresses: n.addresses, ...located(n) }));
  return out;
}
