// The engine's tables, shared by the builder (engine.ts) and the row computation (rows.ts).
// A full rebuild replaces the whole object, so nothing stale survives one.
import type { ClusterPolicy, ContainerPort, IPBlock, Labels, NetworkPolicy, Pod, PolicyPort } from '../model/types.js';
import { newBits, type Bits } from './bitset.js';
import { Groups } from './groups.js';
import { IpAtoms } from './ip-atoms.js';
import { PortAtoms, type PortSet } from './port-atoms.js';
import { ClassIndex, LabelIds, selectorKeys } from './select.js';
import { tierBoundaries, type TierState } from './tiers.js';

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
  /** A pod without a known IP, counted inside every ipBlock (the engine's upper bound; see ReachabilityOptions). */
  readonly unknownIp: boolean;
  readonly key: string;
}

export interface RuleState {
  readonly groups: number[];
  readonly set: PortSet;
}

export interface PolicyState {
  readonly id: number;
  readonly policy: NetworkPolicy;
  /** Group of the pods the policy selects. */
  readonly target: number;
  readonly inIso: boolean;
  readonly egIso: boolean;
  readonly inRules: RuleState[];
  readonly egRules: RuleState[];
  alive: boolean;
}

export class Tables {
  readonly pods: (Pod | undefined)[] = [];
  readonly podClass: number[] = [];
  readonly podIndex = new Map<string, number>();
  readonly classes: ClassEntry[] = [];
  readonly classByKey = new Map<string, number>();
  /** The label index; its ids (LabelIds) number the relevant keys first. */
  readonly index: ClassIndex;
  /** Classes with covered IP atoms: the only candidates for ipBlock groups. */
  readonly ipClasses: number[] = [];
  readonly groups = new Groups();
  readonly policies: PolicyState[] = [];
  readonly policyByName = new Map<string, number>();
  /** Target group -> policies selecting it. */
  readonly targetsOf = new Map<number, number[]>();
  /**
   * Per target group: how many live policies isolate it, per direction. Kept per group, not per
   * class: in B2 at 100k pods, 10k policies select 16k classes each, and per-class lists cost
   * 160M entries (3 GB). A class's isolation is the sum over the few groups holding it.
   */
  readonly inIsoOf: number[] = [];
  readonly egIsoOf: number[] = [];
  /** Classes with more than one pod, for counting pod pairs; undefined when stale. */
  multi?: number[];
  /** Bitset width in bits (grows by doubling) and the live classes. */
  cap = 0;
  alive: Bits = newBits(0);
  /** Namespaces known (declared or holding a pod), and namespaceSelector -> matching namespaces. */
  readonly nsNames: Set<string>;
  readonly nsSelCache = new Map<string, string[]>();
  /** Pods without a known IP fall inside every ipBlock (set once, before any pod is added). */
  unknownIpMatches = false;
  /** Admin/Baseline tier policies, when the cluster has any (set before any pod is added). */
  tiers?: TierState;

  constructor(
    readonly nsLabels: ReadonlyMap<string, Labels>,
    /** Label keys some selector reads, and `name/protocol` port names some rule references. */
    readonly relevantKeys: ReadonlySet<string>,
    readonly referencedNames: ReadonlySet<string>,
    readonly ports: PortAtoms,
    readonly ip: IpAtoms | undefined,
  ) {
    this.nsNames = new Set(nsLabels.keys());
    this.index = new ClassIndex(new LabelIds(relevantKeys));
  }

  /** How many live policies isolate class c for ingress (or egress). */
  isolation(c: number, ingress: boolean): number {
    const counts = ingress ? this.inIsoOf : this.egIsoOf;
    let n = 0;
    for (const g of this.groups.memberOf[c]!) n += counts[g] ?? 0;
    return n;
  }

