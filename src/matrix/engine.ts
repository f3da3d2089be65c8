// The fast engine. Pods that no selector, named port or ipBlock can tell apart share a class;
// every policy is applied once per class it selects; peers are deduplicated into groups whose
// members are resolved once. A row (one source class against every destination class, per port
// atom class) is then a few bitset ORs and one AND. Semantics match the readable Evaluator's
// boolean answer (src/evaluate/evaluate.ts); the differential tests in test/matrix hold it to that.
import type { Cluster, ContainerPort, IPBlock, Labels, NetworkPolicy, Pod, PolicyPort, Protocol } from '../model/types.js';
import { NAMESPACE_NAME_LABEL, policyId, podId } from '../model/types.js';
import type { IpBlockPods } from '../match/peer.js';
import { selectorMatches } from '../match/selector.js';
import { fillBits, hasBit, newBits, orInto, andInto, setBit, clearBit, isEmpty, popcount, words, type Bits } from './bitset.js';
import { IpAtoms } from './ip-atoms.js';
import { PortAtoms, maskHas, type PortSet } from './port-atoms.js';
import { ClassIndex, groupKey, podSelectorMatches, selectorKey, selectorKeys, type GroupSpec } from './select.js';

export interface ReachabilityOptions {
  /** 'depends' answers like 'ignore' here: a 'depends' verdict is not an allow. */
  ipBlockPods?: IpBlockPods;
}

export interface PodClass {
  readonly id: number;
  readonly namespace: string;
  /** Only the labels some selector looks at. */
  readonly labels: Labels;
  /** Pod indices (into `pods`) in this class. */
  readonly pods: Set<number>;
  alive: boolean;
  /** Declared ports whose name some policy references. */
  readonly named: readonly ContainerPort[];
  readonly ipAtoms: readonly number[];
  readonly key: string;
}

interface Group {
  readonly id: number;
  readonly spec: GroupSpec;
  members: number[];
  readonly memberSet: Set<number>;
  bits?: Bits;
  /** Ingress rules naming this group as peer: (policy, rule index). Destinations are the policy's targets. */
  namedBy: { pol: number; rule: number }[];
}


interface PolicyState {
  readonly id: number;
  readonly policy: NetworkPolicy;
  readonly target: number;
  readonly inIso: boolean;
  readonly egIso: boolean;
  readonly inRules: { groups: number[]; set: PortSet }[];
  readonly egRules: { groups: number[]; set: PortSet }[];
  alive: boolean;
}

/** What a change touched: whole rows to recompute, and destination columns with the sources that may differ. */
export interface Change {
  rebuilt: boolean;
  rows: number[];
  columns: number[];
  columnSources: number[] | 'all';
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

/** Group 0 stands for "every peer" (a rule without from/to): every class is implicitly in it. */
const EVERY = 0;

export class Reachability {
  readonly pods: (Pod | undefined)[] = [];
  readonly classes: PodClass[] = [];
  private podClass: number[] = [];
  private podIndex = new Map<string, number>();
  private readonly useIp: boolean;
  private nsLabels = new Map<string, Labels>();
  private nsNames = new Set<string>();
  private nsSelCache = new Map<string, string[]>();
  private relevantKeys = new Set<string>();
  private referencedNames = new Set<string>();
  private ports!: PortAtoms;
  private ip?: IpAtoms;
  private index = new ClassIndex();
  private classByKey = new Map<string, number>();
  private groups: Group[] = [];
  private groupByKey = new Map<string, number>();
  private scopedGroups = new Map<string, number[]>();
  private globalGroups: number[] = [];
  private memberOf: number[][] = [];
  private policies: PolicyState[] = [];
  private policyByName = new Map<string, number>();
  private targetsOf = new Map<number, number[]>();
  private inIso: number[] = [];
  private egIso: number[] = [];
  /** Live policies selecting each class (any direction). */
  private selectedBy: number[][] = [];
  private cap = 0;
  private alive: Bits = newBits(0);
  private base: Bits[] | undefined;
  private tmpE: Bits[] = [];
  private tmpI: Bits[] = [];
  private tmpMask = new Uint32Array(1);
  readonly stats: EngineStats = { pods: 0, classes: 0, groups: 0, policies: 0, portAtoms: 0, rawPortAtoms: 0, ipAtoms: 0, rowsComputed: 0, pairQueries: 0, rebuilds: 0 };

