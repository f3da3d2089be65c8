// The `depends` part of `netpol list`: the port ranges whose verdict hinges on what the API
// leaves to the network plugin (or the manifests do not state), per pair of the list's ends.
// Same definition as the matrix (src/matrix/matrix.ts): verdicts are monotone in which peers
// match, so the list with no ipBlock matching any pod ('ignore') and the list where every
// ipBlock that could cover a pod does (its IP inside, or no IP known) bound every plugin's and
// every IP's answer; where they differ, it depends. Pairs with a hostNetwork pod on either end
// depend on every port (NetworkPolicy behaviour for hostNetwork pods is undefined).
// Computed on pods (their ids do not move between modes), then gathered onto the list's ends.
import { hostNetworkReason } from '../../evaluate/evaluate.js';
import { ipReasoner } from '../../matrix/matrix.js';
import { ipBlocksOf, PROTOCOLS, type Cluster, type Pod } from '../../model/types.js';
import { emptyRanges, endMatches, hasAny, intersect, listConnections, normalize, portFilterRanges, type ConnectionList, type ListEnd, type ListOptions, type PortRanges } from './list.js';

export interface ListDepends {
  from: string | string[];
  to: string | string[];
  /** The ports of this pair whose verdict hinges, per protocol. */
  ports: PortRanges;
  reason: string;
}

const ALL = (): PortRanges => ({ TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] });

/** a minus b, both sorted and merged. */
export function subtractRanges(a: readonly [number, number][], b: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [lo, hi] of a) {
    let start = lo;
    for (const [blo, bhi] of b) {
      if (bhi < start || blo > hi) continue;
      if (blo > start) out.push([start, blo - 1]);
      start = Math.max(start, bhi + 1);
    }
    if (start <= hi) out.push([start, hi]);
  }
  return out;
}

const MAX_REASONS = 3;

export function listDepends(cluster: Cluster, list: ConnectionList, options: ListOptions = {}): ListDepends[] {
  const hasBlocks = ipBlocksOf(cluster.policies).length > 0;
  const hostPods = cluster.pods.filter((p) => p.hostNetwork);
  if (!hasBlocks && hostPods.length === 0) return [];

  const endOf = new Map<Pod, ListEnd>();
  for (const e of list.ends) for (const p of e.pods) endOf.set(p, e);
  const externals = list.ends.filter((e) => e.kind === 'external');
  const from = options.from ?? [], to = options.to ?? [], ports = options.ports ?? [];
  const keep = (a: ListEnd, b: ListEnd) => (from.length === 0 || from.some((f) => endMatches(f, a))) && (to.length === 0 || to.some((f) => endMatches(f, b)));

  const pairs = new Map<string, { from: ListEnd; to: ListEnd; ports: PortRanges; reasons: Set<string> }>();
  const add = (a: ListEnd, b: ListEnd, r: PortRanges, reason: string) => {
    if (!keep(a, b)) return;
    let range = r;
    if (ports.length) {
      const f = portFilterRanges(ports, b);
      range = emptyRanges();
      for (const p of PROTOCOLS) range[p] = intersect(r[p], f[p]);
    }
    if (!hasAny(range)) return;
    const key = `${JSON.stringify(a.id)}>${JSON.stringify(b.id)}`;
    let x = pairs.get(key);
    if (!x) pairs.set(key, (x = { from: a, to: b, ports: emptyRanges(), reasons: new Set() }));
    for (const p of PROTOCOLS) x.ports[p] = normalize([...x.ports[p], ...range[p]]);
    x.reasons.add(reason);
  };

  let ipReason: ReturnType<typeof ipReasoner> | undefined;
  if (hasBlocks) {
    const podOpts: ListOptions = { by: 'pod' };
    const lower = listConnections(cluster, { ...podOpts, ipBlockPods: 'ignore' });
    const upper = listConnections(cluster, { ...podOpts, ipBlockPods: 'match', podsWithoutIpMatchBlocks: true });
    const key = (a: ListEnd, b: ListEnd) => `${a.id}>${b.id}`;
    const low = new Map(lower.connections.map((c) => [key(c.from, c.to), c.allowed]));
    for (const c of upper.connections) {
      if (c.from.kind === 'external' || c.to.kind === 'external') continue; // an address is certain
      const base = low.get(key(c.from, c.to)) ?? emptyRanges();
      const diff = emptyRanges();
      for (const p of PROTOCOLS) diff[p] = subtractRanges(c.allowed[p], base[p]);
      if (!hasAny(diff)) continue;
      const a = c.from.pods[0]!, b = c.to.pods[0]!;
      const ea = endOf.get(a), eb = endOf.get(b);
      if (ea && eb) add(ea, eb, diff, (ipReason ??= ipReasoner(cluster))(a, b));
    }
  }
  for (const h of hostPods) {
    const eh = endOf.get(h);
    if (!eh) continue;
    for (const q of cluster.pods) {
      if (q === h) continue;
      const eq = endOf.get(q);
      if (!eq) continue;
      add(eh, eq, ALL(), hostNetworkReason(h));
      add(eq, eh, ALL(), hostNetworkReason(h));
    }
    for (const x of externals) {
      add(eh, x, ALL(), hostNetworkReason(h));
      add(x, eh, ALL(), hostNetworkReason(h));
    }
  }
  const order = new Map(list.ends.map((e, i) => [e, i]));
  return [...pairs.values()]
    .sort((x, y) => order.get(x.from)! - order.get(y.from)! || order.get(x.to)! - order.get(y.to)!)
    .map((x) => {
      const reasons = [...x.reasons];
      const reason = reasons.slice(0, MAX_REASONS).join('; ') + (reasons.length > MAX_REASONS ? `; and ${reasons.length - MAX_REASONS} more` : '');
      return { from: x.from.id, to: x.to.id, ports: x.ports, reason };
    });
}

/** The list without the port ranges that hinge (what `--ipblock-pods depends` shows); pairs left with nothing drop out. */
export function certainOnly(list: ConnectionList, depends: readonly ListDepends[]): ConnectionList {
  const key = (from: ListEnd['id'], to: ListEnd['id']) => `${JSON.stringify(from)}>${JSON.stringify(to)}`;
  const byPair = new Map(depends.map((d) => [key(d.from, d.to), d.ports]));
  const connections = list.connections.flatMap((c) => {
    const dep = byPair.get(key(c.from.id, c.to.id));
    if (!dep) return [c];
    const allowed = emptyRanges();
    for (const p of PROTOCOLS) allowed[p] = subtractRanges(c.allowed[p], dep[p]);
    return hasAny(allowed) ? [{ ...c, allowed }] : [];
  });
  return { ...list, connections };
}
