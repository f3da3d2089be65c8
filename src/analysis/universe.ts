// Representative endpoints for questions about "any pod, any namespace, any address":
// hypothetical namespaces and pods built from the labels the policies' selectors mention, and
// one address per region of the IP space that the ipBlocks cut out. Evaluating policies on these
// finds every selector or CIDR difference that a finite set of label values can reveal.
import { firstFreeAddress, rangeToCidrs } from '../net/cidr.js';
import { representativePorts, type PortProbe } from './ports.js';
import { familyRange, formatIp, parseCidr, parseIp, rangeContains, rangeWithin, type IpRange } from '../net/ip.js';
import { ipBlocksOf, NAMESPACE_NAME_LABEL, type ClusterPolicy, type Cluster, type IPBlock, type Node, type LabelSelector, type Labels, type Namespace, type NetworkPolicy, type Pod } from '../model/types.js';

/** Prefix of every hypothetical object's name, so outputs can say which are made up. */
export const HYPOTHETICAL = 'hypothetical-';

export function isHypothetical(name: string): boolean {
  return name.includes(HYPOTHETICAL);
}

export interface SelectorSets {
  pod: LabelSelector[];
  namespace: LabelSelector[];
}

/** Every selector in the policies, split by what it selects (spec.podSelector counts as a pod selector). */
export function collectSelectors(policies: readonly NetworkPolicy[]): SelectorSets {
  const out: SelectorSets = { pod: [], namespace: [] };
  for (const p of policies) {
    out.pod.push(p.podSelector);
    for (const r of [...p.ingress, ...p.egress]) {
      for (const peer of r.peers) {
        if (peer.podSelector) out.pod.push(peer.podSelector);
        if (peer.namespaceSelector) out.namespace.push(peer.namespaceSelector);
      }
    }
  }
  return out;
}

/**
 * Tier `networks` CIDRs and Node addresses (for `nodes` peers) as blocks: they cut the address
 * space like ipBlocks do, for external regions and list ends.
 */
export function tierAddressBlocks(cps: readonly ClusterPolicy[] = [], nodes: readonly Node[] = []): IPBlock[] {
  if (!cps.length) return [];
  const out: IPBlock[] = [];
  for (const p of cps) for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers) {
    if (peer.kind === 'networks') for (const cidr of peer.cidrs) if (parseCidr(cidr)) out.push({ cidr, except: [] });
  }
  for (const n of nodes) for (const a of n.addresses) {
    const ip = parseIp(a);
    if (ip) out.push({ cidr: `${formatIp(ip)}/${ip.family === 4 ? 32 : 128}`, except: [] });
  }
  return out;
}

/** Adds the selectors of tier policies (subjects, `namespaces` and `pods` peers) to a SelectorSets. */
export function withTierSelectors(sets: SelectorSets, cps: readonly ClusterPolicy[] = []): SelectorSets {
  for (const p of cps) {
    if (p.subject.namespaces) sets.namespace.push(p.subject.namespaces);
    if (p.subject.pods) { sets.namespace.push(p.subject.pods.namespaceSelector); sets.pod.push(p.subject.pods.podSelector); }
    for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers) {
      if (peer.kind === 'namespaces' || peer.kind === 'pods') sets.namespace.push(peer.namespaceSelector);
      if (peer.kind === 'pods') sets.pod.push(peer.podSelector);
    }
  }
  return sets;
}

/** A label set that satisfies the selector with as few labels as possible. */
function satisfying(s: LabelSelector): Record<string, string> {
  const labels: Record<string, string> = { ...s.matchLabels };
  for (const r of s.matchExpressions) {
    if (r.operator === 'In' && !(r.key in labels)) labels[r.key] = r.values[0] ?? '';
    else if (r.operator === 'Exists' && !(r.key in labels)) labels[r.key] = 'any';
  }
  return labels;
}

/**
 * Candidate label sets: one satisfying each selector, each (key, value) alone, each key with a
 * value no selector names, and none at all. Deduplicated, in a stable order, capped.
 */
export function candidateLabelSets(selectors: readonly LabelSelector[], cap = 40): Record<string, string>[] {
  const out = new Map<string, Record<string, string>>();
  const add = (l: Record<string, string>) => {
    const key = JSON.stringify(Object.entries(l).sort());
    if (!out.has(key) && out.size < cap) out.set(key, l);
  };
  add({});
  for (const s of selectors) add(satisfying(s));
  for (const s of selectors) {
    for (const [k, v] of Object.entries(s.matchLabels)) add({ [k]: v });
    for (const r of s.matchExpressions) {
      for (const v of r.values) add({ [r.key]: v });
      add({ [r.key]: 'other' });
    }
    for (const k of Object.keys(s.matchLabels)) add({ [k]: 'other' });
  }
  return [...out.values()];
}

