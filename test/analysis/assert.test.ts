import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseExpectations } from '../../src/analysis/assert/file.js';
import { parseAssertion } from '../../src/analysis/assert/grammar.js';
import { runExpectations } from '../../src/analysis/assert/run.js';
import { load, ROOT } from './helpers.js';

const run = (dir: string, text: string) => {
  const f = parseExpectations('expect.yaml', text);
  assert.deepEqual(f.diagnostics, []);
  return runExpectations(load(dir).cluster, f.expectations, { ipBlockPods: f.ipBlockPods });
};

test('the built-in example\'s expectations all pass', () => {
  const text = readFileSync(`${ROOT}examples/expect/db-protection.yaml`, 'utf8');
  const r = run('examples/db-protection', text);
  assert.equal(r.failed, 0, JSON.stringify(r.results.filter((x) => !x.ok), null, 1));
  assert.equal(r.passed, 7);
  // `prod/app=api -> prod/role=db:mysql` resolves the named port on the DB pod.
  const named = r.results.find((x) => x.assertion.includes('mysql'))!;
  assert.deepEqual([named.checked, named.trace?.port, named.trace?.to], [1, 3306, 'prod/db-0']);
});

test('a failing assertion carries the trace of the failing connection', () => {
  const r = run('examples/db-protection', 'expect:\n  - staging/api -> prod/db:3306 allow\n');
  assert.equal(r.failed, 1);
  const x = r.results[0]!;
  assert.equal(x.ok, false);
  assert.deepEqual(x.failures, [{ from: 'staging/api-0', to: 'prod/db-0', port: 3306, protocol: 'TCP', verdict: 'deny' }]);
  assert.equal(x.trace!.ingress.pod, 'prod/db-0');
  assert.equal(x.trace!.ingress.allowed, false);
  assert.match(x.trace!.ingress.policies[0]!.rules[0]!.why, /namespace staging has name=staging, needs name=prod/);
  assert.equal(x.line, 2);
});

test('wildcards and :* expand to every pod and every declared port (x/y/z model)', () => {
  const r = run('test/analysis/fixtures/xyz', [
    'expect:',
    '  - y/* -> x/a:* allow',            // before policy: ns=y may reach x/a on all 3 ports
    '  - z/* -> x/a:* deny',
    '  - "*/pod=b -> x/pod=a:80/UDP allow"', // only y/b of those is allowed: fails for x/b, z/b
    '  - ns=z/* -> x/c:81 allow',        // x/c is not isolated
  ].join('\n'));
  const [yx, zx, byLabel, nsLabel] = r.results;
  assert.deepEqual([yx!.ok, yx!.checked], [true, 9]);
  assert.deepEqual([zx!.ok, zx!.checked], [true, 9]);
  assert.equal(byLabel!.ok, false);
  assert.deepEqual(byLabel!.failures.map((f) => f.from), ['x/b', 'z/b']);
  assert.deepEqual([nsLabel!.ok, nsLabel!.checked], [true, 3]);
});

test('an endpoint that matches nothing fails instead of passing vacuously', () => {
  const r = run('examples/db-protection', 'expect:\n  - prod/cache -> prod/db:3306 deny\n');
  assert.equal(r.results[0]!.ok, false);
  assert.match(r.results[0]!.error!, /no pod matches "prod\/cache" \(pods there: prod\/api-0, prod\/db-0, prod\/web-0\)/);
});

test('the file is validated with file:line diagnostics', () => {
  const f = parseExpectations('e.yaml', 'expect:\n  - prod/api -> prod/db:3306 allow\n  - prod/api => prod/db:3306 allow\n  - assert: prod/api -> 10.0.0.1:http allow\n    nmae: x\nextra: 1\n');
  assert.deepEqual(f.diagnostics.map((d) => [d.line, d.path, d.type]), [
    [6, 'extra', 'Unknown field'],
    [3, 'expect[1]', 'Invalid value'],
    [5, 'expect[2].nmae', 'Unknown field'],
    [4, 'expect[2].assert', 'Invalid value'],
  ]);
  assert.equal(f.expectations.length, 1);
  const y = parseExpectations('e.yaml', 'expect:\n  - [a -> b\n');
  assert.equal(y.diagnostics[0]!.type, 'YAML syntax');
});

test('assertion grammar', () => {
  const p = parseAssertion('team=web/app=api,tier=x -> [2001:db8::1]:443/TCP deny');
  assert.ok(p.ok);
  assert.deepEqual(p.ok && p.spec.from, { kind: 'pods', namespace: { kind: 'labels', labels: { team: 'web' } }, pod: { kind: 'labels', labels: { app: 'api', tier: 'x' } } });
  assert.deepEqual(p.ok && [p.spec.to, p.spec.port, p.spec.protocol, p.spec.expect], [{ kind: 'ip', ip: '2001:db8::1' }, 443, 'TCP', 'deny']);
  assert.equal(parseAssertion('prod/api -> prod/db:3306/ICMP allow').ok, false);
  assert.equal(parseAssertion('prod/api -> prod/db:70000 allow').ok, false);
});

test('connections that hinge on the plugin: named under every mode, failing allow/deny only under depends', () => {
  // staging/api has no IP, and prod/db's ingress has an ipBlock peer: the deny is not certain.
  const text = 'expect:\n  - staging/api -> prod/db:3306 deny\n  - prod/api -> prod/db:3306 allow\n';
  for (const mode of ['match', 'ignore'] as const) {
    const r = run('examples/db-protection', `ipBlockPods: ${mode}\n${text}`);
    assert.deepEqual([r.passed, r.failed], [2, 0], mode);
    const [hinges, certain] = r.results;
    assert.equal(hinges!.depends.length, 1);
    assert.deepEqual({ ...hinges!.depends[0], depends: undefined }, { from: 'staging/api-0', to: 'prod/db-0', port: 3306, protocol: 'TCP', verdict: 'deny', depends: undefined });
    assert.match(hinges!.depends[0]!.depends![0]!, /staging\/api-0 has no IP in the manifests, so whether ipBlock 192\.168\.5\.10\/32 covers it is unknown/);
    assert.deepEqual(certain!.depends, []);
  }
  const r = run('examples/db-protection', `ipBlockPods: depends\n${text}`);
  assert.deepEqual([r.passed, r.failed], [1, 1]);
  assert.deepEqual(r.results[0]!.failures.map((f) => f.verdict), ['depends']);
  assert.equal(r.results[0]!.depends.length, 1);
  assert.equal(r.results[1]!.ok, true);
});
