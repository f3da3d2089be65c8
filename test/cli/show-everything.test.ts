// Issue 9.6 on the real CLI: infos are shown, an empty input is a warning, nested Lists are
// read, and IPv6 endpoints are accepted and written alike by `query` and `test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './run-cli.js';

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'netpol-show-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

function files(name: string, content: Record<string, string>): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  for (const [f, text] of Object.entries(content)) writeFileSync(join(d, f), text);
  return d;
}

const POD = (name: string, extra = '') => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: prod, labels: {app: ${name}}}\nspec: {containers: [{name: c, ports: [{containerPort: 443}]}]}\n${extra}`;

test('check on an empty folder, and on an empty file, is a warning that says so', () => {
  const empty = files('empty', {});
  const r = cli(['check', empty]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /<input>:1:1: warning: no manifests in the input/);
  assert.match(r.stdout, /0 error\(s\), 1 warning\(s\), 0 info/);
  const blank = join(files('blank', { 'blank.yaml': '# nothing here\n' }), 'blank.yaml');
  const b = cli(['check', blank, '--format', 'json']);
  const out = JSON.parse(b.stdout) as { diagnostics: { severity: string; file: string; message: string }[] };
  assert.deepEqual(out.diagnostics.map((d) => [d.severity, d.file, d.message]), [['warning', blank, 'the file is empty: no Kubernetes objects in it']]);
});

test('check text shows info diagnostics; many of one type fold into one line', () => {
  const one = files('one-configmap', { 'pod.yaml': POD('api'), 'svc.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\n' });
  const r = cli(['check', one]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /svc\.yaml:2:1: info: kind: kind "ConfigMap" does not affect NetworkPolicy evaluation; skipped/);
  const services = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`svc-${String(i).padStart(2, '0')}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s${i}}\n`]));
  const many = files('many-services', { 'pod.yaml': POD('api'), ...services });
  const m = cli(['check', many]);
  const infoLines = m.stdout.split('\n').filter((l) => /\binfo\b/.test(l) && !l.startsWith('checked'));
  assert.equal(infoLines.length, 1, m.stdout);
  assert.match(infoLines[0]!, /^info \[No kind match\] ×12 at .*svc-00\.yaml:2:1, .*svc-01\.yaml:2:1, .*svc-02\.yaml:2:1 and 9 more/);
  assert.match(m.stdout, /12 info$/m);
});

test('check reads Lists inside Lists', () => {
  const nested = files('nested', { 'list.yaml': `kind: List\nitems:\n- kind: List\n  items:\n  - ${JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'x' } })}\n  - kind: PodList\n    items:\n    - ${JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'x' } })}\n` });
  const r = cli(['check', nested]);
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /checked 0 NetworkPolicies, 2 pods, 1 namespaces: 0 error\(s\), 0 warning\(s\), 0 info/);
});

test('IPv6 endpoints: query and test accept them with or without brackets and write them the same way', () => {
  const d = files('v6', {
    'm.yaml': `${POD('db', 'status: {podIPs: [{ip: 10.0.0.5}, {ip: "2001:DB8:0:0::5"}]}\n')}---\n` +
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: prod}\nspec:\n  podSelector: {matchLabels: {app: db}}\n' +
      '  ingress:\n  - from: [{ipBlock: {cidr: "2001:db8:ffff::/48"}}]\n  egress:\n  - to: [{ipBlock: {cidr: "2001:db8:abcd::/64"}}]\n',
  });
  const expect = join(dir, 'expect.yaml');
  writeFileSync(expect, ['kind: NetpolExpectations', 'expect:',
    '  - "[2001:DB8:FFFF:0::1] -> [2001:db8:0::5]:443 allow"',
    '  - "2001:db8:ffff::0:1 -> 2001:db8::5:443 allow"',
    '  - "prod/db -> [2001:DB8:ABCD::1]:443 deny"', // deliberately wrong: allowed, so the failure is printed
    '  - "prod/db -> 2001:db8:abcd:0:0::1:443 deny"',
  ].join('\n'));
  const t = cli(['test', d, '--expect', expect, '--format', 'json']);
  assert.equal(t.code, 1, t.stderr);
  const report = JSON.parse(t.stdout) as { passed: number; results: { ok: boolean; trace?: { from: string; to: string }; failures: { from: string; to: string }[] }[] };
  assert.equal(report.passed, 2);
  const traces = report.results.map((x) => `${x.trace?.from} -> ${x.trace?.to}`);
  assert.deepEqual(traces, ['2001:db8:ffff::1 -> prod/db', '2001:db8:ffff::1 -> prod/db', 'prod/db -> 2001:db8:abcd::1', 'prod/db -> 2001:db8:abcd::1']);
  assert.deepEqual(report.results[2]!.failures.map((f) => f.to), ['2001:db8:abcd::1']);
  for (const [from, to, want] of [['[2001:DB8:FFFF:0::1]', '2001:db8:0::5', ['2001:db8:ffff::1', 'prod/db']], ['2001:db8:ffff::0:1', '[2001:db8::5]', ['2001:db8:ffff::1', 'prod/db']], ['prod/db', '[2001:DB8:ABCD::1]', ['prod/db', '2001:db8:abcd::1']]] as const) {
    const q = cli(['query', d, '--from', from, '--to', to, '-p', '443', '--ipblock-pods', 'match', '--format', 'json']);
    assert.equal(q.code, 0, q.stderr);
    const v = JSON.parse(q.stdout) as { from: string; to: string; allowed: unknown };
    assert.deepEqual([v.from, v.to], want);
    assert.equal(v.allowed, true);
  }
  // The same endpoint in text: the canonical form, whichever way it was written.
  const text = cli(['query', d, '--from', '[2001:DB8:FFFF:0::1]', '--to', 'prod/db', '-p', '443', '--ipblock-pods', 'match']);
  assert.match(text.stdout, /^2001:db8:ffff::1 -> prod\/db 443\/TCP: ALLOW/);
  // Brackets belong to IPv6 only.
  assert.equal(cli(['query', d, '--from', '[10.0.0.1]', '--to', 'prod/db', '-p', '443']).code, 2);
});
