// The upstream Admin → NetworkPolicy → Baseline integration test, step by step, on the Evaluator.
// Transcribed from kubernetes-sigs/network-policy-api @ 0eec1b0 (Apache-2.0, © The Kubernetes
// Authors): conformance/tests/admin-network-policy-standard-integration.go (subtests in order,
// each probe's expected result) and conformance/base/api_integration/standard-anp-np-banp.yaml
// (the policies), and conformance/tests/admin-network-policy-standard-priority.go with
// conformance/base/admin_tier/standard-priority-field.yaml, on the pods of
// conformance/base/manifests.yaml that the tests probe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator } from '../../src/evaluate/evaluate.js';
import type { Cluster, ClusterPolicy, NetworkPolicy, Pod, TierAction } from '../../src/model/types.js';
import { cluster, cnp, cport, namespaces, np, ns, pod, pods, rule, sel, subjectNamespaces, subjectPods } from './tier-builders.js';

const house = (h: string) => sel({ 'conformance-house': h });
const G = 'network-policy-conformance-gryffindor';
const S = 'network-policy-conformance-slytherin';
const ports = [cport('web', 80), cport('tcp-8080', 8080)];
const harry = [0, 1].map((i) => pod(G, `harry-potter-${i}`, { 'conformance-house': 'gryffindor' }, [`10.1.0.${i + 1}`], { ports }));
const draco = [0, 1].map((i) => pod(S, `draco-malfoy-${i}`, { 'conformance-house': 'slytherin' }, [`10.2.0.${i + 1}`], { ports }));

function passExample(ingress: TierAction, egress: TierAction): ClusterPolicy {
  return cnp({ name: 'pass-example', tier: 'Admin', priority: 10, subject: subjectNamespaces(house('gryffindor')),
    ingress: [rule(ingress, [namespaces(house('slytherin'))], [], 'deny-all-ingress-from-slytherin')],
    egress: [rule(egress, [namespaces(house('slytherin'))], [], 'deny-all-egress-to-slytherin')] });
}
const baselineDefault = cnp({ name: 'default', tier: 'Baseline', priority: 10, subject: subjectNamespaces(house('gryffindor')),
  ingress: [rule('Deny', [namespaces(house('slytherin'))], [], 'deny-all-ingress-from-slytherin')],
  egress: [rule('Deny', [namespaces(house('slytherin'))], [], 'deny-all-egress-to-slytherin')] });
const allowSlytherin: NetworkPolicy = np(G, 'allow-gress-from-to-slytherin-to-gryffindor', sel(), ['Ingress', 'Egress'], {
  ingress: [[{ namespaceSelector: house('slytherin') }]],
  egress: [[{ namespaceSelector: house('slytherin') }]],
});

function world(cps: ClusterPolicy[], nps: NetworkPolicy[]): Cluster {
  return cluster({
    namespaces: [ns(G, { 'conformance-house': 'gryffindor' }), ns(S, { 'conformance-house': 'slytherin' })],
    pods: [...harry, ...draco],
    policies: nps,
    clusterPolicies: cps,
  });
}

/** The two probes of a subtest: client i → server 0 on port 80 (i = 0) and 8080 (i = 1). */
function probes(c: Cluster, clients: Pod[], server: Pod): boolean[] {
  const e = new Evaluator(c, { ipBlockPods: 'depends' });
  return [80, 8080].map((port, i) => {
    const v = e.evaluate({ from: { kind: 'pod', pod: clients[i]! }, to: { kind: 'pod', pod: server }, port, protocol: 'TCP' });
    assert.notEqual(v.verdict, 'depends');
    return v.verdict === 'allow';
  });
}

test('upstream integration: Admin Deny, then Pass to NetworkPolicy, then (NetworkPolicy deleted) Baseline Deny', () => {
  // 1. "Should Deny traffic from slytherin to gryffindor respecting admin CNP"
  let c = world([passExample('Deny', 'Deny'), baselineDefault], [allowSlytherin]);
  assert.deepEqual(probes(c, draco, harry[0]!), [false, false]);
  // 2. "Should Deny traffic to slytherin from gryffindor respecting admin CNP"
  assert.deepEqual(probes(c, harry, draco[0]!), [false, false]);
  // 3. ingress[0].action → Pass: "respect the match for network policy"
  c = world([passExample('Pass', 'Deny'), baselineDefault], [allowSlytherin]);
  assert.deepEqual(probes(c, draco, harry[0]!), [true, true]);
  // 4. egress[0].action → Pass as well
  c = world([passExample('Pass', 'Pass'), baselineDefault], [allowSlytherin]);
  assert.deepEqual(probes(c, harry, draco[0]!), [true, true]);
  // 5. the NetworkPolicy is deleted: "respect the match for baseline cluster network policy"
  c = world([passExample('Pass', 'Pass'), baselineDefault], []);
  assert.deepEqual(probes(c, draco, harry[0]!), [false, false]);
  // 6. and egress too
  assert.deepEqual(probes(c, harry, draco[0]!), [false, false]);
  const v = new Evaluator(c).evaluate({ from: { kind: 'pod', pod: harry[0]! }, to: { kind: 'pod', pod: draco[0]! }, port: 80, protocol: 'TCP' });
  assert.equal(v.egress.decidedBy, 'Baseline');
  assert.match(v.egress.reason, /Admin: cnp\/pass-example priority 10, egress rule 0 'deny-all-egress-to-slytherin' Pass — skips the rest of the Admin tier; NetworkPolicy: no NetworkPolicy .*; Baseline: cnp\/default priority 10, egress rule 0 'deny-all-egress-to-slytherin' Deny — final/);
});

test('upstream priority: a Pass patched from priority 60 to 40 overtakes the Deny at 50 and hands over to the Baseline Accept', () => {
  const gryffindorPods = subjectPods(house('gryffindor'), house('gryffindor'));
  const slytherinPods = [pods(house('slytherin'), house('slytherin'))];
  const deny50 = cnp({ name: 'priority-50-example', priority: 50, subject: gryffindorPods,
    ingress: [rule('Deny', slytherinPods, [], 'deny-all-ingress-from-slytherin')], egress: [rule('Deny', slytherinPods, [], 'deny-all-egress-to-slytherin')] });
  const pass = (priority: number) => cnp({ name: 'old-priority-60-new-priority-40-example', priority, subject: gryffindorPods,
    ingress: [rule('Pass', slytherinPods, [], 'pass-all-ingress-from-slytherin')], egress: [rule('Pass', slytherinPods, [], 'pass-all-egress-to-slytherin')] });
  const accept = cnp({ name: 'default', tier: 'Baseline', priority: 10, subject: gryffindorPods,
    ingress: [rule('Accept', slytherinPods, [], 'allow-all-ingress-from-slytherin')], egress: [rule('Accept', slytherinPods, [], 'allow-all-egress-to-slytherin')] });
  let c = world([deny50, pass(60), accept], []);
  assert.deepEqual(probes(c, draco, harry[0]!), [false, false]);
  assert.deepEqual(probes(c, harry, draco[0]!), [false, false]);
  c = world([deny50, pass(40), accept], []);
  assert.deepEqual(probes(c, draco, harry[0]!), [true, true]);
  assert.deepEqual(probes(c, harry, draco[0]!), [true, true]);
  const v = new Evaluator(c).evaluate({ from: { kind: 'pod', pod: draco[0]! }, to: { kind: 'pod', pod: harry[0]! }, port: 80, protocol: 'TCP' });
  assert.equal(v.ingress.decidedBy, 'Baseline');
});
