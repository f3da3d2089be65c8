// Loading the tier kinds and Nodes into the model: the upstream conformance manifests
// (kubernetes-sigs/network-policy-api conformance/base, Apache-2.0, copied under
// test/fixtures/npa/ with attribution), v1alpha1 samples, conversion details, kind/version
// diagnostics, invalid objects left out and counted, Nodes and Pod.nodeName.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSources } from '../../src/load/load.js';
import type { ClusterPolicy } from '../../src/model/types.js';

const load = (text: string, file = 'in.yaml') => loadSources([{ file, text }]);
const sev = (r: ReturnType<typeof load>, s: string) => r.diagnostics.filter((d) => d.severity === s);
const NPA = 'test/fixtures/npa';

test('the upstream conformance manifests (admin_tier, baseline_tier, api_integration) load without errors or warnings', () => {
  let policies = 0;
  for (const dir of ['admin_tier', 'baseline_tier', 'api_integration']) {
    for (const f of readdirSync(join(NPA, dir)).sort()) {
      const file = join(NPA, dir, f);
      const r = load(readFileSync(file, 'utf8'), file);
      assert.deepEqual(r.diagnostics.filter((d) => d.severity !== 'info'), [], file);
      // The only infos: experimental-channel fields, in the experimental manifests.
      for (const d of sev(r, 'info')) assert.ok(f.startsWith('experimental-') && /experimental-channel/.test(d.message), `${file}: ${d.message}`);
      assert.ok((r.cluster.clusterPolicies ?? []).length >= 1, file);
      assert.equal(r.rejectedClusterPolicies, 0);
      policies += r.cluster.clusterPolicies!.length;
    }
  }
  assert.equal(policies, 23); // 10 admin_tier files (priority-field has 3), 9 baseline_tier, api_integration 2
});

test('a conformance CNP converts to the model: tier, priority, subject, rules, peers and protocols with paths', () => {
  const file = join(NPA, 'admin_tier', 'standard-gress-rules-combined.yaml');
  const r = load(readFileSync(file, 'utf8'), file);
  const p = r.cluster.clusterPolicies![0]!;
  assert.equal(p.kind, 'ClusterNetworkPolicy');
  assert.equal(p.apiVersion, 'policy.networking.k8s.io/v1alpha2');
  assert.equal(p.tier, 'Admin');
  assert.equal(p.priority, 15);
  assert.equal(p.ingress.length, 7);
  for (const rule of [...p.ingress, ...p.egress]) {
    assert.ok(['Accept', 'Deny', 'Pass'].includes(rule.action));
    assert.equal(rule.action, rule.actionWritten);
    assert.match(rule.path, /^spec\.(ingress|egress)\[\d\]$/);
    for (const peer of rule.peers) assert.ok(peer.path.startsWith(`${rule.path}.`), peer.path);
    for (const port of rule.ports) assert.ok(port.path.startsWith(`${rule.path}.protocols[`), port.path);
  }
  // Every path points into the document.
  const line = p.origin!.locate(p.egress[0]!.peers[0]!.path).line;
  assert.ok(line > p.origin!.locate('spec.egress').line);
});

const CNP = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: ports}
spec:
  tier: Baseline
  priority: 7
  subject:
    pods:
      namespaceSelector: {matchLabels: {team: a}}
      podSelector: {matchExpressions: [{key: app, operator: In, values: [web]}]}
  egress:
  - name: out
    action: Accept
    to:
    - networks: [10.0.0.0/8, "fd00::/8"]
    - nodes: {matchLabels: {role: infra}}
    - domainNames: ["*.example.com"]
    - namespaces: {}
    protocols:
    - tcp: {destinationPort: {number: 443}}
    - udp: {destinationPort: {range: {start: 5000, end: 5010}}}
    - sctp: {destinationPort: {number: 9}}
  ingress:
  - action: Pass
    from:
    - pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: api}}}
    protocols:
    - destinationNamedPort: http
