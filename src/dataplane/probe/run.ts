// A full probe: a real connection for every ordered pod pair and probe port (plus pods <-> outside
// hosts), run by the agents concurrently, then set against the engine's matrix.
import type { Cluster } from '../../model/types.js';
import type { Matrix } from '../../matrix/matrix.js';
import { computeMatrix } from '../../matrix/matrix.js';
import { resolveProbePort, type Probe } from '../../matrix/ports.js';
import { Evaluator } from '../../evaluate/evaluate.js';
import type { LabHost, LabState } from '../state.js';
import { LabError, pool, sctpSupport } from '../system.js';
import { probeFrom, type Outcome, type ProbeRequest } from './client.js';

export interface ProbeOptions {
  /** Per-connection timeout; a policy drop shows as a timeout. */
  timeoutMs?: number;
  /** Connections in flight per source pod. */
  concurrency?: number;
  /**
   * Timed-out connections are tried again this many times (default 1): on a loaded machine the
   * first packets of a fresh lab (neighbour resolution, cold agents) can miss a short timeout.
   */
  retries?: number;
}

export interface Cell {
  from: string;
  to: string;
  port: number | string;
  protocol: Probe['protocol'];
  /** The number probed, after resolving a named port on the destination. */
  target?: number;
  outcome: Outcome | 'no such port';
  engine: boolean;
}

export interface ProbeReport {
  /** Same shape as `netpol matrix --format json`: '1' when a real connection was established. */
  observed: Matrix;
  engine: Matrix;
  /** Off-diagonal cells where observed and engine differ. */
  disagreements: Cell[];
  /** Pod <-> outside host connections, each with the engine's verdict. */
  externals: Cell[];
  skipped: { port: number | string; protocol: Probe['protocol']; reason: string }[];
  notes: string[];
  counts: Record<string, number>;
  ms: number;
}

export const MAX_CONNECTIONS = 200_000;

/**
 * The engine's matrix. The class engine refuses tier policies for now (NotSupportedError); until it
 * takes them, the readable Evaluator answers each cell, in the same 'match' mode (equal tier
 * priorities in its fixed order, which the compiler refuses or follows: nft/tiers.ts).
 */
function engineMatrix(cluster: Cluster, probes: readonly Probe[], evaluator: Evaluator): Matrix {
  try {
    return computeMatrix(cluster, probes, { ipBlockPods: 'match' });
  } catch (e) {
    if (!(e instanceof Error && e.name === 'NotSupportedError')) throw e;
  }
  return evaluatorMatrix(cluster, probes, evaluator);
}

/** The matrix cell by cell from the Evaluator (exported for the test that pins it to computeMatrix). */
export function evaluatorMatrix(cluster: Cluster, probes: readonly Probe[], evaluator = new Evaluator(cluster, { ipBlockPods: 'match' })): Matrix {
  const pods = cluster.pods;
  return {
    pods: pods.map((p) => `${p.namespace}/${p.name}`),
    probes: probes.map((probe) => ({
      port: probe.port,
      protocol: probe.protocol,
      rows: pods.map((from, i) => pods.map((to, j) => {
        if (i === j) return '1';
        const port = resolveProbePort(probe, to);
        return port !== undefined && evaluator.allowed({ from: { kind: 'pod', pod: from }, to: { kind: 'pod', pod: to }, port, protocol: probe.protocol }) ? '1' : '0';
      }).join('')),
    })),
    depends: [], // the lab asks 'match' mode; its cells are the ones it probes
  };
}

