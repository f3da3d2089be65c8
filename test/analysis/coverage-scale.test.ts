// coverage answers once per pod class and copies the answer to the class's other pods; pinned
// here to asking the Evaluator for every pod.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coverageOf } from '../../src/analysis/coverage/coverage.js';
import type { Cluster } from '../../src/model/types.js';
import { generateCluster } from '../oracle/generate.js';
import { replicaCluster } from '../matrix/helpers.js';

/** The generator leaves some pods unnamed (generateName); loaded pods always have a name. */
const named = (c: Cluster): Cluster => ({ ...c, pods: c.pods.map((p, i) => (p.name ? p : { ...p, name: `gen-${i}` })) });

test('coverage per pod class equals coverage per pod, in every ipBlock mode', () => {
  const clusters: Cluster[] = [];
  for (let seed = 1; seed <= 12; seed++) clusters.push(replicaCluster(seed), named(generateCluster(seed, { podsPerNamespace: 8 }).cluster));
  let shared = 0, wider = 0;
  for (const [i, c] of clusters.entries()) {
    for (const ipBlockPods of ['match', 'ignore', 'depends'] as const) {
      const perPod = coverageOf(c, { ipBlockPods }, false);
      assert.deepEqual(coverageOf(c, { ipBlockPods }, true), perPod, `cluster ${i}, ${ipBlockPods}`);
      // Pods with the same answer, modulo the name: what the class form gets by copying.
      shared += perPod.exposure.length - new Set(perPod.exposure.map((e) => JSON.stringify({ ...e, pod: '' }))).size;
      wider += perPod.exposure.filter((e) => e.wider.length > 0).length;
    }
  }
  // Meaningful only if pods share answers and the answers are not trivial.
  assert.ok(shared > 50 && wider > 10, `shared ${shared}, wider ${wider}`);
});