`;

test('v1alpha2 conversion: peers of every kind, tcp/udp/sctp number and range, a named port for every protocol', () => {
  const r = load(CNP);
  assert.deepEqual(sev(r, 'error'), []);
  const p = r.cluster.clusterPolicies![0]!;
  assert.equal(p.tier, 'Baseline');
  assert.deepEqual(p.subject, { pods: { namespaceSelector: { matchLabels: { team: 'a' }, matchExpressions: [] }, podSelector: { matchLabels: {}, matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] } } });
  const out = p.egress[0]!;
  assert.equal(out.name, 'out');
  assert.deepEqual(out.peers, [
    { kind: 'networks', cidrs: ['10.0.0.0/8', 'fd00::/8'], path: 'spec.egress[0].to[0]' },
    { kind: 'nodes', nodeSelector: { matchLabels: { role: 'infra' }, matchExpressions: [] }, path: 'spec.egress[0].to[1]' },
    { kind: 'domainNames', domainNames: ['*.example.com'], path: 'spec.egress[0].to[2]' },
    { kind: 'namespaces', namespaceSelector: { matchLabels: {}, matchExpressions: [] }, path: 'spec.egress[0].to[3]' },
  ]);
  assert.deepEqual(out.ports, [
    { protocol: 'TCP', port: 443, path: 'spec.egress[0].protocols[0]' },
    { protocol: 'UDP', port: 5000, endPort: 5010, path: 'spec.egress[0].protocols[1]' },
    { protocol: 'SCTP', port: 9, path: 'spec.egress[0].protocols[2]' },
  ]);
  const inn = p.ingress[0]!;
  assert.equal(inn.name, undefined);
  assert.equal(inn.action, 'Pass');
  assert.deepEqual(inn.ports, ['TCP', 'UDP', 'SCTP'].map((protocol) => ({ protocol, port: 'http', path: 'spec.ingress[0].protocols[0]' })));
});

const ANP = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: cluster-control}
spec:
  priority: 20
  subject: {namespaces: {matchLabels: {env: prod}}}
  ingress:
  - name: allow-monitoring
    action: Allow
    from: [{namespaces: {matchLabels: {team: monitoring}}}]
    ports:
    - portNumber: {port: 9090}
    - portNumber: {protocol: UDP, port: 53}
    - portRange: {start: 8000, end: 8080}
    - namedPort: metrics
  - action: Pass
    from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: mesh}}}}]
  egress:
  - action: Deny
    to: [{networks: [169.254.169.254/32]}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress:
  - action: Deny
    from: [{namespaces: {}}]
  egress:
  - action: Allow
    to: [{nodes: {}}]
`;

test('v1alpha1 ANP/BANP: Allow read as Accept (actionWritten Allow), ports with the CRD default TCP, tiers and priorities', () => {
  const r = load(ANP);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== 'info'), []);
  const [anp, banp] = r.cluster.clusterPolicies! as ClusterPolicy[];
  assert.equal(anp!.kind, 'AdminNetworkPolicy');
  assert.equal(anp!.tier, 'Admin');
  assert.equal(anp!.priority, 20);
  assert.equal(anp!.ingress[0]!.action, 'Accept');
  assert.equal(anp!.ingress[0]!.actionWritten, 'Allow');
  assert.deepEqual(anp!.ingress[0]!.ports, [
    { protocol: 'TCP', port: 9090, path: 'spec.ingress[0].ports[0]' },
    { protocol: 'UDP', port: 53, path: 'spec.ingress[0].ports[1]' },
    { protocol: 'TCP', port: 8000, endPort: 8080, path: 'spec.ingress[0].ports[2]' },
    ...['TCP', 'UDP', 'SCTP'].map((protocol) => ({ protocol, port: 'metrics', path: 'spec.ingress[0].ports[3]' })),
  ]);
  assert.equal(anp!.ingress[1]!.action, 'Pass');
  assert.deepEqual(anp!.ingress[1]!.ports, []);
  assert.equal(banp!.kind, 'BaselineAdminNetworkPolicy');
  assert.equal(banp!.tier, 'Baseline');
  assert.equal(banp!.priority, 0);
  assert.equal(banp!.egress[0]!.action, 'Accept');
  assert.equal(banp!.egress[0]!.actionWritten, 'Allow');
  assert.equal(banp!.egress[0]!.peers[0]!.kind, 'nodes');
});