  constructor(cluster: Cluster, options: ReachabilityOptions = {}) {
    this.useIp = (options.ipBlockPods ?? 'match') === 'match';
    for (const n of cluster.namespaces) this.nsLabels.set(n.name, n.labels);
    this.rebuild(cluster.pods, cluster.policies);
    this.stats.rebuilds = 0;
  }

  // ---- building -------------------------------------------------------------------------

  private rebuild(pods: readonly Pod[], policies: readonly NetworkPolicy[]): void {
    this.stats.rebuilds++;
    this.pods.length = 0;
    this.classes.length = 0;
    this.podClass = [];
    this.podIndex.clear();
    this.nsNames = new Set(this.nsLabels.keys());
    this.nsSelCache.clear();
    this.index = new ClassIndex();
    this.classByKey.clear();
    this.groups = [{ id: EVERY, spec: {}, members: [], memberSet: new Set(), namedBy: [] }];
    this.groupByKey.clear();
    this.scopedGroups.clear();
    this.globalGroups = [];
    this.memberOf = [];
    this.policies = [];
    this.policyByName.clear();
    this.targetsOf.clear();
    this.inIso = [];
    this.egIso = [];
    this.selectedBy = [];
    this.cap = 0;
    this.alive = newBits(0);
    this.base = undefined;
    // What can tell pods apart: selector keys, referenced port names, ipBlock boundaries.
    const keys = new Set<string>();
    const names = new Set<string>();
    const lists: (readonly PolicyPort[])[] = [];
    const blocks: IPBlock[] = [];
    for (const p of policies) {
      selectorKeys(p.podSelector, keys);
      for (const r of [...p.ingress, ...p.egress]) {
        lists.push(r.ports);
        for (const pp of r.ports) if (typeof pp.port === 'string') names.add(`${pp.port}/${pp.protocol}`);
        for (const peer of r.peers) {
          selectorKeys(peer.podSelector, keys);
          if (peer.ipBlock) blocks.push(peer.ipBlock);
        }
      }
    }
    this.relevantKeys = keys;
    this.referencedNames = names;
    const targets = new Map<string, ContainerPort>();
    for (const pod of pods) for (const cp of pod.ports) if (cp.name && names.has(`${cp.name}/${cp.protocol}`)) targets.set(`${cp.protocol}/${cp.containerPort}`, cp);
    this.ports = new PortAtoms(lists, [...targets.values()]);
    this.ip = this.useIp && blocks.length ? new IpAtoms(blocks) : undefined;
    for (const pod of pods) this.insertPod(pod);
    for (const p of policies) this.applyPolicy(p);
    this.refreshStats();
  }

  private refreshStats(): void {
    const s = this.stats;
    s.pods = this.podIndex.size;
    s.classes = this.classes.filter((c) => c.alive).length;
    s.groups = this.groups.length - 1;
    s.policies = this.policyByName.size;
    s.portAtoms = this.ports.count;
    s.rawPortAtoms = this.ports.rawAtoms;
    s.ipAtoms = this.ip?.count ?? 0;
  }

  private nsLabelsOf(ns: string): Labels {
    return this.nsLabels.get(ns) ?? { [NAMESPACE_NAME_LABEL]: ns };
  }

  private classKey(pod: Pod): { key: string; labels: Labels; named: ContainerPort[]; ipAtoms: number[] } {
    const labels: Record<string, string> = {};
    for (const k of Object.keys(pod.labels).sort()) if (this.relevantKeys.has(k)) labels[k] = pod.labels[k]!;
    const named = this.referencedNames.size ? pod.ports.filter((c) => c.name && this.referencedNames.has(`${c.name}/${c.protocol}`)) : [];
    const ipAtoms = this.ip && pod.ips.length ? this.ip.atomsOfIps(pod.ips) : [];
    const key = `${pod.namespace}\u0001${JSON.stringify(labels)}\u0001${named.map((c) => `${c.name}/${c.protocol}/${c.containerPort}`).sort().join(',')}\u0001${ipAtoms.join(',')}`;
    return { key, labels, named, ipAtoms };
  }

