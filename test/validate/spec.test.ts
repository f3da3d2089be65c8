// Reference 5.7 (policyTypes), 2.4 (error order), and a valid policy.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SUBDOMAIN_MSG, checkSpec, checkSpecYaml, checkYaml, lines, only } from './helpers.js';

describe('policyTypes', () => {
  it('Ingresss: Unsupported value with a did-you-mean hint, on the entry line', () => {
    const ds = checkSpecYaml('policyTypes: [Ingresss]\n');
    const d = only(ds, 'Unsupported value', 'spec.policyTypes[0]', 'Unsupported value: "Ingresss": supported values: "Ingress", "Egress"');
    assert.equal(d.hint, 'did you mean "Ingress"?');
    assert.equal(d.line, 7);
  });
  it('is case-sensitive', () => {
    const d = only(checkSpec({ policyTypes: ['Ingress', 'egress'] }), 'Unsupported value', 'spec.policyTypes[1]',
      'Unsupported value: "egress": supported values: "Ingress", "Egress"');
    assert.equal(d.hint, 'did you mean "Egress"?');
  });
  it('more than two entries: one Invalid value with the list as JSON, nothing else checked', () => {
    only(checkSpec({ policyTypes: ['Ingress', 'Egress', 'Ingresss'] }), 'Invalid value', 'spec.policyTypes',
      'Invalid value: ["Ingress","Egress","Ingresss"]: may not specify more than two policyTypes');
  });
  it('duplicates and the empty list are accepted', () => {
    assert.deepEqual(checkSpec({ policyTypes: ['Egress', 'Egress'] }), []);
    assert.deepEqual(checkSpec({ policyTypes: [] }), []);
  });
});

describe('valid policies', () => {
  it('the classic DB example has no diagnostics', () => {
    const ds = checkYaml(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: test-network-policy
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
  - Ingress
  - Egress
  ingress:
  - from:
    - ipBlock:
        cidr: 172.17.0.0/16
        except:
        - 172.17.1.0/24
    - namespaceSelector:
        matchLabels:
          project: myproject
    - podSelector:
        matchLabels:
          role: frontend
    ports:
    - protocol: TCP
      port: 6379
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/24
    ports:
    - protocol: TCP
      port: 5978
`);
    assert.deepEqual(ds, []);
  });
  it('spec: {} and an absent spec are valid (default deny ingress)', () => {
    assert.deepEqual(checkSpec({}), []);
    assert.deepEqual(checkYaml('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n'), []);
  });
});

describe('error order (reference 2.4)', () => {
  it('metadata, spec.podSelector, ingress ports, from, egress ports, to, policyTypes', () => {
    const ds = checkYaml(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: Bad_Name
spec:
  policyTypes: [Ingresss]
  egress:
  - to:
    - {}
    ports:
    - port: 0
  ingress:
  - from:
    - {}
    ports:
    - protocol: tcp
  podSelector:
    matchExpressions:
    - {key: app, operator: In}
`);
    assert.deepEqual(lines(ds), [
      `metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`,
      "spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'spec.ingress[0].ports[0].protocol: Unsupported value: "tcp": supported values: "TCP", "UDP", "SCTP"',
      'spec.ingress[0].from[0]: Required value: must specify a peer',
      'spec.egress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.egress[0].to[0]: Required value: must specify a peer',
      'spec.policyTypes[0]: Unsupported value: "Ingresss": supported values: "Ingress", "Egress"',
    ]);
    assert.deepEqual(ds.map((d) => d.line), [4, 19, 16, 14, 11, 9, 6]);
    assert.ok(ds.every((d) => d.severity === 'error' && d.file === 'np.yaml' && d.document === 0));
  });
  it('all errors are collected across rules', () => {
    const ds = checkSpec({ ingress: [{ ports: [{ port: 0 }, { port: 'X' }] }, { from: [{}, {}] }] });
    assert.equal(ds.length, 5);
  });
});
