// The tier lint family beyond the one-fixture-per-rule tests of lint.test.ts: each rule fires on
// its case and stays silent on the near miss that differs in one semantic point. Semantics:
// kubernetes-sigs/network-policy-api @ 0eec1b0, apis/v1alpha2/clusternetworkpolicy_types.go
// (priorities, first match, Pass) and site-src/api-overview.md (tiers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintCluster } from '../../src/analysis/lint/index.js';
import { loadSources } from '../../src/index.js';

const BASE = readFileSync(new URL('fixtures/lint/_base.yaml', import.meta.url), 'utf8');

function lint(yaml: string, rule: string) {
  const r = loadSources([{ file: 'base.yaml', text: BASE }, { file: 'case.yaml', text: yaml }]);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), []);
  return lintCluster(r.cluster, { enable: [rule] });
}

const cnp = (name: string, tier: string, priority: number, body: string) => `---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: ${name}}
spec:
  tier: ${tier}
  priority: ${priority}
  subject: {namespaces: {matchLabels: {name: staging}}}
${body}`;
const DENY_PROD = '  ingress:\n  - {action: Deny, from: [{namespaces: {matchLabels: {name: prod}}}]}\n';
const ACCEPT_API = '  ingress:\n  - {action: Accept, from: [{pods: {namespaceSelector: {matchLabels: {name: prod}}, podSelector: {matchLabels: {app: api}}}}]}\n';

test('tier-rule-shadowed: a higher-priority policy covering every connection shadows a later policy\'s rule', () => {
  const d = lint(cnp('broad', 'Admin', 1, DENY_PROD) + cnp('narrow', 'Admin', 2, ACCEPT_API), 'tier-rule-shadowed');
  assert.equal(d.length, 1);
  assert.equal(d[0]!.object, 'ClusterNetworkPolicy narrow');
  assert.match(d[0]!.message, /decided first by cnp\/broad spec\.ingress\[0\]/);
});

test('tier-rule-shadowed: equal priority is a tie, not an order; a lower-priority broad rule shadows nothing', () => {
  assert.deepEqual(lint(cnp('broad', 'Admin', 2, DENY_PROD) + cnp('narrow', 'Admin', 2, ACCEPT_API), 'tier-rule-shadowed'), []);
  assert.deepEqual(lint(cnp('broad', 'Admin', 3, DENY_PROD) + cnp('narrow', 'Admin', 2, ACCEPT_API), 'tier-rule-shadowed'), []);
});

test('tier-rule-shadowed: a rule covered only on some ports, or only by the other tier, still decides', () => {
  const portOnly = '  ingress:\n  - {action: Deny, from: [{namespaces: {matchLabels: {name: prod}}}], protocols: [{tcp: {destinationPort: {number: 5000}}}]}\n';
  assert.deepEqual(lint(cnp('port', 'Admin', 1, portOnly) + cnp('narrow', 'Admin', 2, ACCEPT_API), 'tier-rule-shadowed'), []);
  assert.deepEqual(lint(cnp('broad', 'Baseline', 1, DENY_PROD) + cnp('narrow', 'Admin', 2, ACCEPT_API), 'tier-rule-shadowed'), []);
});

test('tier-pass-to-nothing: fires with nothing below, silent once a NetworkPolicy isolates all or some of the passed pods', () => {
  const pass = cnp('pass', 'Admin', 1, '  ingress:\n  - {action: Pass, from: [{namespaces: {matchLabels: {name: prod}}}]}\n');
  const np = (selector: string) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np, namespace: staging}
spec:
  podSelector: ${selector}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {}}]}]
