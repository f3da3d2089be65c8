// Whole-cluster reachability: for every ordered pod pair and probe, may the source open a
// connection to the destination? The JSON shape is a contract (README, issues #2 and #9).
// Computed on the class engine (engine.ts): one row per source class, expanded to pods only here.
import { ipBlocksOf, type Cluster, type IPBlock, type NetworkPolicy, type Pod } from '../model/types.js';
import { ipBlockContains, policySelectsPod } from '../match/peer.js';
import { parseCidr, parseIp, type IpRange } from '../net/ip.js';
import { Evaluator, hostNetworkReason, type EvaluateOptions } from '../evaluate/evaluate.js';
import { hasBit, popcount32 } from './bitset.js';
import { Reachability, type EngineStats, type ReachabilityOptions } from './engine.js';
import { resolveProbePort, type Probe } from './ports.js';

export interface MatrixProbe {
  port: number | string;
  protocol: Probe['protocol'];
  /** rows[i][j] is '1' when pods[i] may open a connection to pods[j]. */
  rows: string[];
}

/** A cell whose verdict hinges on what the API leaves to the plugin (or the manifests do not state). */
export interface MatrixDepends {
  from: string;
  to: string;
  port: number | string;
  protocol: Probe['protocol'];
  reason: string;
}

export interface Matrix {
  pods: string[];
  probes: MatrixProbe[];
  /** Cells of `rows` that are not certain, whatever the mode; empty when every cell is. */
  depends: MatrixDepends[];
}

export interface MatrixOptions extends EvaluateOptions {
  /** Only pods in these namespaces (all when empty). */
  namespaces?: readonly string[];
  /** Receives the engine's counters (classes, atoms, rows computed), e.g. for tests and --stats. */
  onStats?: (stats: EngineStats) => void;
}

export function computeMatrix(cluster: Cluster, probes: readonly Probe[], options: MatrixOptions = {}): Matrix {
  const pods = cluster.pods.filter((p) => !options.namespaces?.length || options.namespaces.includes(p.namespace));
  // A verdict between two pods depends only on them and the policies, so the engine needs only these pods.
  const scoped = { ...cluster, pods };
  const mode = options.ipBlockPods ?? 'match';
  const engine = new Reachability(scoped, { ipBlockPods: mode });
  const rows = engineRows(engine, pods, probes);
  options.onStats?.({ ...engine.stats });
  const names = pods.map((p) => `${p.namespace}/${p.name}`);
  const depends = dependsCells(scoped, probes, mode === 'depends' ? 'ignore' : mode, engine);
  // Under 'depends' a row holds only certain allows (the engine ran as 'ignore'; hostNetwork cells go too).
  if (mode === 'depends' && depends.length) clearCells(rows, names, probes, depends);
  return {
    pods: names,
    probes: probes.map((probe, pi) => ({ port: probe.port, protocol: probe.protocol, rows: rows[pi]! })),
    depends,
  };
}

/**
 * The matrix compressed by class (`matrix --format classes-json`): pods that no cell tells apart
 * share a class, and each probe lists, per group of source classes with the same row, the
 * destination classes they may reach (`to`) or, when shorter, those they may not (`toAllExcept`).
 * Pod i may reach pod j (i ≠ j) when i's class is in a group's `from` and j's class is in its `to`
 * (not in its `toAllExcept`); a pod always reaches itself; `depends` is the json format's list,
 * and under --ipblock-pods depends its cells are not allowed (the json rows hold a 0 there).
 * Output and work grow with classes and distinct rows, not pods²: B2's every row reaches every class.
 */
export interface MatrixClasses {
  pods: string[];
  /** Pod indices (into pods) of each class, ascending; classes ordered by their first pod. */
  classes: number[][];
  probes: { port: number | string; protocol: Probe['protocol']; rows: ({ from: number[]; to: number[] } | { from: number[]; toAllExcept: number[] })[] }[];
  depends: MatrixDepends[];
}

