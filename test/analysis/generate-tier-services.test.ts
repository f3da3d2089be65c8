// `svc:` destinations in `netpol generate` expectations: a Service is its backing pods on their
// target ports (src/evaluate/service.ts), never the Service port — the bug class of generators that
// open the Service port. Checked for NetworkPolicy output and for --tier output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Expectation } from '../../src/analysis/assert/file.js';
import { parseAssertion } from '../../src/analysis/assert/grammar.js';
import { runExpectations } from '../../src/analysis/assert/run.js';
import { generateFromExpectations } from '../../src/analysis/generate/index.js';
import { generateTier } from '../../src/analysis/generate/tier.js';
import { loadSources } from '../../src/load/load.js';
import { podId, type Cluster } from '../../src/model/types.js';
import { referenceAllowed } from '../oracle/reference.js';
import { referenceTierVerdict } from '../oracle/reference-tiers.js';

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: prod, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api-1, namespace: prod, labels: {app: api, v: "1"}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api-2, namespace: prod, labels: {app: api, v: "2"}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8081}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: prod}
spec:
  selector: {app: api}
  ports:
  - {name: web, port: 80, targetPort: http}
`;

function setup(): { cluster: Cluster; xs: Expectation[] } {
  const r = loadSources([{ file: 'svc.yaml', text: MANIFESTS }]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const p = parseAssertion('prod/web -> svc:prod/api:80 allow');
  assert.ok(p.ok);
  return { cluster: r.cluster, xs: [{ spec: p.spec, file: 'svc.yaml', line: 1, path: '[0]' }] };
}

test('generate: svc: opens each backing pod\'s target port (named targetPort resolved per pod), not the Service port', () => {
  const { cluster, xs } = setup();
  const g = generateFromExpectations(cluster, xs, { dns: false });
  assert.ok(g.ok, JSON.stringify(!g.ok && g.problems));
  const withPolicies: Cluster = { ...cluster, policies: g.proof.policies };
  assert.equal(runExpectations(withPolicies, xs).failed, 0);
  const [web, api1, api2] = ['prod/web', 'prod/api-1', 'prod/api-2'].map((id) => cluster.pods.find((p) => podId(p) === id)!);
  assert.equal(referenceAllowed(withPolicies, web!, api1!, 8080, 'TCP'), true);
  assert.equal(referenceAllowed(withPolicies, web!, api2!, 8081, 'TCP'), true);
  for (const [pod, port] of [[api1, 80], [api2, 80], [api1, 8081], [api2, 8080], [api1, 9090]] as const) assert.equal(referenceAllowed(withPolicies, web!, pod!, port, 'TCP'), false, `${pod!.name}:${port}`);
  assert.doesNotMatch(g.yaml, /port: 80\n/);
});

test('generate --tier: svc: opens the target ports too, proved with the tier reference', () => {
  for (const tier of ['admin', 'baseline'] as const) {
    const { cluster, xs } = setup();
    const g = generateTier(cluster, xs, { tier, dns: false });
    assert.ok(g.ok, JSON.stringify(!g.ok && g.problems));
    const loaded = loadSources([{ file: 'out.yaml', text: g.yaml }]);
    assert.deepEqual(loaded.diagnostics, []);
    const all: Cluster = { ...cluster, clusterPolicies: loaded.cluster.clusterPolicies };
    assert.equal(runExpectations(all, xs).failed, 0);
    const [web, api1, api2] = ['prod/web', 'prod/api-1', 'prod/api-2'].map((id) => all.pods.find((p) => podId(p) === id)!);
    assert.equal(referenceTierVerdict(all, web!, api1!, 8080, 'TCP').verdict, 'allow');
    assert.equal(referenceTierVerdict(all, web!, api2!, 8081, 'TCP').verdict, 'allow');
    if (tier === 'baseline') for (const [pod, port] of [[api1, 80], [api2, 80], [api1, 9090]] as const) assert.equal(referenceTierVerdict(all, web!, pod!, port, 'TCP').verdict, 'deny', `${pod!.name}:${port}`);
    assert.doesNotMatch(g.yaml, /number: 80\n/);
  }
});
