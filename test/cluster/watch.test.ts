// netpol watch against the loopback API server: a label change opens a connection and is
// printed with its cause; a policy deletion; BOOKMARK moves the resume point; ERROR 410 relists
// and reports what changed across the gap; status-only updates print nothing.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FakeApiServer } from './api-server.js';
import { apiPod, DB_EXAMPLE, feed, ROOT } from './fixture.js';

const server = new FakeApiServer();
let child: ChildProcessWithoutNullStreams;
const lines: Record<string, any>[] = [];
let stderr = '';

const until = async (what: string, ok: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}; stderr: ${stderr}; stdout lines: ${JSON.stringify(lines)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const web = (labels: Record<string, string>, ip = '10.0.1.3') => apiPod('prod', 'web-0', labels, [{ name: 'http', containerPort: 80, protocol: 'TCP' }], ip, { kind: 'ReplicaSet', name: 'web-6d4cf56db6' });

before(async () => {
  await server.start();
  feed(server, [DB_EXAMPLE]);
  child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'watch', '--format', 'json', '--kubeconfig', server.kubeconfig()], { cwd: ROOT, env: { ...process.env, KUBECONFIG: '' } });
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) { lines.push(JSON.parse(buf.slice(0, i))); buf = buf.slice(i + 1); }
  });
  child.stderr.on('data', (d: Buffer) => { stderr += d; });
  await until('the watches', () => server.openWatches('pods') === 1 && server.openWatches('networkpolicies') === 1 && server.openWatches('namespaces') === 1);
});

after(async () => {
  child.kill('SIGINT');
  await new Promise((r) => child.once('close', r));
  await server.stop();
});

test('the pod IP the fixture gives web-0 is the one this test reuses', () => {
  assert.equal(server.objects.get('pods')!.find((p) => p.metadata.name === 'web-0')!.status.podIP, '10.0.1.3');
  assert.match(stderr, /watching context "fake": 4 pods, 1 NetworkPolicies, 2 namespaces/);
});

test('a label change opens a connection, printed with the object change that caused it', async () => {
  server.put('pods', web({ app: 'api' }));
  await until('the change', () => lines.length >= 1);
  assert.deepEqual(lines[0], {
    type: 'MODIFIED', kind: 'Pod', object: 'prod/web-0', openedPairs: 1, closedPairs: 0,
    opened: [{ from: ['prod/web-0'], to: ['prod/db-0'], port: 3306, protocol: 'TCP' }], closed: [],
  });
});

test('a status-only update prints nothing; the next real change is printed', async () => {
  const p = web({ app: 'api' });
  p.status.conditions[0].lastProbeTime = '2026-11-28T11:00:00Z';
  server.put('pods', p);
  server.put('pods', web({ app: 'web' }));
  await until('the close', () => lines.length >= 2);
  assert.equal(lines.length, 2);
  assert.deepEqual(lines[1]!.closed, [{ from: ['prod/web-0'], to: ['prod/db-0'], port: 3306, protocol: 'TCP' }]);
  assert.equal(lines[1]!.object, 'prod/web-0');
});

test('deleting the policy opens what it denied', async () => {
  server.remove('networkpolicies', 'prod', 'db-policy');
  await until('the delete', () => lines.length >= 3);
  const l = lines[2]!;
  assert.equal(l.type, 'DELETED');
  assert.equal(l.kind, 'NetworkPolicy');
  assert.ok(l.opened.some((c: any) => c.from.includes('staging/api-0') && c.to.includes('prod/db-0') && c.port === 3306), JSON.stringify(l));
  assert.equal(l.closed.length, 0);
});

test('BOOKMARK moves the resume point: a watch the server ends resumes from the bookmark', async () => {
  server.bookmark();
  const rv = String(server.rv);
  await new Promise((r) => setTimeout(r, 300));
  server.requests.length = 0;
  server.endWatches();
  await until('the resumed watches', () => server.requests.some((q) => q.includes('/api/v1/pods?') && q.includes('watch=true') && q.includes(`resourceVersion=${rv}`)));
  await until('open watches', () => server.openWatches('pods') === 1);
  assert.equal(lines.length, 3, 'resuming replays nothing already seen');
});

test('ERROR 410 Gone: relist, and print what changed across the gap', async () => {
  // While the watches are away, web-0 becomes an API pod; nobody sees the event.
  server.putUnseen('pods', web({ app: 'api' }));
  server.put('networkpolicies', { metadata: { name: 'db-policy', namespace: 'prod' }, spec: { podSelector: { matchLabels: { role: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 3306 }] }] } });
  await until('the policy event', () => lines.length >= 4);
  server.putUnseen('pods', web({ app: 'web' }));
  server.putUnseen('pods', web({ app: 'api' }));
  server.expireWatches();
  await until('the gap line', () => lines.some((l) => l.type === 'GAP'));
  const gap = lines.find((l) => l.type === 'GAP')!;
  assert.match(gap.reason, /410 Gone/);
  // Last seen: web-0 labelled app=web; the unseen updates left it app=api, which the new policy admits.
  assert.deepEqual(gap.opened, [{ from: ['prod/web-0'], to: ['prod/db-0'], port: 3306, protocol: 'TCP' }]);
  assert.deepEqual(gap.closed, []);
  assert.ok(server.requests.some((q) => q.startsWith('GET /api/v1/pods?limit=')), 'relisted');
  await until('watches again', () => server.openWatches('pods') === 1 && server.openWatches('networkpolicies') === 1);
  assert.equal(lines.filter((l) => l.type === 'GAP').length, 1, 'one relist for one gap, whichever stream saw it first');
});
