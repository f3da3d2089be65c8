// Evaluator.allowed skips the three-valued pass that only the depends notes need: it must give
// evaluate(c).allowed === true on every connection, in every mode (hostNetwork pods included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator } from '../../src/evaluate/evaluate.js';
import { PROTOCOLS } from '../../src/model/types.js';
import { replicaCluster } from '../matrix/helpers.js';

test('Evaluator.allowed equals evaluate().allowed === true (60 replica clusters, 3 modes)', () => {
  let checked = 0, allowed = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const cluster = replicaCluster(seed);
    for (const mode of ['match', 'ignore', 'depends'] as const) {
      const ev = new Evaluator(cluster, { ipBlockPods: mode });
      for (const a of cluster.pods) {
        for (const b of cluster.pods) {
          for (const protocol of PROTOCOLS) {
            for (const port of [53, 80, 443, 8080]) {
              const c = { from: { kind: 'pod' as const, pod: a }, to: { kind: 'pod' as const, pod: b }, port, protocol };
              const fast = ev.allowed(c);
              assert.equal(fast, ev.evaluate(c).allowed === true, `seed ${seed} ${mode} ${a.name} -> ${b.name} ${port}/${protocol}`);
              checked++;
              if (fast) allowed++;
            }
          }
        }
      }
    }
  }
  assert.ok(checked > 100_000 && allowed > checked * 0.1 && allowed < checked * 0.9, `${allowed} of ${checked}`);
});
