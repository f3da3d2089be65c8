// The exact connectivity list (`netpol list`): for every ordered pair of ends (workloads or pods,
// and external address ranges) the complete allowed set, as merged port ranges per protocol.
//
// Nothing is sampled. Ports: the engine cuts each protocol's 0-65535 at every boundary a rule
// uses (port-atoms.ts); every port of an atom class gets the same answer, so the allowed ranges
// are the atoms whose class a row holds. Pods: pods of one engine class get the same answers.
// Addresses: IpAtoms cuts both families at every ipBlock cidr/except boundary; atoms that every
// ipBlock holds alike get the same answers, so they form one external end.
//
// Pod -> pod answers come from the engine's class rows. Pod <-> address answers read only the
// pod's side (no policy governs an address): per external end, the policies whose rules hold
// it, over the classes they select; per rule, its ports on one port per atom class (matchPort,
// on the class's representative pod when it is the destination) and whether a peer holds the external end (an ipBlock holds an end
// when it holds its atoms, which is how the ends were cut; other peers by matchPeer). Each rule is
// looked at once per end, not once per (class, end, port): test/analysis/list.test.ts pins the
// answers to the Evaluator. Pure and browser-safe; `ipBlockPods` is the engine mode, so a caller
// can compare lists under several modes (the "depends" analysis does).
import { Evaluator } from '../../evaluate/evaluate.js';
import { matchPeer, matchPort, type IpBlockPods, type Party } from '../../match/peer.js';
import { hasBit } from '../../matrix/bitset.js';
import { Reachability } from '../../matrix/engine.js';
import { IpAtoms, blockKey } from '../../matrix/ip-atoms.js';
import { tierAddressBlocks } from '../universe.js';
import { rangeToCidrs } from '../../net/cidr.js';
import { formatIp, parseIp, rangeContains, rangesOverlap, type IpAddr, type IpRange } from '../../net/ip.js';
import { ipBlocksOf, NAMESPACE_NAME_LABEL, PROTOCOLS, type Cluster, type IPBlock, type NetworkPolicy, type Pod, type Protocol, type Rule } from '../../model/types.js';
import type { EndFilter, PortFilter } from './filter.js';

/** Inclusive port ranges per protocol, sorted and merged; `[]` when nothing is allowed. */
export type PortRanges = Record<Protocol, [number, number][]>;

export interface ListEnd {
  kind: 'workload' | 'pod' | 'external';
  /** As JSON writes it: `ns/name[Kind]` (`#n` when split), `ns/pod`, or the CIDR (a list when several). */
  id: string | string[];
  /** As text writes it (an external end may read `0.0.0.0/0 except 192.168.5.10/32`). */
  label: string;
  /** Workload and pod ends: their namespace and pods. */
  namespace?: string;
  pods: readonly Pod[];
  /** External ends: the address ranges, sorted and disjoint, and their CIDRs. */
  ranges: readonly IpRange[];
  cidrs: readonly string[];
}

export interface ListConnection {
  from: ListEnd;
  to: ListEnd;
  allowed: PortRanges;
}

export interface ConnectionList {
  /** Every end, in output order (workloads or pods by name, then external ends by address). */
  ends: ListEnd[];
  /** Pairs with something allowed, in end order (from, then to). */
  connections: ListConnection[];
  /** E.g. a workload whose pods may get different answers and were listed apart. */
  warnings: string[];
  /** Filters (their text) that match no end: usually a typo. */
  unmatched: string[];
}

export interface ListOptions {
  /** How ipBlocks treat pod IPs (engine semantics: 'depends' allows like 'ignore'). Default 'match'. */
  ipBlockPods?: IpBlockPods;
  /** With 'match': pods without a known IP fall inside every ipBlock (the upper bound of depends.ts). */
  podsWithoutIpMatchBlocks?: boolean;
  /** Ends: workloads (pods grouped by owner, the default) or single pods. */
  by?: 'workload' | 'pod';
  /** @internal class-list.ts: receives the engine and the pair answers; then no pair is listed. */
  basis?: (b: ListBasis) => void;
  /**
   * A class engine already holding exactly this cluster's pods and policies, built with the same
   * ipBlockPods / podsWithoutIpMatchBlocks (the page's worker keeps one and patches it per edit);
   * a fresh one when absent. Its classes may be finer than a fresh engine's (boundaries of
   * removed policies stay): the answers are the same, but a workload may be split where a fresh
   * engine would not (a warning says so), so a caller wanting the fresh list rebuilds then.
   */
  engine?: Reachability;
  /** Keep pairs whose source (destination) matches one of these; all when empty. */
  from?: readonly EndFilter[];
  to?: readonly EndFilter[];
  /** Report only these ports (any of them); all when empty. */
  ports?: readonly PortFilter[];
}