  /** Adds a pod to its class, creating the class (and its memberships) when new. */
  private insertPod(pod: Pod): { index: number; cls: number; created: boolean } {
    const index = this.pods.length;
    this.pods.push(pod);
    this.podIndex.set(podId(pod), index);
    const k = this.classKey(pod);
    let cls = this.classByKey.get(k.key);
    let created = false;
    if (cls === undefined) {
      created = true;
      cls = this.classes.length;
      if (!this.nsNames.has(pod.namespace)) {
        this.nsNames.add(pod.namespace);
        this.nsSelCache.clear();
      }
      this.classes.push({ id: cls, namespace: pod.namespace, labels: k.labels, pods: new Set(), alive: true, named: k.named, ipAtoms: k.ipAtoms, key: k.key });
      this.classByKey.set(k.key, cls);
      this.index.add(cls, pod.namespace, k.labels);
      this.memberOf.push([]);
      this.inIso.push(0);
      this.egIso.push(0);
      this.selectedBy.push([]);
      this.ensureCapacity();
      setBit(this.alive, cls);
      this.base = undefined;
      // Existing groups and the policies they target (none during a rebuild's pod pass).
      const candidates = [...(this.scopedGroups.get(pod.namespace) ?? []), ...this.globalGroups];
      for (const g of candidates) if (this.matches(this.groups[g]!.spec, this.classes[cls]!)) this.addMember(g, cls);
      for (const g of this.memberOf[cls]!) for (const p of this.targetsOf.get(g) ?? []) if (this.policies[p]!.alive) this.applyToClass(this.policies[p]!, cls);
    }
    this.classes[cls]!.pods.add(index);
    this.podClass.push(cls);
    this.multi = undefined;
    return { index, cls, created };
  }

  private ensureCapacity(): void {
    if (this.classes.length <= this.cap) return;
    this.cap = Math.max(64, this.cap * 2, this.classes.length);
    const alive = newBits(this.cap);
    alive.set(this.alive);
    this.alive = alive;
    for (const g of this.groups) g.bits = undefined;
    this.base = undefined;
    this.tmpE = [];
    this.tmpI = [];
  }

  private matches(spec: GroupSpec, c: PodClass): boolean {
    if (spec.ipBlock) return !!this.ip && c.ipAtoms.length > 0 && this.ip.blockHasAny(spec.ipBlock, c.ipAtoms);
    if (spec.scopeNs !== undefined && c.namespace !== spec.scopeNs) return false;
    if (spec.nsSel && !selectorMatches(spec.nsSel, this.nsLabelsOf(c.namespace))) return false;
    return podSelectorMatches(spec.podSel, c.labels);
  }

  private addMember(g: number, cls: number): void {
    const group = this.groups[g]!;
    group.members.push(cls);
    group.memberSet.add(cls);
    group.bits = undefined;
    this.memberOf[cls]!.push(g);
  }

  private namespacesFor(spec: GroupSpec): string[] {
    if (spec.scopeNs !== undefined) return [spec.scopeNs];
    const key = selectorKey(spec.nsSel);
    let hit = this.nsSelCache.get(key);
    if (!hit) {
      hit = [...this.nsNames].filter((ns) => !spec.nsSel || selectorMatches(spec.nsSel, this.nsLabelsOf(ns)));
      this.nsSelCache.set(key, hit);
    }
    return hit;
  }

  private group(spec: GroupSpec): number {
    const key = groupKey(spec);
    const hit = this.groupByKey.get(key);
    if (hit !== undefined) return hit;
    const id = this.groups.length;
    this.groups.push({ id, spec, members: [], memberSet: new Set(), namedBy: [] });
    this.groupByKey.set(key, id);
    if (spec.scopeNs !== undefined) {
      const l = this.scopedGroups.get(spec.scopeNs) ?? [];
      l.push(id);
      this.scopedGroups.set(spec.scopeNs, l);
    } else this.globalGroups.push(id);
    const candidates = spec.ipBlock
      ? this.classes.filter((c) => c.ipAtoms.length > 0).map((c) => c.id)
      : this.index.candidates(spec.podSel, this.namespacesFor(spec));
    for (const c of candidates) if (this.classes[c]!.alive && this.matches(spec, this.classes[c]!)) this.addMember(id, c);
    return id;
  }

