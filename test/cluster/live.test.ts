// --cluster against a loopback API server that speaks the real API's shapes: every command
// gives the answers it gives on the equivalent `kubectl get -o yaml` dump; pagination,
// discovery, the preview (files over the cluster), diff --cluster, snapshot round trip, -n.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { FakeApiServer } from './api-server.js';
import { DB_EXAMPLE, dumpList, feed, XYZ } from './fixture.js';
import { findings, netpol } from './run.js';

/** JSON without where things came from (a file line here, a cluster object there). */
const withoutOrigins = (s: string) => JSON.stringify(JSON.parse(s), (k, v) => (['file', 'line', 'column', 'endLine', 'endColumn', 'document'].includes(k) ? undefined : v));
const tmp = mkdtempSync(join(tmpdir(), 'netpol-live-'));
const SMALL_PAGES = { NETPOL_PAGE_SIZE: '2' };

for (const [name, dirs] of [['db-protection', [DB_EXAMPLE]], ['x/y/z', [XYZ]]] as const) {
  describe(`--cluster equals the equivalent dump (${name})`, () => {
    const server = new FakeApiServer();
    let kc = '', dump = '';
    before(async () => {
      await server.start();
      feed(server, [...dirs]);
      kc = server.kubeconfig();
      dump = join(tmp, `${name.replace(/\W/g, '')}-dump.yaml`);
      writeFileSync(dump, JSON.stringify(dumpList(server), null, 2));
    });
    after(() => server.stop());

    const pairs: [string, string[]][] = name === 'x/y/z'
      ? [['matrix', ['matrix', '-o', 'json']], ['list', ['list', '-o', 'json', '--by', 'pod']], ['query', ['query', '--from', 'x/a', '--to', 'y/b', '-p', '80', '-o', 'json']], ['coverage', ['coverage', '-o', 'json']], ['explain', ['explain', '-o', 'json']]]
      : [['matrix', ['matrix', '-o', 'json']], ['list', ['list', '-o', 'json']], ['query', ['query', '--from', 'prod/api', '--to', 'prod/db', '-p', '3306', '-o', 'json']], ['coverage', ['coverage', '-o', 'json']], ['explain', ['explain', '-o', 'json']], ['test', ['test', '--expect', 'examples/expect/db-protection.yaml', '-o', 'json']]];
    for (const [what, args] of pairs) {
      test(`${what}: same JSON answer`, async () => {
        const live = await netpol([...args, '--cluster', '--kubeconfig', kc], SMALL_PAGES);
        const file = await netpol([...args, dump]);
        assert.equal(live.code, file.code, live.stderr);
        assert.ok(live.stdout.length > 20, live.stderr);
        // Origins name the cluster object instead of a file line: compare what they say.
        assert.equal(withoutOrigins(live.stdout), withoutOrigins(file.stdout));
      });
    }

    test('lint: the same findings', async () => {
      const live = await netpol(['lint', '-o', 'json', '--cluster', '--kubeconfig', kc]);
      const file = await netpol(['lint', '-o', 'json', dump]);
      assert.equal(live.code, file.code);
      assert.deepEqual(findings(live.stdout), findings(file.stdout));
    });

    test('pagination: lists are read in pages with continue tokens; only GETs; never Secrets or ConfigMaps', async () => {
      server.requests.length = 0;
      const r = await netpol(['check', '--cluster', '--kubeconfig', kc], SMALL_PAGES);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(server.requests.some((q) => q.startsWith('GET /api/v1/pods?limit=2&continue=')), server.requests.join('\n'));
      assert.ok(server.requests.every((q) => q.startsWith('GET ')));
      assert.ok(!server.requests.some((q) => /secrets|configmaps/.test(q)));
      assert.deepEqual(server.requests.slice(0, 2), ['GET /api', 'GET /apis']);
    });
  });
}