/** What class-list.ts reuses: the engine, and the list's answers per class and external end. */
export interface ListBasis {
  engine: Reachability;
  /** Allowed atom classes (a mask over engine.atomClasses) -> merged port ranges (cached). */
  rangesOf(mask: Uint8Array): PortRanges;
  externals: readonly ListEnd[];
  /** Pod class <-> external end i: the ports allowed (egress: from the class to the end). */
  external(cls: number, i: number, egress: boolean): PortRanges;
  unmatched: string[];
}

interface End extends ListEnd {
  /** Engine class of every pod of a workload/pod end; -1 for an external end. */
  cls: number;
  /** External ends: an address inside, standing for the end where a peer is not an ipBlock. */
  rep?: string;
  /** External ends: keys (blockKey) of the ipBlocks that hold every address of the end. */
  inBlocks?: ReadonlySet<string>;
}

export function emptyRanges(): PortRanges {
  return { TCP: [], UDP: [], SCTP: [] };
}

export function hasAny(r: PortRanges): boolean {
  return PROTOCOLS.some((p) => r[p].length > 0);
}

/** Sorts and merges overlapping or adjacent ranges. */
export function normalize(rs: [number, number][]): [number, number][] {
  const s = [...rs].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function intersect(a: readonly [number, number][], b: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]), hi = Math.min(a[i]![1], b[j]![1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

/** How text names an address set: its CIDRs, or `<enclosing CIDR> except …` when that is shorter. */
function externalLabel(ranges: readonly IpRange[], cidrs: readonly string[]): string {
  const f = ranges[0]!.family, bits = f === 4 ? 32 : 128;
  // The smallest CIDR holding every range: the longest prefix the first and last address share.
  const lo = ranges[0]!.first, hi = ranges[ranges.length - 1]!.last;
  let host = 0;
  while (host < bits && lo >> BigInt(host) !== hi >> BigInt(host)) host++;
  const space: IpRange = { family: f, first: (lo >> BigInt(host)) << BigInt(host), last: (((lo >> BigInt(host)) + 1n) << BigInt(host)) - 1n };
  const gaps: IpRange[] = [];
  let next = space.first;
  for (const r of ranges) {
    if (r.first > next) gaps.push({ family: f, first: next, last: r.first - 1n });
    next = r.last + 1n;
  }
  if (next <= space.last) gaps.push({ family: f, first: next, last: space.last });
  const [whole] = rangeToCidrs(space);
  if (gaps.length === 0) return whole!;
  const except = gaps.flatMap(rangeToCidrs);
  return except.length + 1 < cidrs.length ? `${whole} except ${except.join(', ')}` : cidrs.join(', ');
}

/**
 * External ends: the IP atoms of every ipBlock in the policies, grouped by which ipBlocks hold
 * them (and by family). Addresses of one group get the same answer from every rule.
 */
function externalEnds(policies: readonly NetworkPolicy[], extra: readonly IPBlock[] = []): End[] {
  const blocks = ipBlocksOf(policies);
  // Tier `networks` and node addresses cut the address space too (they are no ipBlock peer:
  // `inBlocks` lists NetworkPolicy ipBlocks only).
  const atoms = new IpAtoms([...blocks, ...extra]);
  const distinct = new Map<string, IPBlock>();
  for (const b of blocks) if (!distinct.has(blockKey(b))) distinct.set(blockKey(b), b);
  const keys = [...distinct.keys()];
  const extraKeys = new Map(extra.map((b) => [blockKey(b), b]));
  const tests = [...distinct.values(), ...extraKeys.values()].map((b) => atoms.matcher(b));
  const groups = new Map<string, IpRange[]>();
  for (let a = 0; a < atoms.count; a++) {
    const r = atoms.atomRange(a);
    if (r.first > r.last) continue; // the cut just past a family's last address
    const sig = `${r.family}:${tests.map((t) => (t([a]) ? 1 : 0)).join('')}`;
    const list = groups.get(sig);
    if (!list) groups.set(sig, [{ ...r }]);
    else {
      const last = list[list.length - 1]!;
      if (last.last + 1n === r.first) list[list.length - 1] = { ...last, last: r.last };
      else list.push({ ...r });
    }
  }
  return [...groups].map(([sig, ranges]) => {
    const cidrs = ranges.flatMap(rangeToCidrs);
    const bits = sig.slice(sig.indexOf(':') + 1);
    return {
      kind: 'external', id: cidrs.length === 1 ? cidrs[0]! : cidrs, label: externalLabel(ranges, cidrs),
      pods: [], ranges, cidrs, cls: -1, rep: formatIp({ family: ranges[0]!.family, value: ranges[0]!.first }),
      inBlocks: new Set(keys.filter((_, i) => bits[i] === '1')),
    };
  });
}

function byName(a: Pod, b: Pod): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function describeLabels(labels: Record<string, string>): string {
  const e = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1));
  return e.length ? `{${e.map(([k, v]) => `${k}=${v}`).join(', ')}}` : '{no labels a selector reads}';
}

