// The Admin and Baseline tiers in the class engine. A tier walk depends only on the subject's
// policies and the far side, so it is computed once per (subject policy set, far class, port
// atom class) with the Evaluator's own pieces — matchTierSubject, matchTierRule, tierRuleAction
// (src/match/tier.ts), walkTier and combineLayers (src/evaluate/tiers.ts) — on one
// representative pod per class. Classes are cut finely enough for that to be exact: tier
// selector keys, hostNetwork, and each pod's answer to every distinct `networks`/`nodes` peer
// are part of the class key (state.ts), tier port lists are port atoms.
import type { ClusterPolicy, Direction, Labels, Namespace, Node, Pod, PolicyPort, Protocol, TierAction, TierPeer, TierRule } from '../model/types.js';
import { NAMESPACE_NAME_LABEL, PROTOCOLS } from '../model/types.js';
import type { Party } from '../match/peer.js';
import { compareTierPolicies, matchTierPeer, matchTierRule, matchTierSubject, tierPolicyName, tierRuleAction, type TierMatchContext } from '../match/tier.js';
import { combineLayers, walkTier, type TierPolicyTrace } from '../evaluate/tiers.js';
import { selectorKeys } from './select.js';
import type { PortAtoms } from './port-atoms.js';

/** Per (subject, far class, atom class): the direction's answer for each NetworkPolicy state. */
const ISO_ALLOWED = 1, ISO_DENIED = 2, NOT_ISOLATED = 4, KNOWN = 8;

/** What tier policies add to the class boundaries: selector keys, port lists, referenced names. */
export function tierBoundaries(cps: readonly ClusterPolicy[], keys: Set<string>, names: Set<string>, lists: (readonly PolicyPort[])[]): void {
  for (const p of cps) {
    if (p.subject.pods) selectorKeys(p.subject.pods.podSelector, keys);
    for (const r of [...p.ingress, ...p.egress]) {
      lists.push(r.ports);
      for (const pp of r.ports) if (typeof pp.port === 'string') names.add(`${pp.port}/${pp.protocol}`);
      for (const peer of r.peers) if (peer.kind === 'pods') selectorKeys(peer.podSelector, keys);
    }
  }
}

/** The distinct peers whose answer hinges on a pod's addresses or node (deduplicated by content). */
function addressPeers(cps: readonly ClusterPolicy[]): TierPeer[] {
  const out = new Map<string, TierPeer>();
  for (const p of cps) for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers) {
    if (peer.kind === 'networks' || peer.kind === 'nodes') out.set(peerKey(peer), peer);
  }
  return [...out.values()];
}

function peerKey(peer: TierPeer): string {
  return peer.kind === 'networks' ? `n${JSON.stringify(peer.cidrs)}` : peer.kind === 'nodes' ? `d${JSON.stringify(peer.nodeSelector)}` : peer.kind;
}

export interface TierClass {
  readonly namespace: string;
  readonly alive: boolean;
  readonly pods: ReadonlySet<number>;
  /** Declared ports whose name some rule references: named ports resolve on the destination. */
  readonly named: readonly { name?: string; containerPort: number; protocol: Protocol }[];
}

