// Evaluator.trace gives one direction's trace without the other and without the three-valued
// pass: it must equal evaluate(c)'s trace of that direction, in every mode, tiers included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator, type Endpoint } from '../../src/evaluate/evaluate.js';
import { PROTOCOLS, type Cluster } from '../../src/model/types.js';
import { replicaCluster } from '../matrix/helpers.js';
import { generateTierCluster } from '../oracle/generate-tiers.js';

test('Evaluator.trace(c, direction) equals evaluate(c)[direction] (replica and tier clusters, 3 modes)', () => {
  const clusters: Cluster[] = [];
  for (let seed = 1; seed <= 10; seed++) clusters.push(replicaCluster(seed), generateTierCluster(seed, { podsPerNamespace: 4 }).cluster);
  let checked = 0, isolated = 0;
  for (const [i, cluster] of clusters.entries()) {
    const ends: Endpoint[] = [...cluster.pods.slice(0, 12).map((pod) => ({ kind: 'pod' as const, pod })), { kind: 'ip', ip: '10.1.0.3' }, { kind: 'ip', ip: '1.1.1.1' }];
    for (const mode of ['match', 'ignore', 'depends'] as const) {
      const ev = new Evaluator(cluster, { ipBlockPods: mode });
      for (const from of ends) for (const to of ends) for (const protocol of PROTOCOLS) for (const port of [53, 80, 8080]) {
        const c = { from, to, port, protocol };
        const v = ev.evaluate(c);
        for (const d of ['ingress', 'egress'] as const) {
          const t = ev.trace(c, d);
          assert.deepEqual(t, v[d], `cluster ${i} ${mode} ${JSON.stringify(c)} ${d}`);
          checked++;
          if (t.isolated) isolated++;
        }
      }
    }
  }
  assert.ok(checked > 10_000 && isolated > checked * 0.1, `${isolated} isolated of ${checked}`);
});