/**
 * Workload ends: pods grouped by owner (a bare pod is its own `[Pod]`). An owner whose pods fall
 * in different engine classes (labels a selector reads, referenced named ports, ipBlock-covered
 * IPs) may get different answers: it is split into `#1`, `#2`… per class, with a warning.
 */
function workloadEnds(cluster: Cluster, engine: Reachability, classOf: (pod: Pod, i: number) => number, warnings: string[]): End[] {
  const owners = new Map<string, { ns: string; base: string; pods: { pod: Pod; cls: number }[] }>();
  cluster.pods.forEach((pod, i) => {
    const base = pod.workload ? `${pod.namespace}/${pod.workload.name}[${pod.workload.kind}]` : `${pod.namespace}/${pod.name}[Pod]`;
    let o = owners.get(base);
    if (!o) owners.set(base, (o = { ns: pod.namespace, base, pods: [] }));
    o.pods.push({ pod, cls: classOf(pod, i) });
  });
  const out: (End & { sortKey: [string, number] })[] = [];
  for (const o of owners.values()) {
    o.pods.sort((a, b) => byName(a.pod, b.pod));
    const byClass = new Map<number, Pod[]>();
    for (const { pod, cls } of o.pods) {
      const l = byClass.get(cls);
      if (l) l.push(pod);
      else byClass.set(cls, [pod]);
    }
    const split = byClass.size > 1;
    let n = 0;
    const parts: string[] = [];
    for (const [cls, pods] of byClass) {
      n++;
      const id = split ? `${o.base}#${n}` : o.base;
      out.push({ kind: 'workload', id, label: id, namespace: o.ns, pods, ranges: [], cidrs: [], cls, sortKey: [o.base, n] });
      parts.push(`#${n}: ${pods.map((p) => p.name).join(', ')} ${describeLabels(engine.classes[cls]!.labels)}`);
    }
    if (split) {
      warnings.push(`${o.base}: its pods differ in what the policies look at (labels a selector reads, named ports or ipBlock-covered IPs), so they may get different answers; listed apart as ${parts.join('; ')}`);
    }
  }
  out.sort((a, b) => (a.sortKey[0] < b.sortKey[0] ? -1 : a.sortKey[0] > b.sortKey[0] ? 1 : a.sortKey[1] - b.sortKey[1]));
  return out.map(({ sortKey: _, ...e }) => e);
}