`;
  assert.equal(lint(pass, 'tier-pass-to-nothing').length, 1);
  assert.deepEqual(lint(pass + np('{}'), 'tier-pass-to-nothing'), []);
  // Some passed connections reach a NetworkPolicy: the Pass has a purpose, no finding.
  assert.deepEqual(lint(pass + np('{matchLabels: {app: api}}'), 'tier-pass-to-nothing'), []);
});

test('tier-priority-tie: fires only where the equal-priority policies overlap', () => {
  const denyStagingFromStaging = '  ingress:\n  - {action: Deny, from: [{namespaces: {matchLabels: {name: staging}}}]}\n';
  const acceptFromProd = '  ingress:\n  - {action: Accept, from: [{namespaces: {matchLabels: {name: prod}}}]}\n';
  assert.deepEqual(lint(cnp('a', 'Admin', 7, acceptFromProd) + cnp('b', 'Admin', 7, denyStagingFromStaging), 'tier-priority-tie'), []);
  const d = lint(cnp('a', 'Baseline', 7, acceptFromProd) + cnp('b', 'Baseline', 7, DENY_PROD), 'tier-priority-tie');
  assert.equal(d.length, 1);
  assert.match(d[0]!.message, /cnp\/a and cnp\/b have the same priority 7 in the Baseline tier/);
});

test('admin-accept-makes-np-dead: ingress NetworkPolicies always decide for addresses outside (no tier ingress peer matches them)', () => {
  const np = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np, namespace: staging}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {}}]}]
`;
  const all = cnp('all', 'Admin', 1, '  ingress:\n  - {action: Accept, from: [{namespaces: {}}]}\n');
  assert.deepEqual(lint(np + all, 'admin-accept-makes-np-dead'), []);
});

test('admin-accept-makes-np-dead: an Admin Deny deciding everything is not this finding; an Accept plus Deny together is', () => {
  const np = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np, namespace: staging}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{podSelector: {}}]}]
`;
  const everything = (action: string) => `  - {action: ${action}, to: [{namespaces: {}}, {networks: [0.0.0.0/0, '::/0']}]}\n`;
  assert.deepEqual(lint(np + cnp('deny', 'Admin', 1, `  egress:\n${everything('Deny')}`), 'admin-accept-makes-np-dead'), []);
  const split = cnp('split', 'Admin', 1, `  egress:\n  - {action: Accept, to: [{namespaces: {matchLabels: {name: prod}}}]}\n${everything('Deny')}`);
  const d = lint(np + split, 'admin-accept-makes-np-dead');
  assert.equal(d.length, 1);
  assert.equal(d[0]!.path, 'spec.egress[0]');
  assert.match(d[0]!.message, /NetworkPolicy staging\/np never decides egress/);
  // Without the IPv6 half, an IPv6 destination still reaches the NetworkPolicy.
  const v4only = cnp('v4', 'Admin', 1, "  egress:\n  - {action: Accept, to: [{namespaces: {}}, {networks: [0.0.0.0/0]}]}\n");
  assert.deepEqual(lint(np + v4only, 'admin-accept-makes-np-dead'), []);
});

test('baseline-rule-unreachable: only the direction the NetworkPolicies isolate', () => {
  const np = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np, namespace: staging}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {}}]}]
`;
  const both = cnp('base', 'Baseline', 1, `${DENY_PROD}  egress:\n  - {action: Deny, to: [{namespaces: {matchLabels: {name: prod}}}]}\n`);
  const d = lint(np + both, 'baseline-rule-unreachable');
  assert.deepEqual(d.map((x) => x.path), ['spec.ingress']);
});

test('tier-v1alpha1-deprecated: both v1alpha1 kinds', () => {
  const banp = `---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress:
  - {action: Deny, from: [{namespaces: {matchLabels: {name: prod}}}]}
`;
  const d = lint(banp, 'tier-v1alpha1-deprecated');
  assert.equal(d.length, 1);
  assert.match(d[0]!.message, /BaselineAdminNetworkPolicy .* tier Baseline/);
});

test('over the evaluation budget the traffic rules say they did not run (info), never silently', () => {
  const pods = Array.from({ length: 600 }, (_, i) => `---
apiVersion: v1
kind: Pod
metadata: {name: p${i}, namespace: staging, labels: {app: a${i}}}
spec: {containers: [{name: c, image: x}]}
`).join('');
  const np = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np, namespace: staging}
spec:
  podSelector: {matchExpressions: [{key: app, operator: Exists}]}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {}}]}]
`;
  const r = loadSources([{ file: 'base.yaml', text: BASE }, { file: 'case.yaml', text: pods + np + cnp('broad', 'Admin', 1, DENY_PROD) }]);
  const d = lintCluster(r.cluster, { enable: ['tier-rule-shadowed', 'tier-pass-to-nothing', 'tier-priority-tie', 'admin-accept-makes-np-dead'] });
  assert.deepEqual(d.map((x) => `${x.rule} ${x.severity}`).sort(), ['admin-accept-makes-np-dead info', 'tier-pass-to-nothing info', 'tier-priority-tie info', 'tier-rule-shadowed info']);
  for (const x of d) assert.match(x.message, /^not checked: the tier policies' witnesses need \d+ connection evaluations, over lint's budget of 200000$/);
});
