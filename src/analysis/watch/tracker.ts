// Reachability as objects change, for `netpol watch`: the incremental engine (src/matrix) kept
// up to date one event at a time, and the pod pairs whose verdict each event flipped.
//
// Contract: a change is reported for ordered pairs of distinct pods that exist both before and
// after the event (a pod's arrival or departure is not itself a reachability change), on every
// probe (port/protocol; a named probe resolves on the destination). Verdicts are the engine's:
// ipBlocks match pod IPs (the default of every command). A pod or policy event recomputes only
// the pairs it can touch (the pod; the pods the old and new policy select); a Namespace event,
// or a relist after a gap, rebuilds the engine and compares every pair class by class.
import { selectorMatches } from '../../match/selector.js';
import { buildReachability, type Reachability } from '../../matrix/engine.js';
import { declaredProbes, resolveProbePort, type Probe } from '../../matrix/ports.js';
import { podId, policyId, type Cluster, type ClusterPolicy, type Namespace, type NetworkPolicy, type Node, type Pod, type Protocol } from '../../model/types.js';

/** Every pod in `from` to every pod in `to` (distinct pods) flipped on this port: pods of one
 *  class flip together, so a change that flips thousands of pairs stays a few blocks. */
export interface PairChange {
  from: string[];
  to: string[];
  port: number;
  protocol: Protocol;
}

export interface Flips {
  opened: PairChange[];
  closed: PairChange[];
}

export class LiveReachability {
  private namespaces = new Map<string, Namespace>();
  private pods = new Map<string, Pod>();
  private policies = new Map<string, NetworkPolicy>();
  /** Tier policies by `kind/name`, and Nodes by name: a change to either rebuilds (see clusterPolicy). */
  private clusterPolicies = new Map<string, ClusterPolicy>();
  private nodes = new Map<string, Node>();
  private engine!: Reachability;
  private probes: Probe[] = [];
  private probeKeys = new Set<string>();

  constructor(cluster: Cluster, private readonly fixedProbes?: readonly Probe[]) {
    this.reset(cluster);
  }

  /** The engine's counters (rebuilds: how often an event needed new boundaries). */
  get stats(): { rebuilds: number } {
    return { rebuilds: this.engine.stats.rebuilds };
  }

  get size(): { pods: number; policies: number; clusterPolicies: number; nodes: number; namespaces: number; probes: number } {
    return { pods: this.pods.size, policies: this.policies.size, clusterPolicies: this.clusterPolicies.size, nodes: this.nodes.size, namespaces: this.namespaces.size, probes: this.probes.length };
  }

  get cluster(): Cluster {
    return {
      namespaces: [...this.namespaces.values()], pods: [...this.pods.values()], policies: [...this.policies.values()], workloads: [],
      ...(this.clusterPolicies.size ? { clusterPolicies: [...this.clusterPolicies.values()] } : {}),
      ...(this.nodes.size ? { nodes: [...this.nodes.values()] } : {}),
    };
  }

  private reset(cluster: Cluster): void {
    this.namespaces = new Map(cluster.namespaces.map((n) => [n.name, n]));
    this.pods = new Map(cluster.pods.map((p) => [podId(p), p]));
    this.policies = new Map(cluster.policies.map((p) => [policyId(p), p]));
    this.clusterPolicies = new Map((cluster.clusterPolicies ?? []).map((p) => [`${p.kind}/${p.name}`, p]));
    this.nodes = new Map((cluster.nodes ?? []).map((n) => [n.name, n]));
    this.engine = buildReachability(cluster);
    this.probes = [];
    this.probeKeys.clear();
    this.addProbes(this.fixedProbes ?? declaredProbes(cluster));
    if (this.probes.length === 0) this.addProbes([{ port: 80, protocol: 'TCP' }]);
    this.reindex();
    this.byNs = new Map();
    for (const p of cluster.pods) this.nsSet(p.namespace).add(podId(p));
  }

  private addProbes(probes: readonly Probe[]): void {
    for (const p of probes) {
      const k = `${p.port}/${p.protocol}`;
      if (!this.probeKeys.has(k)) { this.probeKeys.add(k); this.probes.push(p); }
    }
  }

  // ---- events ---------------------------------------------------------------------------------

