// Kinds (typed lists, unknown kinds in known groups, unmodelled traffic kinds), unrendered
// templates, stray files, and hints that quote what was written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSources } from '../../src/load/load.js';
import { classifyKind } from '../../src/load/kinds.js';
import { findTemplate } from '../../src/load/template.js';

const load = (text: string, file = 'in.yaml') => loadSources([{ file, text }]);
const sev = (r: ReturnType<typeof load>, s: string) => r.diagnostics.filter((d) => d.severity === s);

test('typed lists fill the kind of their items, as kubectl does (PodList, NamespaceList, NetworkPolicyList, DeploymentList)', () => {
  const r = load(JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [
    { metadata: { name: 'a', namespace: 'x', labels: { app: 'a' } } },
    { metadata: { name: 'b', namespace: 'x' } },
  ] }), 'pods.json');
  assert.deepEqual(sev(r, 'error'), []);
  assert.deepEqual(r.cluster.pods.map((p) => `${p.namespace}/${p.name}`), ['x/a', 'x/b']);

  const ns = load(`apiVersion: v1\nkind: NamespaceList\nitems:\n- metadata: {name: prod, labels: {team: a}}\n`);
  assert.deepEqual(sev(ns, 'error'), []);
  assert.equal(ns.cluster.namespaces.find((n) => n.name === 'prod')!.labels.team, 'a');

  const np = load(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicyList\nitems:\n- metadata: {name: deny, namespace: x}\n  spec: {podSelector: {}}\n`);
  assert.deepEqual(sev(np, 'error'), []);
  assert.deepEqual(np.cluster.policies.map((p) => p.name), ['deny']);

  const dep = load(`apiVersion: apps/v1\nkind: DeploymentList\nitems:\n- metadata: {name: web}\n  spec:\n    replicas: 2\n    selector: {matchLabels: {app: web}}\n    template:\n      metadata: {labels: {app: web}}\n      spec: {containers: [{name: c}]}\n`);
  assert.deepEqual(sev(dep, 'error'), []);
  assert.deepEqual(dep.cluster.pods.map((p) => p.name), ['web-0', 'web-1']);
});

test('kind: Networkpolicy (wrong case) is the API server error with a did-you-mean, not a silent skip', () => {
  const r = load(`apiVersion: networking.k8s.io/v1\nkind: Networkpolicy\nmetadata: {name: deny}\nspec: {podSelector: {}}\n`);
  const [e] = sev(r, 'error');
  assert.ok(e, JSON.stringify(r.diagnostics));
  assert.equal(e.message, 'no matches for kind "Networkpolicy" in version "networking.k8s.io/v1"');
  assert.equal(e.path, 'kind');
  assert.equal(e.line, 2);
  assert.match(e.hint!, /did you mean `kind: NetworkPolicy`/);
});

test('unknown kinds in core, apps, batch: errors; a kind in the wrong group names the right apiVersion', () => {
  assert.match(load(`apiVersion: v1\nkind: pod\nmetadata: {name: a}\n`).diagnostics[0]!.hint!, /kind: Pod/);
  assert.match(load(`apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: a}\n`).diagnostics[0]!.hint!, /kind: Deployment/);
  assert.match(load(`apiVersion: batch/v1\nkind: CronJobs\nmetadata: {name: a}\n`).diagnostics[0]!.hint!, /kind: CronJob/);
  const wrongGroup = load(`apiVersion: v1\nkind: Deployment\nmetadata: {name: a}\n`).diagnostics[0]!;
  assert.equal(wrongGroup.severity, 'error');
  assert.equal(wrongGroup.message, 'no matches for kind "Deployment" in version "v1"');
  assert.match(wrongGroup.hint!, /apiVersion: apps\/v1/);
  const oldVersion = load(`apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: a}\n`).diagnostics[0]!;
  assert.equal(oldVersion.message, 'no matches for kind "Deployment" in version "apps/v1beta1"');
  assert.match(oldVersion.hint!, /apiVersion: apps\/v1`/);
  const removed = load(`apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: a}\n`).diagnostics[0]!;
  assert.equal(removed.message, 'no matches for kind "Deployment" in version "extensions/v1beta1"');
  assert.match(removed.hint!, /apiVersion: apps\/v1/);
  // Known kinds of known groups that netpol does not model are an info, not an error.
  const svc = load(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\n`);
  // (plus the one whole-input warning that nothing netpol evaluates was read)
  assert.deepEqual(svc.diagnostics.filter((d) => d.file !== '<input>').map((d) => d.severity), ['info', 'info']);
  assert.deepEqual(svc.diagnostics.filter((d) => d.file === '<input>').map((d) => d.message), ['nothing to check: no NetworkPolicy, Namespace, Pod or workload with pods was read from the input']);
});

test('kinds that change traffic but are not modelled: a warning naming what the verdicts ignore', () => {
  const cases: [string, string][] = [
    ['cilium.io/v2', 'CiliumNetworkPolicy'], ['cilium.io/v2', 'CiliumClusterwideNetworkPolicy'],
    ['projectcalico.org/v3', 'NetworkPolicy'], ['projectcalico.org/v3', 'GlobalNetworkPolicy'], ['crd.projectcalico.org/v1', 'GlobalNetworkPolicy'],
    ['k8s.cni.cncf.io/v1beta1', 'MultiNetworkPolicy'], ['k8s.cni.cncf.io/v1', 'NetworkAttachmentDefinition'], ['k8s.ovn.org/v1', 'UserDefinedNetwork'],
    ['crd.antrea.io/v1beta1', 'ClusterNetworkPolicy'], ['security.istio.io/v1', 'AuthorizationPolicy'],
  ];
  for (const [apiVersion, kind] of cases) {
    const r = load(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x, namespace: prod}\nspec: {}\n`);
    const own = r.diagnostics.filter((d) => d.file !== '<input>'); // not the "nothing to check" note
    assert.equal(own.length, 1, `${apiVersion} ${kind}`);
    const d = own[0]!;
    assert.equal(d.severity, 'warning', `${apiVersion} ${kind}`);
    assert.match(d.message, new RegExp(`^${kind} prod/x \\(${apiVersion.replace(/\./g, '\\.')}\\) .*verdicts ignore it`));
    assert.deepEqual(r.cluster.policies, []);
  }
  // A Calico NetworkPolicy is not read as a Kubernetes one.
  assert.equal(classifyKind('NetworkPolicy', 'projectcalico.org/v3', true).action, 'warn');
  // Everything else: an info.
  assert.equal(load(`apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n`).diagnostics[0]!.severity, 'info');
});

