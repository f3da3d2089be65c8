// Admin and Baseline tier policies (ClusterNetworkPolicy v1alpha2, AdminNetworkPolicy and
// BaselineAdminNetworkPolicy v1alpha1) -> one flat chain per tier and direction, for compile.ts.
// Shape of a direction (egress; ingress is the mirror, with `accept` as its Accept):
//   egress:     jump admin_eg                          Accept -> goto ingress, Deny -> drop, Pass -> return
//               ip saddr @egress_isolated goto np_eg    NetworkPolicy, final for the pods it isolates
//               jump baseline_eg                       as admin_eg
//               goto ingress                            default allow
// A tier chain lists its policies in evaluation order (match/tier.ts compareTierPolicies) and
// each policy's rules in order, so nft's first match is the tier's first match, and `return`
// (Pass, or no match) hands the packet to the next layer. Who is a subject and what a peer
// selects come from src/match/tier.ts, called once per pod/node address (never re-derived here).
import type { Cluster, ClusterPolicy, Namespace, Node, Pod, PolicyPort, Tier, TierAction, TierPeer, TierRule } from '../../model/types.js';
import { NAMESPACE_NAME_LABEL } from '../../model/types.js';
import { compareTierPolicies, matchTierPeer, matchTierSubject, tierPolicyName, tierRuleAction, type TierMatchContext } from '../../match/tier.js';
import { formatSelector } from '../../match/selector.js';
import { formatIp, parseCidr, parseIp, type IpRange } from '../../net/ip.js';
import { rangeToCidrs, subtractRange } from '../../net/cidr.js';
import { nftComment } from './text.js';

/**
 * What the compiler does where the API leaves the answer to the implementation: two policies of
 * one tier and priority that select the same pod with different actions (T, Priority), and
 * `domainNames` peers (no DNS here). 'refuse' (default): throw a CompileError naming them.
 * 'assume': compile what the engine assumes (the order priority, then kind/name; a domain name
 * matches no address) and say so in a WARNING comment and in `warnings`.
 */
export type Undecided = 'refuse' | 'assume';

export class CompileError extends Error {
  override name = 'CompileError';
}

/** The set machinery of compile.ts, shared so one meaning gives one set. */
export interface SetSink {
  /** A plain set of these pods' addresses (deduplicated by key). */
  podSet(key: string, prefix: string, comment: string, members: Pod[]): string;
  /** A plain set of these IPv4 addresses. */
  addrSet(key: string, prefix: string, comment: string, addrs: string[]): string;
  /** An interval set of disjoint IPv4 CIDRs. */
  cidrSet(key: string, prefix: string, comment: string, cidrs: string[]): string;
  /** One nft match per port group of these ports ([''] = every port). */
  portMatches(ports: readonly PolicyPort[]): string[];
}

export interface TierChains {
  /** Chains to add: admin_in, admin_eg, baseline_in, baseline_eg (each may be empty of rules). */
  chains: { name: string; body: string[] }[];
  warnings: string[];
}

const CHAIN: Record<Tier, string> = { Admin: 'admin', Baseline: 'baseline' };
type Dir = 'ingress' | 'egress';

/** The IPv4 part of these CIDRs as disjoint CIDRs (interval sets reject overlaps), and the IPv6 ones left out. */
function v4Cidrs(cidrs: readonly string[]): { v4: string[]; v6: string[] } {
  let ranges: IpRange[] = [];
  const v6: string[] = [];
  for (const c of cidrs) {
    const r = parseCidr(c);
    if (!r) continue; // validation rejects it; should one get here, it is left out, never written
    if (r.family === 6) { v6.push(c); continue; }
    ranges = [...subtractRange(ranges, r), r];
  }
  ranges.sort((a, b) => (a.first < b.first ? -1 : 1));
  return { v4: ranges.flatMap(rangeToCidrs), v6 };
}

