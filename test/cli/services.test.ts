// Services end to end through the real CLI, on examples/services (a database Service whose named
// targetPort is 5432 on the v1 pods, 6432 on the v2 pods and missing on the legacy pod).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './run-cli.js';

const EX = 'examples/services';
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test('query --to svc: prints the JSON contract: service, port, protocol, allowed, endpoints (+ unresolved, notes)', () => {
  const r = cli(['query', EX, '--from', 'shop/api', '--to', 'svc:shop/db', '--port', '5432', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as Record<string, unknown> & { endpoints: { pod: string; port: number; allowed: unknown; trace: { to: string; port: number; ingress: { allowed: unknown } } }[] };
  assert.deepEqual(Object.keys(j), ['service', 'port', 'protocol', 'allowed', 'endpoints', 'unresolved', 'notes']);
  assert.deepEqual([j.service, j.port, j.protocol, j.allowed], ['svc:shop/db', 5432, 'TCP', 'partial']);
  assert.deepEqual(j.endpoints.map((e) => Object.keys(e)), [['pod', 'port', 'allowed', 'trace'], ['pod', 'port', 'allowed', 'trace']]);
  assert.deepEqual(j.endpoints.map((e) => [e.pod, e.port, e.allowed, e.trace.to, e.trace.port]), [
    ['shop/db-v1-0', 5432, true, 'shop/db-v1-0', 5432],
    ['shop/db-v2-0', 6432, false, 'shop/db-v2-0', 6432],
  ]);
  assert.deepEqual(j.unresolved, [{ pod: 'shop/db-legacy', reason: 'shop/db-legacy declares no TCP container port named "sql", so it is no endpoint of this Service port' }]);
  // --port by the Service port's name gives the same answer.
  const byName = cli(['query', EX, '--from', 'shop/api', '--to', 'svc:shop/db', '--port', 'postgres', '--format', 'json']);
  assert.equal(byName.stdout, r.stdout);
});

test('query --to svc: without unresolved pods or notes prints exactly the five keys; NodePort port 80 maps to 8080', () => {
  const r = cli(['query', EX, '--from', 'shop/db-v1-0', '--to', 'svc:shop/api', '--port', '80', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { endpoints: { pod: string; port: number }[] };
  assert.deepEqual(Object.keys(j), ['service', 'port', 'protocol', 'allowed', 'endpoints']);
  assert.deepEqual(j, { ...j, service: 'svc:shop/api', port: 80, protocol: 'TCP', allowed: true });
  assert.deepEqual(j.endpoints.map((e) => [e.pod, e.port]), [['shop/api-0', 8080]]);
});

test('query --to svc: text lists every endpoint with its port and why, and the pods that are no endpoint', () => {
  const r = cli(['query', EX, '--from', 'shop/api', '--to', 'svc:shop/db', '--port', '5432']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], 'shop/api-0 -> svc:shop/db port postgres 5432/TCP (targetPort sql): PARTIAL');
  assert.ok(lines.includes('  shop/db-v1-0:5432/TCP  allowed'), r.stdout);
  assert.ok(lines.includes('  shop/db-v2-0:6432/TCP  denied'), r.stdout);
  assert.ok(lines.includes('    ingress: shop/db-v2-0 is isolated for ingress by db-ingress and no rule of that policy matches'), r.stdout);
  assert.ok(lines.some((l) => l.startsWith('  not an endpoint: shop/db-legacy declares no TCP container port named "sql"')), r.stdout);
});

test('query: svc: as --from is a usage error with a hint; unknown Service or port name the alternatives', () => {
  const from = cli(['query', EX, '--from', 'svc:shop/db', '--to', 'shop/api', '--port', '8080']);
  assert.equal(from.code, 2);
  assert.match(from.stderr, /--from svc:shop\/db: a Service is not a source: connections come from pods.*use svc:<namespace>\/<name> as the destination/);
  const unknown = cli(['query', EX, '--from', 'shop/api', '--to', 'svc:shop/dbx', '--port', '5432']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no Service "dbx" in namespace "shop" \(Services there: api, billing-db, db, search\)/);
  const port = cli(['query', EX, '--from', 'shop/api', '--to', 'svc:shop/db', '--port', '6432']);
  assert.equal(port.code, 2);
  assert.match(port.stderr, /svc:shop\/db has no port 6432 \(its ports: postgres 5432\/TCP → sql\)/);
  const ext = cli(['query', EX, '--from', 'shop/api', '--to', 'svc:shop/billing-db', '--port', '443']);
  assert.equal(ext.code, 2);
  assert.match(ext.stderr, /svc:shop\/billing-db has no port 443 \(its ports: none\)/);
});

test('netpol test: svc: destinations are checked on every backing pod at its target port', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-svc-'));
  const expect = join(dir, 'expect.yaml');
  writeFileSync(expect, `kind: NetpolExpectations
expect:
  - shop/api -> svc:shop/db:5432 allow
  - shop/api -> svc:shop/db:postgres deny
  - shop/db-v1 -> svc:shop/api:http allow
  - shop/api -> svc:shop/search:* allow
`);
  const r = cli(['test', EX, '--expect', expect, '--format', 'json']);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.stdout) as { passed: number; failed: number; results: { ok: boolean; checked: number; failures: { to: string; port: number }[]; error?: string }[] };
  assert.deepEqual([j.passed, j.failed], [1, 3]);
  // allow fails on the v2 pod (6432), deny fails on the v1 pod (5432): the Service is partial.
  assert.deepEqual(j.results[0]!.failures.map((f) => [f.to, f.port]), [['shop/db-v2-0', 6432]]);
  assert.deepEqual(j.results[1]!.failures.map((f) => [f.to, f.port]), [['shop/db-v1-0', 5432]]);
  assert.deepEqual([j.results[2]!.ok, j.results[2]!.checked], [true, 1]);
  assert.match(j.results[3]!.error!, /svc:shop\/search has no backing pod in the input/);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'kind: NetpolExpectations\nexpect:\n  - svc:shop/db -> shop/api:8080 allow\n');
  const b = cli(['test', EX, '--expect', bad]);
  assert.equal(b.code, 2, b.stdout + b.stderr);
  assert.match(b.stderr + b.stdout, /a Service is not a source/);
});