function podEnds(cluster: Cluster, classOf: (pod: Pod, i: number) => number): End[] {
  const out: End[] = cluster.pods.map((pod, i) => {
    const id = `${pod.namespace}/${pod.name}`;
    return { kind: 'pod', id, label: id, namespace: pod.namespace, pods: [pod], ranges: [], cidrs: [], cls: classOf(pod, i) };
  });
  return out.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

export function endMatches(f: EndFilter, e: ListEnd): boolean {
  if (f.kind === 'ip') {
    // External ends overlapping the range, and pods with an address in it.
    const inside = (a: IpAddr | undefined) => !!a && rangeContains(f.range, a);
    return e.ranges.some((r) => rangesOverlap(r, f.range)) || e.pods.some((p) => p.ips.some((ip) => inside(parseIp(ip))));
  }
  if (f.kind === 'pods') return e.pods.some((p) => f.pods.has(p));
  if (f.kind === 'service') return false; // resolved to `pods` by serviceFilters() first
  if (e.kind === 'external' || e.namespace !== f.namespace) return false;
  if (f.kind === 'namespace') return true;
  if (f.kind === 'workload') return e.pods.some((p) => p.name === f.name || p.workload?.name === f.name);
  return e.pods.some((p) => p.labels[f.key] === f.value);
}

/** The ports a set of port filters keeps on one destination (names resolve on its pods; none on an address). */
export function portFilterRanges(filters: readonly PortFilter[], to: ListEnd): PortRanges {
  const out = emptyRanges();
  for (const f of filters) {
    const protos = f.protocol ? [f.protocol] : PROTOCOLS;
    if (f.kind === 'range') for (const p of protos) out[p].push([f.first, f.last]);
    else for (const pod of to.pods) for (const c of pod.ports) if (c.name === f.name && protos.includes(c.protocol)) out[c.protocol].push([c.containerPort, c.containerPort]);
  }
  for (const p of PROTOCOLS) out[p] = normalize(out[p]);
  return out;
}

function keptClass(engine: Reachability, pod: Pod): number {
  const c = engine.classOfPod(pod.namespace, pod.name);
  if (c === undefined) throw new Error(`listConnections: the engine given does not hold pod ${pod.namespace}/${pod.name}`);
  return c;
}

export function listConnections(cluster: Cluster, options: ListOptions = {}): ConnectionList {
  const ipBlockPods = options.ipBlockPods ?? 'match';
  const engine = options.engine ?? new Reachability(cluster, { ipBlockPods, podsWithoutIpMatchBlocks: options.podsWithoutIpMatchBlocks });
  // A fresh engine holds the pods in cluster order; a kept one in the order they came.
  const classOf = options.engine ? (pod: Pod) => keptClass(engine, pod) : (_: Pod, i: number) => engine.classOfIndex(i);
  const K = engine.atomClasses;
  const atoms = PROTOCOLS.map((p) => [p, engine.portAtoms.atoms(p)] as const);
  // One port per atom class (not 0, which no connection uses), for asking the Evaluator.
  const repPort: ({ protocol: Protocol; port: number } | undefined)[] = new Array(K).fill(undefined);
  for (const [protocol, list] of atoms) for (const a of list) if (a.last >= 1 && !repPort[a.cls]) repPort[a.cls] = { protocol, port: Math.max(1, a.first) };

  const warnings: string[] = [];
  const units = options.by === 'pod' ? podEnds(cluster, classOf) : workloadEnds(cluster, engine, classOf, warnings);
  const externals = externalEnds(cluster.policies, tierAddressBlocks(cluster.clusterPolicies, cluster.nodes));
  const ends = [...units, ...externals];

  const from = options.from ?? [], to = options.to ?? [], ports = options.ports ?? [];
  const unmatched = [...from, ...to].filter((f) => !ends.some((e) => endMatches(f, e))).map((f) => f.text);
  const keep = (fs: readonly EndFilter[], e: End) => fs.length === 0 || fs.some((f) => endMatches(f, e));

  // Allowed atom classes -> port ranges, cached by the set of classes: a number while the atom
  // classes fit in one (a string otherwise). This runs once per pair of ends (tens of thousands
  // at 2,000 pods), so the masks it reads may be refilled scratch arrays: it never keeps them.
  const rangeCache = new Map<number | string, PortRanges>();
  const scratch = new Uint8Array(K);
  const rangesOf = (mask: Uint8Array): PortRanges => {
    let key: number | string = 0;
    if (K <= 30) for (let k = 0; k < K; k++) key |= mask[k]! << k;
    else key = mask.join('');
    let r = rangeCache.get(key);
    if (!r) {
      r = emptyRanges();
      for (const [p, list] of atoms) {
        const out: [number, number][] = [];
        for (const a of list) if (mask[a.cls] && a.last >= 1) out.push([Math.max(1, a.first), a.last]);
        r[p] = normalize(out);
      }
      rangeCache.set(key, r);
    }
    return r;
  };

  // Pod <-> address: per class and external end, only where the pod's side is isolated.
  const full = new Uint8Array(K).fill(1);
  const repOf = new Map<number, Pod>();
  for (const u of units) if (!repOf.has(u.cls)) repOf.set(u.cls, u.pods[0]!);
  const externalCache = new Map<string, Uint8Array>();
  const isolation: { ingress: boolean; egress: boolean }[] = [];
  // A rule's ports as a mask over atom classes: per rule, or per (rule, class) when the class's
  // pod is the destination and the rule names ports (they resolve on that pod).
  const portCache = new Map<Rule, Map<number, Uint8Array>>();
  const portMask = (r: Rule, dest: Party, cls: number): Uint8Array => {
    const named = dest.kind === 'pod' && r.ports.some((pp) => typeof pp.port === 'string');
    let m = portCache.get(r);
    if (!m) portCache.set(r, (m = new Map()));
    const key = named ? cls : -1;
    let mask = m.get(key);
    if (mask) return mask;
    mask = new Uint8Array(K);
    for (let k = 0; k < K; k++) {
      const rp = repPort[k];
      if (rp && (r.ports.length === 0 || r.ports.some((pp) => matchPort(pp, rp.port, rp.protocol, dest).match === true))) mask[k] = 1;
    }
    m.set(key, mask);
    return mask;
  };
  // Does a rule's peer list hold an external end? Once per (rule, end).
  const peerCache = new Map<Rule, Map<End, boolean>>();
  const peersHold = (r: Rule, p: NetworkPolicy, e: End): boolean => {
    if (r.peers.length === 0) return true;
    let m = peerCache.get(r);
    if (!m) peerCache.set(r, (m = new Map()));
    let hit = m.get(e);
    if (hit === undefined) {
      const ip: Party = { kind: 'ip', ip: e.rep! };
      hit = r.peers.some((peer) => (peer.ipBlock ? e.inBlocks!.has(blockKey(peer.ipBlock)) : matchPeer(peer, ip, p.namespace, ipBlockPods).match === true));
      m.set(e, hit);
    }
    return hit;
  };
  const byEnd = new Map<string, Map<number, Uint8Array>>();
  const nsOf = new Map(cluster.namespaces.map((n) => [n.name, n]));
  // With tier policies an address end is governed by the tiers too (networks, nodes, Admin Deny
  // of everything): ask the Evaluator once per (class, end, atom class), under the engine's mode.
  const tierEv = cluster.clusterPolicies?.length ? new Evaluator(cluster, { ipBlockPods: ipBlockPods === 'depends' ? 'ignore' : ipBlockPods }) : undefined;
  const tierExternal = (cls: number, e: End, egress: boolean): Uint8Array => {
    const ck = `${cls} ${e.label} ${egress}`;
    let mask = externalCache.get(ck);
    if (mask) return mask;
    mask = new Uint8Array(K);
    const pod = { kind: 'pod' as const, pod: repOf.get(cls)! }, ip = { kind: 'ip' as const, ip: e.rep! };
    for (let k = 0; k < K; k++) {
      const rp = repPort[k];
      if (rp && tierEv!.allowed({ from: egress ? pod : ip, to: egress ? ip : pod, port: rp.port, protocol: rp.protocol })) mask[k] = 1;
    }
    externalCache.set(ck, mask);
    return mask;
  };
  const external = (cls: number, e: End, egress: boolean): Uint8Array => {
    if (tierEv) return tierExternal(cls, e, egress);
    const iso = (isolation[cls] ??= engine.isolated(cls));
    if (!(egress ? iso.egress : iso.ingress)) return full;
    return externalMasks(e, egress).get(cls) ?? none;
  };
  // Per external end and direction, every isolated class's mask at once: the policies with a rule
  // that holds the end (peers asked once per rule and end), spread over the classes each selects
  // (the engine's target group). Work follows what is allowed, not classes x selecting policies.
  // Engine semantics: 'depends' allows like 'ignore', hostNetwork pods included (as for pod
  // pairs); a class's representative pod resolves its named ports.
  const none = new Uint8Array(K);
  const externalMasks = (e: End, egress: boolean): Map<number, Uint8Array> => {
    const ek = `${e.label} ${egress}`;
    let masks = byEnd.get(ek);
    if (masks) return masks;
    byEnd.set(ek, (masks = new Map()));
    const ip: Party = { kind: 'ip', ip: e.rep! };
    for (const p of cluster.policies) {
      if (!p.policyTypes.includes(egress ? 'Egress' : 'Ingress')) continue;
      const rules = (egress ? p.egress : p.ingress).filter((r) => peersHold(r, p, e));
      if (rules.length === 0) continue;
      for (const cls of engine.groupMembers(engine.targetGroup(p))) {
        const rep = repOf.get(cls);
        if (!rep) continue;
        let mask = masks.get(cls);
        if (!mask) masks.set(cls, (mask = new Uint8Array(K)));
        const dest: Party = egress ? ip : { kind: 'pod', pod: rep, namespace: nsOf.get(rep.namespace) ?? { kind: 'Namespace', name: rep.namespace, labels: { [NAMESPACE_NAME_LABEL]: rep.namespace }, implicit: true } };
        for (const r of rules) {
          const pm = portMask(r, dest, cls);
          for (let k = 0; k < K; k++) if (pm[k]) mask[k] = 1;
        }
      }
    }
    return masks;
  };

  if (options.basis) {
    options.basis({ engine, rangesOf, externals: externals.map(strip), external: (cls, i, egress) => rangesOf(external(cls, externals[i]!, egress)), unmatched });
    return { ends: [], connections: [], warnings, unmatched };
  }

  // Pod <-> address ranges by (external end, direction), then by class: an array lookup per pair.
  const extIndex = new Map<End, number>(externals.map((e, i) => [e, i]));
  const extSlots: PortRanges[][] = externals.flatMap(() => [[], []]);
  const externalRanges = (cls: number, e: End, egress: boolean): PortRanges => {
    const slot = extSlots[extIndex.get(e)! * 2 + (egress ? 1 : 0)]!;
    return (slot[cls] ??= rangesOf(external(cls, e, egress)));
  };
  const pub = ends.map(strip);
  const keepTo = ends.map((b) => keep(to, b));
  // Sources are taken class by class, so each engine row is computed once and read for every
  // destination class; the pairs are put back in end order at the end.
  const order = ends.map((e, i) => ({ e, i })).filter(({ e }) => keep(from, e)).sort((x, y) => x.e.cls - y.e.cls || x.i - y.i);
  const bySource: ListConnection[][] = ends.map(() => []);
  const unitClasses = [...new Set(units.map((u) => u.cls))];
  let rowCls = -2;
  const pairRanges: PortRanges[] = []; // by destination class, for the source class rowCls
  for (const { e: a, i } of order) {
    if (a.cls !== rowCls) {
      rowCls = a.cls;
      if (a.cls >= 0) {
        const row = engine.row(a.cls);
        for (const d of unitClasses) {
          for (let k = 0; k < K; k++) scratch[k] = hasBit(row[k]!, d) ? 1 : 0;
          pairRanges[d] = rangesOf(scratch);
        }
      }
    }
    for (let j = 0; j < ends.length; j++) {
      const b = ends[j]!;
      if (!keepTo[j] || (a.kind === 'external' && b.kind === 'external')) continue;
      // A pod reaching itself is not a connection between ends; pods of one workload are.
      if (a === b && a.pods.length < 2) continue;
      let allowed = a.kind === 'external' ? externalRanges(b.cls, a, false) : b.kind === 'external' ? externalRanges(a.cls, b, true) : pairRanges[b.cls]!;
      if (ports.length) {
        const f = portFilterRanges(ports, b);
        const r = emptyRanges();
        for (const p of PROTOCOLS) r[p] = intersect(allowed[p], f[p]);
        allowed = r;
      }
      if (hasAny(allowed)) bySource[i]!.push({ from: pub[i]!, to: pub[j]!, allowed });
    }
  }
  const connections = bySource.flat();
  return { ends: pub, connections, warnings, unmatched };
}

function strip(e: End): ListEnd {
  const { cls: _c, rep: _r, ...rest } = e;
  return rest;
}