  private peerGroups(p: NetworkPolicy, peers: NetworkPolicy['ingress'][number]['peers']): number[] {
    if (peers.length === 0) return [EVERY];
    return peers.map((peer) => {
      if (peer.ipBlock) return this.group({ ipBlock: peer.ipBlock });
      if (peer.namespaceSelector) return this.group({ nsSel: peer.namespaceSelector, podSel: peer.podSelector });
      return this.group({ scopeNs: p.namespace, podSel: peer.podSelector });
    });
  }

  private applyPolicy(p: NetworkPolicy): PolicyState {
    const inIso = p.policyTypes.includes('Ingress');
    const egIso = p.policyTypes.includes('Egress');
    const rules = (rs: NetworkPolicy['ingress']) => rs.map((r) => ({ groups: this.peerGroups(p, r.peers), set: this.ports.setOf(r.ports)! }));
    const st: PolicyState = {
      id: this.policies.length, policy: p, alive: true,
      target: this.group({ scopeNs: p.namespace, podSel: p.podSelector }),
      inIso, egIso, inRules: inIso ? rules(p.ingress) : [], egRules: egIso ? rules(p.egress) : [],
    };
    this.policies.push(st);
    this.policyByName.set(policyId(p), st.id);
    const t = this.targetsOf.get(st.target) ?? [];
    t.push(st.id);
    this.targetsOf.set(st.target, t);
    st.inRules.forEach((r, i) => { for (const g of r.groups) this.groups[g]!.namedBy.push({ pol: st.id, rule: i }); });
    for (const c of this.groups[st.target]!.members) this.applyToClass(st, c);
    return st;
  }

  private applyToClass(st: PolicyState, c: number): void {
    this.base = undefined;
    if (st.inIso) this.inIso[c]!++;
    if (st.egIso) this.egIso[c]!++;
    this.selectedBy[c]!.push(st.id);
  }

  private unapplyFromClass(st: PolicyState, c: number): void {
    this.base = undefined;
    if (st.inIso) this.inIso[c]!--;
    if (st.egIso) this.egIso[c]!--;
    this.selectedBy[c] = this.selectedBy[c]!.filter((p) => p !== st.id);
  }

  private removePolicyState(st: PolicyState): void {
    if (!st.alive) return;
    st.alive = false;
    for (const r of st.inRules) for (const g of r.groups) {
      const group = this.groups[g]!;
      group.namedBy = group.namedBy.filter((x) => x.pol !== st.id);
    }
    for (const c of this.groups[st.target]!.members) this.unapplyFromClass(st, c);
  }

  // ---- incremental updates ----------------------------------------------------------------

  /** Would this policy need boundaries the current classes and atoms do not have? */
  private needsRebuild(p: NetworkPolicy): boolean {
    const keys = new Set<string>();
    selectorKeys(p.podSelector, keys);
    for (const r of [...p.ingress, ...p.egress]) {
      if (!this.ports.setOf(r.ports)) return true;
      for (const pp of r.ports) if (typeof pp.port === 'string' && !this.referencedNames.has(`${pp.port}/${pp.protocol}`)) return true;
      for (const peer of r.peers) {
        selectorKeys(peer.podSelector, keys);
        if (peer.ipBlock && this.useIp && !this.ip?.knows(peer.ipBlock)) return true;
      }
    }
    for (const k of keys) if (!this.relevantKeys.has(k)) return true;
    return false;
  }

  private livePolicies(): NetworkPolicy[] {
    return this.policies.filter((s) => s.alive).map((s) => s.policy);
  }

  private livePods(): Pod[] {
    return this.pods.filter((p): p is Pod => p !== undefined);
  }

  private everything(): Change {
    const all = this.liveClassIds();
    return { rebuilt: true, rows: all, columns: all, columnSources: 'all' };
  }

  liveClassIds(): number[] {
    return this.classes.filter((c) => c.alive).map((c) => c.id);
  }

  private policyChange(st: PolicyState, before: number[]): Change {
    const targets = this.groups[st.target]!.members;
    let sources: Set<number> | 'all' = new Set<number>();
    if (st.inIso) {
      for (const r of st.inRules) for (const g of r.groups) {
        if (g === EVERY) sources = 'all';
        else if (sources !== 'all') for (const c of this.groups[g]!.members) sources.add(c);
      }
      // A destination whose ingress isolation switched on or off changes for every source.
      if (targets.some((c) => (before[c]! > 0) !== (this.inIso[c]! > 0))) sources = 'all';
    }
    return { rebuilt: false, rows: st.egIso ? [...targets] : [], columns: st.inIso ? [...targets] : [], columnSources: sources === 'all' ? 'all' : [...sources] };
  }