describe('the live path, db-protection', () => {
  const server = new FakeApiServer({ tierApi: true });
  let kc = '';
  before(async () => {
    await server.start();
    feed(server, [DB_EXAMPLE]);
    kc = server.kubeconfig();
  });
  after(() => server.stop());

  test('snapshot round trip: a List without managedFields/resourceVersion, and the same answers offline', async () => {
    const file = join(tmp, 'snap.yaml');
    const s = await netpol(['snapshot', '-o', file, '--kubeconfig', kc]);
    assert.equal(s.code, 0, s.stderr);
    const text = readFileSync(file, 'utf8');
    const list = parse(text) as { kind: string; items: { kind: string; metadata: Record<string, unknown> }[] };
    assert.equal(list.kind, 'List');
    assert.ok(!/managedFields|resourceVersion/.test(text));
    assert.deepEqual([...new Set(list.items.map((i) => i.kind))].sort(), ['Namespace', 'NetworkPolicy', 'Node', 'Pod', 'Service']);
    for (const args of [['matrix', '-o', 'json'], ['list', '-o', 'json'], ['query', '--from', 'prod/api', '--to', 'prod/db', '-p', '3306', '-o', 'json']]) {
      const live = await netpol([...args, '--cluster', '--kubeconfig', kc]);
      const off = await netpol([...args, file]);
      assert.equal(live.code, 0, live.stderr);
      assert.equal(withoutOrigins(off.stdout), withoutOrigins(live.stdout), args.join(' '));
    }
    // Text names the object where a file has a line.
    const traced = await netpol(['query', '--from', 'prod/api', '--to', 'prod/db', '-p', '3306', '--cluster', '--kubeconfig', kc]);
    assert.match(traced.stdout, /policy prod\/db-policy \(cluster:networkpolicies\/prod\/db-policy\): allowed/);
    const json = await netpol(['snapshot', '--format', 'json', '--kubeconfig', kc]);
    assert.equal((JSON.parse(json.stdout) as { items: unknown[] }).items.length, list.items.length);
  });

  test('discovery: the tier kinds are listed only when the API serves them', async () => {
    server.requests.length = 0;
    await netpol(['check', '--cluster', '--kubeconfig', kc]);
    assert.ok(server.requests.some((q) => q.startsWith('GET /apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies?')));
    assert.ok(!server.requests.some((q) => q.includes('adminnetworkpolicies')), 'v1alpha1 is not served here');
  });

  test('the preview: a file overrides the cluster object of the same kind/namespace/name, silently', async () => {
    const open = join(tmp, 'open-db.yaml');
    writeFileSync(open, 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db-policy, namespace: prod}\nspec:\n  podSelector: {matchLabels: {role: db}}\n  ingress: [{}]\n');
    const before = await netpol(['query', '--from', 'prod/web', '--to', 'prod/db', '-p', '3306', '-o', 'json', '--cluster', '--kubeconfig', kc]);
    const preview = await netpol(['query', '--from', 'prod/web', '--to', 'prod/db', '-p', '3306', '-o', 'json', '--cluster', '--kubeconfig', kc, open]);
    assert.equal((JSON.parse(before.stdout) as { allowed: boolean }).allowed, false);
    assert.equal((JSON.parse(preview.stdout) as { allowed: boolean }).allowed, true, preview.stderr);
    const check = await netpol(['check', '--cluster', '--kubeconfig', kc, open]);
    assert.doesNotMatch(check.stdout + check.stderr, /more than once/);
  });

  test('diff --cluster: what applying the files would open and close', async () => {
    const open = join(tmp, 'open-db2.yaml');
    writeFileSync(open, 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db-policy, namespace: prod}\nspec:\n  podSelector: {matchLabels: {role: db}}\n  ingress: [{}]\n');
    const r = await netpol(['diff', '--cluster', '--kubeconfig', kc, open, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout) as { opened: { from: string; to: string }[]; closed: unknown[]; policies: { changed: unknown[] } };
    assert.ok(d.opened.some((c) => c.from === 'prod/web-0' && c.to === 'prod/db-0'), r.stdout.slice(0, 400));
    assert.equal(d.policies.changed.length, 1);
    const none = await netpol(['diff', '--cluster', '--kubeconfig', kc]);
    assert.equal(none.code, 2);
  });

  test('-n limits the namespaced lists (and reads only those Namespaces)', async () => {
    server.requests.length = 0;
    const r = await netpol(['matrix', '-o', 'json', '--cluster', '--kubeconfig', kc, '--namespace', 'prod']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(server.requests.some((q) => q.startsWith('GET /api/v1/namespaces/prod/pods?')));
    assert.ok(!server.requests.some((q) => q.startsWith('GET /api/v1/pods?')));
    assert.ok(!server.requests.some((q) => q.startsWith('GET /api/v1/namespaces?')));
    const pods = (JSON.parse(r.stdout) as { pods: string[] }).pods;
    assert.ok(pods.length > 0 && pods.every((p) => p.startsWith('prod/')), pods.join());
    const q = await netpol(['list', '--cluster', '--kubeconfig', kc, '-n', 'prod,staging', '-o', 'json']);
    assert.equal(q.code, 0, q.stderr);
    assert.ok(server.requests.some((x) => x.startsWith('GET /api/v1/namespaces/staging/pods?')));
  });

  test('--context picks the kubeconfig context; an unknown one is named', async () => {
    const ok = await netpol(['check', '--cluster', '--kubeconfig', kc, '--context', 'other']);
    assert.equal(ok.code, 0, ok.stderr);
    const bad = await netpol(['check', '--cluster', '--kubeconfig', kc, '--context', 'nope']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /has no context "nope" \(it has: fake, other\)/);
  });

  test('$KUBECONFIG is read as kubectl does', async () => {
    const r = await netpol(['check', '--cluster'], { KUBECONFIG: kc });
    assert.equal(r.code, 0, r.stderr);
  });
});

describe('errors: one clear line, exit 2, no stack trace', () => {
  const server = new FakeApiServer({ forbid: ['list pods'] });
  before(async () => {
    await server.start();
    feed(server, [DB_EXAMPLE]);
  });
  after(() => server.stop());
  const oneLine = (r: { code: number; stderr: string }) => {
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
  };

  test('403 names the verb and resource and points at the ClusterRole', async () => {
    const r = await netpol(['matrix', '--cluster', '--kubeconfig', server.kubeconfig()]);
    oneLine(r);
    assert.match(r.stderr, /forbidden \(403\) to list pods .*cannot list resource "pods".*docs\/cluster\.md/);
  });

  test('401 (a wrong or expired token) says so', async () => {
    const r = await netpol(['check', '--cluster', '--kubeconfig', server.kubeconfig({ token: 'expired' })]);
    oneLine(r);
    assert.match(r.stderr, /rejected the credentials of context "fake" \(401 Unauthorized\) for get discovery \/api.*may have expired/);
  });

  test('an unreachable server', async () => {
    const r = await netpol(['check', '--cluster', '--kubeconfig', server.kubeconfig({ server: 'https://127.0.0.1:1' })]);
    oneLine(r);
    assert.match(r.stderr, /cannot reach the API server https:\/\/127\.0\.0\.1:1 \(context "fake"\): ECONNREFUSED/);
  });

  test('a bad kubeconfig, a missing one, none at all', async () => {
    const bad = join(tmp, 'bad-kubeconfig');
    writeFileSync(bad, 'clusters: [\n');
    oneLine(await netpol(['check', '--cluster', '--kubeconfig', bad]));
    assert.match((await netpol(['check', '--cluster', '--kubeconfig', bad])).stderr, /bad kubeconfig .*bad-kubeconfig/);
    const missing = await netpol(['check', '--cluster', '--kubeconfig', join(tmp, 'nope')]);
    oneLine(missing);
    assert.match(missing.stderr, /cannot read the kubeconfig .*nope: no such file/);
    const none = await netpol(['check', '--cluster'], { HOME: tmp, KUBECONFIG: '' });
    oneLine(none);
    assert.match(none.stderr, /no kubeconfig found/);
  });

  test('paths are still required without --cluster; cluster flags need --cluster', async () => {
    const r = await netpol(['matrix']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /give files or folders of manifests, or --cluster/);
    const k = await netpol(['check', 'examples/db-protection', '--kubeconfig', 'x']);
    assert.equal(k.code, 2);
    assert.match(k.stderr, /need --cluster/);
  });
});