export class TierState {
  readonly ctx: TierMatchContext;
  private readonly sorted: ClusterPolicy[];
  private readonly peers: TierPeer[];
  /** Per class: the subject policies (indices into `sorted`) per direction, as a cache key. */
  private readonly subjects: (Subjects | undefined)[] = [];
  /** `direction|subject key[|named ports]` -> its table of answers. */
  private readonly tables = new Map<string, TierTable>();
  /** Per class: its table per direction (null: none). */
  private readonly egressTables: (TierTable | null | undefined)[] = [];
  private readonly ingressTables: (TierTable | null | undefined)[] = [];
  /** Distinct peers (by content) and, per peer, per class: 0 unknown, 1 no match, 2 match. */
  private readonly peerIds = new Map<string, number>();
  private readonly peerList: TierPeer[] = [];
  /** The same, by object (the content key is JSON: computed once per peer object). */
  private readonly peerObjects = new Map<TierPeer, number>();
  private readonly hits: Uint8Array[] = [];
  /** Per (policy, direction[, destination named ports]): its rules' answers. */
  private readonly policyCache = new Map<string, PolicyRules>();
  /** Per policy index: the content id of its ingress / egress rules. */
  private readonly ingressContent: number[] = [];
  private readonly egressContent: number[] = [];
  private readonly contentIds = new Map<string, number>();
  /** Walk answers by the list of matching policies and actions (TierTable.answer). */
  private readonly walks = new Map<string, number>();
  /** Per atom class: a concrete (protocol, port) inside it. */
  private readonly reps: { protocol: Protocol; port: number }[] = [];
  private ingressSubjects?: number[];
  private byPair?: Map<string, number[]>;
  private byNsPair?: Map<string, number[]>;
  /** `policy index\0namespace` -> does its `namespaces` subject select the namespace's pods. */
  private readonly nsSubjects = new Map<string, boolean>();
  /** Namespace objects by name (an engine's namespace labels never change). */
  private readonly namespaces = new Map<string, Namespace>();
  private always?: number[];

  constructor(
    readonly policies: readonly ClusterPolicy[],
    nodes: readonly Node[],
    private readonly nsLabels: (ns: string) => Labels,
    private readonly podOf: (c: number) => Pod,
    private readonly classes: readonly TierClass[],
    ports: PortAtoms,
    /** The address peers class keys were cut by (kept across an incremental update). */
    peers?: readonly TierPeer[],
  ) {
    this.ctx = { nodes, threeValued: false, explain: false };
    this.sorted = [...policies].sort(compareTierPolicies);
    this.peers = peers ? [...peers] : addressPeers(policies);
    for (const proto of PROTOCOLS) for (const a of ports.atoms(proto)) this.reps[a.cls] ??= { protocol: proto, port: a.first };
  }

  private namespace(ns: string): Namespace {
    let n = this.namespaces.get(ns);
    if (!n) this.namespaces.set(ns, (n = { kind: 'Namespace', name: ns, labels: this.nsLabels(ns) ?? { [NAMESPACE_NAME_LABEL]: ns }, implicit: true }));
    return n;
  }

  /** @internal */
  classOf(c: number): TierClass {
    return this.classes[c]!;
  }

  private party(c: number): Extract<Party, { kind: 'pod' }> {
    const pod = this.podOf(c);
    return { kind: 'pod', pod, namespace: this.namespace(pod.namespace) };
  }

  /** Class-key part: hostNetwork and the pod's answer to every address peer (tier.ts decides). */
  podKey(pod: Pod): string {
    if (!this.peers.length && !pod.hostNetwork) return '';
    const party: Party = { kind: 'pod', pod, namespace: this.namespace(pod.namespace) };
    let k = pod.hostNetwork ? 'h' : '-';
    for (const peer of this.peers) k += matchTierPeer(peer, 'Accept', party, this.ctx).match === true ? '1' : '0';
    return k;
  }

  /** The address peers the class keys were cut by. */
  get addressPeers(): readonly TierPeer[] {
    return this.peers;
  }

  /** Can classes cut for this state hold policy p exactly: does it add no new address peer? */
  covers(p: ClusterPolicy): boolean {
    const known = new Set(addressPeers(this.policies).concat(this.peers).map(peerKey));
    return addressPeers([p]).every((x) => known.has(peerKey(x)));
  }

  /** Live classes policy p selects as subject (any direction). */
  subjectClasses(p: ClusterPolicy): number[] {
    return this.classes.flatMap((c, i) => {
      if (!c.alive) return [];
      const { pod, namespace } = this.party(i);
      return matchTierSubject(p.subject, pod, namespace, false).match === true ? [i] : [];
    });
  }

