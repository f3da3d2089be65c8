// Stage 2 (kind lookup) and stage 3 (strict decoding): unknown fields, type mismatches, null.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HEADER, INVALID_CIDR, SUBDOMAIN_MSG, checkObject, checkSpec, checkSpecYaml, checkYaml, lines, only } from './helpers.js';

describe('kind lookup (apiVersion)', () => {
  it('rejects extensions/v1beta1 with the kubectl text and nothing else', () => {
    const ds = checkObject({ apiVersion: 'extensions/v1beta1', spec: { podSelectpr: {} } });
    const d = only(ds, 'No kind match', 'apiVersion', 'no matches for kind "NetworkPolicy" in version "extensions/v1beta1"');
    assert.match(d.hint!, /networking\.k8s\.io\/v1/);
  });
  it('reports a missing apiVersion', () => {
    const ds = checkObject({ apiVersion: undefined });
    only(ds, 'No kind match', 'apiVersion', "Object 'apiVersion' is missing");
  });
});

describe('unknown fields', () => {
  it('podSelectpr: upstream text, did-you-mean hint and the key line', () => {
    const ds = checkSpecYaml('podSelectpr: {}\n');
    const d = only(ds, 'Unknown field', 'spec.podSelectpr', 'unknown field "spec.podSelectpr"');
    assert.equal(d.hint, 'did you mean "podSelector"?');
    assert.equal(d.line, 7);
    assert.equal(d.column, 3);
  });
  it('is case-sensitive: PodSelector is unknown, hinted by its case-insensitive match', () => {
    const d = only(checkSpec({ PodSelector: {} }), 'Unknown field', 'spec.PodSelector', 'unknown field "spec.PodSelector"');
    assert.equal(d.hint, 'did you mean "podSelector"?');
  });
  it('matchLabel under a peer podSelector', () => {
    const ds = checkSpecYaml(`ingress:
- from:
  - podSelector:
      matchLabel:
        app: api
`);
    const d = only(ds, 'Unknown field', 'spec.ingress[0].from[0].podSelector.matchLabel',
      'unknown field "spec.ingress[0].from[0].podSelector.matchLabel"');
    assert.equal(d.hint, 'did you mean "matchLabels"?');
    assert.equal(d.line, 10);
  });
  it('namespaceselector (wrong case) in a peer', () => {
    const d = only(checkSpec({ ingress: [{ from: [{ namespaceselector: {} }] }] }), 'Unknown field',
      'spec.ingress[0].from[0].namespaceselector', 'unknown field "spec.ingress[0].from[0].namespaceselector"');
    assert.equal(d.hint, 'did you mean "namespaceSelector"?');
  });
  it('exclude for except', () => {
    const d = only(checkSpec({ egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', exclude: ['10.1.0.0/16'] } }] }] }),
      'Unknown field', 'spec.egress[0].to[0].ipBlock.exclude', 'unknown field "spec.egress[0].to[0].ipBlock.exclude"');
    assert.equal(d.hint, 'did you mean "except"?');
  });
  it('to in an ingress rule, from in an egress rule', () => {
    const ds = checkSpec({ ingress: [{ to: [] }], egress: [{ from: [] }] });
    assert.deepEqual(lines(ds), [
      'spec.ingress[0].to: unknown field "spec.ingress[0].to"',
      'spec.egress[0].from: unknown field "spec.egress[0].from"',
    ]);
    assert.equal(ds[0]!.hint, '`to` belongs to egress rules; ingress rules use `from`');
    assert.equal(ds[1]!.hint, '`from` belongs to ingress rules; egress rules use `to`');
  });
  it('ports indented under a peer', () => {
    const ds = checkSpecYaml(`egress:
- to:
  - ipBlock:
      cidr: 10.0.0.0/8
    ports:
    - port: 53
`);
    const d = only(ds, 'Unknown field', 'spec.egress[0].to[0].ports', 'unknown field "spec.egress[0].to[0].ports"');
    assert.match(d.hint!, /ports belong to the rule, not the peer/);
    assert.equal(d.line, 11);
  });
  it('name in a port entry, namespace in a peer', () => {
    const ds = checkSpec({ ingress: [{ ports: [{ name: 'http', port: 80 }], from: [{ namespace: 'web' }] }] });
    assert.deepEqual(lines(ds), [
      'spec.ingress[0].ports[0].name: unknown field "spec.ingress[0].ports[0].name"',
      'spec.ingress[0].from[0].namespace: unknown field "spec.ingress[0].from[0].namespace"',
    ]);
    assert.match(ds[0]!.hint!, /no `name`/);
    assert.match(ds[1]!.hint!, /namespaceSelector.*kubernetes\.io\/metadata\.name/);
  });
  it('status at the top level, unknown metadata fields', () => {
    const ds = checkObject({ metadata: { name: 'np', labls: {} }, status: {} });
    assert.deepEqual(lines(ds), ['metadata.labls: unknown field "metadata.labls"', 'status: unknown field "status"']);
    assert.equal(ds[0]!.hint, 'did you mean "labels"?');
    assert.match(ds[1]!.hint!, /no `status`/);
  });
  it('accepts every ordinary ObjectMeta field', () => {
    const ds = checkObject({
      metadata: {
        name: 'np', generateName: 'np-', namespace: 'prod', labels: {}, annotations: {}, uid: 'u', resourceVersion: '1',
        generation: 3, creationTimestamp: null, deletionTimestamp: null, deletionGracePeriodSeconds: 30,
        ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' }], finalizers: ['a/b'], managedFields: [{}],
        selfLink: '/x',
      },
    });
    assert.deepEqual(ds, []);
  });
});

describe('type mismatches', () => {
  it('from given a mapping (forgotten dash)', () => {
    const ds = checkSpecYaml(`ingress:
- from:
    podSelector: {}
`);
    const d = only(ds, 'Type mismatch', 'spec.ingress[0].from',
      'json: cannot unmarshal object into Go struct field NetworkPolicyIngressRule.spec.ingress[0].from of type []v1.NetworkPolicyPeer');
    assert.match(d.hint!, /"- "/);
    assert.equal(d.line, 8);
  });
  it('port as bool, float and list; endPort as string', () => {
    const ds = checkSpec({ ingress: [{ ports: [{ port: true }, { port: 80.5 }, { port: [80, 443] }, { port: 80, endPort: '3310' }] }] });
    assert.deepEqual(lines(ds), [
      'spec.ingress[0].ports[0].port: json: cannot unmarshal bool into Go struct field NetworkPolicyPort.spec.ingress[0].ports[0].port of type int32',
      'spec.ingress[0].ports[1].port: json: cannot unmarshal number 80.5 into Go struct field NetworkPolicyPort.spec.ingress[0].ports[1].port of type int32',
      'spec.ingress[0].ports[2].port: json: cannot unmarshal array into Go struct field NetworkPolicyPort.spec.ingress[0].ports[2].port of type int32',
      'spec.ingress[0].ports[3].endPort: json: cannot unmarshal string into Go struct field NetworkPolicyPort.spec.ingress[0].ports[3].endPort of type int32',
    ]);
    assert.ok(ds.every((d) => d.type === 'Type mismatch'));
    assert.match(ds[3]!.hint!, /remove the quotes/);
  });
  it('matchLabels values read as booleans and numbers by YAML 1.1', () => {
    const ds = checkSpecYaml(`podSelector:
  matchLabels:
    enabled: yes
    version: 1.10
    port: 8080
    ok: "yes"
`);
    assert.deepEqual(lines(ds), [
      'spec.podSelector.matchLabels: json: cannot unmarshal bool into Go struct field LabelSelector.spec.podSelector.matchLabels of type string',
      'spec.podSelector.matchLabels: json: cannot unmarshal number into Go struct field LabelSelector.spec.podSelector.matchLabels of type string',
      'spec.podSelector.matchLabels: json: cannot unmarshal number into Go struct field LabelSelector.spec.podSelector.matchLabels of type string',
    ]);
    // Hints quote what was written, never a rewritten value.
    assert.equal(ds[0]!.hint, 'kubectl reads `enabled: yes` as the boolean true; quote it: enabled: "yes"');
    assert.equal(ds[1]!.hint, 'kubectl reads `version: 1.10` as the number 1.1; quote it: version: "1.10"');
    assert.deepEqual(ds.map((d) => d.line), [9, 10, 11]);
  });
  it('podSelector: app=db', () => {
    const d = only(checkSpec({ podSelector: 'app=db' }), 'Type mismatch', 'spec.podSelector',
      'json: cannot unmarshal string into Go struct field NetworkPolicySpec.spec.podSelector of type v1.LabelSelector');
    assert.equal(d.hint, 'a selector is a mapping: `podSelector: {matchLabels: {app: db}}`');
  });
  it('scalars where lists belong, numbers where strings belong', () => {
    const ds = checkSpec({
      policyTypes: 'Ingress',
      podSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: [1.1] }] },
      egress: [{ to: [{ ipBlock: { cidr: 10, except: '10.0.0.0/8' } }] }],
    });
    assert.deepEqual(lines(ds), [
      'spec.policyTypes: json: cannot unmarshal string into Go struct field NetworkPolicySpec.spec.policyTypes of type []v1.PolicyType',
      'spec.podSelector.matchExpressions[0].values[0]: json: cannot unmarshal number into Go struct field LabelSelectorRequirement.spec.podSelector.matchExpressions[0].values[0] of type string',
      'spec.egress[0].to[0].ipBlock.cidr: json: cannot unmarshal number into Go struct field IPBlock.spec.egress[0].to[0].ipBlock.cidr of type string',
      'spec.egress[0].to[0].ipBlock.except: json: cannot unmarshal string into Go struct field IPBlock.spec.egress[0].to[0].ipBlock.except of type []string',
    ]);
    assert.equal(ds[0]!.hint, '`policyTypes` needs a list, e.g. `policyTypes: [Ingress]`');
  });
  it('a bare number as a ports entry', () => {
    const d = only(checkSpec({ ingress: [{ ports: [80] }] }), 'Type mismatch', 'spec.ingress[0].ports[0]',
      'json: cannot unmarshal number into Go struct field NetworkPolicyIngressRule.spec.ingress[0].ports[0] of type v1.NetworkPolicyPort');
    assert.equal(d.hint, 'write each ports entry as a mapping: `- port: 80`');
  });
  it('metadata.labels values are type-checked too', () => {
    const ds = checkYaml(`${HEADER}  labels:\n    critical: true\n`);
    only(ds, 'Type mismatch', 'metadata.labels',
      'json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string');
    assert.equal(ds[0]!.line, 7);
  });
  it('a type mismatch does not hide unknown fields elsewhere, and skips validation', () => {
    const ds = checkSpec({ podSelector: 'x', ingress: [{ ports: [{ port: 0 }], form: [] }], policyTypes: ['Bogus'] });
    assert.deepEqual(ds.map((d) => d.type), ['Type mismatch', 'Unknown field']);
    assert.equal(ds[1]!.hint, 'did you mean "from"?');
  });
});

