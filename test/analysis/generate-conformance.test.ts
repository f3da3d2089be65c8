// Regenerate the upstream e2e cases' policies from their expected matrices alone: every allowed
// pair of a probe is an allow assertion, every other pair a deny. The generated set must then
// reproduce every probed matrix exactly (computeMatrix, and the naive reference evaluator).
// Sizes (policies, rules) are printed next to the hand-written upstream policies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAssertion } from '../../src/analysis/assert/grammar.js';
import type { Expectation } from '../../src/analysis/assert/file.js';
import { generateFromExpectations } from '../../src/analysis/generate/index.js';
import { computeMatrix } from '../../src/matrix/matrix.js';
import type { Cluster } from '../../src/model/types.js';
import { CASES } from '../conformance/cases.js';
import { loadCase, Reachability } from '../conformance/harness.js';
import { referenceAllowed } from '../oracle/reference.js';

const totals = { steps: 0, cells: 0, handPolicies: 0, handRules: 0, genPolicies: 0, genRules: 0 };

for (const c of CASES) {
  test(`regenerate: ${c.name}`, () => {
    for (const step of c.steps) {
      const bare: Cluster = loadCase(c, { ...step, policies: [] });
      const expectations: Expectation[] = [];
      const wanted = step.probes.map((probe) => {
        const r = new Reachability(c.pods);
        probe.expect(r);
        for (const a of c.pods) {
          for (const b of c.pods) {
            if (a === b) continue;
            const text = `${a} -> ${b}:${probe.port}/${probe.protocol} ${r.cells.get(`${a}>${b}`) ? 'allow' : 'deny'}`;
            const p = parseAssertion(text);
            assert.ok(p.ok, text);
            expectations.push({ spec: p.spec, file: 'matrix', line: expectations.length + 1, path: '' });
          }
        }
        return r;
      });
      const g = generateFromExpectations(bare, expectations, { dns: false });
      assert.ok(g.ok, `${step.what ?? 'step'}: ${g.ok ? '' : JSON.stringify(g.problems)}`);
      assert.deepEqual(g.proof.assertions, { passed: expectations.length, failed: 0 });
      assert.deepEqual(g.proof.extra, []);
      const cluster: Cluster = { ...bare, policies: g.proof.policies };
      step.probes.forEach((probe, k) => {
        const m = computeMatrix(cluster, [{ port: probe.port, protocol: probe.protocol }], { ipBlockPods: 'match' });
        const want = wanted[k]!.rows(m.pods);
        assert.deepEqual(m.probes[0]!.rows, want, `computeMatrix ${probe.port}/${probe.protocol}`);
        const ref = cluster.pods.map((a) => cluster.pods.map((b) => (a === b || referenceAllowed(cluster, a, b, probe.port, probe.protocol) ? '1' : '0')).join(''));
        assert.deepEqual(ref, wanted[k]!.rows(cluster.pods.map((p) => `${p.namespace}/${p.name}`)), `reference ${probe.port}/${probe.protocol}`);
        totals.cells += want.length * want.length;
      });
      totals.steps++;
      totals.handPolicies += step.policies.length;
      totals.handRules += step.policies.reduce((n, p) => n + ((p.spec.ingress as unknown[] | undefined)?.length ?? 0) + ((p.spec.egress as unknown[] | undefined)?.length ?? 0), 0);
      totals.genPolicies += g.policies.length;
      totals.genRules += g.policies.reduce((n, p) => n + p.ingress.length + p.egress.length, 0);
    }
  });
}

test('regeneration summary', () => {
  console.log(`generate: ${CASES.length} upstream cases, ${totals.steps} steps, ${totals.cells} matrix cells reproduced exactly; ` +
    `generated ${totals.genPolicies} policies / ${totals.genRules} rules vs hand-written ${totals.handPolicies} policies / ${totals.handRules} rules`);
  assert.ok(totals.steps >= CASES.length);
});