  /** The classes changed: the list of ingress subjects is stale (answers per class stay valid). */
  classesChanged(): void {
    this.ingressSubjects = undefined;
  }

  private subjectsOf(c: number): Subjects {
    let s = this.subjects[c];
    if (!s) {
      const { pod, namespace } = this.party(c);
      const eg: number[] = [], ing: number[] = [], egNs: number[] = [], ingNs: number[] = [];
      for (const i of this.subjectCandidates(pod)) {
        const p = this.sorted[i]!;
        if (!p.egress.length && !p.ingress.length) continue;
        if (!this.selects(i, pod, namespace)) continue;
        // A `namespaces` subject selects every pod of the namespace alike (hostNetwork aside,
        // which matchTierSubject has already ruled on): those can share one table part.
        const nsWide = p.subject.namespaces !== undefined;
        if (p.egress.length) eg.push(i), nsWide && egNs.push(i);
        if (p.ingress.length) ing.push(i), nsWide && ingNs.push(i);
      }
      this.subjects[c] = s = { egress: eg.join(','), ingress: ing.join(','), egressNs: egNs.join(','), ingressNs: ingNs.join(',') };
    }
    return s;
  }

  /**
   * Does policy i's subject select the pod (matchTierSubject decides)? A `namespaces` subject
   * answers alike for every pod of a namespace but hostNetwork ones: asked once per namespace.
   */
  private selects(i: number, pod: Pod, namespace: Namespace): boolean {
    const subject = this.sorted[i]!.subject;
    if (!subject.namespaces || pod.hostNetwork) return matchTierSubject(subject, pod, namespace, false).match === true;
    const key = `${i}\u0000${namespace.name}`;
    let v = this.nsSubjects.get(key);
    if (v === undefined) this.nsSubjects.set(key, (v = matchTierSubject(subject, pod, namespace, false).match === true));
    return v;
  }

  /**
   * A superset of the policies whose subject may select this pod, in evaluation order: a `pods`
   * subject with podSelector matchLabels needs the pod to carry its first pair (as the
   * Evaluator's NamespacePolicies buckets NetworkPolicies), a `namespaces` subject with
   * matchLabels the namespace; matchTierSubject then decides.
   */
  private subjectCandidates(pod: Pod): number[] {
    if (!this.byPair) {
      this.byPair = new Map();
      this.byNsPair = new Map();
      this.always = [];
      this.sorted.forEach((p, i) => {
        const m = p.subject.pods ? p.subject.pods.podSelector.matchLabels : p.subject.namespaces.matchLabels;
        const first = m && Object.keys(m)[0];
        if (first === undefined) this.always!.push(i);
        else {
          const index = p.subject.pods ? this.byPair! : this.byNsPair!;
          const k = `${first}\u0000${m![first]}`;
          const l = index.get(k);
          if (l) l.push(i);
          else index.set(k, [i]);
        }
      });
    }
    const hits = [...this.always!];
    const nsLabels = this.namespace(pod.namespace).labels;
    for (const k in pod.labels) {
      for (const i of this.byPair.get(`${k}\u0000${pod.labels[k]}`) ?? []) {
        // The namespace must carry the first pair of pods.namespaceSelector's matchLabels too.
        const m: Labels = this.sorted[i]!.subject.pods!.namespaceSelector.matchLabels;
        const first = Object.keys(m)[0];
        if (first === undefined || (Object.hasOwn(nsLabels, first) && nsLabels[first] === m[first])) hits.push(i);
      }
    }
    for (const k in nsLabels) for (const i of this.byNsPair!.get(`${k}\u0000${nsLabels[k]}`) ?? []) hits.push(i);
    return hits.sort((a, b) => a - b);
  }

  /** Is class c a subject of some tier policy with rules for this direction? */
  isSubject(c: number, direction: Direction): boolean {
    return this.subjectsOf(c)[direction] !== '';
  }

