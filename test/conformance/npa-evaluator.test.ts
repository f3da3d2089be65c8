// The upstream ClusterNetworkPolicy conformance suite (kubernetes-sigs/network-policy-api
// conformance/tests @ 0eec1b0, Apache-2.0, transcribed in test/conformance/npa/) through the
// readable Evaluator: every probe, on both IP families, after every in-test mutation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Evaluator } from '../../src/evaluate/evaluate.js';
import { npaCases, npaData, type NpaCase } from './npa/cases.js';

const data = npaData();
const label = (c: NpaCase) => `[${c.family}] ${c.test} / ${c.subtest} (step ${c.step}, ${c.source}): ${c.from.namespace}/${c.from.name} → ${c.to.namespace}/${c.to.name} ${c.protocol}/${c.port}`;

for (const family of ['ipv4', 'ipv6'] as const) {
  test(`every upstream probe gives the upstream answer through the Evaluator (${family})`, () => {
    const cases = npaCases(data, undefined, family);
    assert.equal(cases.length, 301);
    const wrong: string[] = [];
    for (const c of cases) {
      const v = new Evaluator(c.cluster).evaluate({ from: { kind: 'pod', pod: c.from }, to: { kind: 'pod', pod: c.to }, port: c.port, protocol: c.protocol });
      if (v.verdict !== c.expect) wrong.push(`${label(c)}: expected ${c.expect}, got ${v.verdict} — ${v.egress.reason} / ${v.ingress.reason}`);
    }
    assert.deepEqual(wrong, []);
  });
}
