// EndpointSlices (discovery.k8s.io/v1) name a Service's backing pods when the input has them
// (a `--cluster` read, or a dump): they, not the selector, decide who is behind the Service, and
// endpoints with conditions.ready false receive no Service traffic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSources } from '../../src/load/load.js';
import { Evaluator } from '../../src/evaluate/evaluate.js';
import { evaluateService, findService, findServicePort } from '../../src/evaluate/service.js';

const EX = 'examples/services';
const files = readdirSync(EX).filter((f) => f.endsWith('.yaml')).map((f) => ({ file: join(EX, f), text: readFileSync(join(EX, f), 'utf8') }));

const slice = (ready: boolean) => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: db-abc12
  namespace: shop
  labels: {kubernetes.io/service-name: db}
addressType: IPv4
ports: [{name: postgres, port: 6432, protocol: TCP}]
endpoints:
- addresses: [10.9.9.9]
  conditions: {ready: ${ready}}
  targetRef: {kind: Pod, namespace: shop, name: db-v1-0}
- addresses: [10.9.9.10]
  conditions: {ready: true}
  targetRef: {kind: Pod, namespace: shop, name: db-v2-0}
`;

function endpointsOf(extra: string | undefined): string[] {
  const r = loadSources(extra ? [...files, { file: 'slice.yaml', text: extra }] : files);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const svc = findService(r.cluster, { namespace: 'shop', name: 'db' });
  assert.ok(!('error' in svc));
  const sp = findServicePort(svc, 5432);
  assert.ok(!('error' in sp));
  const api = r.cluster.pods.find((p) => p.name.startsWith('api'))!;
  const v = evaluateService(new Evaluator(r.cluster), { kind: 'pod', pod: api }, svc, sp);
  return v.endpoints.map((e) => `${e.pod ?? e.address}:${e.port}`).sort();
}

test('without slices the selector picks the backing pods; with slices only their ready endpoints back the Service', () => {
  assert.deepEqual(endpointsOf(undefined), ['shop/db-v1-0:5432', 'shop/db-v2-0:6432']);
  assert.deepEqual(endpointsOf(slice(false)), ['shop/db-v2-0:6432'], 'the not-ready db-v1-0 gets no Service traffic');
  assert.deepEqual(endpointsOf(slice(true)).map((e) => e.split(':')[0]), ['shop/db-v1-0', 'shop/db-v2-0'], 'both ready');
});

test('a mistyped EndpointSlice apiVersion is refused as the API server would', () => {
  const r = loadSources([...files, { file: 'slice.yaml', text: slice(true).replace('discovery.k8s.io/v1', 'discovery.k8s.io/v1beta9') }]);
  assert.ok(r.diagnostics.some((d) => d.severity === 'error' && /no matches for kind "EndpointSlice"/.test(d.message)));
});
