// The fast engine. Pods that no selector, named port or ipBlock can tell apart share a class
// (state.ts); policy targets and peers are deduplicated into groups whose members are resolved
// once (groups.ts), and isolation is counted per target group, never per selected class. Rows are computed from cached per-group unions
// (rows.ts); changes update only what they touch (changes.ts). Semantics match the readable
// Evaluator's boolean answer (src/evaluate/evaluate.ts); test/matrix holds it to that.
import type { Cluster, ClusterPolicy, Labels, NetworkPolicy, Node, Pod, Protocol } from '../model/types.js';
import { NAMESPACE_NAME_LABEL, policyId, podId } from '../model/types.js';
import { peerCoversNamespace, peerSelectsPod, type IpBlockPods } from '../match/peer.js';
import { clearBit, newBits, popcount, setBit, type Bits } from './bitset.js';
import { EVERY } from './groups.js';
import { Rows } from './rows.js';
import type { PortAtoms } from './port-atoms.js';
import { rowPodPairs } from './pod-pairs.js';
import { selectorKey, type GroupSpec } from './select.js';
import { boundaries, ClassEntry, classKeyOf, Tables, type PodClass, type PolicyState } from './state.js';
import { TierState } from './tiers.js';
import * as changes from './changes.js';
import type { Change } from './changes.js';

export type { Change } from './changes.js';
export type { PodClass } from './state.js';

export interface ReachabilityOptions {
  /** 'depends' answers like 'ignore' here: a 'depends' verdict is not an allow. */
  ipBlockPods?: IpBlockPods;
  /**
   * With ipBlockPods 'match': count a pod without a known IP inside every ipBlock. Verdicts are
   * monotone in peer matches, so this run and an 'ignore' run bound what any IP and any plugin
   * could give; cells where they differ are the ones that depend (matrix.ts).
   */
  podsWithoutIpMatchBlocks?: boolean;
}

export interface EngineStats {
  pods: number;
  classes: number;
  groups: number;
  policies: number;
  portAtoms: number;
  rawPortAtoms: number;
  ipAtoms: number;
  rowsComputed: number;
  pairQueries: number;
  rebuilds: number;
}

export class Reachability implements changes.Engine {
  /** @internal */ t!: Tables;
  /** @internal */ rows!: Rows;
  readonly useIp: boolean;
  private readonly unknownIpMatches: boolean;
  private readonly nsLabels = new Map<string, Labels>();
  /** @internal Admin/Baseline tier policies (tiers.ts); empty: the NetworkPolicy layer alone. */
  clusterPolicies: readonly ClusterPolicy[];
  private readonly nodes: readonly Node[];
  /** @internal */ rebuilds = 0;

  constructor(cluster: Cluster, options: ReachabilityOptions = {}) {
    this.clusterPolicies = cluster.clusterPolicies ?? [];
    this.nodes = cluster.nodes ?? [];
    this.useIp = (options.ipBlockPods ?? 'match') === 'match';
    this.unknownIpMatches = this.useIp && !!options.podsWithoutIpMatchBlocks;
    for (const n of cluster.namespaces) this.nsLabels.set(n.name, n.labels);
    this.rebuild(cluster.pods, cluster.policies);
    this.rebuilds = 0;
  }

  get stats(): EngineStats {
    const t = this.t;
    let classes = 0;
    for (const c of t.classes) if (c.alive) classes++;
    return {
      pods: t.podIndex.size, classes, groups: t.groups.size - 1, policies: t.policyByName.size,
      portAtoms: t.ports.count, rawPortAtoms: t.ports.rawAtoms, ipAtoms: t.ip?.count ?? 0,
      rowsComputed: this.rows.rowsComputed, pairQueries: this.rows.pairQueries, rebuilds: this.rebuilds,
    };
  }

  // ---- building -------------------------------------------------------------------------

  /** @internal Everything from scratch: the boundaries (keys, port atoms, IP atoms) may have moved. */
  rebuild(pods: readonly Pod[], policies: readonly NetworkPolicy[]): void {
    this.rebuilds++;
    const { keys, names, ports, ip } = boundaries(pods, policies, this.useIp, this.clusterPolicies);
    this.t = new Tables(this.nsLabels, keys, names, ports, ip);
    this.t.unknownIpMatches = this.unknownIpMatches;
    this.t.tiers = this.tierState();
    this.rows = new Rows(this.t);
    for (const pod of pods) this.insertPod(pod);
    for (const p of policies) this.applyPolicy(p);
  }

