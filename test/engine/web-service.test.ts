// The page's query box accepts svc:<namespace>/<name> through the shared resolver
// (src/evaluate/service.ts): the same answer as `netpol query --to svc:…`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, explain } from '../../src/web/engine.js';

const dir = 'examples/services';
const sources = readdirSync(dir).sort().map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));

test('the page: svc: destinations give per-endpoint verdicts; Services are offered as endpoints', () => {
  const a = analyze(sources);
  assert.deepEqual(a.services, ['svc:shop/api', 'svc:shop/billing-db', 'svc:shop/db', 'svc:shop/search']);
  const e = explain('shop/api', 'svc:shop/db', 'postgres');
  assert.ok('service' in e, JSON.stringify(e));
  assert.equal(e.service.allowed, 'partial');
  assert.deepEqual(e.service.endpoints.map((x) => [x.pod, x.port, x.allowed]), [['shop/db-v1-0', 5432, true], ['shop/db-v2-0', 6432, false]]);
  assert.match(e.text, /^shop\/api-0 -> svc:shop\/db port postgres 5432\/TCP \(targetPort sql\): PARTIAL/);
  assert.deepEqual(explain('svc:shop/db', 'shop/api', '8080'), { error: 'from svc:shop/db: a Service is not a source: connections come from pods (a Service only receives them); give the pod or workload, e.g. ns/name, and use svc:<namespace>/<name> as the destination' });
  assert.deepEqual(explain('shop/api', 'svc:shop/db', '80'), { error: 'to svc:shop/db: svc:shop/db has no port 80 (its ports: postgres 5432/TCP → sql)' });
  // Pod destinations are unchanged.
  const pod = explain('shop/api', 'shop/db-v2-0', '6432');
  assert.ok('verdict' in pod);
  assert.equal(pod.verdict.verdict, 'deny');
});