  /** A pod added, changed (labels, IPs, ports) or deleted (pod undefined). */
  pod(namespace: string, name: string, pod: Pod | undefined): Flips {
    const id = `${namespace}/${name}`;
    const old = this.pods.get(id);
    if (old && pod && samePod(old, pod)) return NO_FLIPS; // status-only updates
    if (pod && !this.fixedProbes) this.addProbes(declaredProbes({ namespaces: [], pods: [pod], policies: [], workloads: [] }));
    const e = this.engine;
    const oldIndex = old ? e.podIndexOf(namespace, name)! : -1;
    // Only a pod on both sides has pairs on both sides; its arrival or departure flips nothing.
    const before = old && pod ? this.before(new Set([e.classOfIndex(oldIndex)])) : undefined;
    if (old) {
      e.recompute(e.removePod(namespace, name));
      this.idOf.delete(oldIndex);
    }
    let rebuilt = false;
    if (pod) {
      this.pods.set(id, pod);
      this.nsSet(namespace).add(id);
      const change = e.addPod(pod);
      e.recompute(change);
      if (change.rebuilt) { rebuilt = true; this.reindex(); } else this.idOf.set(e.podIndexOf(namespace, name)!, id);
    } else {
      this.pods.delete(id);
      this.byNs.get(namespace)?.delete(id);
    }
    return before ? this.after(before, rebuilt, { id, oldIndex, newIndex: e.podIndexOf(namespace, name)! }) : NO_FLIPS;
  }

  /** A policy added, changed or deleted (policy undefined). */
  policy(namespace: string, name: string, policy: NetworkPolicy | undefined): Flips {
    const id = `${namespace}/${name}`;
    const old = this.policies.get(id);
    if (!old && !policy) return NO_FLIPS;
    // The pods it can touch: those of its namespace the old or the new policy selects, by their
    // own labels (a class keeps only the label keys today's policies use; a new policy may use others).
    const selects = (p: NetworkPolicy | undefined, pod: Pod) => !!p && selectorMatches(p.podSelector, pod.labels);
    const e = this.engine;
    const touched = new Set<number>();
    for (const pid of this.byNs.get(namespace) ?? []) {
      const pod = this.pods.get(pid)!;
      if (selects(old, pod) || selects(policy, pod)) touched.add(e.classOfIndex(e.podIndexOf(pod.namespace, pod.name)!));
    }
    const before = this.before(touched);
    const change = policy ? e.upsertPolicy(policy) : e.removePolicy(namespace, name);
    if (policy) this.policies.set(id, policy);
    else this.policies.delete(id);
    e.recompute(change);
    if (change.rebuilt) this.reindex();
    return this.after(before, change.rebuilt);
  }

  /**
   * A tier policy (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy) added,
   * changed or deleted. Its subjects and peers reach across namespaces and its rules reorder by
   * priority, so the engine is rebuilt and every class pair compared (as for a Namespace).
   */
  clusterPolicy(kind: ClusterPolicy['kind'], name: string, policy: ClusterPolicy | undefined): Flips {
    const key = `${kind}/${name}`;
    if (!policy && !this.clusterPolicies.has(key)) return NO_FLIPS;
    const next = new Map(this.clusterPolicies);
    if (policy) next.set(key, policy);
    else next.delete(key);
    return this.replace({ ...this.cluster, clusterPolicies: [...next.values()] });
  }

  /** A Node added, changed or deleted: `nodes` peers and hostNetwork pods read its labels and addresses. */
  node(name: string, node: Node | undefined): Flips {
    const old = this.nodes.get(name);
    if (!old && !node) return NO_FLIPS;
    if (old && node && sameLabels(old.labels, node.labels) && old.addresses.join() === node.addresses.join()) { this.nodes.set(name, node); return NO_FLIPS; }
    const next = new Map(this.nodes);
    if (node) next.set(name, node);
    else next.delete(name);
    return this.replace({ ...this.cluster, nodes: [...next.values()] });
  }

  /** A Namespace added, changed or deleted: its labels feed namespaceSelectors everywhere. */
  namespace(name: string, ns: Namespace | undefined): Flips {
    const next = new Map(this.namespaces);
    if (ns) next.set(name, ns);
    else next.delete(name);
    const old = this.namespaces.get(name);
    if (old && ns && sameLabels(old.labels, ns.labels)) { this.namespaces = next; return NO_FLIPS; }
    return this.replace({ ...this.cluster, namespaces: [...next.values()] });
  }

  /** Everything at once (a relist after a watch gap): the flips across the gap. */
  replace(cluster: Cluster): Flips {
    const oldEngine = this.engine;
    const oldPods = this.pods;
    this.reset(cluster);
    return fullDiff(oldEngine, oldPods, this.engine, this.pods, this.probes);
  }

  // ---- pairs ----------------------------------------------------------------------------------
  // Pods of one engine class have the same verdicts (for distinct pods), so verdicts are taken
  // per class pair on a representative pair and only flipped class pairs become pod pairs.

  /** Engine pod index -> pod id (indices move only when the engine rebuilds). */
  private idOf = new Map<number, string>();