  /** Live policies selecting class c (any direction). */
  selecting(c: number): number[] {
    const out: number[] = [];
    for (const g of this.groups.memberOf[c]!) for (const p of this.targetsOf.get(g) ?? []) if (this.policies[p]!.alive) out.push(p);
    return out;
  }

  liveClassIds(): number[] {
    const out: number[] = [];
    for (const c of this.classes) if (c.alive) out.push(c.id);
    return out;
  }
}

const NO_PORTS: readonly ContainerPort[] = [];
const NO_ATOMS: readonly number[] = [];

/**
 * What tells a pod's class apart: namespace, the labels some selector reads (as ascending pair
 * ids), declared ports whose name some rule references, and covered IP atoms. Everything else
 * (pod-template-hash, names) is ignored. The class's labels object is made only for a new class
 * (classLabels).
 */
export function classKeyOf(t: Tables, pod: Pod): { key: string; pairs: number[]; named: readonly ContainerPort[]; ipAtoms: readonly number[]; unknownIp: boolean } {
  const pairs = t.index.ids.relevantPairs(pod.labels);
  const named = t.referencedNames.size ? pod.ports.filter((c) => c.name && t.referencedNames.has(`${c.name}/${c.protocol}`)) : NO_PORTS;
  const ipAtoms = t.ip && pod.ips.length ? t.ip.atomsOfIps(pod.ips) : NO_ATOMS;
  const unknownIp = !!t.ip && t.unknownIpMatches && pod.ips.length === 0;
  let key = `${pod.namespace}\u0001${pairs.join(',')}`;
  // Pair ids are numbers joined by ',': injective without the length prefixes text keys need.
  if (named.length) key += `\u0001${named.map((c) => `${c.name}/${c.protocol}/${c.containerPort}`).sort().join(',')}`;
  if (unknownIp || ipAtoms.length) key += `\u0002${unknownIp ? '?' : ipAtoms.join(',')}`;
  if (t.tiers) key += `\u0003${t.tiers.podKey(pod)}`;
  return { key, pairs, named, ipAtoms, unknownIp };
}

/**
 * A class: its labels (the relevant ones of its first pod, keys sorted) are made only when read.
 * The engine itself matches selectors against that first pod's labels, which agree with them on
 * every key a selector reads (relevantKeys holds them all), so a build makes no labels object.
 */
export class ClassEntry implements PodClass {
  alive = true;
  readonly pods = new Set<number>();
  private own?: Labels;

  constructor(
    readonly id: number,
    readonly namespace: string,
    /** @internal The pod that made the class. */
    readonly first: Pod,
    private readonly relevantKeys: ReadonlySet<string>,
    readonly named: readonly ContainerPort[],
    readonly ipAtoms: readonly number[],
    readonly unknownIp: boolean,
    readonly key: string,
  ) {}

  get labels(): Labels {
    if (!this.own) {
      const own: Record<string, string> = {};
      for (const k of Object.keys(this.first.labels).sort()) if (this.relevantKeys.has(k)) own[k] = this.first.labels[k]!;
      this.own = own;
    }
    return this.own;
  }
}

/** What can tell pods apart, from all policies: selector keys, referenced port names, port and IP atoms. */
export function boundaries(pods: readonly Pod[], policies: readonly NetworkPolicy[], useIp: boolean, clusterPolicies: readonly ClusterPolicy[] = []): { keys: Set<string>; names: Set<string>; ports: PortAtoms; ip?: IpAtoms } {
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
  tierBoundaries(clusterPolicies, keys, names, lists);
  // A referenced name becomes an atom of its own on every number some pod declares it on.
  const targets = new Map<string, ContainerPort>();
  for (const pod of pods) for (const cp of pod.ports) if (cp.name && names.has(`${cp.name}/${cp.protocol}`)) targets.set(`${cp.protocol}/${cp.containerPort}`, cp);
  const ports = new PortAtoms(lists, [...targets.values()]);
  return { keys, names, ports, ip: useIp && blocks.length ? new IpAtoms(blocks) : undefined };
}