  /** Live classes that some tier policy's ingress rules govern. */
  ingressSubjectClasses(): number[] {
    return (this.ingressSubjects ??= this.classes.flatMap((c, i) => (c.alive && this.isSubject(i, 'ingress') ? [i] : [])));
  }

  /**
   * The answers for subject class `self` in one direction (undefined: no tier policy governs
   * it, the NetworkPolicy layer alone decides). Shared by every class with the same subject
   * policies (and, for ingress, the same named ports: they resolve on the destination).
   */
  table(direction: Direction, self: number): TierTable | undefined {
    const memo = direction === 'egress' ? this.egressTables : this.ingressTables;
    const hit = memo[self];
    if (hit !== undefined) return hit ?? undefined;
    const tab = this.makeTable(direction, self);
    memo[self] = tab ?? null;
    return tab;
  }

  private makeTable(direction: Direction, self: number): TierTable | undefined {
    const subjects = this.subjectsOf(self);
    const key = subjects[direction];
    if (key === '') return undefined;
    const indices = key.split(',').map(Number);
    const suffix = direction === 'egress' ? '' : `|${namedKey(this.classes[self]!)}`;
    const ck = `${direction[0]}|${this.shapeKey(direction, indices)}${suffix}`;
    let tab = this.tables.get(ck);
    if (!tab) {
      const nsKey = subjects[direction === 'egress' ? 'egressNs' : 'ingressNs'];
      let shared: TierTable | undefined;
      if (nsKey !== '' && nsKey !== key) {
        // Keyed by the policies themselves: the table merges its own policies with these by index.
        const sk = `${direction[0]}s|${nsKey}${suffix}`;
        shared = this.tables.get(sk);
        if (!shared) this.tables.set(sk, (shared = new TierTable(this, nsKey.split(',').map(Number), direction, self)));
      }
      this.tables.set(ck, (tab = new TierTable(this, indices, direction, self, shared)));
    }
    return tab;
  }

  /**
   * What a table's answers depend on: per tier, its policies in order, each by kind, rules'
   * content (policyRules) and whether its priority equals the previous one's (a tie, walkTier).
   * Subject policy lists of the same shape share one table (one per Deployment becomes one per
   * distinct way of writing them); the table walks with its first list's policies, which give
   * the same walk.
   */
  private shapeKey(direction: Direction, indices: readonly number[]): string {
    const memo = direction === 'ingress' ? this.ingressContent : this.egressContent;
    let admin = '', baseline = '', lastA: number | undefined, lastB: number | undefined;
    for (const i of indices) {
      const p = this.sorted[i]!;
      const content = (memo[i] ??= this.contentId(rulesContentKey(direction === 'ingress' ? p.ingress : p.egress, (x) => this.peerId(x))));
      if (p.tier === 'Admin') admin += `${lastA === p.priority ? '=' : '<'}${p.kind}:${content},`, (lastA = p.priority);
      else baseline += `${lastB === p.priority ? '=' : '<'}${p.kind}:${content},`, (lastB = p.priority);
    }
    return `${admin}#${baseline}`;
  }

  private contentId(key: string): number {
    let id = this.contentIds.get(key);
    if (id === undefined) this.contentIds.set(key, (id = this.contentIds.size));
    return id;
  }

  /** The direction's answer for subject `self` against far class `other` on atom class k, given the NetworkPolicy layer's. */
  allowed(direction: Direction, self: number, other: number, k: number, isolated: boolean, npAllowed: boolean): boolean {
    const tab = this.table(direction, self);
    return tab ? tab.allowed(other, k, isolated, npAllowed) : !isolated || npAllowed;
  }