export interface Hypotheticals {
  namespaces: Namespace[];
  pods: Pod[];
}

const sameLabels = (a: Labels, b: Labels) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/**
 * Namespaces and pods that do not exist but could: a namespace per candidate namespace label
 * set no existing namespace carries, and in every namespace a pod per candidate pod label set
 * no existing pod there carries.
 */
export function hypotheticals(cluster: Cluster, selectors: SelectorSets, opts: { maxPods?: number } = {}): Hypotheticals {
  const maxPods = opts.maxPods ?? 600;
  const namespaces: Namespace[] = [];
  const taken = new Set(cluster.namespaces.map((n) => n.name));
  candidateLabelSets(selectors.namespace).forEach((labels, i) => {
    const name = labels[NAMESPACE_NAME_LABEL] ?? `${HYPOTHETICAL}ns-${i}`;
    if (taken.has(name)) return;
    const full = { ...labels, [NAMESPACE_NAME_LABEL]: name };
    if (cluster.namespaces.some((n) => sameLabels(n.labels, full))) return;
    taken.add(name);
    namespaces.push({ kind: 'Namespace', name, labels: full, implicit: true });
  });
  const podSets = candidateLabelSets(selectors.pod);
  const pods: Pod[] = [];
  for (const ns of [...cluster.namespaces, ...namespaces]) {
    podSets.forEach((labels, i) => {
      if (pods.length >= maxPods) return;
      if (cluster.pods.some((p) => p.namespace === ns.name && sameLabels(p.labels, labels))) return;
      pods.push({ kind: 'Pod', name: `${HYPOTHETICAL}pod-${i}`, namespace: ns.name, labels, ips: [], ports: [], hostNetwork: false });
    });
  }
  return { namespaces, pods };
}

/** The cluster with hypothetical namespaces and pods added. */
export function withHypotheticals(cluster: Cluster, h: Hypotheticals): Cluster {
  return { namespaces: [...cluster.namespaces, ...h.namespaces], pods: [...cluster.pods, ...h.pods], policies: cluster.policies };
}

export interface ExternalRegion {
  /** A representative address. */
  ip: string;
  /** The innermost ipBlock cidr or except containing it, or `outside every ipBlock`. */
  region: string;
  /** How outputs name it, exactly: `cidr` alone, or `cidr except a, b` (e.g. `0.0.0.0/0 except 10.0.0.0/8`). */
  label: string;
}

/**
 * One address per region of the IP space that the policies' ipBlocks can tell apart. CIDR blocks
 * are nested or disjoint, so the ranges containing an address form a chain and the innermost one,
 * R, decides every ipBlock's answer: a region is R minus the ranges directly inside it (or the
 * whole family, 0.0.0.0/0 or ::/0, minus the outermost ranges). Regions that no address is left
 * in are skipped.
 */
export function externalRegions(policies: readonly NetworkPolicy[], extra: readonly IPBlock[] = []): ExternalRegion[] {
  const byKey = new Map<string, IpRange>();
  for (const b of [...ipBlocksOf(policies), ...extra]) {
    for (const text of [b.cidr, ...b.except]) {
      const range = parseCidr(text);
      if (range) byKey.set(`${range.family}:${range.first}:${range.last}`, range);
    }
  }
  const ranges = [...byKey.values()];
  const families = [...new Set(ranges.map((r) => r.family))].sort();
  const inside = (a: IpRange, b: IpRange) => rangeWithin(a, b) && (a.first !== b.first || a.last !== b.last);
  const out: ExternalRegion[] = [];
  for (const f of families) {
    const root = familyRange(f);
    const candidates = byKey.has(`${f}:0:${root.last}`) ? ranges.filter((r) => r.family === f) : [root, ...ranges.filter((r) => r.family === f)];
    for (const R of candidates.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.last > b.last ? -1 : 1))) {
      const children = ranges.filter((c) => inside(c, R) && !ranges.some((m) => inside(c, m) && inside(m, R)))
        .sort((a, b) => (a.first < b.first ? -1 : 1));
      const ip = representative(R, children);
      if (ip === undefined) continue;
      const name = cidrText(R);
      const isRoot = R.first === 0n && R.last === root.last && !byKey.has(`${f}:0:${root.last}`);
      out.push({
        ip: formatIp({ family: f, value: ip }),
        region: isRoot ? 'outside every ipBlock' : name,
        label: children.length ? `${name} except ${children.map(cidrText).join(', ')}` : name,
      });
    }
  }
  return out;
}

