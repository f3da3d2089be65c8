// diff --semantic asks both Evaluators once per pod class pair and reads the answer for every
// pod pair of those classes; pinned here to asking per pod pair (counts and examples alike).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareOn } from '../../src/analysis/diff/semantic.js';
import type { Cluster } from '../../src/model/types.js';
import { generateCluster } from '../oracle/generate.js';
import { randomPolicy, replicaCluster } from '../matrix/helpers.js';
import { rng } from '../oracle/generate.js';

/** The generator leaves some pods unnamed (generateName); loaded pods always have a name. */
const named = (c: Cluster): Cluster => ({ ...c, pods: c.pods.map((p, i) => (p.name ? p : { ...p, name: `gen-${i}` })) });

/** After: the first policy dropped and a random one added; some pods moved to the host network. */
function changed(c: Cluster, seed: number): Cluster {
  const r = rng(seed);
  const ns = c.namespaces[0]!.name;
  return { ...c, pods: c.pods.map((p, i) => (i % 7 === 3 ? { ...p, hostNetwork: true } : p)), policies: [...c.policies.slice(1), randomPolicy(r, ns, 'added')] };
}

test('semantic diff per pod class equals per pod pair: verdict, counts and examples', () => {
  let differing = 0;
  for (let seed = 1; seed <= 6; seed++) {
    for (const before of [named(generateCluster(seed + 900).cluster), replicaCluster(seed + 40)]) {
      const after = changed(before, seed);
      for (const ipBlockPods of ['match', 'depends'] as const) {
        const slow = compareOn(before, after, { ipBlockPods, limit: 50 }, false);
        assert.deepEqual(compareOn(before, after, { ipBlockPods, limit: 50 }, true), slow, `seed ${seed}, ${ipBlockPods}`);
        differing += slow.counts.onlyAfter + slow.counts.onlyBefore;
      }
    }
  }
  assert.ok(differing > 1000, `only ${differing} differences`);
});