  private merge(a: Change, b: Change): Change {
    const cs = a.columnSources === 'all' || b.columnSources === 'all' ? 'all' : [...new Set([...a.columnSources, ...b.columnSources])];
    return { rebuilt: a.rebuilt || b.rebuilt, rows: [...new Set([...a.rows, ...b.rows])], columns: [...new Set([...a.columns, ...b.columns])], columnSources: cs };
  }

  /** Adds a policy, or replaces the one of the same namespace/name. */
  upsertPolicy(p: NetworkPolicy): Change {
    const oldId = this.policyByName.get(policyId(p));
    const old = oldId === undefined ? undefined : this.policies[oldId]!;
    if (this.needsRebuild(p)) {
      const rest = this.livePolicies().filter((x) => x !== old?.policy);
      this.rebuild(this.livePods(), [...rest, p]);
      return this.everything();
    }
    // Isolation is compared before the removal and after the addition: a replace that keeps a
    // destination isolated only changes the cells of the old and new peers.
    const before = this.inIso.slice();
    if (old?.alive) this.removePolicyState(old);
    const st = this.applyPolicy(p);
    let change = this.policyChange(st, before);
    if (old) change = this.merge(change, this.policyChange(old, before));
    this.refreshStats();
    return change;
  }

  removePolicy(namespace: string, name: string): Change {
    const id = this.policyByName.get(`${namespace}/${name}`);
    if (id === undefined) return { rebuilt: false, rows: [], columns: [], columnSources: [] };
    const st = this.policies[id]!;
    const before = this.inIso.slice();
    this.removePolicyState(st);
    this.policyByName.delete(`${namespace}/${name}`);
    this.refreshStats();
    return this.policyChange(st, before);
  }

  /** Adds a pod. Joining an existing class changes no class row; a new class gets its row and column. */
  addPod(pod: Pod): Change & { cls: number } {
    // A referenced port name on a number that is not yet an atom of its own needs new atoms.
    const needs = pod.ports.some((c) => c.name && this.referencedNames.has(`${c.name}/${c.protocol}`) && !this.ports.isNamedTarget(c.protocol, c.containerPort));
    if (needs) {
      this.rebuild([...this.livePods(), pod], this.livePolicies());
      return { ...this.everything(), cls: this.podClass[this.podIndex.get(podId(pod))!]! };
    }
    const r = this.insertPod(pod);
    this.stats.pods = this.podIndex.size;
    if (!r.created) return { rebuilt: false, rows: [], columns: [], columnSources: [], cls: r.cls };
    this.stats.classes++;
    return { rebuilt: false, rows: [r.cls], columns: [r.cls], columnSources: 'all', cls: r.cls };
  }

  removePod(namespace: string, name: string): Change {
    const index = this.podIndex.get(`${namespace}/${name}`);
    const none: Change = { rebuilt: false, rows: [], columns: [], columnSources: [] };
    if (index === undefined) return none;
    this.podIndex.delete(`${namespace}/${name}`);
    this.pods[index] = undefined;
    const cls = this.podClass[index]!;
    this.podClass[index] = -1;
    const c = this.classes[cls]!;
    c.pods.delete(index);
    this.multi = undefined;
    this.stats.pods = this.podIndex.size;
    if (c.pods.size > 0) return none;
    // The class is gone: drop it from its groups and from the ingress index.
    c.alive = false;
    this.classByKey.delete(c.key);
    clearBit(this.alive, cls);
    this.base = undefined;
    for (const g of this.memberOf[cls]!) {
      const group = this.groups[g]!;
      group.memberSet.delete(cls);
      group.members = group.members.filter((x) => x !== cls);
      group.bits = undefined;
    }
    this.memberOf[cls] = [];
    this.selectedBy[cls] = [];
    this.stats.classes--;
    return none;
  }

  // ---- queries ------------------------------------------------------------------------------

  get atomClasses(): number {
    return this.ports.count;
  }

  /** Atom class of a concrete port, for indexing rows. */
  atomOf(protocol: Protocol, port: number): number {
    return this.ports.classOf(protocol, port);
  }