export function compileTiers(cluster: Cluster, pods: readonly Pod[], sink: SetSink, undecided: Undecided): TierChains {
  const policies = [...(cluster.clusterPolicies ?? [])].sort(compareTierPolicies);
  const nodes: readonly Node[] = cluster.nodes ?? [];
  const ctx: TierMatchContext = { nodes, threeValued: false };
  const nsByName = new Map(cluster.namespaces.map((n) => [n.name, n]));
  const nsOf = (name: string): Namespace => nsByName.get(name) ?? { kind: 'Namespace', name, labels: { [NAMESPACE_NAME_LABEL]: name }, implicit: true };
  const party = (p: Pod) => ({ kind: 'pod' as const, pod: p, namespace: nsOf(p.namespace) });
  const ties: string[] = [];
  const problems: string[] = []; // what 'refuse' refuses
  const warnings: string[] = [];

  const subjects = new Map<ClusterPolicy, Pod[]>(policies.map((p) => [p, pods.filter((pod) => matchTierSubject(p.subject, pod, nsOf(pod.namespace)).match === true)]));
  const subjectSet = (p: ClusterPolicy): string => {
    const s = p.subject;
    const what = s.namespaces ? `pods in namespaces ${formatSelector(s.namespaces)}` : `pods ${formatSelector(s.pods.podSelector)} in namespaces ${formatSelector(s.pods.namespaceSelector)}`;
    return sink.podSet(`subject ${JSON.stringify(s)}`, 'subj', `${what} (subject of ${tierPolicyName(p)})`, subjects.get(p)!);
  };

  // Equal priorities: only a pod two such policies both select, with actions that differ in that
  // direction, makes the order matter (same actions: any order gives the same answer).
  for (const dir of ['ingress', 'egress'] as const) {
    for (let i = 0; i < policies.length; i++) {
      for (let j = i + 1; j < policies.length; j++) {
        const a = policies[i]!, b = policies[j]!;
        if (a.tier !== b.tier || a.priority !== b.priority || a[dir].length === 0 || b[dir].length === 0) continue;
        const actions = new Set([...a[dir], ...b[dir]].map(tierRuleAction));
        const shared = subjects.get(a)!.find((p) => subjects.get(b)!.includes(p));
        if (actions.size > 1 && shared) {
          ties.push(`${a.tier} tier, priority ${a.priority}: ${tierPolicyName(a)} and ${tierPolicyName(b)} both select pod ${shared.namespace}/${shared.name} (${dir}) with different actions (${[...actions].join(', ')}); their order is implementation-defined`);
        }
      }
    }
  }

  /** The set a peer matches, or a comment saying why it matches nothing here. */
  const peerMatch = (peer: TierPeer, action: TierAction, pol: ClusterPolicy): { set?: string; note?: string } => {
    const id = tierPolicyName(pol);
    switch (peer.kind) {
      case 'namespaces':
      case 'pods': {
        const members = pods.filter((p) => matchTierPeer(peer, action, party(p), ctx).match === true);
        const what = peer.kind === 'pods'
          ? `pods ${formatSelector(peer.podSelector)} in namespaces ${formatSelector(peer.namespaceSelector)}`
          : `pods in namespaces ${formatSelector(peer.namespaceSelector)}`;
        const key = peer.kind === 'pods' ? `tpods ${JSON.stringify(peer.namespaceSelector)} ${JSON.stringify(peer.podSelector)}` : `tns ${JSON.stringify(peer.namespaceSelector)}`;
        return { set: sink.podSet(key, 'peer', what, members) };
      }
      case 'networks': {
        const { v4, v6 } = v4Cidrs(peer.cidrs);
        const note = v6.length ? `${peer.path}: IPv6 networks ${v6.join(', ')} cannot match the lab IPv4 pods` : undefined;
        if (v4.length === 0) return { note: note ?? `${peer.path}: no IPv4 network` };
        return { set: sink.cidrSet(`nets ${v4.join(',')}`, 'peer', `networks ${v4.join(', ')}`, v4), note };
      }
      case 'nodes': {
        // A node's addresses, each asked of the one matcher (party: that address).
        const addrs = [...new Set(nodes.flatMap((n) => n.addresses).flatMap((a) => {
          const ip = parseIp(a);
          return ip?.family === 4 && matchTierPeer(peer, action, { kind: 'ip', ip: a }, ctx).match === true ? [formatIp(ip)] : [];
        }))];
        return { set: sink.addrSet(`nodes ${JSON.stringify(peer.nodeSelector)}`, 'peer', `addresses of nodes ${formatSelector(peer.nodeSelector)}`, addrs) };
      }
      case 'domainNames': {
        const msg = `${id} ${peer.path}: domainNames ${peer.domainNames.join(', ')} need DNS, which the compiler does not have`;
        if (undecided === 'refuse') problems.push(msg);
        else warnings.push(`${msg}; compiled as matching no address (the engine's assumption)`);
        return { note: `${peer.path}: domainNames match no address here (no DNS)` };
      }
      case 'unknown':
        return { note: `${peer.path}: unknown peer field` }; // handled per rule (fail closed)
    }
  };

  const ruleLines = (rule: TierRule, dir: Dir, pol: ClusterPolicy, subj: string): string[] => {
    const [self, other] = dir === 'ingress' ? ['daddr', 'saddr'] : ['saddr', 'daddr'];
    const action = tierRuleAction(rule);
    const verdict = action === 'Deny' ? 'drop' : action === 'Pass' ? 'return' : dir === 'egress' ? 'goto ingress' : 'accept';
    const lines = [`# ${nftComment(`${rule.path}${rule.name !== undefined ? ` (${rule.name})` : ''} ${rule.actionWritten}`)}`];
    const unknown = rule.peers.find((p) => p.kind === 'unknown');
    if (unknown) {
      // T, ClusterNetworkPolicy{Ingress,Egress}Peer: fail closed for the whole rule.
      if (rule.action === 'Accept') return [...lines, `# ${nftComment(`${unknown.path}: unknown peer field: fail closed, this rule matches nothing`)}`];
      return [...lines, `# ${nftComment(`${unknown.path}: unknown peer field: fail closed, Deny all`)}`, `ip ${self} @${subj} drop`];
    }
    if (rule.peers.length === 0) return [...lines, '# no peers: this rule matches nothing'];
    const matches = sink.portMatches(rule.ports);
    if (matches.length === 0) lines.push('# no valid port: this rule matches nothing');
    for (const peer of rule.peers) {
      const m = peerMatch(peer, rule.action, pol);
      if (m.note) lines.push(`# ${nftComment(m.note)}`);
      if (!m.set) continue;
      for (const port of matches) lines.push([`ip ${self} @${subj}`, `ip ${other} @${m.set}`, port, verdict].filter(Boolean).join(' '));
    }
    return lines;
  };

  const chains: TierChains['chains'] = [];
  for (const tier of ['Admin', 'Baseline'] as const) {
    for (const [dir, suffix] of [['ingress', 'in'], ['egress', 'eg']] as const) {
      const body: string[] = [];
      for (const pol of policies.filter((p) => p.tier === tier && p[dir].length > 0)) {
        const subj = subjectSet(pol);
        body.push(`# ${nftComment(`${tierPolicyName(pol)} priority ${pol.priority}, spec.${dir}`)}`);
        for (const r of pol[dir]) body.push(...ruleLines(r, dir, pol, subj));
      }
      chains.push({ name: `${CHAIN[tier]}_${suffix}`, body });
    }
  }

  if (undecided === 'refuse') problems.unshift(...ties);
  if (problems.length) {
    throw new CompileError(`cannot compile the tier policies to nftables: the API leaves these to the implementation:\n  ${[...new Set(problems)].map((p) => nftComment(p, 400)).join('\n  ')}\n(\`--undecided assume\` compiles the engine's assumption: equal priorities by kind and name, domainNames matching nothing)`);
  }
  warnings.unshift(...ties.map((t) => `${t}; compiled in the engine's order (by kind, then name)`));
  return { chains, warnings: [...new Set(warnings)] };
}