test('an unrendered Helm template: one error per file that says so and how to render it', () => {
  const chart = `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-web
  labels:
    {{- include "chart.labels" . | nindent 4 }}
spec:
  containers:
  - name: web
    ports:
    - containerPort: {{ index .Ports 0 }}
`;
  const r = loadSources([{ file: 'templates/pod.yaml', text: chart }, { file: 'ok.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\n' }]);
  const errors = sev(r, 'error');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0]!.file, 'templates/pod.yaml');
  assert.equal(errors[0]!.line, 4);
  assert.match(errors[0]!.message, /unrendered template \(`\{\{ \.Release\.Name \}\}` at line 4\)/);
  assert.match(errors[0]!.hint!, /helm template/);
  assert.match(errors[0]!.hint!, /kustomize build/);
  assert.deepEqual(r.cluster.pods.map((p) => p.name), ['ok']);
  // Control lines and value positions are templates...
  assert.equal(findTemplate('{{- if .Values.enabled }}\napiVersion: v1\n')?.line, 1);
  assert.equal(findTemplate('spec:\n  - {{ toYaml .x }}\n')?.line, 2);
  // ...but `{{` inside quotes or a block scalar is data (alert texts, Alertmanager templates).
  assert.equal(findTemplate('metadata:\n  annotations:\n    description: "{{ $labels.instance }} is down"\n'), undefined);
  assert.equal(findTemplate('data:\n  tmpl: |\n    {{ define "slack" }}\n    {{ .CommonLabels.alertname }}\n    {{ end }}\nkind: ConfigMap\n'), undefined);
});