  classOfPod(namespace: string, name: string): number | undefined {
    const i = this.podIndex.get(`${namespace}/${name}`);
    return i === undefined ? undefined : this.podClass[i];
  }

  podIndexOf(namespace: string, name: string): number | undefined {
    return this.podIndex.get(`${namespace}/${name}`);
  }

  classOfIndex(i: number): number {
    return this.podClass[i]!;
  }

  isolated(c: number): { ingress: boolean; egress: boolean } {
    return { ingress: this.inIso[c]! > 0, egress: this.egIso[c]! > 0 };
  }

  /** The per-class allow sets: the live policies selecting the class; their rules name peer groups. */
  policiesSelecting(c: number): readonly NetworkPolicy[] {
    return this.selectedBy[c]!.map((p) => this.policies[p]!.policy);
  }

  groupMembers(g: number): readonly number[] {
    return g === EVERY ? this.liveClassIds() : this.groups[g]!.members;
  }

  private inGroup(c: number, g: number): boolean {
    return g === EVERY || this.groups[g]!.memberSet.has(c);
  }

  /** Does a rule's port set hold atom class k on destination class d? */
  private portsHold(set: PortSet, d: number, k: number): boolean {
    if (maskHas(set.mask, k)) return true;
    if (!set.named.length) return false;
    const m = this.tmpMask.length === this.ports.words ? this.tmpMask : (this.tmpMask = new Uint32Array(this.ports.words));
    m.fill(0);
    this.ports.resolveNamed(set.named, this.classes[d]!.named, m);
    return maskHas(m, k);
  }

  private directionAllows(self: number, other: number, d: number, k: number, ingress: boolean): boolean {
    if ((ingress ? this.inIso : this.egIso)[self] === 0) return true;
    for (const pi of this.selectedBy[self]!) {
      const st = this.policies[pi]!;
      for (const r of ingress ? st.inRules : st.egRules) {
        if (!this.portsHold(r.set, d, k)) continue;
        for (const g of r.groups) if (this.inGroup(other, g)) return true;
      }
    }
    return false;
  }

  /** May a pod of class s open a connection to a pod of class d (not the same pod) on atom class k? */
  classAllowed(s: number, d: number, k: number): boolean {
    this.stats.pairQueries++;
    return this.directionAllows(s, d, d, k, false) && this.directionAllows(d, s, d, k, true);
  }

  /** Pod-level answer, as Evaluator.allowed with a numeric port. */
  podAllowed(from: number, to: number, port: number, protocol: Protocol): boolean {
    if (from === to) return true;
    return this.classAllowed(this.podClass[from]!, this.podClass[to]!, this.ports.classOf(protocol, port));
  }

  private groupBits(g: Group): Bits {
    if (!g.bits) {
      g.bits = newBits(this.cap);
      for (const c of g.members) setBit(g.bits, c);
    }
    return g.bits;
  }

  /** OR into I[k] the targets of an ingress rule, for every k its ports hold (named ports per target). */
  private orRuleTargets(I: Bits[], st: PolicyState, set: PortSet, W: number): void {
    const K = this.ports.count;
    const tg = this.groups[st.target]!;
    const dense = tg.members.length * 2 > W;
    for (let k = 0; k < K; k++) {
      if (!maskHas(set.mask, k)) continue;
      if (dense) orInto(I[k]!, this.groupBits(tg));
      else for (const c of tg.members) setBit(I[k]!, c);
    }
    if (set.named.length) for (const d of tg.members) for (let k = 0; k < K; k++) if (this.portsHold(set, d, k)) setBit(I[k]!, d);
  }

  /** Per atom class: destinations that accept ingress from everyone (not isolated, or a rule without from). */
  private baseBits(): Bits[] {
    if (!this.base) {
      const K = this.ports.count;
      const W = words(this.cap);
      const base = Array.from({ length: K }, () => new Uint32Array(W));
      for (const c of this.classes) if (c.alive && this.inIso[c.id] === 0) for (const b of base) setBit(b, c.id);
      for (const { pol, rule } of this.groups[EVERY]!.namedBy) {
        const st = this.policies[pol]!;
        this.orRuleTargets(base, st, st.inRules[rule]!.set, W);
      }
      this.base = base;
    }
    return this.base;
  }