export function computeMatrixClasses(cluster: Cluster, probes: readonly Probe[], options: MatrixOptions = {}): MatrixClasses {
  const pods = cluster.pods.filter((p) => !options.namespaces?.length || options.namespaces.includes(p.namespace));
  const scoped = { ...cluster, pods };
  const mode = options.ipBlockPods ?? 'match';
  const engine = new Reachability(scoped, { ipBlockPods: mode });
  const cls = pods.map((_, i) => engine.classOfIndex(i));
  // Destination atom per probe (-1: named port not declared), as engineRows reads it.
  const atoms = probes.map((probe) => pods.map((dst) => {
    const port = resolveProbePort(probe, dst);
    return port === undefined ? -1 : engine.atomOf(probe.protocol, port);
  }));
  // Output classes: same engine class and same atom on every probe.
  const byKey = new Map<string, number>();
  const classes: number[][] = [];
  const outOf = new Map<number, number[]>();
  pods.forEach((_, i) => {
    const key = `${cls[i]} ${atoms.map((a) => a[i]).join(' ')}`;
    let id = byKey.get(key);
    if (id === undefined) {
      byKey.set(key, (id = classes.length));
      classes.push([]);
      const l = outOf.get(cls[i]!);
      if (l) l.push(id);
      else outOf.set(cls[i]!, [id]);
    }
    classes[id]!.push(i);
  });
  const N = classes.length;
  const repOf = classes.map((c) => c[0]!);
  const engineClasses = [...outOf.keys()].sort((a, b) => a - b);
  const out: MatrixClasses['probes'] = probes.map((probe) => ({ port: probe.port, protocol: probe.protocol, rows: [] }));
  const groups = probes.map(() => new Map<string, { from: number[]; to?: number[]; toAllExcept?: number[] }>());
  const unused: number[] = [];
  for (let c = 0; c < engine.classes.length; c++) if (!outOf.has(c)) unused.push(c);
  // Per probe: the destination atoms in use (one for numeric probes).
  const atomSets = atoms.map((a) => new Set(repOf.map((i) => a[i]!)));
  for (const s of engineClasses) {
    const row = engine.row(s);
    probes.forEach((_, pi) => {
      const a = atoms[pi]!;
      const atomSet = atomSets[pi]!;
      let to: number[] | undefined, except: number[] | undefined;
      if (atomSet.size === 1) {
        // Every destination on one atom (numeric probes): count, then list the smaller side.
        const k = [...atomSet][0]!;
        if (k < 0) to = [];
        else {
          const bits = row[k]!;
          let set = 0;
          for (let w = 0; w < bits.length; w++) set += popcount32(bits[w]!);
          // Bits of classes without pods here (none in a fresh engine) do not count.
          for (const c of unused) if (c < bits.length * 32 && hasBit(bits, c)) set--;
          const wantSet = set * 2 <= engineClasses.length;
          const list: number[] = [];
          // Only words that hold classes: the bitset's capacity runs past them (zero words that
          // would otherwise be read bit by bit on every row: classes² at 100k).
          const liveWords = Math.min(bits.length, Math.ceil(engine.classes.length / 32));
          for (let w = 0; w < liveWords; w++) {
            const word = bits[w]!;
            if (wantSet ? word === 0 : word === 0xffffffff) continue;
            for (let b = 0; b < 32; b++) {
              const c = w * 32 + b;
              if (((word >>> b) & 1) !== (wantSet ? 1 : 0)) continue;
              const ids = outOf.get(c);
              if (ids) for (const id of ids) list.push(id);
            }
          }
          // Classes past the bitset's end are not reached (engineClasses is ascending: walk its tail only).
          if (!wantSet) {
            let t = engineClasses.length;
            while (t > 0 && engineClasses[t - 1]! >= bits.length * 32) t--;
            for (; t < engineClasses.length; t++) list.push(...outOf.get(engineClasses[t]!)!);
          }
          if (wantSet) to = list; else except = list;
        }
      } else {
        to = [];
        for (let d = 0; d < N; d++) {
          const k = a[repOf[d]!]!;
          if (k >= 0 && hasBit(row[k]!, cls[repOf[d]!]!)) to.push(d);
        }
        if (to.length * 2 > N) {
          const inTo = new Set(to);
          except = [];
          for (let d = 0; d < N; d++) if (!inTo.has(d)) except.push(d);
          to = undefined;
        }
      }
      to?.sort((x, y) => x - y);
      except?.sort((x, y) => x - y);
      const key = to ? `t${to.join(',')}` : `e${except!.join(',')}`;
      const g = groups[pi]!;
      let hit = g.get(key);
      if (!hit) g.set(key, (hit = to ? { from: [], to } : { from: [], toAllExcept: except! }));
      hit.from.push(...outOf.get(s)!);
    });
  }
  groups.forEach((g, pi) => {
    for (const x of g.values()) {
      x.from.sort((p, q) => p - q);
      out[pi]!.rows.push(x.to ? { from: x.from, to: x.to } : { from: x.from, toAllExcept: x.toAllExcept! });
    }
    out[pi]!.rows.sort((p, q) => p.from[0]! - q.from[0]!);
  });
  options.onStats?.({ ...engine.stats });
  const depends = dependsCells(scoped, probes, mode === 'depends' ? 'ignore' : mode, engine);
  return { pods: pods.map((p) => `${p.namespace}/${p.name}`), classes, probes: out, depends };
}

