// netpol diff: the connections a change opens and closes. Pod pairs come from two computeMatrix
// results (cells whose verdict changed, over the pods present in both); external peers are one
// address per region of the IP space the ipBlocks of either side cut out.
import { Evaluator, type Endpoint } from '../../evaluate/evaluate.js';
import type { IpBlockPods } from '../../match/peer.js';
import { computeMatrix, type Matrix } from '../../matrix/matrix.js';
import { resolveProbePort, type Probe } from '../../matrix/ports.js';
import { podId, type Cluster, type Pod, type Protocol } from '../../model/types.js';
import { externalRegions, tierAddressBlocks } from '../universe.js';
import { diffPolicies, type PolicyChanges } from './policies.js';

export interface DiffConnection {
  from: string;
  to: string;
  port: number | string;
  protocol: Protocol;
  /** Set when the verdict on either side hinges on the plugin (ipBlock vs pod IP, hostNetwork): why. */
  depends?: string;
}

export interface DiffResult {
  opened: DiffConnection[];
  closed: DiffConnection[];
  policies: PolicyChanges;
}

export interface DiffOptions {
  ipBlockPods?: IpBlockPods;
}

/** Cells that differ between two matrices, over the pods both have and the probes both have. */
export function diffMatrices(before: Matrix, after: Matrix): { opened: DiffConnection[]; closed: DiffConnection[] } {
  const opened: DiffConnection[] = [];
  const closed: DiffConnection[] = [];
  const bIndex = new Map(before.pods.map((p, i) => [p, i]));
  const reasons = new Map<string, string>();
  for (const d of [...before.depends, ...after.depends]) reasons.set(`${d.port}/${d.protocol}|${d.from}|${d.to}`, d.reason);
  const common = after.pods.map((p, j) => [p, bIndex.get(p), j] as const).filter((x): x is readonly [string, number, number] => x[1] !== undefined);
  for (const pa of after.probes) {
    const pb = before.probes.find((x) => x.port === pa.port && x.protocol === pa.protocol);
    if (!pb) continue;
    for (const [from, bi, ai] of common) {
      for (const [to, bj, aj] of common) {
        const was = pb.rows[bi]![bj] === '1';
        const now = pa.rows[ai]![aj] === '1';
        if (was === now) continue;
        const why = reasons.get(`${pa.port}/${pa.protocol}|${from}|${to}`);
        (now ? opened : closed).push({ from, to, port: pa.port, protocol: pa.protocol, ...(why ? { depends: why } : {}) });
      }
    }
  }
  return { opened, closed };
}

export function diffClusters(before: Cluster, after: Cluster, probes: readonly Probe[], options: DiffOptions = {}): DiffResult {
  const ipBlockPods = options.ipBlockPods ?? 'match';
  const { opened, closed } = diffMatrices(computeMatrix(before, probes, { ipBlockPods }), computeMatrix(after, probes, { ipBlockPods }));
  // External peers, both ways, for every pod present on both sides.
  const evB = new Evaluator(before, { ipBlockPods });
  const evA = new Evaluator(after, { ipBlockPods });
  const bPods = new Map(before.pods.map((p) => [podId(p), p]));
  const regions = externalRegions([...before.policies, ...after.policies], tierAddressBlocks([...(before.clusterPolicies ?? []), ...(after.clusterPolicies ?? [])], after.nodes ?? before.nodes));
  for (const probe of probes) {
    for (const podA of after.pods) {
      const podB = bPods.get(podId(podA));
      if (!podB) continue;
      for (const r of regions) {
        const ip: Endpoint = { kind: 'ip', ip: r.ip };
        const check = (from: (p: Pod) => Endpoint, to: (p: Pod) => Endpoint, dest: Pod | undefined, conn: Omit<DiffConnection, 'port' | 'protocol'>) => {
          const port = typeof probe.port === 'number' ? probe.port : resolveProbePort(probe, dest);
          if (port === undefined) return;
          const was = evB.evaluate({ from: from(podB), to: to(podB), port, protocol: probe.protocol });
          const now = evA.evaluate({ from: from(podA), to: to(podA), port, protocol: probe.protocol });
          if ((was.allowed === true) === (now.allowed === true)) return;
          const why = [...now.depends, ...was.depends][0]?.reason;
          (now.allowed === true ? opened : closed).push({ ...conn, port: probe.port, protocol: probe.protocol, ...(why ? { depends: why } : {}) });
        };
        const pod = (p: Pod): Endpoint => ({ kind: 'pod', pod: p });
        check(pod, () => ip, undefined, { from: podId(podA), to: r.label });
        check(() => ip, pod, podA, { from: r.label, to: podId(podA) });
      }
    }
  }
  const order = (a: DiffConnection, b: DiffConnection) =>
    a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || String(a.port).localeCompare(String(b.port), 'en', { numeric: true }) || a.protocol.localeCompare(b.protocol);
  return { opened: opened.sort(order), closed: closed.sort(order), policies: diffPolicies(before.policies, after.policies) };
}
