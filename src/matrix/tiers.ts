// The Admin and Baseline tiers in the class engine. A tier walk depends only on the subject's
// policies and the far side, so it is computed once per (subject policy set, far class, port
// atom class) with the Evaluator's own pieces — matchTierSubject, matchTierRule, tierRuleAction
// (src/match/tier.ts), walkTier and combineLayers (src/evaluate/tiers.ts) — on one
// representative pod per class. Classes are cut finely enough for that to be exact: tier
// selector keys, hostNetwork, and each pod's answer to every distinct `networks`/`nodes` peer
// are part of the class key (state.ts), tier port lists are port atoms.
import type { ClusterPolicy, Direction, Labels, Namespace, Node, Pod, PolicyPort, Protocol, TierPeer } from '../model/types.js';
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
  private readonly subjects: ({ egress: string; ingress: string } | undefined)[] = [];
  /** `direction|subject key[|named ports]` -> its table of answers. */
  private readonly tables = new Map<string, TierTable>();
  /** Per class: its table per direction (null: none). */
  private readonly egressTables: (TierTable | null | undefined)[] = [];
  private readonly ingressTables: (TierTable | null | undefined)[] = [];
  /** Peer content -> per class: 0 unknown, 1 no match, 2 match. */
  private readonly peerHits = new Map<string, Uint8Array>();
  /** Per atom class: a concrete (protocol, port) inside it. */
  private readonly reps: { protocol: Protocol; port: number }[] = [];
  private ingressSubjects?: number[];

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
    this.ctx = { nodes, threeValued: false };
    this.sorted = [...policies].sort(compareTierPolicies);
    this.peers = peers ? [...peers] : addressPeers(policies);
    for (const proto of PROTOCOLS) for (const a of ports.atoms(proto)) this.reps[a.cls] ??= { protocol: proto, port: a.first };
  }

  private namespace(ns: string): Namespace {
    return { kind: 'Namespace', name: ns, labels: this.nsLabels(ns) ?? { [NAMESPACE_NAME_LABEL]: ns }, implicit: true };
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
      return matchTierSubject(p.subject, pod, namespace).match === true ? [i] : [];
    });
  }

  /** The classes changed: the list of ingress subjects is stale (answers per class stay valid). */
  classesChanged(): void {
    this.ingressSubjects = undefined;
  }

  private subjectsOf(c: number): { egress: string; ingress: string } {
    let s = this.subjects[c];
    if (!s) {
      const { pod, namespace } = this.party(c);
      const eg: number[] = [], ing: number[] = [];
      this.sorted.forEach((p, i) => {
        if (!p.egress.length && !p.ingress.length) return;
        if (matchTierSubject(p.subject, pod, namespace).match !== true) return;
        if (p.egress.length) eg.push(i);
        if (p.ingress.length) ing.push(i);
      });
      this.subjects[c] = s = { egress: eg.join(','), ingress: ing.join(',') };
    }
    return s;
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
    const key = this.subjectsOf(self)[direction];
    if (key === '') return undefined;
    const ck = direction === 'egress' ? `e|${key}` : `i|${key}|${namedKey(this.classes[self]!)}`;
    let tab = this.tables.get(ck);
    if (!tab) this.tables.set(ck, (tab = new TierTable(this, direction, key.split(',').map((i) => this.sorted[+i]!), self)));
    return tab;
  }

  /** The direction's answer for subject `self` against far class `other` on atom class k, given the NetworkPolicy layer's. */
  allowed(direction: Direction, self: number, other: number, k: number, isolated: boolean, npAllowed: boolean): boolean {
    const tab = this.table(direction, self);
    return tab ? tab.allowed(other, k, isolated, npAllowed) : !isolated || npAllowed;
  }

  /** @internal Does class c match this peer (tier.ts decides; memoised per peer content and class)? */
  peerHit(peer: TierPeer, key: string, c: number): boolean {
    let m = this.peerHits.get(key);
    if (!m || m.length <= c) {
      const grown = new Uint8Array(Math.max(64, this.classes.length, c + 1) * 2);
      if (m) grown.set(m);
      this.peerHits.set(key, (m = grown));
    }
    let v = m[c]!;
    if (!v) m[c] = v = matchTierPeer(peer, 'Accept', this.party(c), this.ctx).match === true ? 2 : 1;
    return v === 2;
  }

  /** @internal The walk for one class pair, as the Evaluator does it (evaluate.ts direction()). */
  walk(direction: Direction, policies: readonly ClusterPolicy[], self: number, other: number, k: number): number {
    const { protocol, port } = this.reps[k]!;
    const far = this.party(other);
    const dest = direction === 'egress' ? far : this.party(self);
    const traces = (tier: 'Admin' | 'Baseline'): TierPolicyTrace[] => policies.filter((p) => p.tier === tier).map((p) => ({
      policy: tierPolicyName(p), kind: p.kind, priority: p.priority,
      rules: (direction === 'ingress' ? p.ingress : p.egress).map((r, index) => ({
        index, action: tierRuleAction(r), matched: matchTierRule(r, far, dest, port, protocol, this.ctx).match, path: r.path, why: '',
      })),
    }));
    const admin = walkTier('Admin', traces('Admin'), false);
    const baseline = walkTier('Baseline', traces('Baseline'), false);
    const at = (isolated: boolean, allowed: boolean) => combineLayers(admin, { isolated, allowed }, baseline).allowed === true;
    return KNOWN | (at(true, true) ? ISO_ALLOWED : 0) | (at(true, false) ? ISO_DENIED : 0) | (at(false, true) ? NOT_ISOLATED : 0);
  }

  get atomCount(): number {
    return this.reps.length;
  }
}