/** rows[probe][i] for every pod: the engine's class rows expanded to pods (self always allowed). */
function engineRows(engine: Reachability, pods: readonly Pod[], probes: readonly Probe[]): string[][] {
  const n = pods.length;
  const cls = pods.map((_, i) => engine.classOfIndex(i));
  // Per probe and destination pod: the atom class the probe hits there, or -1 (named port not declared).
  const atoms = probes.map((probe) => pods.map((dst) => {
    const port = resolveProbePort(probe, dst);
    return port === undefined ? -1 : engine.atomOf(probe.protocol, port);
  }));
  const rows: string[][] = probes.map(() => new Array<string>(n));
  const bySource = new Map<number, number[]>();
  cls.forEach((c, i) => {
    const l = bySource.get(c);
    if (l) l.push(i);
    else bySource.set(c, [i]);
  });
  const chars = new Array<string>(n);
  for (const [c, members] of bySource) {
    const row = engine.row(c);
    probes.forEach((_, pi) => {
      const a = atoms[pi]!;
      for (let j = 0; j < n; j++) chars[j] = a[j]! >= 0 && hasBit(row[a[j]!]!, cls[j]!) ? '1' : '0';
      for (const i of members) {
        const keep = chars[i]!;
        chars[i] = '1'; // a pod can always reach itself
        rows[pi]![i] = chars.join('');
        chars[i] = keep;
      }
    });
  }
  return rows;
}

/**
 * The cells that are not certain. hostNetwork pods on either end (behaviour undefined per the
 * NetworkPolicy docs). ipBlocks against pod IPs: a verdict is monotone in which peers match, so
 * the 'ignore' run (no ipBlock matches a pod) and the run where every ipBlock that could cover a
 * pod does (its IP inside, or no IP known) bound every plugin's and every IP's answer; a cell
 * where the bounds differ depends. This is the matrix form of the Evaluator's 'depends' mode,
 * and test/matrix holds the two to each other.
 */