  /** @internal Numeric id of a peer, by content (peers written alike share their answers). */
  peerId(peer: TierPeer): number {
    let id = this.peerObjects.get(peer);
    if (id !== undefined) return id;
    const key = peerContentKey(peer);
    id = this.peerIds.get(key);
    if (id === undefined) {
      id = this.peerList.length;
      this.peerIds.set(key, id);
      this.peerList.push(peer);
      this.hits.push(new Uint8Array(0));
    }
    this.peerObjects.set(peer, id);
    return id;
  }

  /** @internal Has policy i a rule with a peer of an unknown kind in this direction? */
  hasUnknownPeer(i: number, direction: Direction): boolean {
    const p = this.sorted[i]!;
    return (direction === 'ingress' ? p.ingress : p.egress).some((r) => r.peers.some((x) => x.kind === 'unknown'));
  }

  /** @internal Does class c match peer `id` (tier.ts decides; memoised per peer and class)? */
  peerHit(id: number, c: number): boolean {
    let m = this.hits[id]!;
    if (m.length <= c) {
      const grown = new Uint8Array(Math.max(64, this.classes.length, c + 1) * 2);
      grown.set(m);
      this.hits[id] = m = grown;
    }
    let v = m[c]!;
    if (!v) m[c] = v = this.cannotMatch(id, c) || matchTierPeer(this.peerList[id]!, 'Accept', this.party(c), this.ctx).match !== true ? 1 : 2;
    return v === 2;
  }

  /**
   * A quick no for `namespaces`/`pods` peers: a selector's matchLabels need every pair, so a
   * namespace or pod without the first pair is not selected (matchTierPeer decides the rest).
   */
  private cannotMatch(id: number, c: number): boolean {
    const peer = this.peerList[id]!;
    if (peer.kind !== 'namespaces' && peer.kind !== 'pods') return false;
    const pod = this.podOf(c);
    return lacksFirstPair(peer.namespaceSelector.matchLabels, this.namespace(pod.namespace).labels) || (peer.kind === 'pods' && lacksFirstPair(peer.podSelector.matchLabels, pod.labels));
  }

  /** @internal One policy's rules for one direction (ingress: per destination named ports). */
  policyRules(i: number, direction: Direction, self: number): PolicyRules {
    const p = this.sorted[i]!;
    const rules = direction === 'ingress' ? p.ingress : p.egress;
    const named = rules.some((r) => r.ports.some((pp) => typeof pp.port === 'string'));
    // Keyed by the rules' content, not the policy: a far class enters only through them, so
    // policies written alike (one per Deployment, say) share their signatures and outcomes.
    const memo = direction === 'ingress' ? this.ingressContent : this.egressContent;
    const content = (memo[i] ??= this.contentId(rulesContentKey(rules, (x) => this.peerId(x))));
    const key = `${direction}|${named && direction === 'ingress' ? namedKey(this.classes[self]!) : ''}|${content}`;
    let pr = this.policyCache.get(key);
    if (!pr) this.policyCache.set(key, (pr = new PolicyRules(this, p, direction, named && direction === 'egress', self)));
    return pr;
  }

  /**
   * @internal The first matching rule's action for far class `other` (the representative of its
   * signature) on atom class k: matchTierRule and tierRuleAction, exactly as the Evaluator asks.
   */
  firstMatch(p: ClusterPolicy, direction: Direction, self: number, other: number, k: number): number {
    const { protocol, port } = this.reps[k]!;
    const far = this.party(other);
    const dest = direction === 'egress' ? far : this.party(self);
    const rules = direction === 'ingress' ? p.ingress : p.egress;
    for (const r of rules) if (matchTierRule(r, far, dest, port, protocol, this.ctx).match === true) return ACTION_CODE[tierRuleAction(r)];
    return NONE;
  }

  get atomCount(): number {
    return this.reps.length;
  }

  /** Answer bits when no tier rule matches (TierTable.sigId -1). */
  emptyWalk(): number {
    return this.walkOf('');
  }