test('list --to svc: keeps the backing pods on their target ports; --services labels ends (JSON: a services map)', () => {
  const r = cli(['list', EX, '--by', 'pod', '--to', 'svc:shop/db', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { connections: { from: string; to: string; allowed: { TCP: number[][] } }[]; services?: unknown };
  assert.deepEqual(j.connections.map((c) => [c.from, c.to, c.allowed.TCP]), [['shop/api-0', 'shop/db-v1-0', [[5432, 5432]]]]);
  assert.equal(j.services, undefined);
  const from = cli(['list', EX, '--from', 'svc:shop/db']);
  assert.equal(from.code, 2);
  assert.match(from.stderr, /a Service is not a source/);
  const none = cli(['list', EX, '--to', 'svc:shop/search']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /svc:shop\/search: no pod of the input backs it/);
  const labelled = cli(['list', EX, '--services', '--to', 'shop/api', '--format', 'json']);
  const lj = JSON.parse(labelled.stdout) as { services: Record<string, string[]> };
  // db-legacy backs svc:shop/db by its labels but serves none of its ports: not labelled.
  assert.deepEqual(lj.services, { 'shop/api[Deployment]': ['svc:shop/api'], 'shop/db-v1[StatefulSet]': ['svc:shop/db'], 'shop/db-v2[StatefulSet]': ['svc:shop/db'] });
  const text = cli(['list', EX, '--services', '--to', 'shop/api']);
  assert.match(text.stdout, /^shop\/db-v1\[StatefulSet\] \(svc:shop\/db\) +-> shop\/api\[Deployment\] \(svc:shop\/api\) +TCP 8080$/m);
});

test('matrix --services: pod labels in the table, a services map in JSON (absent without the flag)', () => {
  const r = cli(['matrix', EX, '--services', '-p', '5432', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { pods: string[]; services: Record<string, string[]> };
  assert.deepEqual(j.services, { 'shop/api-0': ['svc:shop/api'], 'shop/db-v1-0': ['svc:shop/db'], 'shop/db-v2-0': ['svc:shop/db'] });
  assert.equal((JSON.parse(cli(['matrix', EX, '-p', '5432', '--format', 'json']).stdout) as { services?: unknown }).services, undefined);
  const t = cli(['matrix', EX, '--services', '-p', '5432']);
  assert.match(t.stdout, /^3 shop\/db-v1-0 \(svc:shop\/db\) +\. \. X \.$/m);
});

test('lint and coverage on the example: target-port mistake, orphan Service, NodePort exposure', () => {
  const l = cli(['lint', EX, '--format', 'json']);
  const d = (JSON.parse(l.stdout) as { diagnostics: { rule: string; file: string; line: number }[] }).diagnostics;
  assert.deepEqual(d.map((x) => [x.rule, x.file, x.line]), [
    ['service-port-not-target-port', `${EX}/policies.yaml`, 12],
    ['service-exposed-outside', `${EX}/services.yaml`, 18],
    ['service-selects-nothing', `${EX}/services.yaml`, 25],
  ]);
  const c = cli(['coverage', EX, '--format', 'json']);
  const cov = JSON.parse(c.stdout) as { services: { service: string; externalTrafficPolicy: string; nodePort: number; endpoints: { pod: string; port: number; exposed: unknown; from: string[] }[] }[] };
  assert.deepEqual(cov.services.map((s) => [s.service, s.externalTrafficPolicy, s.nodePort, s.endpoints.map((e) => [e.pod, e.port, e.exposed, e.from])]), [
    ['svc:shop/api', 'Cluster', 30080, [['shop/api-0', 8080, true, ['anywhere']]]],
  ]);
});

test('coverage: externalTrafficPolicy Cluster makes a ranged exposure depend on SNAT; Local keeps it exact', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-svc-'));
  const world = (etp: string) => `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: a}
spec: {type: LoadBalancer, externalTrafficPolicy: ${etp}, selector: {app: web}, ports: [{port: 443, targetPort: 8080}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: a}
spec:
  podSelector: {}
  ingress: [{from: [{ipBlock: {cidr: 203.0.113.0/24}}]}]
`;
  const exposure = (etp: string) => {
    writeFileSync(join(dir, 'w.yaml'), world(etp));
    const r = cli(['coverage', dir, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { services: { endpoints: { exposed: unknown; from: string[]; reason: string }[] }[] }).services[0]!.endpoints[0]!;
  };
  const local = exposure('Local');
  assert.deepEqual([local.exposed, local.from], [true, ['203.0.113.0/24']]);
  const cluster = exposure('Cluster');
  assert.equal(cluster.exposed, 'depends');
  assert.match(cluster.reason, /source-NATs external clients to a node address/);
  const lint = cli(['lint', dir, '--format', 'json']);
  const ds = (JSON.parse(lint.stdout) as { diagnostics: { rule: string; severity: string }[] }).diagnostics.filter((x) => x.rule === 'service-exposed-outside');
  assert.deepEqual(ds.map((x) => x.severity), ['warning']);
});

test('hostile text from a Service never reaches the terminal raw', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-svc-'));
  // An invalid externalName is rejected by check with an escaped value; --skip-invalid leaves the Service out.
  writeFileSync(join(dir, 'w.yaml'), `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: a}
---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: a}
spec: {type: ExternalName, externalName: "x\\e[31m\\u202e\\ny"}
`);
  const check = cli(['check', dir]);
  assert.equal(check.code, 1);
  assert.doesNotMatch(check.stdout + check.stderr, RAW);
  assert.match(check.stdout, /spec\.externalName: Invalid value: "x\\x1b\[31m\\u202e\\ny"/);
  const q = cli(['query', dir, '--skip-invalid', '--from', 'a/api', '--to', 'svc:a/ext', '--port', '80']);
  assert.equal(q.code, 2);
  assert.doesNotMatch(q.stdout + q.stderr, RAW);
  assert.match(q.stderr, /no Service "ext" in namespace "a"/);
  // Endpoint text from the command line is escaped in errors too.
  const arg = cli(['query', EX, '--from', 'shop/api', '--to', 'svc:shop/\u001b[31mdb', '--port', '80']);
  assert.equal(arg.code, 2);
  assert.doesNotMatch(arg.stderr, RAW);
});