  /** @internal The tier tables for the current classes and port atoms (undefined without tier policies). */
  tierState(keep?: TierState): TierState | undefined {
    if (!this.clusterPolicies.length && !keep) return undefined;
    const t = this.t;
    return new TierState(this.clusterPolicies, this.nodes, (ns) => this.nsLabelsOf(ns), (c) => t.pods[t.classes[c]!.pods.values().next().value!]!, t.classes, t.ports, keep?.addressPeers);
  }

  private nsLabelsOf(ns: string): Labels {
    return this.nsLabels.get(ns) ?? { [NAMESPACE_NAME_LABEL]: ns };
  }

  /** @internal Adds a pod to its class, creating the class (and its memberships) when new. */
  insertPod(pod: Pod): { index: number; cls: number; created: boolean } {
    const t = this.t;
    const index = t.pods.length;
    t.pods.push(pod);
    t.podIndex.set(podId(pod), index);
    const k = classKeyOf(t, pod);
    let cls = t.classByKey.get(k.key);
    let created = false;
    if (cls === undefined) {
      created = true;
      cls = t.classes.length;
      if (!t.nsNames.has(pod.namespace)) {
        t.nsNames.add(pod.namespace);
        t.nsSelCache.clear();
      }
      const c = new ClassEntry(cls, pod.namespace, pod, t.relevantKeys, k.named, k.ipAtoms, k.unknownIp, k.key);
      t.classes.push(c);
      t.classByKey.set(k.key, cls);
      t.index.add(cls, pod.namespace, pod.labels, k.pairs);
      if (k.ipAtoms.length || k.unknownIp) t.ipClasses.push(cls);
      this.ensureCapacity();
      setBit(t.alive, cls);
      this.rows.classesChanged();
      // Joining existing groups is all: isolation and selecting policies are read through them.
      t.groups.addClass(cls, pod.namespace, (spec) => this.matches(spec, c));
    }
    t.classes[cls]!.pods.add(index);
    t.podClass.push(cls);
    t.multi = undefined;
    return { index, cls, created };
  }

  /** @internal The last pod of a class left: drop the class from its groups. */
  dropClass(cls: number): void {
    const t = this.t, c = t.classes[cls]!;
    c.alive = false;
    t.classByKey.delete(c.key);
    clearBit(t.alive, cls);
    t.groups.removeClass(cls);
    this.rows.classesChanged();
  }

  private ensureCapacity(): void {
    const t = this.t;
    if (t.classes.length <= t.cap) return;
    t.cap = Math.max(64, t.cap * 2, t.classes.length);
    const alive = newBits(t.cap);
    alive.set(t.alive);
    t.alive = alive;
    t.groups.dropBits();
  }

  private matches(spec: GroupSpec, c: ClassEntry): boolean {
    const ip = this.t.ip;
    if (spec.ipBlocks) return !!ip && (c.unknownIp || (c.ipAtoms.length > 0 && spec.ipBlocks.some((b) => ip.matcher(b)(c.ipAtoms))));
    // The class's first pod: its labels agree with the class's on every key a selector reads.
    return peerSelectsPod(spec, spec.scopeNs, c.namespace, this.nsLabelsOf(c.namespace), c.first.labels);
  }

  private namespacesFor(spec: GroupSpec): string[] {
    if (spec.scopeNs !== undefined) return [spec.scopeNs];
    const t = this.t, key = selectorKey(spec.namespaceSelector);
    let hit = t.nsSelCache.get(key);
    if (!hit) {
      hit = [...t.nsNames].filter((ns) => peerCoversNamespace(spec, undefined, ns, this.nsLabelsOf(ns)));
      t.nsSelCache.set(key, hit);
    }
    return hit;
  }

  /** @internal The group of the pods a policy selects (created if new). */
  targetGroup(p: NetworkPolicy): number {
    return this.group({ scopeNs: p.namespace, podSelector: p.podSelector });
  }

  /** @internal The group of the pods a non-ipBlock peer of a policy in `policyNs` selects (created if new). */
  peerGroup(policyNs: string, peer: NetworkPolicy['ingress'][number]['peers'][number]): number {
    return peer.namespaceSelector ? this.group({ namespaceSelector: peer.namespaceSelector, podSelector: peer.podSelector }) : this.group({ scopeNs: policyNs, podSelector: peer.podSelector });
  }