function dependsCells(cluster: Cluster, probes: readonly Probe[], mode: 'match' | 'ignore', engine: Reachability): MatrixDepends[] {
  if (cluster.clusterPolicies?.length) return tierDependsCells(cluster, probes, mode);
  const pods = cluster.pods;
  const n = pods.length;
  const name = (p: Pod) => `${p.namespace}/${p.name}`;
  const blocks = ipBlocksOf(cluster.policies);
  const anyHostNetwork = pods.some((p) => p.hostNetwork);
  if (!blocks.length && !anyHostNetwork) return [];
  // The ipBlock bounds: pod IPs never in a block (lower) and in every block they fall in, pods
  // without an IP in all of them (upper); a cell differs between the two when an ipBlock decides it.
  let lower: CellReader | undefined, upper: CellReader | undefined;
  if (blocks.length) {
    const noIp = pods.some((p) => p.ips.length === 0);
    lower = cellReader(mode === 'ignore' ? engine : new Reachability(cluster, { ipBlockPods: 'ignore' }), pods, probes);
    upper = cellReader(mode === 'match' && !noIp ? engine : new Reachability(cluster, { ipBlockPods: 'match', podsWithoutIpMatchBlocks: true }), pods, probes);
  }
  // Only a pair with a pod that some ipBlock could hold (an IP inside a block's cidr, or no IP)
  // can differ between the bounds, and only a pair with a hostNetwork pod has that doubt: other
  // pairs are skipped without reading a cell, so the work is n × |those pods|, not n².
  const inBlock = inAnyBlock(blocks);
  const special = pods.map((p) => p.hostNetwork || (blocks.length > 0 && (p.ips.length === 0 || p.ips.some(inBlock))));
  const specialList: number[] = [];
  special.forEach((x, j) => { if (x) specialList.push(j); });
  const everyone = Array.from({ length: n }, (_, j) => j);
  const reachable = probes.map((probe) => pods.map((p) => resolveProbePort(probe, p) !== undefined));
  // found[pi][i]: destinations j whose cell is in doubt, ascending, with whether an ipBlock decides it.
  const found = probes.map(() => new Map<number, { j: number; ip: boolean }[]>());
  // Sources of one (lower class, upper class) share both rows: each row is read once (a row is
  // valid until its engine's next row() call).
  const groups = new Map<string, number[]>();
  pods.forEach((_, i) => {
    const key = lower && upper ? `${lower.cls[i]} ${upper.cls[i]}` : String(i);
    const g = groups.get(key);
    if (g) g.push(i); else groups.set(key, [i]);
  });
  for (const members of groups.values()) {
    const lo = lower?.rowOf(members[0]!);
    const up = upper?.rowOf(members[0]!);
    for (const i of members) {
      const targets = special[i] ? everyone : specialList;
      if (!targets.length) continue;
      const from = pods[i]!;
      probes.forEach((_, pi) => {
        for (const j of targets) {
          if (i === j || !reachable[pi]![j]) continue;
          const to = pods[j]!;
          const hostNet = from.hostNetwork || to.hostNetwork;
          const ip = lo !== undefined && up !== undefined && lower!.at(lo, pi, j) !== upper!.at(up, pi, j);
          if (!hostNet && !ip) continue;
          let l = found[pi]!.get(i);
          if (!l) found[pi]!.set(i, (l = []));
          l.push({ j, ip });
        }
      });
    }
  }
  // In matrix order (probe, source, destination), worded as before.
  const out: MatrixDepends[] = [];
  let evaluator: Evaluator | undefined;
  let ipReason: ((from: Pod, to: Pod) => string) | undefined;
  let explained = 0;
  probes.forEach((probe, pi) => {
    for (const i of [...found[pi]!.keys()].sort((a, b) => a - b)) {
      const from = pods[i]!;
      for (const { j, ip } of found[pi]!.get(i)!) {
        const to = pods[j]!;
        let reason: string;
        if (explained < EXPLAINED) {
          // The readable evaluator words it exactly as `netpol query` does.
          explained++;
          evaluator ??= new Evaluator(cluster, { ipBlockPods: mode });
          const port = resolveProbePort(probe, to)!;
          reason = evaluator.evaluate({ from: { kind: 'pod', pod: from }, to: { kind: 'pod', pod: to }, port, protocol: probe.protocol }).depends.map((d) => d.reason).join('; ');
        } else {
          const reasons: string[] = [];
          for (const p of [from, to]) if (p.hostNetwork) reasons.push(hostNetworkReason(p));
          if (ip) reasons.push((ipReason ??= ipReasoner(cluster))(from, to));
          reason = reasons.join('; ');
        }
        out.push({ from: name(from), to: name(to), port: probe.port, protocol: probe.protocol, reason });
      }
    }
  });
  return out;
}

