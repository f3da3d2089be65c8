// Loader: documents, lists, JSON, workloads -> pods, namespaces, IPs, unknown kinds, hostile input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSources, type LoadOptions } from '../../src/load/load.js';
import { DEFAULT_LIMITS } from '../../src/load/limits.js';

function load(text: string, opts: LoadOptions = {}, file = 'in.yaml') {
  return loadSources([{ file, text }], opts);
}
const errors = (r: ReturnType<typeof load>) => r.diagnostics.filter((d) => d.severity === 'error');
const ids = (r: ReturnType<typeof load>) => r.cluster.pods.map((p) => `${p.namespace}/${p.name}`);

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec: {podSelector: {}}
`;

test('multi-document YAML; empty documents and a trailing --- are skipped (kubectl does)', () => {
  const r = load(`---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n# just a comment\n---\n${POLICY}---\n`);
  assert.deepEqual(errors(r), []);
  assert.deepEqual(ids(r), ['default/a']);
  assert.equal(r.cluster.policies.length, 1);
  assert.equal(r.cluster.policies[0]!.namespace, 'default');
});

test('kind: List (YAML) and a JSON file with a List; Lists inside Lists are read', () => {
  const yaml = load(`apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: a, namespace: x}}\n- {apiVersion: v1, kind: Pod, metadata: {name: b, namespace: x}}\n`);
  assert.deepEqual(ids(yaml), ['x/a', 'x/b']);
  const json = load(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', labels: { team: 'a' } } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'x', labels: { app: 'a' } }, status: { podIP: '10.1.1.1' } },
  ] }), {}, 'in.json');
  assert.deepEqual(errors(json), []);
  assert.deepEqual(json.cluster.pods[0]!.ips, ['10.1.1.1']);
  assert.deepEqual(json.cluster.namespaces[0]!.labels, { team: 'a', 'kubernetes.io/metadata.name': 'x' });
  // PodList and friends are Lists too.
  assert.deepEqual(ids(load(JSON.stringify({ kind: 'PodList', items: [{ kind: 'Pod', metadata: { name: 'p' } }] }))), ['default/p']);
  const nested = load([
    'kind: List', 'items:',
    '- {kind: Pod, metadata: {name: outer, namespace: x}}',
    '- kind: List', '  items:',
    '  - {kind: Pod, metadata: {name: inner, namespace: x}}',
    '  - kind: PodList', '    items:',
    '    - {kind: Pod, metadata: {name: deepest, namespace: x}}',
    '    - {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: np, namespace: x}, spec: {podSelector: {}, ingres: []}}',
    '  - {kind: List, items: []}',
  ].join('\n'));
  assert.deepEqual(ids(nested), ['x/deepest', 'x/inner', 'x/outer']);
  // A problem deep inside is located through every level of items[].
  assert.deepEqual(errors(nested).map((d) => `${d.line}: ${d.message}`), ['10: unknown field "spec.ingres"']);
});