  /** Pod ids by namespace: a policy selects pods of its own namespace only. */
  private byNs = new Map<string, Set<string>>();

  private reindex(): void {
    this.idOf = new Map();
    for (const [id, p] of this.pods) this.idOf.set(this.engine.podIndexOf(p.namespace, p.name)!, id);
  }

  private nsSet(ns: string): Set<string> {
    let set = this.byNs.get(ns);
    if (!set) this.byNs.set(ns, (set = new Set()));
    return set;
  }

  /** Up to two pods of a class (engine indices): a pair inside a class needs two. */
  private reps(c: number): number[] {
    const out: number[] = [];
    for (const i of this.engine.classes[c]!.pods) { out.push(i); if (out.length === 2) break; }
    return out;
  }

  /** Before a change: the verdicts of the touched classes, to and from every class. */
  private before(touched: ReadonlySet<number>): Before {
    const e = this.engine;
    const verdicts = new Map<string, boolean>();
    const one = (s: number, d: number) => {
      const a = this.reps(s)[0]!, b = this.reps(d)[s === d ? 1 : 0];
      if (b === undefined) return; // a class of one pod has no pair with itself
      for (const probe of this.probes) {
        const port = resolveProbePort(probe, this.pods.get(this.idOf.get(b)!));
        if (port !== undefined) verdicts.set(`${s}>${d} ${port}/${probe.protocol}`, e.podAllowed(a, b, port, probe.protocol));
      }
    };
    const live = e.liveClassIds();
    for (const t of touched) for (const c of live) { one(t, c); if (!touched.has(c)) one(c, t); }
    // Where every pod was, in case the engine rebuilds (its indices and classes then all move).
    const classOfIndex = new Map<number, number>();
    for (const c of live) for (const i of e.classes[c]!.pods) classOfIndex.set(i, c);
    return { touched, verdicts, classOfIndex, idOf: this.idOf };
  }

  /** After the change: class pairs with a touched class on one side, compared with `before`. */
  private after(b: Before, rebuilt: boolean, moved?: { id: string; oldIndex: number; newIndex: number }): Flips {
    const e = this.engine;
    // A group: pods with the same class before and after. Its members are listed only when one of
    // its pairs flipped (a class's pods, less a pod that moved out of it); verdicts need two.
    type Group = { old: number; cls?: number; skip?: number; idx?: number[]; reps?: number[] };
    const members = (g: Group): number[] => (g.idx ??= [...e.classes[g.cls!]!.pods].filter((i) => i !== g.skip));
    const two = (g: Group): number[] => {
      if (g.reps) return g.reps;
      if (g.idx) return (g.reps = g.idx.slice(0, 2));
      const out: number[] = [];
      for (const i of e.classes[g.cls!]!.pods) { if (i !== g.skip) out.push(i); if (out.length === 2) break; }
      return (g.reps = out);
    };
    const groups: Group[] = [];
    if (!rebuilt) {
      // Classes keep their ids: each is one group, but a pod that changed class is its own.
      const oldOfMoved = moved ? b.classOfIndex.get(moved.oldIndex) : undefined;
      const changed = moved !== undefined && oldOfMoved !== e.classOfIndex(moved.newIndex);
      for (const c of e.liveClassIds()) {
        const g: Group = { old: c, cls: c, skip: changed ? moved!.newIndex : undefined };
        if (two(g).length) groups.push(g);
      }
      if (changed) groups.push({ old: oldOfMoved!, idx: [moved!.newIndex] });
    } else {
      // Rebuilt: group pods by (old class, new class), pod by pod.
      const byKey = new Map<number, Group>();
      // (The moved pod's old index left b.idOf, the same map, before the rebuild replaced it.)
      const before = moved ? [...b.idOf, [moved.oldIndex, moved.id] as const] : b.idOf;
      for (const [oldIndex, id] of before) {
        const p = this.pods.get(id);
        const old = id === moved?.id ? b.classOfIndex.get(moved.oldIndex) : b.classOfIndex.get(oldIndex);
        if (!p || old === undefined) continue;
        const i = e.podIndexOf(p.namespace, p.name)!;
        const key = old * 0x200000 + e.classOfIndex(i);
        const g = byKey.get(key);
        if (g) g.idx!.push(i);
        else byKey.set(key, { old, idx: [i] });
      }
      groups.push(...byKey.values());
    }
    const flips: Flips = { opened: [], closed: [] };
    const ids = (g: Group) => members(g).map((i) => this.idOf.get(i)!);
    const pair = (s: Group, d: Group) => {
      const z = s === d ? 1 : 0;
      const src = two(s)[0]!, dst = two(d)[z];
      if (dst === undefined) return;
      const dest = this.pods.get(this.idOf.get(dst)!);
      for (const probe of this.probes) {
        const port = resolveProbePort(probe, dest);
        if (port === undefined) continue;
        const was = b.verdicts.get(`${s.old}>${d.old} ${port}/${probe.protocol}`);
        if (was === undefined) continue; // the port moved with the pod: not a flip of this pair
        const now = e.podAllowed(src, dst, port, probe.protocol);
        if (was === now) continue;
        // s === d: every ordered pair of distinct pods of the group.
        const from = ids(s);
        (now ? flips.opened : flips.closed).push({ from, to: s === d ? from : ids(d), port, protocol: probe.protocol });
      }
    };
    // Only pairs with a touched group on one side can flip: touched x all, then the rest x touched.
    const touched = groups.filter((g) => b.touched.has(g.old));
    for (const s of touched) for (const d of groups) pair(s, d);
    for (const s of groups) if (!b.touched.has(s.old)) for (const d of touched) pair(s, d);
    return sortFlips(flips);
  }
}