  /**
   * @internal Admin → NetworkPolicy → Baseline, as the Evaluator walks it (evaluate.ts
   * direction()), for the matching policies `i:action,` in evaluation order; answer bits.
   */
  walkOf(key: string): number {
    let b = this.walks.get(key);
    if (b === undefined) {
      const hits = key.split(',').filter(Boolean).map((x) => x.split(':').map(Number) as [number, number]);
      const traces = (tier: 'Admin' | 'Baseline'): TierPolicyTrace[] => hits.filter(([i]) => this.sorted[i]!.tier === tier).map(([i, v]) => {
        const p = this.sorted[i]!;
        // The first matching rule stands for the policy: walkTier reads no more of it.
        return { policy: tierPolicyName(p), kind: p.kind, priority: p.priority, rules: [{ index: 0, action: CODE_ACTION[v]!, matched: true, path: '', why: '' }] };
      });
      const admin = walkTier('Admin', traces('Admin'), false);
      const baseline = walkTier('Baseline', traces('Baseline'), false);
      const at = (isolated: boolean, allowed: boolean) => combineLayers(admin, { isolated, allowed }, baseline).allowed === true;
      this.walks.set(key, (b = KNOWN | (at(true, true) ? ISO_ALLOWED : 0) | (at(true, false) ? ISO_DENIED : 0) | (at(false, true) ? NOT_ISOLATED : 0)));
    }
    return b;
  }
}

interface Subjects {
  /** Subject policies (indices into `sorted`, evaluation order) per direction, as cache keys. */
  readonly egress: string;
  readonly ingress: string;
  /** Of those, the ones with a `namespaces` subject. */
  readonly egressNs: string;
  readonly ingressNs: string;
}

/** Reads answer bits (TierTable.bitsOf, TierState.emptyWalk) given the NetworkPolicy layer's answer. */
export function tierAllows(bits: number, isolated: boolean, npAllowed: boolean): boolean {
  return (bits & (isolated ? (npAllowed ? ISO_ALLOWED : ISO_DENIED) : NOT_ISOLATED)) !== 0;
}

const NONE = 1;
const ACTION_CODE: Record<TierAction, number> = { Accept: 2, Deny: 3, Pass: 4 };
const CODE_ACTION: (TierAction | undefined)[] = [undefined, undefined, 'Accept', 'Deny', 'Pass'];

function namedKey(c: TierClass): string {
  return c.named.map((x) => `${x.name}/${x.protocol}/${x.containerPort}`).join(',');
}

function peerContentKey(peer: TierPeer): string {
  const { path: _p, ...rest } = peer;
  return JSON.stringify(rest);
}

/** Does `labels` lack the first pair of `matchLabels` (then the selector cannot select it)? */
function lacksFirstPair(matchLabels: Labels, labels: Labels): boolean {
  for (const k in matchLabels) return !Object.hasOwn(labels, k) || labels[k] !== matchLabels[k];
  return false;
}

/** What matchTierRule and tierRuleAction read of a direction's rules (not names, paths). */
function rulesContentKey(rules: readonly TierRule[], peerId: (p: TierPeer) => number): string {
  return JSON.stringify(rules.map((r) => [r.action, r.actionWritten, r.peers.map(peerId), r.ports.map((pp) => [pp.protocol, pp.port ?? null, pp.endPort ?? null])]));
}

