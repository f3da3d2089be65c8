// Whole-cluster reachability: for every ordered pod pair and probe, may the source open a
// connection to the destination? The JSON shape is a contract (README, issue #2).
import type { Cluster } from '../model/types.js';
import { Evaluator, type EvaluateOptions } from '../evaluate/evaluate.js';
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
}

/** Straightforward pairwise matrix on the readable evaluator. */
export function computeMatrix(cluster: Cluster, probes: readonly Probe[], options: MatrixOptions = {}): Matrix {
  const evaluator = new Evaluator(cluster, { ipBlockPods: options.ipBlockPods ?? 'match' });
  const pods = cluster.pods.filter((p) => !options.namespaces?.length || options.namespaces.includes(p.namespace));
  return {
    pods: pods.map((p) => `${p.namespace}/${p.name}`),
    probes: probes.map((probe) => ({
      port: probe.port,
      protocol: probe.protocol,
      rows: pods.map((src) =>
        pods
          .map((dst) => {
            if (src === dst) return '1'; // a pod can always reach itself
            const port = resolveProbePort(probe, dst);
            if (port === undefined) return '0';
            return evaluator.allowed({ from: { kind: 'pod', pod: src }, to: { kind: 'pod', pod: dst }, port, protocol: probe.protocol }) ? '1' : '0';
          })
          .join(''),
      ),
    })),
  };
}
