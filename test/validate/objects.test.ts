// Pods, workloads, Namespaces and Services, checked as the API server does for the fields netpol
// reads: strict decoding (unknown field + did you mean), container ports, workload selectors,
// ownerReferences, `status` of dumps. Expected texts are the upstream ones (see src/validate/objects.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { parseYamlText } from '../../src/load/parse-yaml.js';
import { checkNetworkPolicy, checkObject } from '../../src/validate/index.js';
import { lines } from './helpers.js';

function check(kind: string, yaml: string): Diagnostic[] {
  const parsed = parseYamlText('obj.yaml', yaml);
  assert.deepEqual(parsed.diagnostics, [], 'test YAML must parse');
  return checkObject(kind, parsed.documents[0]!.value, parsed.documents[0]!.origin);
}
const errors = (ds: Diagnostic[]) => lines(ds.filter((d) => d.severity === 'error'));
const warnings = (ds: Diagnostic[]) => lines(ds.filter((d) => d.severity === 'warning'));

const pod = (containers: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: prod}
spec:
  containers:
${containers}${extra}`;

const deployment = (spec: string, kind = 'Deployment', apiVersion = 'apps/v1') => `apiVersion: ${apiVersion}
kind: ${kind}
metadata: {name: web, namespace: prod}
spec:
${spec}`;

const TEMPLATE = `  template:
    metadata: {labels: {app: web, tier: front}}
    spec: {containers: [{name: c, image: nginx}]}
`;

describe('strict decoding of Pods and workloads', () => {
  it('a misspelt containerPort is an unknown field with a did-you-mean, at its line and column', () => {
    const ds = check('Pod', pod(`  - name: c
    image: nginx
    ports:
    - containerport: 8080
`));
    assert.deepEqual(lines(ds), ['spec.containers[0].ports[0].containerport: unknown field "spec.containers[0].ports[0].containerport"']);
    assert.equal(ds[0]!.type, 'Unknown field');
    assert.equal(ds[0]!.severity, 'error');
    assert.equal(ds[0]!.hint, 'did you mean "containerPort"?');
    assert.deepEqual([ds[0]!.line, ds[0]!.column], [9, 7]);
  });
  it('fields netpol does not read are known by name and not checked further', () => {
    const ds = check('Pod', pod(`  - name: c
    image: nginx
    resources: {limits: {cpu: 1}}
    env: [{name: A, value: b}]
    livenessProbe: {httpGet: {path: /, port: http}}
`, `  volumes: [{name: v, emptyDir: {}}]
  nodeSelector: {disk: ssd}
  tolerations: [{operator: Exists}]
`));
    assert.deepEqual(ds, []);
  });
  it('unknown fields in a Deployment spec and template, with hints', () => {
    const ds = check('Deployment', deployment(`  replica: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx, port: 80}]
`));
    assert.deepEqual(lines(ds), [
      'spec.replica: unknown field "spec.replica"',
      'spec.template.spec.containers[0].port: unknown field "spec.template.spec.containers[0].port"',
    ]);
    assert.equal(ds[0]!.hint, 'did you mean "replicas"?');
  });
  it('a type mismatch stops before validation, like the API server', () => {
    const ds = check('Pod', pod(`  - name: c
    ports: [{containerPort: "8080", protocol: tcp}]
`));
    assert.deepEqual(ds.map((d) => d.type), ['Type mismatch']);
    assert.equal(ds[0]!.path, 'spec.containers[0].ports[0].containerPort');
    assert.match(ds[0]!.hint!, /remove the quotes/);
  });
  it('a port name written as containerPort: the hint says where a name goes', () => {
    const ds = check('Pod', pod('  - name: c\n    ports: [{containerPort: http}]\n'));
    assert.deepEqual(ds.map((d) => [d.type, d.path]), [['Type mismatch', 'spec.containers[0].ports[0].containerPort']]);
    assert.equal(ds[0]!.hint, '`containerPort` is a number; to name the port write `name: http` next to it');
  });
  it('every kind: Namespace, Service, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob', () => {
    assert.deepEqual(lines(check('Namespace', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\nspce: {}\n')), ['spce: unknown field "spce"']);
    assert.deepEqual(lines(check('Service', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selectr: {app: a}, ports: [{port: 80}]}\n')),
      ['spec.selectr: unknown field "spec.selectr"']);
    for (const kind of ['StatefulSet', 'DaemonSet', 'ReplicaSet']) {
      const ds = check(kind, deployment(`  selector: {matchLabels: {app: web}}\n  templat: {}\n`, kind));
      assert.ok(lines(ds).includes('spec.templat: unknown field "spec.templat"'), `${kind}: ${lines(ds)}`);
    }
    assert.deepEqual(lines(check('ReplicationController', deployment(`  selector: {app: web}\n  replicas: 1\n  tempalte: {}\n`, 'ReplicationController', 'v1'))),
      // The Required value of the template the misspelling leaves out is a follow-on: not repeated.
      ['spec.tempalte: unknown field "spec.tempalte"']);
    assert.deepEqual(lines(check('Job', deployment(`  paralelism: 2\n${TEMPLATE}`, 'Job', 'batch/v1'))), ['spec.paralelism: unknown field "spec.paralelism"']);
    assert.deepEqual(lines(check('CronJob', deployment(`  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec: {containers: [{name: c, prots: []}]}\n`, 'CronJob', 'batch/v1'))),
      ['spec.jobTemplate.spec.template.spec.containers[0].prots: unknown field "spec.jobTemplate.spec.template.spec.containers[0].prots"']);
  });
});

describe('container ports (validateContainerPorts)', () => {
  it('containerPort required and in range, hostPort in range, protocol supported', () => {
    const ds = check('Pod', pod(`  - name: c
    ports:
    - name: web
    - containerPort: 70000
    - containerPort: 80
      hostPort: -1
    - containerPort: 53
      protocol: udp
