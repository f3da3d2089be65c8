// Loader, issue 10 points 4-6: invalid Pods/workloads stay out of the cluster and are listed in
// `skipped`; dumped pods are grouped under their owner; replicas: 0 is a workload without pods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSources } from '../../src/load/load.js';
import { resolveEndpoint } from '../../src/evaluate/resolve.js';

const load = (text: string, file = 'in.yaml') => loadSources([{ file, text }]);
const ids = (r: ReturnType<typeof load>) => r.cluster.pods.map((p) => `${p.namespace}/${p.name}`);
const errors = (r: ReturnType<typeof load>) => r.diagnostics.filter((d) => d.severity === 'error');

const deploy = (name: string, replicas: number, ns = 'prod') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
`;

const dumpedPod = (name: string, owner: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: prod
  labels: {app: web, pod-template-hash: 7d4b9c8f5c}
  ownerReferences:
  - {apiVersion: apps/v1, kind: ${owner}, name: ${owner === 'ReplicaSet' ? 'web-7d4b9c8f5c' : 'web'}, uid: u-1, controller: true}
${extra}spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
status: {podIP: 10.0.0.${name.length}}
`;

test('an invalid Pod or workload is left out of the cluster and listed in skipped', () => {
  const r = load([
    deploy('good', 1),
    deploy('bad', 2).replace('containerPort: 8080', 'containerport: 8080'),
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: prod}\nspec: {containers: [{name: c, ports: [{containerPort: 0}]}]}\n',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec: {policyTypes: [Ingresss]}\n',
    'kind: [x',
  ].join('---\n'));
  assert.deepEqual(ids(r), ['prod/good-0']);
  assert.deepEqual(r.skipped.map((s) => [s.document, s.kind, s.name]), [
    [1, 'Deployment', 'prod/bad'], [2, 'Pod', 'prod/p'], [3, 'NetworkPolicy', 'default/np'], [4, '', ''],
  ]);
  assert.equal(r.skipped[0]!.reason, 'spec.template.spec.containers[0].ports[0].containerport: unknown field "spec.template.spec.containers[0].ports[0].containerport"');
  assert.equal(r.skipped[1]!.reason, 'spec.containers[0].ports[0].containerPort: Required value');
  assert.ok(r.skipped.every((s) => s.file === 'in.yaml'));
  assert.equal(r.rejectedPolicies, 1);
});

test('a Namespace with a bad label is left out whole (no half-read labels)', () => {
  const r = load('apiVersion: v1\nkind: Namespace\nmetadata: {name: x, labels: {team: yes}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec: {containers: [{name: c}]}\n');
  assert.equal(r.skipped.length, 1);
  assert.equal(r.skipped[0]!.kind, 'Namespace');
  // The pod still names it: it exists implicitly, with only the name label.
  assert.deepEqual(r.cluster.namespaces.map((n) => [n.name, n.implicit]), [['x', true]]);
});

test('warnings (a dump\'s status, NetworkPolicy status) do not leave anything out', () => {
  const r = load('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec: {podSelector: {}}\nstatus: {}\n---\n' +
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\nstatus: {podIP: 10.1.2.3, gone: 1}\n');
  assert.deepEqual(errors(r), []);
  assert.deepEqual(r.skipped, []);
  assert.equal(r.cluster.policies.length, 1);
  assert.deepEqual(r.cluster.pods[0]!.ips, ['10.1.2.3']);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.path), ['status', 'status.gone']);
});

test('replicas: 0 is a workload with no pods, and resolving it says so', () => {
  const r = load(deploy('scaled-down', 0) + '---\n' + deploy('web', 1));
  assert.deepEqual(errors(r), []);
  assert.deepEqual(ids(r), ['prod/web-0']);
  assert.deepEqual(r.cluster.workloads!.map((w) => [w.kind, w.name, w.replicas, w.pods]), [['Deployment', 'scaled-down', 0, 0], ['Deployment', 'web', 1, 1]]);
  assert.deepEqual(resolveEndpoint(r.cluster, 'prod/scaled-down'), { error: 'prod/scaled-down is a Deployment with replicas: 0: it has no pods' });
  const job = load('apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  parallelism: 0\n  template: {spec: {containers: [{name: c}]}}\n');
  assert.deepEqual(resolveEndpoint(job.cluster, 'default/j'), { error: 'default/j is a Job with parallelism: 0: it has no pods' });
  assert.match((resolveEndpoint(r.cluster, 'prod/nothing') as { error: string }).error, /^no pod or workload "nothing"/);
});