export async function runProbes(state: LabState, probes: readonly Probe[], options: ProbeOptions = {}): Promise<ProbeReport> {
  const t0 = Date.now();
  const timeoutMs = options.timeoutMs ?? 300;
  const concurrency = options.concurrency ?? 64;
  const cluster = state.cluster;
  const pods = cluster.pods;
  const hostOf = new Map(state.hosts.map((h) => [h.id, h]));
  const externals = state.hosts.filter((h) => h.kind === 'external');
  const skipped: ProbeReport['skipped'] = [];
  const sctp = probes.some((p) => p.protocol === 'SCTP') ? sctpSupport() : { ok: true, reason: '' };
  const live = probes.filter((p) => {
    if (p.protocol !== 'SCTP' || sctp.ok) return true;
    skipped.push({ port: p.port, protocol: p.protocol, reason: sctp.reason });
    return false;
  });

  // Plan: per source host, the list of connections it opens, each tied to a result slot.
  const cells: Cell[] = [];
  const perSource = new Map<LabHost, { req: ProbeRequest; cell: Cell }[]>();
  const plan = (src: LabHost, dst: LabHost, cell: Cell) => {
    if (cell.target === undefined) return;
    const list = perSource.get(src) ?? [];
    list.push({ req: { ip: dst.ip, port: cell.target, protocol: cell.protocol }, cell });
    perSource.set(src, list);
  };
  const evaluator = new Evaluator(cluster, { ipBlockPods: 'match' });
  const engine = engineMatrix(cluster, live, evaluator);
  live.forEach((probe, k) => {
    pods.forEach((src, i) => pods.forEach((dst, j) => {
      if (i === j) return; // a pod always reaches itself: NetworkPolicy does not apply
      const target = resolveProbePort(probe, dst);
      const cell: Cell = { from: `${src.namespace}/${src.name}`, to: `${dst.namespace}/${dst.name}`, port: probe.port, protocol: probe.protocol, target,
        outcome: target === undefined ? 'no such port' : 'timeout', engine: engine.probes[k]!.rows[i]![j] === '1' };
      cells.push(cell);
      plan(hostOf.get(cell.from)!, hostOf.get(cell.to)!, cell);
    }));
  });
  const extCells: Cell[] = [];
  for (const x of externals) {
    for (const pod of pods) {
      const ph = hostOf.get(`${pod.namespace}/${pod.name}`)!;
      for (const p of x.ports) {
        const allowed = evaluator.allowed({ from: { kind: 'pod', pod }, to: { kind: 'ip', ip: x.ip }, port: p.port, protocol: p.protocol });
        const cell: Cell = { from: ph.id, to: x.id, port: p.port, protocol: p.protocol, target: p.port, outcome: 'timeout', engine: allowed };
        extCells.push(cell);
        plan(ph, x, cell);
      }
      for (const probe of live) {
        const target = resolveProbePort(probe, pod);
        if (target === undefined) continue;
        const allowed = evaluator.allowed({ from: { kind: 'ip', ip: x.ip }, to: { kind: 'pod', pod }, port: target, protocol: probe.protocol });
        const cell: Cell = { from: x.id, to: ph.id, port: probe.port, protocol: probe.protocol, target, outcome: 'timeout', engine: allowed };
        extCells.push(cell);
        plan(x, ph, cell);
      }
    }
  }
  const notes: string[] = [];
  const podPorts = new Set(state.hosts.filter((h) => h.kind === 'pod').flatMap((h) => h.ports.map((p) => `${p.port}/${p.protocol}`)));
  for (const p of live) {
    if (typeof p.port === 'number' && !podPorts.has(`${p.port}/${p.protocol}`)) {
      notes.push(`no pod listens on ${p.port}/${p.protocol}, so allowed connections are refused, not established: \`netpol lab up --port ${p.port}/${p.protocol} …\` makes every pod serve it`);
    }
  }
  const total = [...perSource.values()].reduce((n, l) => n + l.length, 0);
  if (total > MAX_CONNECTIONS) throw new LabError(`this probe would open ${total} connections; the limit is ${MAX_CONNECTIONS}: probe fewer ports (--port)`);

  let round = [...perSource];
  for (let attempt = 0; round.length > 0; attempt++) {
    await pool(round, 64, async ([src, list]) => {
      let results;
      try {
        results = await probeFrom(src.sock, list.map((x) => x.req), timeoutMs, concurrency);
      } catch (e) {
        throw new LabError(`probing from ${src.id} failed: ${(e as Error).message} (is the lab still up? \`netpol lab down\` and \`up\` again)`);
      }
      results.forEach((r, i) => (list[i]!.cell.outcome = r.r));
    });
    if (attempt >= (options.retries ?? 1)) break;
    round = round.map(([src, list]) => [src, list.filter((x) => x.cell.outcome === 'timeout')] as [LabHost, typeof list]).filter(([, l]) => l.length > 0);
  }

  const established = new Set(cells.filter((c) => c.outcome === 'established'));
  const observed: Matrix = {
    pods: engine.pods,
    probes: live.map((probe, k) => ({
      port: probe.port,
      protocol: probe.protocol,
      rows: pods.map((_, i) => pods.map((_, j) => {
        if (i === j) return '1';
        return established.has(cells[k * pods.length * (pods.length - 1) + i * (pods.length - 1) + (j < i ? j : j - 1)]!) ? '1' : '0';
      }).join('')),
    })),
    depends: [], // what was observed is certain
  };
  const reached = (c: Cell) => c.outcome === 'established';
  const disagreements = cells.filter((c) => reached(c) !== c.engine);
  const counts: Record<string, number> = {};
  for (const c of [...cells, ...extCells]) counts[c.outcome] = (counts[c.outcome] ?? 0) + 1;
  return { observed, engine, disagreements, externals: extCells, skipped, notes, counts, ms: Date.now() - t0 };
}

/** Outside-host connections whose outcome differs from the engine's verdict. */
export const externalDisagreements = (r: ProbeReport) => r.externals.filter((c) => (c.outcome === 'established') !== c.engine);