  private group(spec: GroupSpec): number {
    const t = this.t;
    if (spec.ipBlocks) {
      const ip = t.ip;
      if (!ip) return t.groups.resolve(spec, () => [], () => false);
      // Only classes with covered IP atoms can be in an ipBlock group: the atoms of those classes
      // that some block of the group holds are found once, block by block (ip-atoms.ts).
      let held = new Set<number>();
      const blocks = ip.slotsOf(spec.ipBlocks);
      const candidates = () => {
        const atoms = new Set<number>();
        for (const c of t.ipClasses) for (const a of t.classes[c]!.ipAtoms) atoms.add(a);
        held = ip.heldAtoms(blocks, [...atoms].sort((a, b) => a - b));
        return t.ipClasses;
      };
      const holds = (c: PodClass) => c.alive && (c.unknownIp || c.ipAtoms.some((a) => held.has(a)));
      return t.groups.resolve(spec, candidates, (c) => holds(t.classes[c]!), ip.listKey(blocks));
    }
    // The key is groupKey's, with the podSelector's part from label ids (no per-pair strings).
    const key = `sel:${spec.scopeNs ?? '*'}:${spec.namespaceSelector ? selectorKey(spec.namespaceSelector) : '-'}:${t.index.ids.podSelectorKey(spec.podSelector)}`;
    return t.groups.resolve(spec, () => t.index.candidates(spec.podSelector, this.namespacesFor(spec)), (c) => t.classes[c]!.alive && this.matches(spec, t.classes[c]!), key);
  }

  private peerGroups(p: NetworkPolicy, peers: NetworkPolicy['ingress'][number]['peers']): number[] {
    if (peers.length === 0) return [EVERY];
    // The rule's ipBlock peers become one group (B4a: 5,000 per rule would be 5,000 groups).
    const blocks = peers.flatMap((peer) => (peer.ipBlock ? [peer.ipBlock] : []));
    const out = blocks.length ? [this.group({ ipBlocks: blocks })] : [];
    for (const peer of peers) {
      if (peer.ipBlock) continue;
      if (peer.namespaceSelector) out.push(this.group({ namespaceSelector: peer.namespaceSelector, podSelector: peer.podSelector }));
      else out.push(this.group({ scopeNs: p.namespace, podSelector: peer.podSelector }));
    }
    return out;
  }

  /** @internal */
  applyPolicy(p: NetworkPolicy): PolicyState {
    const t = this.t;
    const inIso = p.policyTypes.includes('Ingress');
    const egIso = p.policyTypes.includes('Egress');
    const rules = (rs: NetworkPolicy['ingress']) => rs.map((r) => ({ groups: this.peerGroups(p, r.peers), set: t.ports.setOf(r.ports)! }));
    const st: PolicyState = {
      id: t.policies.length, policy: p, alive: true,
      target: this.group({ scopeNs: p.namespace, podSelector: p.podSelector }),
      inIso, egIso, inRules: inIso ? rules(p.ingress) : [], egRules: egIso ? rules(p.egress) : [],
    };
    t.policies.push(st);
    t.policyByName.set(policyId(p), st.id);
    const list = t.targetsOf.get(st.target);
    if (list) list.push(st.id);
    else t.targetsOf.set(st.target, [st.id]);
    st.inRules.forEach((r, i) => { for (const g of r.groups) t.groups.get(g).namedBy.push({ pol: st.id, rule: i }); });
    this.count(st, 1);
    this.rows.policyChanged(st.target, st.inRules);
    return st;
  }

  private count(st: PolicyState, delta: number): void {
    const t = this.t;
    if (st.inIso) t.inIsoOf[st.target] = (t.inIsoOf[st.target] ?? 0) + delta;
    if (st.egIso) t.egIsoOf[st.target] = (t.egIsoOf[st.target] ?? 0) + delta;
  }

  /** @internal */
  removePolicyState(st: PolicyState): void {
    if (!st.alive) return;
    const t = this.t;
    st.alive = false;
    for (const r of st.inRules) for (const g of r.groups) {
      const group = t.groups.get(g);
      group.namedBy = group.namedBy.filter((x) => x.pol !== st.id);
    }
    this.count(st, -1);
    this.rows.policyChanged(st.target, st.inRules);
  }

  // ---- incremental updates (changes.ts) -------------------------------------------------------

  /** Adds a policy, or replaces the one of the same namespace/name. */
  upsertPolicy(p: NetworkPolicy): Change {
    return changes.upsertPolicy(this, p);
  }

  removePolicy(namespace: string, name: string): Change {
    return changes.removePolicy(this, namespace, name);
  }