test('namespaces referenced only by tier policies are not invented', () => {
  const r = load(`apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: x}
spec:
  tier: Admin
  priority: 1
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: ghost}}}
  ingress: [{action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: other}}}]}]
`);
  assert.deepEqual(sev(r, 'error'), []);
  assert.deepEqual(r.cluster.namespaces, []);
  assert.equal(r.cluster.clusterPolicies!.length, 1);
});

test('wrong apiVersion for a tier kind: the kind/version error naming the version that serves it', () => {
  const cases: [string, string, string][] = [
    ['policy.networking.k8s.io/v1alpha1', 'ClusterNetworkPolicy', 'policy.networking.k8s.io/v1alpha2'],
    ['policy.networking.k8s.io/v1alpha2', 'AdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1'],
    ['policy.networking.k8s.io/v1alpha2', 'BaselineAdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1'],
    ['policy.networking.k8s.io/v1', 'ClusterNetworkPolicy', 'policy.networking.k8s.io/v1alpha2'],
  ];
  for (const [apiVersion, kind, served] of cases) {
    const r = load(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: default}\nspec: {}\n`);
    const [e] = sev(r, 'error');
    assert.ok(e, `${apiVersion} ${kind}`);
    assert.equal(e.message, `no matches for kind "${kind}" in version "${apiVersion}"`);
    assert.equal(e.hint, `use \`apiVersion: ${served}\``);
    assert.equal(r.skipped.length, 1);
  }
  // A misspelt kind in another group points at the kind's own version.
  const wrongGroup = sev(load('apiVersion: networking.k8s.io/v1\nkind: AdminNetworkPolicy\nmetadata: {name: a}\n'), 'error')[0]!;
  assert.match(wrongGroup.hint!, /apiVersion: policy\.networking\.k8s\.io\/v1alpha1` with `kind: AdminNetworkPolicy/);
  const typo = sev(load('apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkpolicy\nmetadata: {name: a}\n'), 'error')[0]!;
  assert.match(typo.hint!, /kind: ClusterNetworkPolicy/);
});

test('an invalid tier policy is left out, counted and listed in skipped; the valid ones stay', () => {
  const r = load(`${CNP}---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: broken}
spec: {tier: Admin, priority: 2000, subject: {namespaces: {}}}
`);
  assert.equal(r.rejectedClusterPolicies, 1);
  assert.equal(r.rejectedObjects, 0);
  assert.equal(r.rejectedPolicies, 0);
  assert.deepEqual(r.cluster.clusterPolicies!.map((p) => p.name), ['ports']);
  assert.deepEqual(r.skipped.map((s) => [s.kind, s.name, s.reason]), [
    ['ClusterNetworkPolicy', 'broken', 'spec.priority: Invalid value: 2000: spec.priority in body should be less than or equal to 1000'],
  ]);
  const e = sev(r, 'error')[0]!;
  assert.equal(e.line, CNP.split('\n').length + 4); // the spec line of the second document
});

test('tier policies: duplicates within a kind warn (last wins); an ANP and a CNP may share a name; typed lists', () => {
  const cnp = (prio: number) => `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: default}\nspec: {tier: Admin, priority: ${prio}, subject: {namespaces: {}}}\n`;
  const r = load(`${cnp(1)}---\n${cnp(2)}---\n${ANP}`);
  assert.deepEqual(sev(r, 'warning').map((d) => d.message), ['ClusterNetworkPolicy default is defined more than once; the last definition wins']);
  assert.deepEqual(r.cluster.clusterPolicies!.map((p) => `${p.kind}/${p.name}/${p.priority}`),
    ['AdminNetworkPolicy/cluster-control/20', 'BaselineAdminNetworkPolicy/default/0', 'ClusterNetworkPolicy/default/2']);
  const list = load('apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicyList\nitems:\n- metadata: {name: a}\n  spec: {tier: Baseline, priority: 3, subject: {namespaces: {}}}\n');
  assert.deepEqual(sev(list, 'error'), []);
  assert.deepEqual(list.cluster.clusterPolicies!.map((p) => p.name), ['a']);
  // None: the field stays absent (the model's "no tier policies").
  assert.equal(load('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n').cluster.clusterPolicies, undefined);
});

