// `netpol list --by class`: the exact list (list.ts) with ends that are groups of pods every
// answer treats alike, written so that its size grows with classes and distinct rows, not pods².
//
// A group is the pods of one engine class (src/matrix: same answers to and from every pod and
// address) that also agree on everything else an output may show apart: the engine classes of
// the two `depends` bounds (when ipBlocks exist), hostNetwork, the --from/--to filters, what a
// named --port resolves to on them, and (--services) the Services that front them. Groups ↔
// groups read the engine's class rows as bitsets, so one row costs words (classes / 32 per port
// atom class) plus the ends it treats unlike the rest; groups ↔ addresses reuse list.ts's answers
// per class and external end (ListBasis), so no selector, peer or port logic lives here.
//
// Per source the answer is a `base` (the port ranges most destinations get, when over half do)
// and the ends that get something else; `render/class-list.ts` writes it as `toAllExcept` plus
// `to` lists, as `matrix --format classes-json` does. A group of one pod never pairs with itself
// (whatever its entries say of it); a group of several holds the pairs between its pods.
// test/analysis/class-list.test.ts expands it back to pods and compares with `list --by pod`.
import { hostNetworkReason } from '../../evaluate/evaluate.js';
import { ipReasoner } from '../../matrix/matrix.js';
import { hasBit, newBits, popcount, popcount32, type Bits } from '../../matrix/bitset.js';
import type { IpBlockPods } from '../../match/peer.js';
import type { IpRange } from '../../net/ip.js';
import { ipBlocksOf, PROTOCOLS, type Cluster, type Pod } from '../../model/types.js';
import { subtractRanges } from './depends.js';
import type { EndFilter, PortFilter } from './filter.js';
import { emptyRanges, endMatches, hasAny, intersect, listConnections, portFilterRanges, type ListBasis, type ListEnd, type PortRanges } from './list.js';

export interface ClassEnd {
  kind: 'class' | 'external';
  /** Text and Markdown name an end `#<index + 1>`; JSON by its index. */
  index: number;
  /** Class ends: the namespace and pods (sorted by name). */
  namespace?: string;
  pods: readonly Pod[];
  /** External ends: as list.ts cuts them (label: CIDRs, or `X except Y`). */
  ranges: readonly IpRange[];
  cidrs: readonly string[];
  label: string;
  /** With servicesOf: the Services fronting the pods (the same for every pod of the end). */
  services?: readonly string[];
}

/** The ends a source reaches with one port-range set: these, or every end but these. */
export type ClassDests = { to: number[] } | { toAllExcept: number[] };

export interface ClassConnection { from: number[]; dests: ClassDests; allowed: PortRanges }
export interface ClassDepends { from: number[]; dests: ClassDests; ports: PortRanges; reason: string }

export interface ClassList {
  ends: ClassEnd[];
  /** Sources with the same answers share an entry; a source's entries are disjoint, a `toAllExcept` first. */
  connections: ClassConnection[];
  /** Port ranges that hinge (see depends.ts); a pair may be in several entries, one per reason (worded on the ends' first pods). */
  depends: ClassDepends[];
  unmatched: string[];
}

export interface ClassListOptions {
  ipBlockPods?: IpBlockPods;
  from?: readonly EndFilter[];
  to?: readonly EndFilter[];
  ports?: readonly PortFilter[];
  /** Keep pods fronted by different Services apart, and name the Services on each end. */
  servicesOf?: (pod: Pod) => readonly string[];
}

const EMPTY: PortRanges = emptyRanges();
const ALL = (): PortRanges => ({ TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] });

/**
 * One source's answer: `except` (by end index) over `base`. A one-pod group's answer toward
 * itself is its class's and means nothing (a pod is no pair with itself): leaving it as it is
 * keeps the answers of one class alike, so they share entries.
 */
interface Answer { base?: PortRanges; except: Map<number, PortRanges> }

const rangeKeys = new WeakMap<PortRanges, string>();
function keyOf(r: PortRanges): string {
  let k = rangeKeys.get(r);
  if (k === undefined) rangeKeys.set(r, (k = JSON.stringify(r)));
  return k;
}
const same = (a: PortRanges | undefined, b: PortRanges | undefined) => (a === b || keyOf(a ?? EMPTY) === keyOf(b ?? EMPTY));
const nonEmpty = (r: PortRanges | undefined): r is PortRanges => !!r && hasAny(r);

