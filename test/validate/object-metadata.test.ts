// Metadata of Namespaces, Pods and workloads (src/validate/object-metadata.ts, through loadSources): each kind's name rule,
// namespace, labels, annotations, pod template labels, selectors. Every rule has a passing and a
// failing case; failing cases check type, upstream path, message and line. Objects that fail are
// left out of the cluster.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { loadSources, type LoadResult } from '../../src/load/load.js';
import { LABEL_MSG, LABEL_VALUE_MSG, NAME_PART_MSG, SUBDOMAIN_MSG } from './helpers.js';

const load = (text: string): LoadResult => loadSources([{ file: 'o.yaml', text }]);
const errors = (r: LoadResult): Diagnostic[] => r.diagnostics.filter((d) => d.severity === 'error');

/** Exactly one error: its [type, path, message, line]. */
function one(text: string): [string, string, string, number] {
  const r = load(text);
  const es = errors(r);
  assert.equal(es.length, 1, es.map((d) => `${d.path}: ${d.message}`).join('\n'));
  const d = es[0]!;
  return [d.type, d.path, d.message, d.line];
}

function clean(text: string): LoadResult {
  const r = load(text);
  assert.deepEqual(errors(r).map((d) => `${d.path}: ${d.message}`), []);
  return r;
}