interface Before {
  /** Classes (before the change) whose pods the change can touch. */
  touched: ReadonlySet<number>;
  /** `fromClass>toClass port/PROTO` -> allowed, for class pairs with a touched class. */
  verdicts: Map<string, boolean>;
  /** Engine pod index -> class, before the change. */
  classOfIndex: Map<number, number>;
  /** Engine pod index -> pod id, before the change. */
  idOf: Map<number, string>;
}

const NO_FLIPS: Flips = { opened: [], closed: [] };

const order = (a: PairChange, b: PairChange) => (a.from[0]! < b.from[0]! ? -1 : a.from[0]! > b.from[0]! ? 1 : a.to[0]! < b.to[0]! ? -1 : a.to[0]! > b.to[0]! ? 1 : a.port - b.port || (a.protocol < b.protocol ? -1 : 1));
function sortFlips(f: Flips): Flips {
  for (const c of [...f.opened, ...f.closed]) { c.from.sort(); c.to.sort(); }
  f.opened.sort(order);
  f.closed.sort(order);
  return f;
}

/** How many ordered pod pairs a block stands for. */
export function pairCount(c: PairChange): number {
  const same = c.from === c.to || (c.from.length === c.to.length && c.from.every((x, i) => x === c.to[i]));
  return c.from.length * c.to.length - (same ? c.from.length : 0);
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
}

/** What the engine reads of a pod (its class key): anything else is a status-only update. */
function samePod(a: Pod, b: Pod): boolean {
  return sameLabels(a.labels, b.labels) && a.hostNetwork === b.hostNetwork && a.ips.join() === b.ips.join()
    && JSON.stringify(a.ports) === JSON.stringify(b.ports) && a.nodeName === b.nodeName;
}

/**
 * Every pair of pods present on both sides, compared class by class: pods with the same
 * (old class, new class) have the same verdicts, so one representative pair per class pair
 * decides, and only differing class pairs are expanded into pod pairs.
 */
function fullDiff(oldE: Reachability, oldPods: Map<string, Pod>, newE: Reachability, newPods: Map<string, Pod>, probes: readonly Probe[]): Flips {
  const groups = new Map<string, { members: { id: string; pod: Pod; oi: number; ni: number }[] }>();
  for (const [id, pod] of newPods) {
    const before = oldPods.get(id);
    if (!before) continue;
    const oi = oldE.podIndexOf(before.namespace, before.name)!, ni = newE.podIndexOf(pod.namespace, pod.name)!;
    const key = `${oldE.classOfIndex(oi)} ${newE.classOfIndex(ni)}`;
    const g = groups.get(key);
    if (g) g.members.push({ id, pod, oi, ni });
    else groups.set(key, { members: [{ id, pod, oi, ni }] });
  }
  const flips: Flips = { opened: [], closed: [] };
  const list = [...groups.values()];
  for (const s of list) for (const d of list) {
    const a = s.members[0]!, b = d.members[0]!;
    for (const probe of probes) {
      // Both sides resolve a named probe on the new pod; a port that moved is a pod change.
      const port = resolveProbePort(probe, b.pod);
      if (port === undefined) continue;
      // The representative pair may be one pod with itself (always allowed): take another.
      const sa = s === d && s.members.length > 1 ? s.members[1]! : a;
      if (s === d && s.members.length === 1) continue;
      const was = oldE.podAllowed(sa.oi, b.oi, port, probe.protocol), now = newE.podAllowed(sa.ni, b.ni, port, probe.protocol);
      if (was === now) continue;
      (now ? flips.opened : flips.closed).push({ from: s.members.map((m) => m.id), to: d.members.map((m) => m.id), port, protocol: probe.protocol });
    }
  }
  return sortFlips(flips);
}