`));
    assert.deepEqual(errors(ds), [
      'spec.containers[0].ports[0].containerPort: Required value',
      'spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[2].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[3].protocol: Unsupported value: "udp": supported values: "SCTP", "TCP", "UDP"',
    ]);
    assert.equal(ds[3]!.hint, 'protocols are upper case: "UDP"');
    assert.equal(ds[1]!.line, 9);
  });
  it('port names are IANA_SVC_NAME, each failed rule its own error', () => {
    const ds = check('Pod', pod(`  - name: c
    ports:
    - {name: HTTP, containerPort: 80}
    - {name: "8080", containerPort: 8080}
    - {name: a--b, containerPort: 81}
    - {name: very-long-port-name, containerPort: 82}
`));
    assert.deepEqual(errors(ds), [
      'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)',
      'spec.containers[0].ports[1].name: Invalid value: "8080": must contain at least one letter (a-z)',
      'spec.containers[0].ports[2].name: Invalid value: "a--b": must not contain consecutive hyphens',
      'spec.containers[0].ports[3].name: Invalid value: "very-long-port-name": must be no more than 15 characters',
    ]);
    assert.equal(ds[0]!.hint, 'port names are lower case: "http"');
  });
  it('a port name twice in one container is a Duplicate value error; across containers a warning', () => {
    const ds = check('Pod', pod(`  - name: a
    ports: [{name: web, containerPort: 80}, {name: web, containerPort: 81}]
  - name: b
    ports: [{name: web, containerPort: 8080}]
`));
    assert.deepEqual(errors(ds), ['spec.containers[0].ports[1].name: Duplicate value: "web"']);
    assert.deepEqual(warnings(ds), ['spec.containers[1].ports[0].name: Duplicate value: "web": also named at spec.containers[0].ports[0].name']);
  });
  it('hostNetwork: containerPort must match hostPort', () => {
    const ds = check('Pod', pod('  - name: c\n    ports: [{containerPort: 80, hostPort: 8080}]\n', '  hostNetwork: true\n'));
    assert.deepEqual(errors(ds), ['spec.containers[0].ports[0].containerPort: Invalid value: 80: must match `hostPort` when `hostNetwork` is true']);
    assert.deepEqual(check('Pod', pod('  - name: c\n    ports: [{containerPort: 80}]\n', '  hostNetwork: true\n')), []);
  });
  it('workload templates are checked at their own paths', () => {
    const ds = check('CronJob', deployment(`  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec: {containers: [{name: c, ports: [{containerPort: 0}]}]}
