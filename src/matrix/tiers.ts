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
  /** `direction|subject key` -> per atom class -> per far class: answer bits (0 = not yet). */
  private readonly cache = new Map<string, Uint8Array[]>();
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
   * The direction's answer for subject class `self` against far class `other` on atom class k,
   * given what the NetworkPolicy layer says (isolated, and allowed when isolated).
   */
  allowed(direction: Direction, self: number, other: number, k: number, isolated: boolean, npAllowed: boolean): boolean {
    const key = this.subjectsOf(self)[direction];
    if (key === '') return !isolated || npAllowed;
    // Ingress rules resolve named ports on the subject itself (the destination): part of the key.
    const ck = direction === 'egress' ? `e|${key}` : `i|${key}|${this.classes[self]!.named.map((c) => `${c.name}/${c.protocol}/${c.containerPort}`).join(',')}`;
    let perK = this.cache.get(ck);
    if (!perK) this.cache.set(ck, (perK = []));
    let arr = perK[k];
    if (!arr || arr.length <= other) {
      const grown = new Uint8Array(Math.max(64, this.classes.length, other + 1) * 2);
      if (arr) grown.set(arr);
      perK[k] = arr = grown;
    }
    let bits = arr[other]!;
    if (!bits) arr[other] = bits = this.walk(direction, key, self, other, k);
    return (bits & (isolated ? (npAllowed ? ISO_ALLOWED : ISO_DENIED) : NOT_ISOLATED)) !== 0;
  }

  /** Admin → NetworkPolicy → Baseline for one class pair, as the Evaluator walks it (evaluate.ts). */
  private walk(direction: Direction, key: string, self: number, other: number, k: number): number {
    const { protocol, port } = this.reps[k]!;
    const far = this.party(other);
    const dest = direction === 'egress' ? far : this.party(self);
    const traces = (tier: 'Admin' | 'Baseline'): TierPolicyTrace[] => key.split(',').map((i) => this.sorted[+i]!).filter((p) => p.tier === tier).map((p) => ({
      policy: tierPolicyName(p), kind: p.kind, priority: p.priority,
      rules: (direction === 'ingress' ? p.ingress : p.egress).map((r, index) => ({
        index, action: tierRuleAction(r),
        matched: matchTierRule(r, far, dest, port, protocol, this.ctx).match, path: r.path, why: '',
      })),
    }));
    const admin = walkTier('Admin', traces('Admin'), false);
    const baseline = walkTier('Baseline', traces('Baseline'), false);
    const at = (isolated: boolean, allowed: boolean) => combineLayers(admin, { isolated, allowed }, baseline).allowed === true;
    return KNOWN | (at(true, true) ? ISO_ALLOWED : 0) | (at(true, false) ? ISO_DENIED : 0) | (at(false, true) ? NOT_ISOLATED : 0);
  }
}
