// netpol list, pod <-> address answers: read from the pod's side per rule (list.ts), pinned to the
// Evaluator on generated clusters (some pods on the host network).
// (Pod <-> pod pairs are checked in list.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listConnections, type ListEnd } from '../../src/index.js';
import { Evaluator } from '../../src/evaluate/evaluate.js';
import { PROTOCOLS, type Cluster } from '../../src/model/types.js';
import { generateCluster } from '../oracle/generate.js';
import { replicaCluster } from '../matrix/helpers.js';
import { inRanges, probePorts } from './list-helpers.js';

/** Every third pod on the host network. */
const onHost = (c: Cluster): Cluster => ({ ...c, pods: c.pods.map((p, i) => (i % 3 === 0 ? { ...p, hostNetwork: true } : p)) });
const key = (e: ListEnd) => (Array.isArray(e.id) ? e.id.join(',') : e.id);

test('pod <-> address: every address edge agrees with the Evaluator, hostNetwork pods included, in every mode', () => {
  let allowed = 0, probes = 0, hostNet = 0;
  for (let seed = 1; seed <= 8; seed++) {
    const g = generateCluster(seed + 500);
    for (const cluster of [onHost(g.cluster), onHost(replicaCluster(seed))]) {
      for (const mode of ['match', 'ignore', 'depends'] as const) {
        const list = listConnections(cluster, { ipBlockPods: mode, by: 'pod' });
        const ev = new Evaluator(cluster, { ipBlockPods: mode });
        const listed = new Map(list.connections.map((c) => [`${key(c.from)} ${key(c.to)}`, c.allowed]));
        const ports = probePorts(cluster, list.connections.map((c) => c.allowed));
        const pods = list.ends.filter((e) => e.kind === 'pod'), externals = list.ends.filter((e) => e.kind === 'external');
        for (const p of pods) {
          // The list's depends mode allows like ignore (engine semantics); the Evaluator's depends
          // mode counts no hostNetwork verdict as allowed, so those pods are compared in the other modes.
          if (mode === 'depends' && p.pods[0]!.hostNetwork) continue;
          for (const x of externals) {
            // The first and last address of each range: both must get the end's answer.
            const ips = x.ranges.flatMap((r) => [r.first, r.last]).slice(0, 4).map((v) => listIp(x, v));
            for (const egress of [true, false]) {
              const got = listed.get(egress ? `${key(p)} ${key(x)}` : `${key(x)} ${key(p)}`);
              for (const protocol of PROTOCOLS) for (const port of ports[protocol]) for (const ip of ips) {
                const pod = { kind: 'pod' as const, pod: p.pods[0]! }, addr = { kind: 'ip' as const, ip };
                const want = ev.allowed({ from: egress ? pod : addr, to: egress ? addr : pod, port, protocol });
                assert.equal(got ? inRanges(got[protocol], port) : false, want, `${mode}: ${egress ? `${key(p)} -> ${ip}` : `${ip} -> ${key(p)}`} ${protocol}/${port}`);
                probes++;
                if (want) allowed++;
                if (p.pods[0]!.hostNetwork) hostNet++;
              }
            }
          }
        }
      }
    }
  }
  assert.ok(allowed > 500 && probes - allowed > 500 && hostNet > 500, `both answers seen (${allowed} of ${probes}; ${hostNet} on hostNetwork pods)`);
});

function listIp(x: ListEnd, v: bigint): string {
  const f = x.ranges[0]!.family;
  if (f === 4) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
  return Array.from({ length: 8 }, (_, i) => ((v >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');
}