test('an empty input says so: an empty file, a file of comments, no files at all, nothing netpol reads', () => {
  const warnings = (r: ReturnType<typeof loadSources>) => r.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.file}:${d.line}: ${d.message}`);
  assert.deepEqual(warnings(load('')), ['in.yaml:1: the file is empty: no Kubernetes objects in it']);
  assert.deepEqual(warnings(load('# only a comment\n---\n')), ['in.yaml:1: the file is empty: no Kubernetes objects in it']);
  assert.match(warnings(loadSources([]))[0]!, /^<input>:1: no manifests in the input/);
  // Objects, but none that netpol evaluates: one warning for the input, beside the infos.
  const services = load('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\n');
  assert.deepEqual(warnings(services), ['<input>:1: nothing to check: no NetworkPolicy, Namespace, Pod or workload with pods was read from the input']);
  assert.equal(services.diagnostics.filter((d) => d.severity === 'info').length, 1);
  // One empty file beside real manifests is named; the input as a whole is not empty.
  const mixed = loadSources([{ file: 'a.yaml', text: POLICY }, { file: 'b.yaml', text: '\n' }]);
  assert.deepEqual(warnings(mixed), ['b.yaml:1: the file is empty: no Kubernetes objects in it']);
  // A syntax error is reported as such, not also as an empty file.
  assert.deepEqual(warnings(load('a: [\n')), []);
  assert.deepEqual(warnings(load(POLICY)), []);
});

test('workloads become pods named <workload>-<i>, with template labels and ports', () => {
  const tpl = (labels: string) => `template:\n    metadata: {labels: {${labels}}}\n    spec: {containers: [{name: c, ports: [{name: web, containerPort: 8080}]}]}`;
  const r = load([
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: prod}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  ${tpl('app: web')}`,
    // apps/v1 needs a selector matching the template labels (the API server refuses it otherwise).
    `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: prod}\nspec:\n  replicas: 2\n  selector: {matchLabels: {role: db}}\n  ${tpl('role: db')}`,
    `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: kube-system}\nspec:\n  selector: {matchLabels: {app: agent}}\n  ${tpl('app: agent')}`,
    `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs}\nspec:\n  selector: {matchLabels: {app: rs}}\n  ${tpl('app: rs')}`,
    `apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec:\n  replicas: 0\n  ${tpl('app: rc')}`,
    `apiVersion: batch/v1\nkind: Job\nmetadata: {name: job}\nspec:\n  parallelism: 2\n  ${tpl('app: job')}`,
    `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cron}\nspec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: cron}}\n        spec: {containers: [{name: c}]}`,
  ].join('\n---\n'));
  assert.deepEqual(errors(r), []);
  assert.deepEqual(ids(r), ['default/cron-0', 'default/job-0', 'default/job-1', 'default/rs-0', 'kube-system/agent-0', 'prod/db-0', 'prod/db-1', 'prod/web-0', 'prod/web-1', 'prod/web-2']);
  const web = r.cluster.pods.find((p) => p.name === 'web-1')!;
  assert.deepEqual(web.labels, { app: 'web' });
  assert.deepEqual(web.ports, [{ name: 'web', containerPort: 8080, protocol: 'TCP' }]);
  assert.deepEqual(web.workload, { kind: 'Deployment', name: 'web' });
  assert.deepEqual(web.ips, []);
  assert.deepEqual(r.cluster.pods.find((p) => p.name === 'cron-0')!.labels, { app: 'cron' });
});

test('objects without a namespace go to default, or to the namespace option', () => {
  const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: other}\n---\n${POLICY}`;
  assert.deepEqual(ids(load(text)), ['default/a', 'other/b']);
  const r = load(text, { namespace: 'team' });
  assert.deepEqual(ids(r), ['other/b', 'team/a']);
  assert.equal(r.cluster.policies[0]!.namespace, 'team');
});

test('referenced namespaces exist implicitly; every namespace carries kubernetes.io/metadata.name', () => {
  const r = load(`apiVersion: v1\nkind: Namespace\nmetadata: {name: x, labels: {env: prod}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: ghost}\n---\n${POLICY.replace('name: deny}', 'name: deny, namespace: other}')}`);
  const ns = Object.fromEntries(r.cluster.namespaces.map((n) => [n.name, n]));
  assert.deepEqual(Object.keys(ns).sort(), ['ghost', 'other', 'x']);
  assert.deepEqual(ns.x!.labels, { env: 'prod', 'kubernetes.io/metadata.name': 'x' });
  assert.equal(ns.x!.implicit, false);
  assert.deepEqual(ns.ghost!.labels, { 'kubernetes.io/metadata.name': 'ghost' });
  assert.equal(ns.ghost!.implicit, true);
  assert.equal(ns.other!.implicit, true);
});

test('status.podIP and status.podIPs (dual stack, deduplicated); no status = no IP', () => {
  const r = load(`apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus: {podIP: 10.0.0.1, podIPs: [{ip: 10.0.0.1}, {ip: "fd00::1"}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n`);
  assert.deepEqual(r.cluster.pods.map((p) => p.ips), [['10.0.0.1', 'fd00::1'], []]);
});

test('unknown kinds are skipped with an info "No kind match", not an error', () => {
  const r = load(`apiVersion: v1\nkind: Event\nmetadata: {name: s}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n`);
  assert.deepEqual(errors(r), []);
  const infos = r.diagnostics.filter((d) => d.type === 'No kind match');
  assert.deepEqual(infos.map((d) => [d.severity, d.document, d.line]), [['info', 0, 2], ['info', 1, 6]]);
  assert.match(infos[0]!.message, /Event/);
});

test('duplicate keys: "Duplicate field" naming the path and the line of the second key', () => {
  const r = load(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n`);
  const d = r.diagnostics.find((x) => x.type === 'Duplicate field');
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.equal(d.path, 'metadata.name');
  assert.equal(d.line, 5);
  assert.equal(d.column, 3);
  assert.equal(d.file, 'in.yaml');
});