function namedKey(c: TierClass): string {
  return c.named.map((x) => `${x.name}/${x.protocol}/${x.containerPort}`).join(',');
}

/**
 * One subject policy set in one direction. A far class enters the walk only through each peer's
 * answer (and, for egress, its named ports): far classes with the same answers share a signature,
 * and the walk runs once per (signature, atom class) on the first class seen with it.
 */
export class TierTable {
  private readonly peers: { peer: TierPeer; key: string }[] = [];
  private readonly named: boolean;
  /** Per far class: signature id + 1 (0 = not computed yet). */
  private sigOf = new Int32Array(0);
  private readonly sigIds = new Map<string, number>();
  private readonly sigRep: number[] = [];
  /** Per (signature, atom class): answer bits, 0 = not walked yet. */
  private bits = new Uint8Array(0);
  private readonly K: number;

  constructor(private readonly state: TierState, private readonly direction: Direction, private readonly policies: readonly ClusterPolicy[], private readonly self: number) {
    this.K = state.atomCount;
    let named = false;
    for (const p of policies) for (const r of direction === 'ingress' ? p.ingress : p.egress) {
      for (const peer of r.peers) this.peers.push({ peer, key: peerContentKey(peer) });
      if (r.ports.some((pp) => typeof pp.port === 'string')) named = true;
    }
    this.named = named && direction === 'egress';
  }

  private sig(o: number): number {
    if (this.sigOf.length <= o) {
      const grown = new Int32Array(Math.max(64, o + 1) * 2);
      grown.set(this.sigOf);
      this.sigOf = grown;
    }
    let id = this.sigOf[o]! - 1;
    if (id < 0) {
      let key = '';
      for (const { peer, key: pk } of this.peers) key += this.state.peerHit(peer, pk, o) ? '1' : '0';
      // Egress named ports resolve on the far class (the destination).
      if (this.named) key += `|${namedKey(this.state.classOf(o))}`;
      id = this.sigIds.get(key) ?? -1;
      if (id < 0) {
        id = this.sigIds.size;
        this.sigIds.set(key, id);
        this.sigRep.push(o);
        const grown = new Uint8Array((id + 1) * 2 * this.K);
        grown.set(this.bits);
        if (grown.length > this.bits.length) this.bits = grown;
      }
      this.sigOf[o] = id + 1;
    }
    return id;
  }

  /** Answer bits for far class o on atom class k. */
  answer(o: number, k: number): number {
    const id = this.sig(o);
    const i = id * this.K + k;
    let b = this.bits[i]!;
    if (!b) this.bits[i] = b = this.state.walk(this.direction, this.policies, this.self, this.sigRep[id]!, k);
    return b;
  }

  allowed(o: number, k: number, isolated: boolean, npAllowed: boolean): boolean {
    return (this.answer(o, k) & (isolated ? (npAllowed ? ISO_ALLOWED : ISO_DENIED) : NOT_ISOLATED)) !== 0;
  }
}

function peerContentKey(peer: TierPeer): string {
  const { path: _p, ...rest } = peer;
  return JSON.stringify(rest);
}
