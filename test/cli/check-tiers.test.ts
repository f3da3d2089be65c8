// `netpol check` with tier policies and Nodes: counted and listed in text, entries in JSON
// (keys added only when the input has them, so other outputs keep their shape); an invalid tier
// policy makes the exit code 1 and is counted; hostile names reach the terminal escaped.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'netpol-tiers-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'tiers.yaml');
writeFileSync(file, `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: deny-staging}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {env: prod}}}
  ingress: [{action: Deny, from: [{namespaces: {matchLabels: {env: staging}}}]}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  egress: [{action: Deny, to: [{networks: [0.0.0.0/0]}]}]
---
apiVersion: v1
kind: Node
metadata: {name: worker-1}
status: {addresses: [{type: InternalIP, address: 172.18.0.3}]}
`);
const bad = join(dir, 'bad.yaml');
writeFileSync(bad, `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: "evil\\u001b[31m"}
spec: {priority: 5000, subject: {namespaces: {}}}
`);

test('check text: the tier policies in evaluation order and the nodes, and their counts', () => {
  const r = cli(['check', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^tier policies and nodes read:\n {2}Admin {6}10 {2}ClusterNetworkPolicy deny-staging: 1 ingress rule, 0 egress rules {2}\S+tiers\.yaml:3\n {2}Baseline {7}BaselineAdminNetworkPolicy default: 0 ingress rules, 1 egress rule {2}\S+tiers\.yaml:12\n {2}Node worker-1: 172\.18\.0\.3\n/m);
  assert.match(r.stdout, /checked 0 NetworkPolicies, 0 pods, 0 namespaces, 2 tier policies \(1 BaselineAdminNetworkPolicy, 1 ClusterNetworkPolicy\), 1 node: 0 error\(s\), 0 warning\(s\), 0 info/);
});

test('check json: clusterPolicies, rejectedClusterPolicies and nodes', () => {
  const r = cli(['check', file, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(out), ['diagnostics', 'clusterPolicies', 'rejectedClusterPolicies', 'nodes']);
  assert.deepEqual((out.clusterPolicies as Record<string, unknown>[]).map((p) => [p.kind, p.name, p.tier, p.priority, p.ingressRules, p.egressRules, p.line]),
    [['ClusterNetworkPolicy', 'deny-staging', 'Admin', 10, 1, 0, 3], ['BaselineAdminNetworkPolicy', 'default', 'Baseline', 0, 0, 1, 12]]);
  assert.equal(out.rejectedClusterPolicies, 0);
  assert.deepEqual((out.nodes as Record<string, unknown>[]).map((n) => [n.name, n.addresses]), [['worker-1', ['172.18.0.3']]]);
});

test('check: an invalid tier policy is an error (exit 1), counted as invalid, its name escaped', () => {
  const r = cli(['check', bad]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /spec\.priority: Invalid value: 5000: spec\.priority in body should be less than or equal to 1000/);
  assert.match(r.stdout, /1 tier policy \(1 invalid\)/);
  assert.doesNotMatch(r.stdout + r.stderr, /\u001b\[31m/);
  const json = JSON.parse(cli(['check', bad, '--format', 'json', '--skip-invalid']).stdout) as { rejectedClusterPolicies: number; skipped: { kind: string }[] };
  assert.equal(json.rejectedClusterPolicies, 1);
  assert.deepEqual(json.skipped.map((s) => s.kind), ['AdminNetworkPolicy']);
});