  /** Adds a tier policy (ClusterNetworkPolicy, ANP, BANP), or replaces the one of the same kind and name. */
  upsertClusterPolicy(p: ClusterPolicy): Change {
    return changes.upsertClusterPolicy(this, p);
  }

  removeClusterPolicy(kind: ClusterPolicy['kind'], name: string): Change {
    return changes.removeClusterPolicy(this, kind, name);
  }

  /** Adds a pod. Joining an existing class changes no class row; a new class gets its row and column. */
  addPod(pod: Pod): Change & { cls: number } {
    return changes.addPod(this, pod);
  }

  removePod(namespace: string, name: string): Change {
    return changes.removePod(this, namespace, name);
  }

  /** Recomputes what a change touched; returns how many rows and column cells were recomputed. */
  recompute(change: Change, onRow?: (s: number, row: Bits[]) => void): { rows: number; cells: number } {
    return changes.recompute(this, change, onRow);
  }

  // ---- queries ------------------------------------------------------------------------------

  liveClassIds(): number[] {
    return this.t.liveClassIds();
  }

  get classes(): readonly PodClass[] {
    return this.t.classes;
  }

  get atomClasses(): number {
    return this.t.ports.count;
  }

  /** The port atoms rows are indexed by (per protocol: port ranges and their atom class). */
  get portAtoms(): PortAtoms {
    return this.t.ports;
  }

  /** Atom class of a concrete port, for indexing rows. */
  atomOf(protocol: Protocol, port: number): number {
    return this.t.ports.classOf(protocol, port);
  }

  classOfPod(namespace: string, name: string): number | undefined {
    const i = this.t.podIndex.get(`${namespace}/${name}`);
    return i === undefined ? undefined : this.t.podClass[i];
  }

  podIndexOf(namespace: string, name: string): number | undefined {
    return this.t.podIndex.get(`${namespace}/${name}`);
  }

  classOfIndex(i: number): number {
    return this.t.podClass[i]!;
  }

  /** NetworkPolicy isolation (the middle layer; tier policies never isolate). */
  isolated(c: number): { ingress: boolean; egress: boolean } {
    return { ingress: this.t.isolation(c, true) > 0, egress: this.t.isolation(c, false) > 0 };
  }

  /** Tier policies with rules for this direction that select class c (none without tiers). */
  tierSubject(c: number, direction: 'ingress' | 'egress'): boolean {
    return !!this.t.tiers?.isSubject(c, direction);
  }

  /** The per-class allow sets: the live policies selecting the class; their rules name peer groups. */
  policiesSelecting(c: number): readonly NetworkPolicy[] {
    return this.t.selecting(c).map((p) => this.t.policies[p]!.policy);
  }

  groupMembers(g: number): readonly number[] {
    return g === EVERY ? this.liveClassIds() : this.t.groups.get(g).members;
  }

  /** May a pod of class s open a connection to a pod of class d (not the same pod) on atom class k? */
  classAllowed(s: number, d: number, k: number): boolean {
    return this.rows.classAllowed(s, d, k);
  }

  /** Pod-level answer, as Evaluator.allowed with a numeric port. */
  podAllowed(from: number, to: number, port: number, protocol: Protocol): boolean {
    if (from === to) return true;
    const t = this.t;
    return this.rows.classAllowed(t.podClass[from]!, t.podClass[to]!, t.ports.classOf(protocol, port));
  }

  /**
   * One class row: for each atom class k, the destination classes that pods of class s may
   * reach on ports of k. Returns internal buffers, valid until the next call.
   */
  row(s: number): Bits[] {
    return this.rows.row(s);
  }

  /** Is `bits` a part of the last row() known to hold every live class (a reader may skip scanning it)? */
  rowPartHoldsAll(bits: Bits): boolean {
    return this.rows.isFullPart(bits);
  }

  /** Ordered pod pairs (distinct pods) from every pod of class s that a row allows on one atom class. */
  rowPodPairs(s: number, bits: Bits): number {
    // A row part holding every live class reaches every other live pod.
    if (this.rows.isFullPart(bits)) return (this.t.podIndex.size - 1) * this.t.classes[s]!.pods.size;
    return rowPodPairs(this.t, s, bits);
  }

  /** Allowed class pairs of one row on one atom class. */
  static rowClassPairs(bits: Bits): number {
    return popcount(bits);
  }
}

/** Builds the class-level reachability of a cluster (see Reachability). */
export function buildReachability(cluster: Cluster, options: ReachabilityOptions = {}): Reachability {
  return new Reachability(cluster, options);
}
