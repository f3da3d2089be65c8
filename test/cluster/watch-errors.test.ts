// netpol watch when the rights to watch are missing: one clear line naming the verb and
// resource, exit 2 (not an endless retry).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeApiServer } from './api-server.js';
import { DB_EXAMPLE, feed } from './fixture.js';
import { netpol } from './run.js';

const server = new FakeApiServer({ forbid: ['watch pods'] });
before(async () => {
  await server.start();
  feed(server, [DB_EXAMPLE]);
});
after(() => server.stop());

test('403 on watch pods: exit 2, one line, the ClusterRole pointer', async () => {
  const r = await netpol(['watch', '--kubeconfig', server.kubeconfig()]);
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.match(lines.at(-1)!, /^netpol: forbidden \(403\) to watch pods on https:\/\/127\.0\.0\.1:\d+; .*docs\/cluster\.md/);
  assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
  assert.ok(server.requests.some((q) => q.startsWith('GET /api/v1/pods?') && q.includes('watch=true')));
});