/** An address of R outside every child: 1.1.1.1 or 2001:db8:: when free (readable), else the first gap. */
function representative(R: IpRange, children: readonly IpRange[]): bigint | undefined {
  const nice = R.family === 4 ? 0x01010101n : 0x20010db8n << 96n;
  const at = { family: R.family, value: nice };
  if (rangeContains(R, at) && !children.some((c) => rangeContains(c, at))) return nice;
  return firstFreeAddress(R, children);
}

/** A range that is one CIDR block (every cidr and except is), written as that block. */
function cidrText(r: IpRange): string {
  return rangeToCidrs(r)[0]!;
}

/** Witnesses for questions about tier policies: see tierUniverse. */
export interface TierUniverse {
  /** The cluster with hypothetical namespaces and pods added; tier policies and nodes kept. */
  world: Cluster;
  /** Every pod of `world` and one address per region (see tierUniverse), as connection ends. */
  endpoints: ({ kind: 'pod'; pod: Pod } | { kind: 'ip'; ip: string })[];
  ports: PortProbe[];
}

/**
 * Representative ends and ports for tier policies (and the NetworkPolicies beside them):
 * the input's pods plus hypothetical pods and namespaces built from every selector of both
 * kinds, one address per region that ipBlocks and `networks` cut (one IPv4 and one IPv6
 * address for a family nothing cuts), every node address, and one port per region of the port
 * space. `extra` adds the selectors, CIDRs and ports of policies that are not in the cluster
 * (e.g. the other side of a rewrite).
 */
export function tierUniverse(cluster: Cluster, extra: readonly ClusterPolicy[] = [], opts: { maxPods?: number } = {}): TierUniverse {
  const cps = [...(cluster.clusterPolicies ?? []), ...extra];
  const np = collectSelectors(cluster.policies);
  const tier = withTierSelectors({ pod: [], namespace: [] }, cps);
  const h = hypotheticals(cluster, { pod: [...np.pod, ...tier.pod], namespace: [...np.namespace, ...tier.namespace] }, { maxPods: opts.maxPods ?? 200 });
  const world: Cluster = { ...cluster, namespaces: [...cluster.namespaces, ...h.namespaces], pods: [...cluster.pods, ...h.pods] };
  const cidrs = cps.flatMap((p) => [...p.ingress, ...p.egress]).flatMap((r) => r.peers).flatMap((peer) => (peer.kind === 'networks' ? peer.cidrs : []));
  const ips = externalRegions(cluster.policies, cidrs.map((cidr) => ({ cidr, except: [] }))).map((r) => r.ip);
  if (!ips.some((ip) => !ip.includes(':'))) ips.push('1.1.1.1');
  if (!ips.some((ip) => ip.includes(':'))) ips.push('2001:db8::1');
  const nodeIps = (cluster.nodes ?? []).flatMap((n) => n.addresses);
  ips.push(...nodeIps);
  return {
    world,
    endpoints: [...representatives(world, [...np.pod, ...tier.pod], [...ipBlocksOf(cluster.policies).flatMap((b) => [b.cidr, ...b.except]), ...cidrs, ...nodeIps]).map((pod) => ({ kind: 'pod' as const, pod })),
      ...[...new Set(ips)].map((ip) => ({ kind: 'ip' as const, ip }))],
    ports: representativePorts([...cluster.policies, ...cps], world),
  };
}

/**
 * Two pods per kind of pod the policies cannot tell apart (two, so that a connection between two
 * such pods is still a witness; one pod reaching itself is not policed). Policies see a pod's
 * namespace, the labels their pod selectors read, declared ports (named ports), hostNetwork and
 * node (node peers), and its IPs only through the CIDRs and node addresses containing them.
 */
function representatives(world: Cluster, podSelectors: readonly LabelSelector[], cidrs: readonly string[]): Pod[] {
  // Only the label keys some pod selector reads can tell pods apart.
  const keys = new Set(podSelectors.flatMap((s) => [...Object.keys(s.matchLabels), ...s.matchExpressions.map((e) => e.key)]));
  const ranges = [...new Set(cidrs)].map((c) => parseCidr(c) ?? parseCidr(`${c}/${c.includes(':') ? 128 : 32}`)).filter((r): r is IpRange => r !== undefined);
  const ipKey = (ip: string) => {
    const a = parseIp(ip);
    return a ? `${a.family}:${ranges.flatMap((r, i) => (rangeContains(r, a) ? [i] : [])).join(',')}` : `?${ip}`;
  };
  const seen = new Map<string, number>();
  return world.pods.filter((p) => {
    const key = JSON.stringify([p.namespace, Object.entries(p.labels).filter(([k]) => keys.has(k)).sort(), p.ports, p.hostNetwork, p.hostNetwork ? p.nodeName ?? '' : '', p.ips.map(ipKey).sort()]);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n < 2;
  });
}