`, 'CronJob', 'batch/v1'));
    assert.deepEqual(errors(ds), ['spec.jobTemplate.spec.template.spec.containers[0].ports[0].containerPort: Required value']);
  });
});

describe('workload selectors', () => {
  it('a selector that does not match the template labels (upstream path and value)', () => {
    const ds = check('Deployment', deployment(`  selector: {matchLabels: {app: api}}\n${TEMPLATE}`));
    assert.deepEqual(errors(ds), ['spec.template.metadata.labels: Invalid value: {"app":"web","tier":"front"}: `selector` does not match template `labels`']);
    assert.match(ds[0]!.hint!, /"app: api"/);
    assert.deepEqual([ds[0]!.line, ds[0]!.column], [7, 16]); // the template's `labels`
  });
  it('matchExpressions are honoured (one meaning: src/match)', () => {
    assert.deepEqual(check('Deployment', deployment(`  selector: {matchExpressions: [{key: tier, operator: In, values: [front, back]}]}\n${TEMPLATE}`)), []);
    assert.equal(errors(check('Deployment', deployment(`  selector: {matchExpressions: [{key: tier, operator: NotIn, values: [front]}]}\n${TEMPLATE}`))).length, 1);
  });
  it('apps/v1 requires a selector; a missing one also fails to match (as the API server reports)', () => {
    for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet']) {
      assert.deepEqual(errors(check(kind, deployment(TEMPLATE, kind))), [
        'spec.selector: Required value',
        'spec.template.metadata.labels: Invalid value: {"app":"web","tier":"front"}: `selector` does not match template `labels`',
      ], kind);
    }
    assert.deepEqual(errors(check('DaemonSet', deployment(TEMPLATE, 'DaemonSet'))),
      ['spec.template.metadata.labels: Invalid value: {"app":"web","tier":"front"}: `selector` does not match template `labels`']);
  });
  it('an empty selector is invalid for apps/v1 kinds', () => {
    assert.deepEqual(errors(check('Deployment', deployment(`  selector: {}\n${TEMPLATE}`))), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
    assert.deepEqual(errors(check('StatefulSet', deployment(`  selector: {}\n${TEMPLATE}`, 'StatefulSet'))), ['spec.selector: Invalid value: {}: empty selector is invalid for statefulset']);
    assert.deepEqual(errors(check('DaemonSet', deployment(`  selector: {}\n${TEMPLATE}`, 'DaemonSet'))), ['spec.selector: Invalid value: {}: empty selector is invalid for daemonset']);
  });
  it('an invalid selector is reported and not matched', () => {
    assert.deepEqual(errors(check('Deployment', deployment(`  selector: {matchExpressions: [{key: app, operator: in, values: [web]}]}\n${TEMPLATE}`))),
      ['spec.selector.matchExpressions[0].operator: Invalid value: "in": not a valid selector operator']);
  });
  it('negative replicas', () => {
    assert.deepEqual(errors(check('Deployment', deployment(`  replicas: -1\n  selector: {matchLabels: {app: web}}\n${TEMPLATE}`))),
      ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
  });
  it('ReplicationController: the selector defaults to the template labels; a given one must match', () => {
    assert.deepEqual(check('ReplicationController', deployment(TEMPLATE, 'ReplicationController', 'v1')), []);
    assert.deepEqual(errors(check('ReplicationController', deployment(`  selector: {app: api}\n${TEMPLATE}`, 'ReplicationController', 'v1'))),
      ['spec.template.metadata.labels: Invalid value: {"app":"web","tier":"front"}: `selector` does not match template `labels`']);
  });
  it('Job: no selector needed; a dumped one with the generated controller-uid label is fine; a foreign one fails', () => {
    assert.deepEqual(check('Job', deployment(TEMPLATE, 'Job', 'batch/v1')), []);
    assert.deepEqual(check('Job', deployment(`  selector: {matchLabels: {batch.kubernetes.io/controller-uid: 0b5e}}\n${TEMPLATE}`, 'Job', 'batch/v1')), []);
    assert.equal(errors(check('Job', deployment(`  selector: {matchLabels: {app: other}}\n${TEMPLATE}`, 'Job', 'batch/v1'))).length, 1);
  });
  it('a misspelt selector is reported once, without the follow-on mismatch', () => {
    const ds = check('Deployment', deployment(`  selecter: {matchLabels: {app: web}}\n${TEMPLATE}`));
    assert.deepEqual(lines(ds), ['spec.selecter: unknown field "spec.selecter"']);
    assert.equal(ds[0]!.hint, 'did you mean "selector"?');
  });
});

describe('ownerReferences (ValidateOwnerReferences)', () => {
  const owned = (refs: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  ownerReferences:\n${refs}spec: {containers: [{name: c}]}\n`;
  it('apiVersion, kind, name and uid are required', () => {
    assert.deepEqual(errors(check('Pod', owned('  - {controller: true}\n'))), [
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ]);
  });
  it('at most one controller', () => {
    const ds = check('Pod', owned(`  - {apiVersion: apps/v1, kind: ReplicaSet, name: a, uid: "1", controller: true}
  - {apiVersion: apps/v1, kind: ReplicaSet, name: b, uid: "2", controller: true}
`));
    assert.deepEqual(errors(ds), ['metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"1","controller":true},{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"b","uid":"2","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b']);
  });
  it('a complete reference is valid; unknown fields in it are reported', () => {
    assert.deepEqual(check('Pod', owned('  - {apiVersion: apps/v1, kind: ReplicaSet, name: a, uid: "1", controller: true, blockOwnerDeletion: true}\n')), []);
    assert.deepEqual(lines(check('Pod', owned('  - {apiVersion: apps/v1, kind: ReplicaSet, name: a, uid: "1", controler: true}\n'))),
      ['metadata.ownerReferences[0].controler: unknown field "metadata.ownerReferences[0].controler"']);
  });
  it('NetworkPolicy ownerReferences are checked the same way', () => {
    const parsed = parseYamlText('np.yaml', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n  ownerReferences: [{kind: Foo, name: f}]\nspec: {}\n');
    assert.deepEqual(lines(checkNetworkPolicy(parsed.documents[0]!.value, parsed.documents[0]!.origin)), [
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ]);
  });
  it('an Event cannot be an owner', () => {
    assert.match(errors(check('Pod', owned('  - {apiVersion: v1, kind: Event, name: e, uid: "1"}\n')))[0]!, /\/v1, Kind=Event is disallowed from being an owner$/);
  });
});