const pod = (meta: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n${meta}\n`;
// apps/v1 kinds need a selector matching the template (objects.ts); every template here has `app`.
const SELECTOR = '\n  selector: {matchExpressions: [{key: app, operator: Exists}]}';
const workload = (kind: string, name: string, extra = '', labels = '{app: x}') => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: ${name}
  namespace: prod
spec:${kind === 'ReplicationController' || extra.includes('selector:') ? extra : SELECTOR + extra}
  template:
    metadata:
      labels: ${labels}
    spec:
      containers: [{name: c}]
`;

describe('metadata.name per kind', () => {
  it('Namespace: a DNS label (ValidateNamespaceName)', () => {
    clean('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n');
    assert.deepEqual(one('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team.a\n'),
      ['Invalid value', 'metadata.name', 'Invalid value: "team.a": must not contain dots', 4]);
    assert.deepEqual(one('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Team_A\n'),
      ['Invalid value', 'metadata.name', `Invalid value: "Team_A": ${LABEL_MSG}`, 4]);
  });
  it('Namespace: metadata.namespace is cleared by the server for a cluster-scoped kind, not checked', () => {
    clean('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  namespace: Not_A_Label\n');
  });
  it('Service: a DNS-1035 label (ValidateServiceName): lower case, starts with a letter, no dots', () => {
    const svc = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: prod\nspec:\n  selector: {app: db}\n  ports: [{port: 5432}]\n`;
    clean(svc('db-primary'));
    const MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    for (const bad of ['Bad_Svc', '1db', 'db.primary']) {
      assert.deepEqual(one(svc(bad)), ['Invalid value', 'metadata.name', `Invalid value: "${bad}": ${MSG}`, 4], bad);
    }
  });
  it('Pod: a DNS subdomain (ValidatePodName), dots allowed', () => {
    clean(pod('  name: web.v1'));
    assert.deepEqual(one(pod('  name: Web_1')), ['Invalid value', 'metadata.name', `Invalid value: "Web_1": ${SUBDOMAIN_MSG}`, 4]);
  });
  it('Pod: a hostile name is quoted with Go escaping, never raw', () => {
    const [, path, message, line] = one(pod('  name: "a\\nb|c\\e[31m"'));
    assert.equal(path, 'metadata.name');
    assert.equal(message, `Invalid value: "a\\nb|c\\x1b[31m": ${SUBDOMAIN_MSG}`);
    assert.equal(line, 4);
  });
  it('Pod: name required', () => {
    assert.deepEqual(one(pod('  labels: {a: b}')), ['Required value', 'metadata.name', 'Required value: name or generateName is required', 3]);
  });
  it('Pod: generateName is checked like a name (may end in a dash) but cannot be expanded', () => {
    assert.deepEqual(one(pod('  generateName: Web-')), ['Invalid value', 'metadata.generateName', `Invalid value: "Web-": ${SUBDOMAIN_MSG}`, 4]);
    assert.deepEqual(one(pod('  generateName: web-')), ['Not supported', 'metadata.generateName', 'netpol cannot know the name the API server would generate', 4]);
  });
  for (const kind of ['Deployment', 'ReplicaSet', 'DaemonSet']) {
    it(`${kind}: a DNS subdomain`, () => {
      clean(workload(kind, 'api.v2'));
      assert.deepEqual(one(workload(kind, 'API')), ['Invalid value', 'metadata.name', `Invalid value: "API": ${SUBDOMAIN_MSG}`, 4]);
    });
  }
  it('ReplicationController: a DNS subdomain', () => {
    clean(workload('ReplicationController', 'rc.v1').replace('apps/v1', 'v1'));
    assert.deepEqual(one(workload('ReplicationController', 'rc_1').replace('apps/v1', 'v1')),
      ['Invalid value', 'metadata.name', `Invalid value: "rc_1": ${SUBDOMAIN_MSG}`, 4]);
  });
  it('StatefulSet: a DNS label (ValidateStatefulSetName), so no dots', () => {
    clean(workload('StatefulSet', 'db'));
    const [type, path, message, line] = one(workload('StatefulSet', 'db.v1'));
    assert.deepEqual([type, path, message, line], ['Invalid value', 'metadata.name', 'Invalid value: "db.v1": must not contain dots', 4]);
  });
  it('Job: the generated job-name label must be a label value (at most 63 bytes)', () => {
    const job = (name: string, manual = '') => `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}\nspec:${manual}\n  template:\n    spec: {containers: [{name: c}]}\n`;
    clean(job('j'.repeat(63)));
    const long = 'j'.repeat(64);
    assert.deepEqual(one(job(long)), ['Invalid value', 'spec.template.labels', `Invalid value: "${long}": must be no more than 63 bytes`, 4]);
    // With manualSelector the server generates no labels.
    clean(job(long, '\n  manualSelector: true\n  selector: {matchLabels: {a: b}}').replace('    spec: {', '    metadata: {labels: {a: b}}\n    spec: {'));
  });
  it('CronJob: a subdomain of at most 52 characters', () => {
    const cron = (name: string) => `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${name}\nspec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec: {containers: [{name: c}]}\n`;
    clean(cron('c'.repeat(52)));
    const long = 'c'.repeat(53);
    assert.deepEqual(one(cron(long)), ['Invalid value', 'metadata.name', `Invalid value: "${long}": must be no more than 52 characters`, 4]);
  });
});

describe('metadata.namespace, labels, annotations', () => {
  it('namespace: a DNS label', () => {
    clean(pod('  name: a\n  namespace: team-a'));
    assert.deepEqual(one(pod('  name: a\n  namespace: "prod\\x1b[2J"')),
      ['Invalid value', 'metadata.namespace', `Invalid value: "prod\\x1b[2J": ${LABEL_MSG}`, 5]);
  });
  it('labels: key is a qualified name, pointing at the key', () => {
    clean(pod('  name: a\n  labels:\n    example.com/App: x'));
    assert.deepEqual(one(pod('  name: a\n  labels:\n    ok: x\n    "a|b": x')),
      ['Invalid value', 'metadata.labels', `Invalid value: "a|b": ${NAME_PART_MSG}`, 7]);
  });
  it('labels: value at most 63 characters of [A-Za-z0-9._-], alphanumeric at both ends', () => {
    clean(pod('  name: a\n  labels:\n    v: A.b_c-9'));
    assert.deepEqual(one(pod('  name: a\n  labels:\n    v: "x,y"')),
      ['Invalid value', 'metadata.labels', `Invalid value: "x,y": ${LABEL_VALUE_MSG}`, 6]);
    const long = 'v'.repeat(64);
    assert.deepEqual(one(pod(`  name: a\n  labels:\n    v: ${long}`)),
      ['Invalid value', 'metadata.labels', `Invalid value: "${long}": must be no more than 63 bytes`, 6]);
  });
  it('labels: a YAML 1.1 boolean is a type mismatch', () => {
    const [type, path, message, line] = one(pod('  name: a\n  labels:\n    on: yes'));
    assert.deepEqual([type, path, line], ['Type mismatch', 'metadata.labels', 6]);
    assert.equal(message, 'json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string');
  });
  it('annotations: keys are qualified names', () => {
    clean(pod('  name: a\n  annotations:\n    example.com/note: "anything, even\\nnewlines"'));
    assert.deepEqual(one(pod('  name: a\n  annotations:\n    "bad key": x')),
      ['Invalid value', 'metadata.annotations', `Invalid value: "bad key": ${NAME_PART_MSG}`, 6]);
  });
  it('annotations: at most 256 KiB in total', () => {
    clean(pod(`  name: a\n  annotations:\n    a: ${'x'.repeat(262143)}`));
    assert.deepEqual(one(pod(`  name: a\n  annotations:\n    a: ${'x'.repeat(262144)}`)),
      ['Too long', 'metadata.annotations', 'Too long: may not be more than 262144 bytes', 5]);
  });
  it('unknown metadata fields are strict-decoding errors', () => {
    const r = load(pod('  nmae: a\n  name: a'));
    const d = errors(r)[0]!;
    assert.deepEqual([d.type, d.path, d.line, d.hint], ['Unknown field', 'metadata.nmae', 4, 'did you mean "name"?']);
  });
});

describe('pod templates and selectors', () => {
  it('template labels: reported at <template>.labels as upstream does, positioned at the label', () => {
    clean(workload('Deployment', 'api', '', '{app: api}'));
    assert.deepEqual(one(workload('Deployment', 'api', '', '\n        app: api\n        tier: "front end"')),
      ['Invalid value', 'spec.template.labels', `Invalid value: "front end": ${LABEL_VALUE_MSG}`, 12]);
  });
  it('CronJob template labels live under spec.jobTemplate.spec.template', () => {
    const cron = (v: string) => `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels:\n            app: ${v}\n        spec: {containers: [{name: c}]}\n`;
    clean(cron('backup'));
    assert.deepEqual(one(cron('"-x"')),
      ['Invalid value', 'spec.jobTemplate.spec.template.labels', `Invalid value: "-x": ${LABEL_VALUE_MSG}`, 12]);
  });
  it('template annotations: keys are qualified names', () => {
    const ann = (k: string) => workload('DaemonSet', 'agent', '', '{app: a}\n      annotations:\n        ' + k + ': x');
    clean(ann('example.com/ok'));
    assert.deepEqual(one(ann('"/x"')), ['Invalid value', 'spec.template.annotations', 'Invalid value: "/x": prefix part must be non-empty', 12]);
  });
  it('a workload selector is a valid label selector', () => {
    clean(workload('Deployment', 'api', '\n  selector:\n    matchLabels: {app: x}'));
    assert.deepEqual(one(workload('Deployment', 'api', '\n  selector:\n    matchLabels:\n      app: "x y"')),
      ['Invalid value', 'spec.selector.matchLabels', `Invalid value: "x y": ${LABEL_VALUE_MSG}`, 9]);
    assert.deepEqual(one(workload('StatefulSet', 'db', '\n  selector:\n    matchExpressions:\n    - {key: app, operator: in, values: [x]}')),
      ['Invalid value', 'spec.selector.matchExpressions[0].operator', 'Invalid value: "in": not a valid selector operator', 9]);
  });
  it('a ReplicationController selector is a label map, matched against the template labels (upstream checks no format)', () => {
    const rc = (sel: string) => workload('ReplicationController', 'rc', `\n  selector:\n    ${sel}`).replace('apps/v1', 'v1');
    clean(rc('app: x'));
    // ValidateReplicationControllerSpec only requires it non-empty and matching: one error.
    assert.deepEqual(one(rc('"a b": x')),
      ['Invalid value', 'spec.template.metadata.labels', 'Invalid value: {"app":"x"}: `selector` does not match template `labels`', 11]);
  });
  it('container port names are IANA service names', () => {
    const p = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: c\n    ports:\n    - name: ${name}\n      containerPort: 80\n`;
    clean(p('http'));
    assert.deepEqual(one(p('"ht\\ntp"')),
      ['Invalid value', 'spec.containers[0].ports[0].name', 'Invalid value: "ht\\ntp": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 8]);
  });
});

describe('rejection', () => {
  it('an object with invalid metadata is left out and counted; valid ones stay', () => {
    const r = load([
      pod('  name: ok'),
      pod('  name: "bad\\u202ename"'),
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: "ns|x"\n',
      workload('Deployment', 'web', '', '{app: "a,b"}'),
      workload('Deployment', 'api'),
    ].join('---\n'));
    assert.deepEqual(r.cluster.pods.map((p) => `${p.namespace}/${p.name}`), ['default/ok', 'prod/api-0']);
    assert.deepEqual(r.cluster.namespaces.filter((n) => !n.implicit), []);
    assert.equal(r.rejectedObjects, 3);
    assert.deepEqual(errors(r).map((d) => [d.document, d.path]), [[1, 'metadata.name'], [2, 'metadata.name'], [3, 'spec.template.labels']]);
  });
});