/** One engine's cells without expanding its rows to pods: a source's row, then one bit per cell. */
interface CellReader {
  cls: number[];
  rowOf(i: number): Uint32Array[];
  at(row: Uint32Array[], pi: number, j: number): boolean;
}

function cellReader(engine: Reachability, pods: readonly Pod[], probes: readonly Probe[]): CellReader {
  const cls = pods.map((_, i) => engine.classOfIndex(i));
  const atoms = probes.map((probe) => pods.map((dst) => {
    const port = resolveProbePort(probe, dst);
    return port === undefined ? -1 : engine.atomOf(probe.protocol, port);
  }));
  return {
    cls,
    // Not copied: the engine reuses its row buffers on its next row() call, and dependsCells reads
    // each row before that (its lower and upper readers are always different engines).
    rowOf: (i) => engine.row(cls[i]!),
    at: (row, pi, j) => { const a = atoms[pi]![j]!; return a >= 0 && hasBit(row[a]!, cls[j]!); },
  };
}

/** Could an address fall in one of these blocks' cidrs (excepts ignored: an over-approximation)? */
function inAnyBlock(blocks: readonly IPBlock[]): (ip: string) => boolean {
  const ranges = blocks.map((b) => parseCidr(b.cidr));
  // A cidr this parser does not read: every address may be inside (no pair is skipped).
  if (ranges.some((r) => r === undefined)) return () => true;
  const sorted = (ranges as IpRange[]).sort((a, b) => (a.family - b.family) || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  // Merged, so that one binary search answers.
  const merged: IpRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.family === r.family && r.first <= last.last + 1n) { if (r.last > last.last) last.last = r.last; }
    else merged.push({ ...r });
  }
  return (text) => {
    const ip = parseIp(text);
    if (!ip) return true;
    let lo = 0, hi = merged.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = merged[mid]!;
      if (r.family < ip.family || (r.family === ip.family && r.last < ip.value)) lo = mid + 1;
      else if (r.family > ip.family || r.first > ip.value) hi = mid - 1;
      else return true;
    }
    return false;
  };
}

/**
 * With tier policies, Deny rules make verdicts non-monotone in peer matches, so the ipBlock
 * bounds above no longer bracket them. The cells are then the Evaluator's own three-valued
 * verdicts (equal-priority ties, domainNames, unknown pod IPs against networks, hostNetwork,
 * ipBlocks), asked only when the cluster holds one of those sources of doubt.
 */
function tierDependsCells(cluster: Cluster, probes: readonly Probe[], mode: 'match' | 'ignore'): MatrixDepends[] {
  if (!mayDepend(cluster)) return [];
  const pods = cluster.pods;
  const out: MatrixDepends[] = [];
  const evaluator = new Evaluator(cluster, { ipBlockPods: mode });
  for (const probe of probes) {
    const ports = pods.map((p) => resolveProbePort(probe, p));
    for (const from of pods) {
      pods.forEach((to, j) => {
        const port = ports[j];
        if (from === to || port === undefined) return;
        const v = evaluator.evaluate({ from: { kind: 'pod', pod: from }, to: { kind: 'pod', pod: to }, port, protocol: probe.protocol });
        if (v.depends.length) out.push({ from: `${from.namespace}/${from.name}`, to: `${to.namespace}/${to.name}`, port: probe.port, protocol: probe.protocol, reason: v.depends.map((d) => d.reason).join('; ') });
      });
    }
  }
  return out;
}

