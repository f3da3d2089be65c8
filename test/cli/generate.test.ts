// The `netpol generate` contract through the real CLI: stdout is YAML only (notes on stderr),
// --format json carries the proof, -o DIR writes one file per policy, refusals print nothing on
// stdout and exit 1, usage errors exit 2; --from-policies output passes `diff --equivalent`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { cli, ROOT } from './run-cli.js';

const INTENT = 'examples/expect/db-protection-intent.yaml';

test('generate: stdout is multi-document YAML only; the summary goes to stderr', () => {
  const r = cli(['generate', 'examples/db-protection', '--expect', 'examples/expect/db-protection.yaml']);
  assert.equal(r.code, 0, r.stderr);
  const docs = parseAllDocuments(r.stdout);
  assert.ok(docs.length >= 1);
  for (const d of docs) {
    assert.deepEqual(d.errors, []);
    assert.equal(d.toJS().kind, 'NetworkPolicy');
  }
  assert.match(r.stderr, /1 policy, 3 rules from 7 assertions; proved: 7 assertion\(s\) hold/);
  assert.match(r.stderr, /NetworkPolicies of the input are ignored/);
});

test('generate --format json: policies plus the proof', () => {
  const r = cli(['generate', 'examples/db-protection', '-e', INTENT, '--no-dns', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j), ['policies', 'assertions', 'extra']);
  assert.deepEqual(j.assertions, { passed: 3, failed: 0 });
  assert.deepEqual(j.extra, []);
  assert.equal(j.policies.length, 1);
  assert.deepEqual(j.policies[0].spec.podSelector, { matchLabels: { role: 'db' } });
});

test('generate -o DIR: one file per policy, nothing on stdout; the result is equivalent to the hand-written policy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-gen-'));
  try {
    const r = cli(['generate', 'examples/db-protection', '-e', INTENT, '--no-dns', '-o', join(dir, 'out')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(readdirSync(join(dir, 'out')), ['prod.db-policy.yaml']);
    for (const f of ['namespaces.yaml', 'workloads.yaml']) copyFileSync(join(ROOT, 'examples/db-protection', f), join(dir, 'out', f));
    const d = cli(['diff', 'examples/db-protection', join(dir, 'out'), '--equivalent']);
    assert.equal(d.code, 0, d.stdout + d.stderr);
    assert.match(d.stdout, /EQUIVALENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('generate refuses, with stdout empty, when labels cannot separate pods the expectations treat differently', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-gen-'));
  try {
    const x = join(dir, 'x.yaml');
    writeFileSync(x, 'expect:\n  - prod/api -> prod/db:3306 allow\n');
    // staging/api and prod/api differ by namespace: fine. Two prod pods with the same labels are not.
    const m = join(dir, 'm.yaml');
    writeFileSync(m, `${readFileSync(join(ROOT, 'examples/db-protection/workloads.yaml'), 'utf8')}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: debug, namespace: prod, labels: {app: api}}\nspec: {containers: [{name: c, image: i}]}\n`);
    const r = cli(['generate', m, join(ROOT, 'examples/db-protection/namespaces.yaml'), '-e', x]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /prod\/api-0 and prod\/debug have the same labels/);
    assert.match(r.stderr, /hint: no label tells them apart/);
    assert.match(r.stderr, /refused/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('generate usage errors exit 2', () => {
  assert.equal(cli(['generate', 'examples/db-protection']).code, 2);
  assert.equal(cli(['generate', 'examples/db-protection', '-e', INTENT, '--from-policies']).code, 2);
  const r = cli(['generate', 'examples/db-protection', '-e', 'no/such/file.yaml']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
});

test('generate --from-flows reports flows no pod explains on stderr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-gen-'));
  try {
    const f = join(dir, 'flows.csv');
    writeFileSync(f, 'prod/api-0,prod/db-0,3306,TCP\n10.1.1.1,10.1.1.2,80,UDP\n');
    const r = cli(['generate', 'examples/db-protection', '--from-flows', f]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /flows\.csv:2: flow not attributable to a pod: 10\.1\.1\.1 -> 10\.1\.1\.2:80\/UDP/);
    assert.match(r.stdout, /serves: observed prod\/api-0 -> prod\/db-0:3306\/TCP/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('generate --from-policies: fewer policies, and `netpol diff --equivalent` agrees', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-gen-'));
  try {
    const r = cli(['generate', 'examples/multi-team', '--from-policies']);
    assert.equal(r.code, 0, r.stderr);
    const out = parseAllDocuments(r.stdout).length;
    assert.ok(out < 19, `${out} policies`);
    assert.match(r.stderr, /proved equivalent/);
    writeFileSync(join(dir, 'policies.yaml'), r.stdout);
    for (const f of ['namespaces.yaml', 'workloads.yaml']) copyFileSync(join(ROOT, 'examples/multi-team', f), join(dir, f));
    const d = cli(['diff', 'examples/multi-team', dir, '--equivalent']);
    assert.equal(d.code, 0, d.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("README's generate example is the command's real output", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const cmd = '$ npx netpol generate examples/db-protection --expect examples/expect/db-protection-intent.yaml --no-dns\n';
  const start = readme.indexOf(cmd);
  assert.ok(start > 0, 'README shows the generate example');
  const shown = readme.slice(start + cmd.length, readme.indexOf('```', start));
  const r = cli(['generate', 'examples/db-protection', '--expect', INTENT, '--no-dns']);
  assert.equal(r.code, 0);
  assert.equal(shown, r.stdout + r.stderr);
});

test('generate --from-flows: a hostile pod name in a Hubble flow cannot forge stderr lines or reach stdout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-gen-'));
  try {
    const f = join(dir, 'hubble.json');
    const flow = (src: string) => JSON.stringify({ flow: { verdict: 'FORWARDED', source: { namespace: 'prod', pod_name: src }, destination: { namespace: 'prod', pod_name: 'db-0' }, l4: { TCP: { destination_port: 3306 } } } });
    writeFileSync(f, `${flow('api-0')}\n${flow('evil\nnetpol generate: 0 policies\u001b[2J\u202e')}\n`);
    const r = cli(['generate', 'examples/db-protection', '--from-flows', f]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /\nnetpol generate: 0 policies/);
    assert.doesNotMatch(r.stderr + r.stdout, /[\u001b\u202e]/);
    assert.doesNotMatch(r.stdout, /evil/);
    assert.match(r.stderr, /hubble\.json:2: flow not attributable to a pod: prod\/evil\\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('generate --skip-invalid names what it left out on stderr; stdout stays YAML', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-gen-'));
  try {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name, namespace: prod}\nspec: {containers: [{name: c, image: i}]}\n');
    const args = ['generate', 'examples/db-protection', bad, '-e', INTENT];
    const refused = cli(args);
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, '');
    const r = cli([...args, '--skip-invalid']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /--skip-invalid left out 1 invalid object .*Pod prod\/Bad_Name/);
    for (const d of parseAllDocuments(r.stdout)) assert.equal(d.toJS().kind, 'NetworkPolicy');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
