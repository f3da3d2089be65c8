// The Service lint rules beyond their fixtures: the egress side of the port-vs-targetPort
// mistake, pods that listen on both numbers, per-pod named target ports and the fix, and the
// severities of service-exposed-outside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintCluster, lintWithFixes } from '../../src/analysis/lint/index.js';
import { loadSources } from '../../src/index.js';
import type { Cluster } from '../../src/model/types.js';

const load = (text: string): Cluster => {
  const r = loadSources([{ file: 'w.yaml', text }]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return r.cluster;
};
const rule = (c: Cluster, id: string) => lintCluster(c, { enable: [id] });

const PODS = (webPorts: string) => `apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {app: client}}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, ports: ${webPorts}}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-2, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: a}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}
`;

const EGRESS = (port: string) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-out, namespace: a}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: web}}}]
    ports: [${port}]
`;

test('service-port-not-target-port: the egress side (clients toward the backing pods), per-pod named targets', () => {
  // web-1 serves "http" on 9090, web-2 on 8080: allowing the Service port 80 opens neither.
  const c = load(PODS('[{name: http, containerPort: 9090}]') + EGRESS('{port: 80}'));
  const ds = rule(c, 'service-port-not-target-port');
  assert.equal(ds.length, 1);
  assert.equal(ds[0]!.path, 'spec.egress[0].ports[0].port');
  assert.match(ds[0]!.message, /^you allowed TCP 80, the port of Service svc:a\/web; its pods listen on the target port http \(a\/web-1 on 9090, a\/web-2 on 8080\), which this egress rule leaves shut$/);
  // Two different target ports: no single fix is offered.
  assert.equal(lintWithFixes(c, { enable: ['service-port-not-target-port'] })[0]!.fix, undefined);
  // Opening the named port (or both numbers) is what is meant: silent.
  assert.deepEqual(rule(load(PODS('[{name: http, containerPort: 9090}]') + EGRESS('{port: http}')), 'service-port-not-target-port'), []);
  assert.deepEqual(rule(load(PODS('[{name: http, containerPort: 9090}]') + EGRESS('{port: 80}, {port: 8080}, {port: 9090}')), 'service-port-not-target-port'), []);
});

test('service-port-not-target-port: a pod that also listens on the Service port number is not a mistake; the fix adds the target port beside it', () => {
  // web-1 listens on 80 (unnamed) and on http 8080; web-2 only on 8080.
  const c = load(PODS('[{containerPort: 80}, {name: http, containerPort: 8080}]') + EGRESS('{port: 80}'));
  const [d, ...rest] = lintWithFixes(c, { enable: ['service-port-not-target-port'] });
  assert.equal(rest.length, 0);
  assert.match(d!.diagnostic.message, /\(a\/web-2 on 8080\)/);
  const fixed = d!.fix!(c);
  assert.deepEqual(fixed.policies[0]!.egress[0]!.ports.map((p) => p.port), [80, 8080], 'port 80 stays: web-1 serves it');
  assert.deepEqual(rule(fixed, 'service-port-not-target-port'), []);
});

test('service-exposed-outside: warning when open to all, info when Local and only some ranges, silent when Local and none', () => {
  const world = (etp: string, from: string) => `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: a}
spec: {type: NodePort, externalTrafficPolicy: ${etp}, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: a}
spec:
  podSelector: {}
  ingress: [{from: ${from}}]
`;
  const sev = (etp: string, from: string) => rule(load(world(etp, from)), 'service-exposed-outside').map((d) => d.severity);
  assert.deepEqual(sev('Local', '[{ipBlock: {cidr: 0.0.0.0/0}}, {ipBlock: {cidr: "::/0"}}]'), ['warning']);
  assert.deepEqual(sev('Local', '[{ipBlock: {cidr: 198.51.100.0/24}}]'), ['info']);
  assert.deepEqual(sev('Local', '[{podSelector: {}}]'), []);
  // Cluster: the pod may see a node address; only a full allow is certain, anything else depends.
  assert.deepEqual(sev('Cluster', '[{podSelector: {}}]'), ['warning']);
  assert.match(rule(load(world('Cluster', '[{podSelector: {}}]')), 'service-exposed-outside')[0]!.message, /depends: externalTrafficPolicy: Cluster source-NATs/);
  // 0.0.0.0/0 alone leaves IPv6 clients out: not "every external address".
  assert.deepEqual(sev('Local', '[{ipBlock: {cidr: 0.0.0.0/0}}]'), ['info']);
});