test('a stray file with no Kubernetes object: one warning, skipped, the analysis goes on', () => {
  const r = loadSources([
    { file: 'report.json', text: JSON.stringify({ results: [{ from: 'a', to: 'b', allowed: true }], version: 3 }) },
    { file: 'values.yaml', text: 'replicaCount: 1\nimage: {repository: nginx}\n---\nfoo: bar\n' },
    { file: 'pod.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n' },
  ]);
  assert.deepEqual(sev(r, 'error'), []);
  const w = sev(r, 'warning');
  assert.deepEqual(w.map((d) => d.file), ['report.json', 'values.yaml']);
  assert.match(w[0]!.message, /no Kubernetes object in this file/);
  assert.deepEqual(r.cluster.pods.map((p) => p.name), ['a']);
  // A file that has objects keeps its errors for the documents without a kind.
  const mixed = load('apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nmetadata: {name: b}\n');
  assert.deepEqual(sev(mixed, 'error').map((d) => d.message), ["Object 'Kind' is missing"]);
});

test('hints quote what was written: `app: n` is the boolean false for kubectl', () => {
  const r = load('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    app: n\n    tier: 0o17\n    env: e0\n    at: 12:30\n');
  const errors = sev(r, 'error');
  assert.deepEqual(errors.map((d) => d.hint), [
    'kubectl reads `app: n` as the boolean false; quote it: app: "n"',
    'kubectl reads `tier: 0o17` as the number 15; quote it: tier: "0o17"',
  ]);
  assert.deepEqual(errors.map((d) => d.line), [6, 7]);
  // e0 and 12:30 are strings for kubectl.
  // (.e1 and 12:30 are strings too, see the table, but not valid label values.)
  const ok = load('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {env: e0, e: E5, f: e10, g: e-1, m: e2, at: "x"}\n');
  assert.deepEqual(sev(ok, 'error'), []);
  assert.deepEqual(ok.cluster.pods[0]!.labels, { env: 'e0', e: 'E5', f: 'e10', g: 'e-1', m: 'e2', at: 'x' });
  // NetworkPolicy selectors too (strict decoding's type mismatch).
  const np = load('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector:\n    matchLabels: {app: off}\n');
  assert.equal(sev(np, 'error')[0]!.hint, 'kubectl reads `app: off` as the boolean false; quote it: app: "off"');
});

test('YAML values JSON cannot carry are refused with the encoder\'s message', () => {
  const r = load('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations: {x: .nan}\n');
  const [e] = sev(r, 'error');
  assert.equal(e!.message, 'json: unsupported value: NaN');
  assert.equal(e!.path, 'metadata.annotations.x');
  assert.equal(e!.line, 5);
  assert.deepEqual(r.cluster.pods, []);
});

test('leniencies keep lines and columns of the text as written', () => {
  // The flow list continues on a tab-indented line (go-yaml reads it); `protocol: TPC` after it
  // is reported where it is written.
  const r = load('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  ingress:\n  - ports: [{port: 80},\n\t{port: 443, protocol: TPC}]\n');
  const [e] = sev(r, 'error');
  assert.ok(e, JSON.stringify(r.diagnostics));
  assert.equal(e.path, 'spec.ingress[0].ports[1].protocol');
  assert.equal(e.line, 8);
  assert.equal(e.column, 14); // the key `protocol`, counting the tab as one column
  // A quoted annotation continued at the key's indentation.
  const q = load('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    note: "first line\n    second line\n"\n');
  assert.deepEqual(sev(q, 'error'), []);
  // A broken file that the retry cannot mend keeps the parser's own errors.
  const bad = load('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   labels: x\n');
  assert.equal(sev(bad, 'error')[0]!.type, 'YAML syntax');
});
