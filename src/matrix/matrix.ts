// Whole-cluster reachability: for every ordered pod pair and probe, may the source open a
// connection to the destination? The JSON shape is a contract (README, issue #2). Computed on
// the class engine (engine.ts): one row per source class, expanded to pods only here.
import type { Cluster } from '../model/types.js';
import type { EvaluateOptions } from '../evaluate/evaluate.js';
import { hasBit } from './bitset.js';
import { Reachability, type EngineStats } from './engine.js';
import { resolveProbePort, type Probe } from './ports.js';

export interface MatrixProbe {
  port: number | string;
  protocol: Probe['protocol'];
  /** rows[i][j] is '1' when pods[i] may open a connection to pods[j]. */
  rows: string[];
}

export interface Matrix {
  pods: string[];
  probes: MatrixProbe[];
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
  const engine = new Reachability({ ...cluster, pods }, { ipBlockPods: options.ipBlockPods ?? 'match' });
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
  options.onStats?.({ ...engine.stats });
  return {
    pods: pods.map((p) => `${p.namespace}/${p.name}`),
    probes: probes.map((probe, pi) => ({ port: probe.port, protocol: probe.protocol, rows: rows[pi]! })),
  };
}