function sameParts(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Grows a typed array to hold index i. */
function fit<T extends Uint8Array | Int32Array>(a: T, i: number, make: (n: number) => T): T {
  if (a.length > i) return a;
  const grown = make(Math.max(64, i + 1) * 2);
  grown.set(a);
  return grown;
}

/**
 * One tier policy in one direction. A far class enters its rules only through each peer's answer
 * (and, for egress, its named ports): far classes with the same answers share a signature, and
 * the first matching rule is looked up once per (signature, atom class).
 */
class PolicyRules {
  readonly peers: number[] = [];
  private sigOf = new Int32Array(0);
  private readonly sigIds = new Map<number | string, number>();
  private readonly sigRep: number[] = [];
  private outcome = new Uint8Array(0);
  private readonly K: number;

  constructor(private readonly state: TierState, readonly policy: ClusterPolicy, private readonly direction: Direction, private readonly named: boolean, private readonly self: number) {
    this.K = state.atomCount;
    for (const r of direction === 'ingress' ? policy.ingress : policy.egress) for (const peer of r.peers) this.peers.push(state.peerId(peer));
  }

  /** Signature id of far class o. */
  sig(o: number): number {
    if (this.sigOf.length <= o) this.sigOf = fit(this.sigOf, o, (n) => new Int32Array(n));
    let id = this.sigOf[o]! - 1;
    if (id < 0) {
      // Peer answers as bits (a number while they fit; no string garbage on the common path).
      let key: number | string = 0;
      if (this.peers.length <= 30 && !this.named) {
        for (let i = 0; i < this.peers.length; i++) if (this.state.peerHit(this.peers[i]!, o)) key |= 1 << i;
      } else {
        key = '';
        for (const peer of this.peers) key += this.state.peerHit(peer, o) ? '1' : '0';
        if (this.named) key += `|${namedKey(this.state.classOf(o))}`;
      }
      id = this.sigIds.get(key) ?? -1;
      if (id < 0) {
        this.sigIds.set(key, (id = this.sigIds.size));
        this.sigRep.push(o);
      }
      this.sigOf[o] = id + 1;
    }
    return id;
  }

  /** NONE or the action code of the first matching rule, for signature `id` on atom class k. */
  outcomeOf(id: number, k: number): number {
    const i = id * this.K + k;
    this.outcome = fit(this.outcome, i, (n) => new Uint8Array(n));
    let v = this.outcome[i]!;
    if (!v) this.outcome[i] = v = this.state.firstMatch(this.policy, this.direction, this.self, this.sigRep[id]!, k);
    return v;
  }
}

/**
 * One subject policy set in one direction. Per far class, the tuple of its policies' signatures;
 * the tier walk (walkTier, combineLayers: the Evaluator's) runs once per (tuple, atom class).
 * The namespace-wide policies of a subject (its `namespaces` subjects, the same for every class
 * of the namespace) may sit in a `shared` table: its signature then stands for all of theirs, so
 * they are signed once per namespace, not once per Deployment.
 */
export class TierTable {
  private readonly rules: PolicyRules[];
  private readonly indices: number[];
  /** Per far class: 0 = not yet, -1 = no peer matches it, else signature id + 1. */
  private sigOf = new Int32Array(0);
  private readonly sigIds = new Map<number, number[]>();
  private readonly scratch: number[];
  private readonly peerIds: number[];
  private readonly unknown: boolean;
  private readonly sigParts: number[][] = [];
  private bits = new Uint8Array(0);
  /** Per (signature, atom class): the matching (policy index, action code) pairs, flat. */
  private readonly hitLists: (number[] | undefined)[] = [];
  private readonly K: number;
  private readonly S: number;

  constructor(private readonly state: TierState, indices: readonly number[], direction: Direction, self: number, private readonly shared?: TierTable) {
    this.K = state.atomCount;
    const inShared = new Set(shared?.indices ?? []);
    this.indices = indices.filter((i) => !inShared.has(i));
    this.rules = this.indices.map((i) => state.policyRules(i, direction, self));
    this.S = shared ? 1 : 0;
    this.scratch = new Array<number>(this.rules.length + this.S).fill(0);
    this.peerIds = [...new Set(this.rules.flatMap((r) => r.peers))];
    // An unknown peer fails closed whatever the far side: every far class is "hit".
    this.unknown = this.indices.some((i) => state.hasUnknownPeer(i, direction));
  }

  /**
   * -1 when no peer of these policies matches far class o (then no rule matches — a rule needs a
   * matching peer: matchTierRule —, every policy says "no match", and the walk is the empty
   * one), else its signature id. Memoised per far class.
   */
  sigId(o: number): number {
    if (this.sigOf.length <= o) this.sigOf = fit(this.sigOf, o, (n) => new Int32Array(n));
    const m = this.sigOf[o]!;
    if (m !== 0) return m > 0 ? m - 1 : -1;
    const sh = this.shared ? this.shared.sigId(o) : -1;
    let hit = this.unknown || sh >= 0;
    for (let j = 0; !hit && j < this.peerIds.length; j++) hit = this.state.peerHit(this.peerIds[j]!, o);
    if (!hit) {
      this.sigOf[o] = -1;
      return -1;
    }
    // A numeric hash of the policies' signatures, confirmed part by part (no key strings: this
    // runs once per far class and table).
    const parts = this.scratch;
    let h = 0;
    if (this.S) h = parts[0] = sh;
    for (let j = 0; j < this.rules.length; j++) h = (Math.imul(h, 31) + (parts[j + this.S] = this.rules[j]!.sig(o))) | 0;
    const bucket = this.sigIds.get(h);
    let id = -1;
    if (bucket) for (let x = 0; x < bucket.length && id < 0; x++) if (sameParts(this.sigParts[bucket[x]!]!, parts)) id = bucket[x]!;
    if (id < 0) {
      id = this.sigParts.length;
      this.sigParts.push([...parts]);
      if (bucket) bucket.push(id);
      else this.sigIds.set(h, [id]);
    }
    this.sigOf[o] = id + 1;
    return id;
  }

  /** The matching (policy index, action code) pairs of signature `id` on atom class k, in evaluation order. */
  private hitList(id: number, k: number): number[] {
    const at = id * this.K + k;
    let out = this.hitLists[at];
    if (out) return out;
    const parts = this.sigParts[id]!;
    const own: number[] = [];
    for (let j = 0; j < this.rules.length; j++) {
      const v = this.rules[j]!.outcomeOf(parts[j + this.S]!, k);
      if (v !== NONE) own.push(this.indices[j]!, v);
    }
    const sh = this.S && parts[0]! >= 0 ? this.shared!.hitList(parts[0]!, k) : [];
    // Merge by policy index (both lists are in evaluation order).
    out = [];
    let a = 0, b = 0;
    while (a < sh.length || b < own.length) {
      if (b >= own.length || (a < sh.length && sh[a]! < own[b]!)) out.push(sh[a]!, sh[a + 1]!), (a += 2);
      else out.push(own[b]!, own[b + 1]!), (b += 2);
    }
    this.hitLists[at] = out;
    return out;
  }

  /** Answer bits for signature `id` on atom class k. */
  bitsOf(id: number, k: number): number {
    const i = id * this.K + k;
    if (i < this.bits.length && this.bits[i] !== 0) return this.bits[i]!;
    this.bits = fit(this.bits, i, (n) => new Uint8Array(n));
    let b = this.bits[i]!;
    if (!b) {
      // A policy none of whose rules match adds nothing to walkTier's outcomes (nor to a tie):
      // the walk depends only on the (policy, action) pairs that do, so it runs once per such
      // list across all tables.
      const l = this.hitList(id, k);
      let key = '';
      for (let j = 0; j < l.length; j += 2) key += `${l[j]}:${l[j + 1]},`;
      this.bits[i] = b = this.state.walkOf(key);
    }
    return b;
  }

  /** Answer bits for far class o on atom class k. */
  answer(o: number, k: number): number {
    const id = this.sigId(o);
    return id < 0 ? this.state.walkOf('') : this.bitsOf(id, k);
  }

  allowed(o: number, k: number, isolated: boolean, npAllowed: boolean): boolean {
    return tierAllows(this.answer(o, k), isolated, npAllowed);
  }
}
