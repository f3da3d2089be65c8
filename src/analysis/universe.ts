// Representative endpoints for questions about "any pod, any namespace, any address":
// hypothetical namespaces and pods built from the labels the policies' selectors mention, and
// one address per region of the IP space that the ipBlocks cut out. Evaluating policies on these
// finds every selector or CIDR difference that a finite set of label values can reveal.
import { formatIp, parseCidr, type IpRange } from '../net/ip.js';
import { NAMESPACE_NAME_LABEL, type Cluster, type LabelSelector, type Labels, type Namespace, type NetworkPolicy, type Pod } from '../model/types.js';

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
  /** How outputs name it: the region's CIDR when the region starts there, else the address. */
  label: string;
}

/**
 * One address per region of the IP space cut by every cidr and except in the policies: each
 * region starts at 0, at the first address of a range, or just after the last one.
 */
export function externalRegions(policies: readonly NetworkPolicy[]): ExternalRegion[] {
  const ranges: { text: string; range: IpRange }[] = [];
  for (const p of policies) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const peer of r.peers) {
        if (!peer.ipBlock) continue;
        for (const text of [peer.ipBlock.cidr, ...peer.ipBlock.except]) {
          const range = parseCidr(text);
          if (range) ranges.push({ text, range });
        }
      }
    }
  }
  const points = new Map<string, { family: 4 | 6; value: bigint }>();
  const families = new Set(ranges.map((r) => r.range.family));
  for (const f of families) points.set(`${f}:0`, { family: f, value: f === 4 ? 0x01010101n : 0x20010db8n << 96n });
  for (const { range } of ranges) {
    points.set(`${range.family}:${range.first}`, { family: range.family, value: range.first });
    const max = range.family === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n;
    if (range.last < max) points.set(`${range.family}:${range.last + 1n}`, { family: range.family, value: range.last + 1n });
  }
  const out: ExternalRegion[] = [];
  const seen = new Set<string>();
  const sorted = [...points.values()].sort((a, b) => a.family - b.family || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  for (const pt of sorted) {
    const containing = ranges
      .filter((r) => r.range.family === pt.family && pt.value >= r.range.first && pt.value <= r.range.last)
      .sort((a, b) => (a.range.last - a.range.first < b.range.last - b.range.first ? -1 : 1));
    const ip = formatIp(pt);
    if (seen.has(ip)) continue;
    seen.add(ip);
    const inner = containing[0];
    out.push({ ip, region: inner?.text ?? 'outside every ipBlock', label: inner && inner.range.first === pt.value ? inner.text : ip });
  }
  return out;
}
