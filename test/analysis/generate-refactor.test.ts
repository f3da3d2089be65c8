// netpol generate --from-policies on random policy sets (every NetworkPolicy feature): the rewrite
// is proved equivalent by the semantic diff inside, and checked here again with the naive
// reference evaluator on every pod pair and port of the oracle; it never grows the set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refactorPolicies } from '../../src/analysis/generate/refactor.js';
import type { Cluster } from '../../src/model/types.js';
import { GENERATED_PORTS, PROTOCOL_LIST, generateCluster } from '../oracle/generate.js';
import { referenceRows } from '../oracle/reference.js';

test('random policy sets rewrite into equivalent sets no larger than the input', () => {
  let before = 0;
  let after = 0;
  let rulesBefore = 0;
  let rulesAfter = 0;
  for (let seed = 1; seed <= 25; seed++) {
    const { cluster } = generateCluster(seed);
    const r = refactorPolicies(cluster);
    assert.ok(r.ok, `seed ${seed}: ${JSON.stringify(!r.ok && r.problems)}`);
    assert.ok(r.policies.length <= cluster.policies.length, `seed ${seed}`);
    const rewritten: Cluster = { ...cluster, policies: r.proof.policies };
    for (const port of GENERATED_PORTS) for (const protocol of PROTOCOL_LIST) {
      assert.deepEqual(referenceRows(rewritten, cluster.pods, port, protocol), referenceRows(cluster, cluster.pods, port, protocol), `seed ${seed} ${port}/${protocol}`);
    }
    before += cluster.policies.length;
    after += r.policies.length;
    rulesBefore += cluster.policies.reduce((n, p) => n + (p.policyTypes.includes('Ingress') ? p.ingress.length : 0) + (p.policyTypes.includes('Egress') ? p.egress.length : 0), 0);
    rulesAfter += r.policies.reduce((n, p) => n + p.ingress.length + p.egress.length, 0);
  }
  console.log(`generate --from-policies: 25 random sets, ${before} → ${after} policies, ${rulesBefore} → ${rulesAfter} rules (in force), all equivalent`);
  assert.ok(after <= before && rulesAfter <= rulesBefore);
});