describe('null, empty and absent (reference 3.4)', () => {
  it('a null peer selector is absent: the peer is empty', () => {
    const ds = checkSpecYaml(`ingress:
- from:
  - podSelector:
`);
    const d = only(ds, 'Required value', 'spec.ingress[0].from[0]', 'Required value: must specify a peer');
    assert.match(d.hint!, /`podSelector:` with nothing after it is null/);
    assert.equal(d.line, 9);
  });
  it('null spec.podSelector is {}; null lists are empty; null protocol is absent', () => {
    const ds = checkSpecYaml(`podSelector:
ingress:
- from:
  ports:
  - protocol:
    port: 80
egress:
policyTypes:
`);
    assert.deepEqual(ds, []);
  });
  it('null scalars decode to their zero value', () => {
    const ds = checkSpec({
      podSelector: { matchLabels: { app: null } },
      ingress: [{ from: [null, { ipBlock: { cidr: null } }], ports: [{ port: null, endPort: 90 }] }],
    });
    assert.deepEqual(lines(ds), [
      'spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified',
      'spec.ingress[0].from[0]: Required value: must specify a peer',
      'spec.ingress[0].from[1].ipBlock.cidr: Required value',
    ]);
  });
  it('YAML timestamps (label value 2024-01-01, creationTimestamp) are strings for kubectl', () => {
    const ds = checkYaml(`${HEADER}  creationTimestamp: 2024-01-01T10:00:00Z\n  labels:\n    released: 2024-01-01\nspec: {}\n`);
    assert.deepEqual(ds, []);
  });
});

