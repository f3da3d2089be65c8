// `netpol list` with Admin/Baseline tier policies: every pod pair, port edge and address edge
// (tier `networks` and node addresses cut the external ends) agrees with the Evaluator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listConnections } from '../../src/index.js';
import type { Cluster, Pod } from '../../src/model/types.js';
import { generateTierCluster } from '../oracle/generate-tiers.js';
import { checkList, checkPartition } from './list-helpers.js';

function withWorkloads(c: Cluster): Cluster {
  const pods = c.pods.map((p, i): Pod => (i % 3 === 2 ? p : { ...p, workload: { kind: i % 2 ? 'Deployment' : 'StatefulSet', name: `w${i % 2}` } }));
  return { ...c, pods };
}

test('tier clusters: every pair, port edge and address edge of the list agrees with the Evaluator', (t) => {
  let probes = 0, allowed = 0, lists = 0, changed = 0;
  for (let seed = 8100; seed < 8116; seed++) {
    const g = generateTierCluster(seed);
    for (const mode of ['match', 'ignore'] as const) {
      const cluster = seed % 2 ? g.cluster : withWorkloads(g.cluster);
      const by = seed % 3 === 0 ? 'pod' : 'workload';
      const list = listConnections(cluster, { ipBlockPods: mode, by });
      checkPartition(list);
      const r = checkList(cluster, list, { mode, externalIps: g.externalIps });
      probes += r.probes;
      allowed += r.allowed;
      lists++;
      const plain = listConnections({ ...cluster, clusterPolicies: [] }, { ipBlockPods: mode, by });
      if (JSON.stringify(plain.connections.map((c) => [c.from.label, c.to.label, c.allowed])) !== JSON.stringify(list.connections.map((c) => [c.from.label, c.to.label, c.allowed]))) changed++;
    }
  }
  t.diagnostic(`list with tiers: ${lists} lists, ${probes} probes (${allowed} allowed), ${changed} lists changed by the tiers`);
  assert.ok(allowed > 1000 && probes - allowed > 1000, `both answers seen (${allowed} allowed of ${probes})`);
  assert.ok(changed > lists / 2, `tiers changed ${changed} of ${lists} lists`);
});