  /**
   * One class row: for each atom class k, the destination classes that pods of class s may
   * reach on ports of k. Returns internal buffers, valid until the next call.
   */
  row(s: number): Bits[] {
    this.stats.rowsComputed++;
    const K = this.ports.count;
    const W = words(this.cap);
    if (this.tmpE.length !== K || this.tmpE[0]?.length !== W) {
      this.tmpE = Array.from({ length: K }, () => new Uint32Array(W));
      this.tmpI = Array.from({ length: K }, () => new Uint32Array(W));
      this.tmpMask = new Uint32Array(this.ports.words);
    }
    const E = this.tmpE, I = this.tmpI;
    // Egress: everything when not isolated, else the union of the allowed peer groups.
    if (this.egIso[s] === 0) {
      for (let k = 0; k < K; k++) E[k]!.set(this.alive);
    } else {
      for (let k = 0; k < K; k++) E[k]!.fill(0);
      for (const pi of this.selectedBy[s]!) {
        const st = this.policies[pi]!;
        for (const r of st.egRules) for (const gi of r.groups) {
          const g = this.groups[gi]!;
          const dense = gi === EVERY || g.members.length * 2 > W;
          for (let k = 0; k < K; k++) {
            if (!maskHas(r.set.mask, k)) continue;
            if (gi === EVERY) E[k]!.set(this.alive);
            else if (dense) orInto(E[k]!, this.groupBits(g));
            else for (const c of g.members) setBit(E[k]!, c);
          }
          // Named ports resolve on each destination class.
          if (r.set.named.length) for (const d of this.groupMembers(gi)) for (let k = 0; k < K; k++) if (this.portsHold(r.set, d, k)) setBit(E[k]!, d);
        }
      }
      let any = false;
      for (let k = 0; k < K && !any; k++) any = !isEmpty(E[k]!);
      if (!any) return E;
    }
    // Ingress: destinations open to everyone, plus those whose rules name a group holding s.
    const base = this.baseBits();
    for (let k = 0; k < K; k++) I[k]!.set(base[k]!);
    for (const gi of this.memberOf[s]!) {
      for (const { pol, rule } of this.groups[gi]!.namedBy) {
        const st = this.policies[pol]!;
        this.orRuleTargets(I, st, st.inRules[rule]!.set, W);
      }
    }
    for (let k = 0; k < K; k++) andInto(E[k]!, I[k]!);
    return E;
  }

  private multi?: number[];

  /** Ordered pod pairs (distinct pods) from every pod of class s that a row allows on one atom class. */
  rowPodPairs(s: number, bits: Bits): number {
    this.multi ??= this.classes.filter((c) => c.alive && c.pods.size > 1).map((c) => c.id);
    const ones = popcount(bits);
    let dsts = ones;
    if (ones < this.multi.length) {
      // Few destinations: walk the set bits.
      dsts = 0;
      for (let w = 0; w < bits.length; w++) {
        let x = bits[w]!;
        while (x) {
          const t = x & -x;
          dsts += this.classes[(w << 5) + 31 - Math.clz32(t)]!.pods.size;
          x ^= t;
        }
      }
    } else {
      for (const c of this.multi) if (hasBit(bits, c)) dsts += this.classes[c]!.pods.size - 1;
    }
    // A pod never counts as a pair with itself.
    if (hasBit(bits, s)) dsts -= 1;
    return dsts * this.classes[s]!.pods.size;
  }

  /** Allowed class pairs of one row on one atom class. */
  static rowClassPairs(bits: Bits): number {
    return popcount(bits);
  }

  /** Recomputes what a change touched; returns how many rows and column cells were recomputed. */
  recompute(change: Change, onRow?: (s: number, row: Bits[]) => void): { rows: number; cells: number } {
    for (const s of change.rows) if (this.classes[s]?.alive) onRow ? onRow(s, this.row(s)) : this.row(s);
    let cells = 0;
    const sources = change.columnSources === 'all' ? this.liveClassIds() : change.columnSources;
    for (const d of change.columns) {
      if (!this.classes[d]?.alive) continue;
      for (const s of sources) for (let k = 0; k < this.ports.count; k++) {
        this.classAllowed(s, d, k);
        cells++;
      }
    }
    return { rows: change.rows.length, cells };
  }
}

/** Builds the class-level reachability of a cluster (see Reachability). */
export function buildReachability(cluster: Cluster, options: ReachabilityOptions = {}): Reachability {
  return new Reachability(cluster, options);
}