const NODE = `apiVersion: v1
kind: Node
metadata:
  name: worker-1
  labels: {kubernetes.io/os: linux, role: infra}
spec: {podCIDR: 10.244.1.0/24}
status:
  addresses:
  - {type: InternalIP, address: 172.18.0.3}
  - {type: InternalIP, address: "fc00:f853:ccd:e793::3"}
  - {type: Hostname, address: worker-1}
`;

test('Nodes are read: labels and the addresses that are IPs (Hostname entries are names)', () => {
  const r = load(NODE);
  assert.deepEqual(r.diagnostics.filter((d) => d.file !== '<input>'), []);
  assert.equal(r.cluster.nodes!.length, 1);
  const n = r.cluster.nodes![0]!;
  assert.equal(n.name, 'worker-1');
  assert.deepEqual(n.labels, { 'kubernetes.io/os': 'linux', role: 'infra' });
  assert.deepEqual(n.addresses, ['172.18.0.3', 'fc00:f853:ccd:e793::3']);
  assert.equal(n.origin!.file, 'in.yaml');
});

test('Nodes are checked: strict fields with a did-you-mean, name rule, bad InternalIP dropped with a warning, wrong version', () => {
  const typo = load(NODE.replace('podCIDR:', 'podCIRD:'));
  const [u] = sev(typo, 'error');
  assert.equal(u!.message, 'unknown field "spec.podCIRD"');
  assert.equal(u!.line, 6);
  assert.match(u!.hint!, /podCIDR/);
  assert.equal(typo.cluster.nodes, undefined);
  assert.equal(typo.rejectedObjects, 1);
  const badName = load(NODE.replace('name: worker-1', 'name: Worker_1'));
  assert.equal(sev(badName, 'error')[0]!.path, 'metadata.name');
  const badIp = load(NODE.replace('172.18.0.3', '172.18.0.300'));
  assert.deepEqual(sev(badIp, 'error'), []);
  assert.deepEqual(sev(badIp, 'warning').map((d) => d.path), ['status.addresses[0].address']);
  assert.deepEqual(badIp.cluster.nodes![0]!.addresses, ['fc00:f853:ccd:e793::3']);
  const v = sev(load(NODE.replace('apiVersion: v1', 'apiVersion: v2')), 'error')[0]!;
  assert.equal(v.message, 'no matches for kind "Node" in version "v2"');
});

test('Pod.nodeName comes from spec.nodeName, for pods and for workload templates', () => {
  const r = load(`apiVersion: v1
kind: Pod
metadata: {name: p, namespace: a}
spec: {nodeName: worker-1, hostNetwork: true, containers: [{name: c}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: a}
spec:
  replicas: 2
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec: {nodeName: worker-2, containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: q, namespace: a}
spec: {containers: [{name: c}]}
`);
  assert.deepEqual(sev(r, 'error'), []);
  assert.deepEqual(r.cluster.pods.map((p) => [p.name, p.nodeName]), [['d-0', 'worker-2'], ['d-1', 'worker-2'], ['p', 'worker-1'], ['q', undefined]]);
  assert.equal('nodeName' in r.cluster.pods.find((p) => p.name === 'q')!, false);
  // A nodeName that is not a string is a type mismatch (it was unchecked before).
  assert.equal(sev(load('apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {nodeName: [a]}\n'), 'error')[0]!.type, 'Type mismatch');
});

test('spec.nodeName must be a valid Node name (ValidatePodSpec), in pods and templates', () => {
  const pod = load('apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {nodeName: Worker_1, containers: [{name: c}]}\n');
  assert.deepEqual(sev(pod, 'error').map((d) => d.path), ['spec.nodeName']);
  const dep = load('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: a}\nspec:\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec: {nodeName: "a..b", containers: [{name: c}]}\n');
  assert.deepEqual(sev(dep, 'error').map((d) => [d.path, d.line]), [['spec.template.spec.nodeName', 8]]);
});