describe('status in dumps', () => {
  it('Pod status: podIP/podIPs read; unknown or outdated fields are warnings', () => {
    const ds = check('Pod', `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\nstatus:
  phase: Running
  podIP: 10.0.0.5
  podIPs: [{ip: 10.0.0.5}, {ip: "fd00::5"}]
  oldField: {}
  containerStatuses: [{name: c, ready: true}]
`);
    assert.deepEqual(errors(ds), []);
    assert.deepEqual(warnings(ds), ['status.oldField: unknown field "status.oldField"']);
  });
  it('a malformed pod IP is a warning (the IP is ignored)', () => {
    const ds = check('Pod', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\nstatus: {podIP: 10.0.0.300}\n');
    assert.deepEqual(errors(ds), []);
    assert.match(warnings(ds)[0]!, /^status\.podIP: Invalid value: "10\.0\.0\.300": must be a valid IP address/);
  });
  it('workload status is accepted as is', () => {
    assert.deepEqual(check('Deployment', deployment(`  selector: {matchLabels: {app: web}}\n${TEMPLATE}status: {replicas: 3, whatever: 1}\n`)), []);
  });
  it('NetworkPolicy `status: {}` from an older cluster: a warning, the policy is valid', () => {
    const parsed = parseYamlText('np.yaml', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec: {podSelector: {}}\nstatus: {}\n');
    const ds = checkNetworkPolicy(parsed.documents[0]!.value, parsed.documents[0]!.origin);
    assert.deepEqual(ds.map((d) => [d.severity, d.type, d.path]), [['warning', 'Unknown field', 'status']]);
    assert.match(ds[0]!.hint!, /ignored/);
  });
});

describe('Services', () => {
  const svc = (spec: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n${spec}`;
  it('ports: names required when several, DNS labels, unique; port range; protocol; targetPort', () => {
    const ds = check('Service', svc(`  selector: {app: web}
  ports:
  - {port: 80}
  - {name: Web, port: 0, protocol: tcp, targetPort: 70000}
  - {name: metrics, port: 9090, targetPort: Metrics_Port}
`));
    assert.deepEqual(errors(ds).map((l) => l.replace(/ \(e\.g\..*$/, '')), [
      'spec.ports[0].name: Required value',
      "spec.ports[1].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
      'spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[1].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
      'spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.ports[2].targetPort: Invalid value: "Metrics_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]);
  });
  it('an absent targetPort is defaulted to port before it is checked', () => {
    assert.deepEqual(errors(check('Service', svc('  ports: [{port: 0}]\n'))), [
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
  });
  it('a valid Service has no diagnostics', () => {
    assert.deepEqual(check('Service', svc('  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: http}]\n  type: ClusterIP\n')), []);
    assert.deepEqual(check('Service', svc('  type: ExternalName\n  externalName: db.example.com.\n')), []);
    assert.deepEqual(check('Service', svc('  type: LoadBalancer\n  externalTrafficPolicy: Local\n  selector: {app: web}\n  ports: [{port: 80}]\n')), []);
  });
  it('type, externalName (a DNS subdomain, hostile text escaped) and externalTrafficPolicy', () => {
    assert.deepEqual(errors(check('Service', svc('  type: Nodeport\n  externalTrafficPolicy: local\n  ports: [{port: 80}]\n'))), [
      'spec.type: Unsupported value: "Nodeport": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      'spec.externalTrafficPolicy: Unsupported value: "local": supported values: "Cluster", "Local"',
    ]);
    assert.deepEqual(errors(check('Service', svc('  type: ExternalName\n'))), ['spec.externalName: Required value']);
    const hostile = errors(check('Service', svc('  type: ExternalName\n  externalName: "db\\e[31m\\nx"\n')));
    assert.equal(hostile.length, 1);
    assert.match(hostile[0]!, /^spec\.externalName: Invalid value: "db\\x1b\[31m\\nx": a lowercase RFC 1123 subdomain/);
  });
});