describe('unknown fields alone: validation still runs (as under --validate=warn)', () => {
  it('the typos example reports the typos, then Ingresss and "3306"', () => {
    const ds = checkYaml(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-policy-typos
  namespace: prod
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
  - Ingresss
  - Egress
  ingress:
  - from:
    - podSelectpr:
        matchLabels:
          app: api
      namespaceSelector:
        matchLabel:
          name: prod
    ports:
    - protocol: TCP
      port: "3306"
`);
    assert.deepEqual(lines(ds), [
      'spec.ingress[0].from[0].podSelectpr: unknown field "spec.ingress[0].from[0].podSelectpr"',
      'spec.ingress[0].from[0].namespaceSelector.matchLabel: unknown field "spec.ingress[0].from[0].namespaceSelector.matchLabel"',
      'spec.ingress[0].ports[0].port: Invalid value: "3306": must contain at least one letter (a-z)',
      'spec.policyTypes[0]: Unsupported value: "Ingresss": supported values: "Ingress", "Egress"',
    ]);
    assert.deepEqual(ds.map((d) => d.line), [15, 19, 23, 11]);
  });
  it('leaves out the "missing" errors a dropped field explains', () => {
    const ds = checkSpec({
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', value: ['x'] }, { kye: 'a', operator: 'Exists' }] },
      ingress: [{ ports: [{ prot: 80, endPort: 90 }], from: [{ podselector: {} }, { ipBlock: { cidrs: ['10.0.0.0/8'] } }] }],
    });
    assert.deepEqual(ds.map((d) => d.type), Array(5).fill('Unknown field'));
  });
  it('keeps real errors next to an unknown field', () => {
    const ds = checkObject({ status: {}, metadata: { name: 'Bad', nmespace: 'x' }, spec: { egress: [{ to: [{ ipBlock: { cidr: 'x', exclude: [] } }] }] } });
    assert.deepEqual(lines(ds), [
      'metadata.nmespace: unknown field "metadata.nmespace"',
      'status: unknown field "status"',
      'spec.egress[0].to[0].ipBlock.exclude: unknown field "spec.egress[0].to[0].ipBlock.exclude"',
      `metadata.name: Invalid value: "Bad": ${SUBDOMAIN_MSG}`,
      `spec.egress[0].to[0].ipBlock.cidr: Invalid value: "x": ${INVALID_CIDR}`,
    ]);
  });
});