/** Could any verdict of this tier cluster be uncertain? Otherwise no pair needs the Evaluator. */
function mayDepend(cluster: Cluster): boolean {
  if (cluster.pods.some((p) => p.hostNetwork) || ipBlocksOf(cluster.policies).length > 0) return true;
  const cps = cluster.clusterPolicies ?? [];
  const prios = new Set<string>();
  for (const p of cps) {
    const k = `${p.tier}/${p.priority}`;
    if (prios.has(k)) return true;
    prios.add(k);
  }
  const noIp = cluster.pods.some((p) => p.ips.length === 0);
  return cps.some((p) => [...p.ingress, ...p.egress].some((r) => r.peers.some((x) => x.kind === 'domainNames' || (noIp && (x.kind === 'networks' || x.kind === 'nodes')))));
}

function clearCells(rows: string[][], names: readonly string[], probes: readonly Probe[], cells: readonly MatrixDepends[]): void {
  const index = new Map(names.map((n, i) => [n, i]));
  const chars = rows.map((r) => r.map((row) => [...row]));
  for (const d of cells) {
    const pi = probes.findIndex((p) => p.port === d.port && p.protocol === d.protocol);
    chars[pi]![index.get(d.from)!]![index.get(d.to)!] = '0';
  }
  chars.forEach((r, pi) => r.forEach((row, i) => (rows[pi]![i] = row.join(''))));
}

/** Depends cells worded by the Evaluator (its exact rule and peer); past this, a shorter generic reason. */
const EXPLAINED = 5000;

/**
 * Which fact decides an ipBlock cell, per direction: the source's egress rules hold ipBlocks
 * (the destination's IP decides) and/or the destination's ingress rules do (the source's IP
 * decides). A far pod without a known IP could be inside; one with an IP is named when it lies
 * in such a block. Memoised per pod and direction: one pass over the namespace's policies.
 */
export function ipReasoner(cluster: Cluster): (from: Pod, to: Pod) => string {
  const memo = new Map<Pod, { egress: IPBlock[]; ingress: IPBlock[] }>();
  const blocksOf = (pod: Pod) => {
    let m = memo.get(pod);
    if (!m) {
      m = { egress: [], ingress: [] };
      for (const p of cluster.policies) {
        if (!policySelectsPod(p, pod)) continue;
        const collect = (rules: NetworkPolicy['ingress'], into: IPBlock[]) => { for (const r of rules) for (const x of r.peers) if (x.ipBlock) into.push(x.ipBlock); };
        if (p.policyTypes.includes('Egress')) collect(p.egress, m.egress);
        if (p.policyTypes.includes('Ingress')) collect(p.ingress, m.ingress);
      }
      memo.set(pod, m);
    }
    return m;
  };
  const name = (p: Pod) => `${p.namespace}/${p.name}`;
  const part = (far: Pod, blocks: IPBlock[], rules: string): string | undefined => {
    if (blocks.length === 0) return undefined;
    if (far.ips.length === 0) return `no IP is known for ${name(far)}, and an ipBlock of ${rules} could cover it`;
    const hit = far.ips.find((ip) => blocks.some((b) => ipBlockContains(b, ip)));
    return hit ? `${name(far)}'s IP ${hit} lies in an ipBlock of ${rules}` : undefined;
  };
  return (from, to) => {
    const parts = [part(to, blocksOf(from).egress, `${name(from)}'s egress rules`), part(from, blocksOf(to).ingress, `${name(to)}'s ingress rules`)].filter((x) => x !== undefined);
    return `ipBlock vs pod IP: ${parts.length ? parts.join('; ') : 'an ipBlock of the policies could cover a pod'}; whether ipBlocks match pod IPs is up to the network plugin`;
  };
}