function answerAt(a: Answer, d: number): PortRanges {
  return a.except.get(d) ?? a.base ?? EMPTY;
}

function cut(r: PortRanges, f: PortRanges | undefined): PortRanges {
  if (!f) return r;
  const out = emptyRanges();
  for (const p of PROTOCOLS) out[p] = intersect(r[p], f[p]);
  return out;
}

function minus(a: PortRanges, b: PortRanges): PortRanges {
  if (!hasAny(b) || !hasAny(a)) return a;
  const out = emptyRanges();
  for (const p of PROTOCOLS) out[p] = subtractRanges(a[p], b[p]);
  return out;
}

/** a(d) - b(d) for every end d, in the size of the two answers' exceptions. */
function answerMinus(a: Answer, b: Answer): Answer {
  const base = a.base && b.base ? minus(a.base, b.base) : a.base;
  const out: Answer = { base: nonEmpty(base) ? base : undefined, except: new Map() };
  const keys = new Set([...a.except.keys(), ...b.except.keys()]);
  for (const d of keys) {
    const r = minus(answerAt(a, d), answerAt(b, d));
    if (!same(r, out.base)) out.except.set(d, r);
  }
  return out;
}

interface Group { pods: Pod[]; idx: number[]; first?: string }

export function listClasses(cluster: Cluster, options: ClassListOptions = {}): ClassList {
  const mode = options.ipBlockPods ?? 'match';
  const from = options.from ?? [], to = options.to ?? [], ports = options.ports ?? [];
  const hasBlocks = ipBlocksOf(cluster.policies).length > 0;
  const anyHost = cluster.pods.some((p) => p.hostNetwork);
  // The two depends bounds, as depends.ts (their classes refine the groups).
  const bounds = hasBlocks ? [{ ipBlockPods: 'ignore' as const }, { ipBlockPods: 'match' as const, podsWithoutIpMatchBlocks: true }] : [];
  const bases: ListBasis[] = [];
  for (const o of [{ ipBlockPods: mode }, ...bounds]) {
    listConnections(cluster, { ...o, by: 'pod', from, to, basis: (b) => bases.push(b) });
  }
  const [main] = bases as [ListBasis, ...ListBasis[]];
  const named = ports.some((f) => f.kind === 'name');
  const podEnd = (pod: Pod): ListEnd => ({ kind: 'pod', id: '', label: '', namespace: pod.namespace, pods: [pod], ranges: [], cidrs: [] });

  // Groups: pods with one key, ordered by their first pod's name.
  const byKey = new Map<string, Group>();
  cluster.pods.forEach((pod, i) => {
    let key = bases.map((b) => b.engine.classOfIndex(i)).join(' ');
    if (anyHost) key += pod.hostNetwork ? ' h' : ' -';
    if (from.length || to.length) {
      const e = podEnd(pod);
      key += ` ${from.map((f) => (endMatches(f, e) ? 1 : 0)).join('')}/${to.map((f) => (endMatches(f, e) ? 1 : 0)).join('')}`;
    }
    if (named) key += ` ${JSON.stringify(portFilterRanges(ports, podEnd(pod)))}`;
    if (options.servicesOf) key += ` ${JSON.stringify(options.servicesOf(pod))}`;
    const g = byKey.get(key);
    if (g) {
      g.pods.push(pod);
      g.idx.push(i);
    } else byKey.set(key, { pods: [pod], idx: [i] });
  });
  const podName = (p: Pod) => `${p.namespace}/${p.name}`;
  const groups = [...byKey.values()];
  for (const g of groups) {
    const order = g.idx.map((i, j) => ({ i, pod: g.pods[j]!, name: podName(g.pods[j]!) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    g.pods = order.map((o) => o.pod);
    g.idx = order.map((o) => o.i);
    g.first = order[0]!.name;
  }
  groups.sort((a, b) => (a.first! < b.first! ? -1 : 1));
  const ends: ClassEnd[] = groups.map((g, index) => ({
    kind: 'class', index, namespace: g.pods[0]!.namespace, pods: g.pods, ranges: [], cidrs: [], label: `#${index + 1}`,
    ...(options.servicesOf ? { services: options.servicesOf(g.pods[0]!) } : {}),
  }));
  for (const x of main.externals) ends.push({ kind: 'external', index: ends.length, pods: [], ranges: x.ranges, cidrs: x.cidrs, label: x.label });
  const G = groups.length, E = ends.length;
  const keepFrom = ends.map((e) => from.length === 0 || (e.kind === 'external' ? from.some((f) => endMatches(f, main.externals[e.index - G]!)) : from.some((f) => endMatches(f, podEnd(e.pods[0]!)))));
  const keepTo = ends.map((e) => to.length === 0 || (e.kind === 'external' ? to.some((f) => endMatches(f, main.externals[e.index - G]!)) : to.some((f) => endMatches(f, podEnd(e.pods[0]!)))));
  // --port: the ports kept on each destination; one set for all when no filter is a name.
  const uniformPorts = ports.length === 0 ? undefined : named ? undefined : portFilterRanges(ports, { ...podEnd(cluster.pods[0]!), pods: [] });
  const portsAt = (d: number): PortRanges | undefined => (ports.length === 0 ? undefined : uniformPorts ?? portFilterRanges(ports, d < G ? podEnd(ends[d]!.pods[0]!) : main.externals[d - G]!));
  const notKept = ends.filter((_, d) => !keepTo[d]).map((e) => e.index);

  const answersOf = (b: ListBasis): (Answer | undefined)[] => {
    const engine = b.engine, K = engine.atomClasses;
    const clsOf = groups.map((g) => engine.classOfIndex(g.idx[0]!));
    const C = engine.classes.length;
    // Kept destination groups per class; P: classes holding one; extra: groups past one per class.
    const destsOf = new Map<number, number[]>();
    const P = newBits(C);
    clsOf.forEach((c, g) => {
      if (!keepTo[g]) return;
      const l = destsOf.get(c);
      if (l) l.push(g);
      else destsOf.set(c, [g]);
      P[c >>> 5]! |= 1 << (c & 31);
    });
    const multi = [...destsOf].filter(([, l]) => l.length > 1);
    const inP = popcount(P);
    // A destination class's column of the row: its atom classes -> port ranges, cached by the bits (K < 31 in practice).
    const byCode = new Map<number, PortRanges>();
    const column = (rows: Bits[], d: number): PortRanges => {
      const mask = new Uint8Array(K);
      let code = 0;
      for (let k = 0; k < K; k++) if (d >>> 5 < rows[k]!.length && hasBit(rows[k]!, d)) { mask[k] = 1; code |= 1 << k; }
      if (K > 30) return b.rangesOf(mask);
      let r = byCode.get(code);
      if (!r) byCode.set(code, (r = b.rangesOf(mask)));
      return r;
    };
    const byClass = new Map<number, Answer>();
    const classAnswer = (c: number): Answer => {
      const rows = engine.row(c);
      const except = new Map<number, PortRanges>();
      const extR = main.externals.map((_, i) => (keepTo[G + i] ? cut(b.external(c, i, true), portsAt(G + i)) : EMPTY));
      // The majority port-atom set over kept destination classes (if any set is held by most, it
      // is this one); each count stops once past half.
      const cand = new Uint8Array(K);
      // A row part the engine knows holds every live class needs no scan: it reaches every kept class.
      const full = rows.map((r) => engine.rowPartHoldsAll(r));
      for (let k = 0; k < K; k++) {
        if (full[k]) { cand[k] = inP > 0 ? 1 : 0; continue; }
        const rk = rows[k]!;
        let n = 0;
        for (let w = 0; w < P.length && n * 2 <= inP; w++) if (P[w]) n += popcount32((w < rk.length ? rk[w]! : 0) & P[w]!);
        cand[k] = n * 2 > inP ? 1 : 0;
      }
      // The kept destination classes whose column differs from it: one pass over the row's words.
      const differ: number[] = [];
      // Parts that hold every class and are the candidate's cannot differ from it.
      const scan: number[] = [];
      for (let k = 0; k < K; k++) if (!(full[k] && cand[k])) scan.push(k);
      for (let w = 0; w < P.length && scan.length; w++) {
        const pw = P[w]!;
        if (!pw) continue;
        let x = 0;
        for (const k of scan) { const rk = rows[k]!; x |= ((w < rk.length ? rk[w]! : 0) ^ (cand[k] ? 0xffffffff : 0)) & pw; }
        for (; x; x &= x - 1) differ.push(w * 32 + 31 - Math.clz32(x & -x));
      }
      let base: PortRanges | undefined = cut(b.rangesOf(cand), uniformPorts);
      if (named || !hasAny(base)) base = undefined;
      else {
        let held = inP - differ.length;
        if (multi.length) {
          const d = new Set(differ);
          for (const [c2, l] of multi) if (!d.has(c2)) held += l.length - 1;
        }
        for (const r of extR) if (same(r, base)) held++;
        if (held * 2 <= E) base = undefined;
      }
      if (base) {
        for (const d of differ) { const r = column(rows, d); for (const g of destsOf.get(d)!) except.set(g, cut(r, portsAt(g))); }
        for (const d of notKept) except.set(d, EMPTY);
        extR.forEach((r, i) => { if (keepTo[G + i] && !same(r, base)) except.set(G + i, r); });
      } else {
        // Every reached kept class, one by one (the answer is about as long).
        for (let w = 0; w < P.length; w++) {
          let y = 0;
          for (let k = 0; k < K; k++) { const rk = rows[k]!; y |= w < rk.length ? rk[w]! : 0; }
          for (y &= P[w]!; y; y &= y - 1) {
            const d = w * 32 + 31 - Math.clz32(y & -y);
            const r = column(rows, d);
            for (const g of destsOf.get(d)!) { const x = cut(r, portsAt(g)); if (hasAny(x)) except.set(g, x); }
          }
        }
        extR.forEach((r, i) => { if (hasAny(r)) except.set(G + i, r); });
      }
      return { base, except };
    };
    return ends.map((e, s) => {
      if (!keepFrom[s]) return undefined;
      if (e.kind === 'class') {
        const c = clsOf[s]!;
        let a = byClass.get(c);
        if (!a) byClass.set(c, (a = classAnswer(c)));
        return a;
      }
      // An address toward the groups: list.ts's answer per destination class, the commonest set as base.
      const i = s - G;
      const perClass = new Map<number, PortRanges>();
      const rs = groups.map((_, g) => {
        if (!keepTo[g]) return EMPTY;
        let r = perClass.get(clsOf[g]!);
        if (!r) perClass.set(clsOf[g]!, (r = b.external(clsOf[g]!, i, false)));
        return cut(r, portsAt(g));
      });
      const count = new Map<string, { r: PortRanges; n: number }>();
      for (const r of rs) if (hasAny(r)) { const k = keyOf(r); const x = count.get(k); if (x) x.n++; else count.set(k, { r, n: 1 }); }
      let top: { r: PortRanges; n: number } | undefined;
      for (const x of count.values()) if (!top || x.n > top.n) top = x;
      const base = top && top.n * 2 > E ? top.r : undefined;
      const except = new Map<number, PortRanges>();
      rs.forEach((r, g) => { if (!same(r, base ?? EMPTY)) except.set(g, r); });
      if (base) for (let d = G; d < E; d++) except.set(d, EMPTY); // an address never reaches an address
      return { base, except };
    });
  };

  let answers = answersOf(main);
  // depends: the two bounds' difference on group pairs (an address is certain), and hostNetwork ends.
  const dependsBy = new Map<string, Map<number, Answer>>();
  const addDepends = (reason: string, s: number, a: Answer) => {
    let m = dependsBy.get(reason);
    if (!m) dependsBy.set(reason, (m = new Map()));
    const old = m.get(s);
    if (!old) m.set(s, a);
    else for (const [d, r] of a.except) old.except.set(d, r);
  };
  if (hasBlocks) {
    const [lower, upper] = [answersOf(bases[1]!), answersOf(bases[2]!)];
    const why = ipReasoner(cluster);
    for (let s = 0; s < G; s++) {
      if (!keepFrom[s]) continue;
      const diff = answerMinus(upper[s]!, lower[s]!);
      const at = (d: number) => (d >= G ? EMPTY : answerAt(diff, d));
      const dests = diff.base ? ends.map((_, d) => d) : [...diff.except.keys()];
      for (const d of dests) {
        const r = at(d);
        if (hasAny(r)) addDepends(why(groups[s]!.pods[0]!, groups[d]!.pods[0]!), s, { except: new Map([[d, r]]) });
      }
    }
  }
  if (anyHost) {
    for (let h = 0; h < G; h++) {
      if (!groups[h]!.pods[0]!.hostNetwork) continue;
      const reason = hostNetworkReason(groups[h]!.pods[0]!);
      // Every port of every pair with a hostNetwork end, both ways (as depends.ts).
      if (keepFrom[h]) {
        const except = new Map<number, PortRanges>();
        for (let d = 0; d < E; d++) if (keepTo[d]) except.set(d, cut(ALL(), portsAt(d)));
        addDepends(reason, h, { except });
      }
      if (keepTo[h]) for (let s = 0; s < E; s++) if (keepFrom[s]) addDepends(reason, s, { except: new Map([[h, cut(ALL(), portsAt(h))]]) });
    }
  }
  if (mode === 'depends' && dependsBy.size) {
    // Only certain allows remain.
    answers = answers.map((a, s) => {
      if (!a) return a;
      let out = a;
      for (const m of dependsBy.values()) { const d = m.get(s); if (d) out = answerMinus(out, d); }
      return out;
    });
  }
  const connections = encode(answers).map(({ from, dests, r }) => ({ from, dests, allowed: r }));
  const depends: ClassDepends[] = [];
  for (const [reason, m] of dependsBy) {
    const per: (Answer | undefined)[] = ends.map((_, s) => m.get(s));
    for (const x of encode(per)) depends.push({ from: x.from, dests: x.dests, ports: x.r, reason });
  }
  depends.sort((a, b) => a.from[0]! - b.from[0]!);
  return { ends, connections, depends, unmatched: main.unmatched };
}

/** Answers -> entries: per source a `toAllExcept` (when it has a base) and `to` lists per port-range set; equal sources share entries. */
function encode(answers: readonly (Answer | undefined)[]): { from: number[]; dests: ClassDests; r: PortRanges }[] {
  // Sources of one class share their Answer: its entries and key are built once.
  const answerKeys = new Map<Answer, { key: string; entries: { dests: ClassDests; r: PortRanges }[] }>();
  const rows = new Map<string, { from: number[]; entries: { dests: ClassDests; r: PortRanges }[] }>();
  answers.forEach((a, s) => {
    if (!a) return;
    let hit = answerKeys.get(a);
    if (!hit) answerKeys.set(a, (hit = entriesOf(a)));
    if (!hit.entries.length) return;
    const { key, entries } = hit;
    const row = rows.get(key);
    if (row) row.from.push(s);
    else rows.set(key, { from: [s], entries });
  });
  return [...rows.values()].flatMap((row) => row.entries.map((e) => ({ from: row.from, ...e })));
}

function entriesOf(a: Answer): { key: string; entries: { dests: ClassDests; r: PortRanges }[] } {
  const entries: { dests: ClassDests; r: PortRanges }[] = [];
  const except = a.except;
  if (a.base) entries.push({ dests: { toAllExcept: [...except.keys()].sort((x, y) => x - y) }, r: a.base });
  const byRanges = new Map<string, { r: PortRanges; to: number[] }>();
  for (const [d, r] of except) {
    if (!hasAny(r)) continue;
    const k = keyOf(r);
    const x = byRanges.get(k);
    if (x) x.to.push(d);
    else byRanges.set(k, { r, to: [d] });
  }
  const tos = [...byRanges.values()].map((x) => ({ dests: { to: x.to.sort((p, q) => p - q) }, r: x.r }));
  tos.sort((x, y) => (x.dests as { to: number[] }).to[0]! - (y.dests as { to: number[] }).to[0]!);
  entries.push(...tos);
  return { key: JSON.stringify(entries.map((e) => [e.dests, keyOf(e.r)])), entries };
}