test('YAML syntax errors name file and line and do not throw', () => {
  const r = load(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   labels: x\n`, {}, 'bad.yaml');
  const d = errors(r)[0]!;
  assert.equal(d.type, 'YAML syntax');
  assert.equal(d.file, 'bad.yaml');
  assert.ok(d.line >= 4 && d.line <= 5, `line ${d.line}`);
});

// --- Hostile input: bounded, clear diagnostics, never a throw ---------------------------------

test('alias bomb ("billion laughs") is refused with a Too many diagnostic', () => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  const text = `kind: Pod\nmetadata: {name: bomb}\n${lines.map((l) => `x${l}`).join('\n').replace(/^x/gm, '')}\n`;
  const started = Date.now();
  const r = load(text, {}, 'bomb.yaml');
  const ms = Date.now() - started; // reported for information only, not asserted
  const d = errors(r).find((x) => x.type === 'Too many');
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.equal(d.file, 'bomb.yaml');
  assert.match(d.message, /alias/i);
  assert.deepEqual(r.cluster.pods, []);
  console.log(`alias bomb (10^12 nodes if expanded) refused in ${ms} ms`);
});

test('200-deep nesting is refused with a clear diagnostic', () => {
  const text = `kind: Pod\nmetadata: {name: deep}\nspec: ${'['.repeat(200)}${']'.repeat(200)}\n`;
  const r = load(text, {}, 'deep.yaml');
  const d = errors(r).find((x) => x.type === 'Too many');
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.match(d.message, /nesting deeper than 100/);
  assert.equal(d.file, 'deep.yaml');
  assert.deepEqual(r.cluster.pods, []);
});

test('a file over the byte limit is refused with its name and size', () => {
  const text = `kind: Pod\nmetadata: {name: big}\n# ${'x'.repeat(2000)}\n`;
  const r = load(text, { limits: { ...DEFAULT_LIMITS, maxBytes: 1024 } }, 'big.yaml');
  const d = errors(r)[0]!;
  assert.equal(d.type, 'Too long');
  assert.equal(d.file, 'big.yaml');
  assert.match(d.message, /more than the limit of 1024 bytes/);
  assert.deepEqual(r.cluster.pods, []);
  // Other files in the same load still count.
  const both = loadSources([{ file: 'big.yaml', text }, { file: 'ok.yaml', text: 'kind: Pod\nmetadata: {name: ok}\n' }], { limits: { ...DEFAULT_LIMITS, maxBytes: 1024 } });
  assert.deepEqual(ids(both), ['default/ok']);
});

test('a non-mapping document and a missing kind are errors with their document index', () => {
  // (A file with no Kubernetes object at all is a stray: see strays.test.ts.)
  const r = load(`- just\n- a list\n---\nmetadata: {name: a}\n---\nkind: Pod\nmetadata: {name: p}\n`);
  assert.deepEqual(errors(r).map((d) => [d.type, d.document]), [['Type mismatch', 0], ['Required value', 1]]);
});

test('the same object twice: a warning pointing at the first definition, last one wins', () => {
  const r = load(`kind: Pod\nmetadata: {name: a, labels: {v: "1"}}\n---\nkind: Pod\nmetadata: {name: a, labels: {v: "2"}}\n`);
  const w = r.diagnostics.find((d) => d.type === 'Duplicate value')!;
  assert.equal(w.severity, 'warning');
  assert.match(w.hint ?? '', /in\.yaml:2/);
  assert.deepEqual(r.cluster.pods[0]!.labels, { v: '2' });
});
