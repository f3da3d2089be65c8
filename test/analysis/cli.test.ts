// The machine-readable contracts of issue 3, through the real CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

const cli = (args: string[], cwd = ROOT) => {
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli/main.ts'), ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('netpol lint --format json: {diagnostics} with rule ids; --fail-on warning exits 1', () => {
  const r = cli(['lint', 'examples/db-protection', '--format', 'json', '--fail-on', 'warning']);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j), ['diagnostics']);
  assert.deepEqual(j.diagnostics.map((d: { rule: string; severity: string; type: string; line: number }) => [d.rule, d.severity, d.type, d.line]), [['egress-blocks-dns', 'warning', 'Lint', 12]]);
  assert.equal(cli(['lint', 'examples/db-protection']).code, 0);
  const sarif = JSON.parse(cli(['lint', 'examples/db-protection', '-o', 'sarif']).out);
  assert.equal(sarif.runs[0].results[0].ruleId, 'egress-blocks-dns');
  assert.match(cli(['lint', 'examples/db-protection', '-o', 'github']).out, /^::warning file=examples\/db-protection\/db-policy.yaml,line=12,col=3,title=egress-blocks-dns::/);
});

test('netpol diff --format json has exactly opened/closed/policies; --exit-code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-diff-'));
  for (const side of ['before', 'after']) {
    cpSync(join(ROOT, 'test/analysis/fixtures/xyz/model.yaml'), join(dir, side, 'model.yaml'));
    cpSync(join(ROOT, `test/analysis/fixtures/xyz/${side}/policy.yaml`), join(dir, side, 'policy.yaml'));
  }
  const r = cli(['diff', join(dir, 'before'), join(dir, 'after'), '--format', 'json', '--port', '80', '--exit-code']);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j), ['opened', 'closed', 'policies']);
  assert.deepEqual(j.opened, ['a', 'b', 'c'].map((p) => ({ from: `z/${p}`, to: 'x/a', port: 80, protocol: 'TCP' })));
  assert.deepEqual(j.closed, []);
  assert.deepEqual(j.policies, { added: [], removed: [], changed: ['x/allow-ns-y'] });
  assert.equal(cli(['diff', join(dir, 'before'), join(dir, 'before'), '--exit-code']).code, 0);
  assert.equal(cli(['diff', join(dir, 'before'), join(dir, 'after'), '--subset']).code, 1);
});

test('netpol diff --git REV reads the same paths at that revision', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-git-'));
  const git = (...a: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...a], { cwd: dir, stdio: 'pipe' });
  git('init', '-q');
  cpSync(join(ROOT, 'test/analysis/fixtures/xyz/model.yaml'), join(dir, 'k8s/model.yaml'));
  cpSync(join(ROOT, 'test/analysis/fixtures/xyz/before/policy.yaml'), join(dir, 'k8s/policy.yaml'));
  git('add', '.');
  git('commit', '-qm', 'before');
  cpSync(join(ROOT, 'test/analysis/fixtures/xyz/after/policy.yaml'), join(dir, 'k8s/policy.yaml'));
  const r = cli(['diff', '--git', 'HEAD', 'k8s', '--format', 'json', '--port', '80'], dir);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).opened.length, 3);
});

test('netpol test --format json: passed/failed/results with trace; exit 1 on failure, 2 on a bad file', () => {
  const ok = cli(['test', 'examples/db-protection', '--expect', 'examples/expect/db-protection.yaml', '--format', 'json']);
  assert.equal(ok.code, 0);
  const j = JSON.parse(ok.out);
  assert.deepEqual([j.passed, j.failed, Object.keys(j)], [7, 0, ['passed', 'failed', 'results']]);
  const dir = mkdtempSync(join(tmpdir(), 'netpol-test-'));
  writeFileSync(join(dir, 'e.yaml'), 'expect:\n  - staging/api -> prod/db:3306 allow\n');
  const bad = cli(['test', 'examples/db-protection', '--expect', join(dir, 'e.yaml'), '--format', 'json']);
  assert.equal(bad.code, 1);
  const res = JSON.parse(bad.out).results[0];
  assert.deepEqual([res.assertion, res.ok, res.trace.verdict, res.trace.ingress.pod], ['staging/api -> prod/db:3306 allow', false, 'deny', 'prod/db-0']);
  const junit = cli(['test', 'examples/db-protection', '--expect', join(dir, 'e.yaml'), '--format', 'junit']).out;
  assert.match(junit, /<testsuite name="netpol test" tests="1" failures="1"/);
  writeFileSync(join(dir, 'typo.yaml'), 'expect:\n  - staging/api -> prod/db:3306 alow\n');
  const typo = cli(['test', 'examples/db-protection', '--expect', join(dir, 'typo.yaml')]);
  assert.equal(typo.code, 2);
  assert.match(typo.err, /typo\.yaml:2:5: error: expect\[0\]: expected "allow" or "deny" at the end, got "alow"/);
});

test('netpol coverage and explain --format json', () => {
  const c = JSON.parse(cli(['coverage', 'examples/db-protection', '--format', 'json']).out);
  assert.deepEqual(c.isolation.egress.isolated, ['prod/db-0']);
  const e = JSON.parse(cli(['explain', 'examples/multi-team', '--format', 'json']).out);
  assert.equal(e.policies.length, 19);
});