test('dumped pods: Pod -> ReplicaSet -> Deployment when the ReplicaSet is in the input', () => {
  const rs = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-7d4b9c8f5c
  namespace: prod
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-1, controller: true}]
spec:
  replicas: 2
  selector: {matchLabels: {app: web, pod-template-hash: 7d4b9c8f5c}}
  template:
    metadata: {labels: {app: web, pod-template-hash: 7d4b9c8f5c}}
    spec: {containers: [{name: c}]}
`;
  const r = load([deploy('web', 2), rs, dumpedPod('web-7d4b9c8f5c-abcde', 'ReplicaSet'), dumpedPod('web-7d4b9c8f5c-fghij', 'ReplicaSet')].join('---\n'));
  assert.deepEqual(errors(r), []);
  // The real pods stand for the Deployment: neither it nor its ReplicaSet adds template pods.
  assert.deepEqual(ids(r), ['prod/web-7d4b9c8f5c-abcde', 'prod/web-7d4b9c8f5c-fghij']);
  for (const p of r.cluster.pods) assert.deepEqual(p.workload, { kind: 'Deployment', name: 'web' });
  const res = resolveEndpoint(r.cluster, 'prod/web');
  assert.ok('endpoint' in res && res.endpoint.kind === 'pod' && res.endpoint.pod.name === 'web-7d4b9c8f5c-abcde');
  assert.deepEqual(r.cluster.workloads!.map((w) => [w.kind, w.name, w.pods]), [['Deployment', 'web', 2]]);
});

test('dumped pods: the ReplicaSet absent, its name <deployment>-<hash> names the Deployment', () => {
  const r = load(dumpedPod('web-7d4b9c8f5c-abcde', 'ReplicaSet'));
  assert.deepEqual(r.cluster.pods[0]!.workload, { kind: 'Deployment', name: 'web' });
  assert.ok('endpoint' in resolveEndpoint(r.cluster, 'prod/web'));
  // Not a template hash (a vowel, no matching label): the ReplicaSet itself is the workload.
  const plain = load(dumpedPod('x', 'ReplicaSet').replace('web-7d4b9c8f5c', 'frontend-main').replace('pod-template-hash: 7d4b9c8f5c', 'k: v'));
  assert.deepEqual(plain.cluster.pods[0]!.workload, { kind: 'ReplicaSet', name: 'frontend-main' });
});

test('dumped pods: StatefulSet, DaemonSet and Job owners directly; Job -> CronJob through the input', () => {
  for (const kind of ['StatefulSet', 'DaemonSet', 'Job']) {
    const r = load(dumpedPod('web-0', kind));
    assert.deepEqual(r.cluster.pods[0]!.workload, { kind, name: 'web' }, kind);
  }
  const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: web
  namespace: prod
  ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: nightly, uid: c-1, controller: true}]
spec: {template: {spec: {containers: [{name: c}]}}}
`;
  const r = load(`${job}---\n${dumpedPod('web-xyz', 'Job')}`);
  assert.deepEqual(ids(r), ['prod/web-xyz']);
  assert.deepEqual(r.cluster.pods[0]!.workload, { kind: 'CronJob', name: 'nightly' });
  // A pod without a controller reference stays on its own.
  assert.equal(load('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n').cluster.pods[0]!.workload, undefined);
});

test('a ReplicaSet whose Deployment is absent still runs its pods, attributed to the Deployment', () => {
  const r = load(`apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: api-5c8d7f9b6d
  namespace: prod
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, uid: d-1, controller: true}]
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c}]}}
`);
  assert.deepEqual(ids(r), ['prod/api-5c8d7f9b6d-0']);
  assert.deepEqual(r.cluster.pods[0]!.workload, { kind: 'Deployment', name: 'api' });
});
