// --skip-invalid on the real CLI: strict by default; with the flag the valid objects are
// analysed, the errors go to stderr, and every output format says what was left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'netpol-skip-'));
const deploy = (name: string, port: number, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: prod}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, ports: [{${extra}containerPort: ${port}}]}]}
`;
writeFileSync(join(dir, 'app.yaml'), [
  deploy('api', 8080),
  deploy('db', 5432),
  // Invalid: a misspelt field; left out under --skip-invalid.
  deploy('cache', 6379).replace('containerPort', 'containerport'),
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: prod}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: api}}}]}]
`,
  // Invalid, with a terminal escape in its name: never printed raw.
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: "evil\\e[31m", namespace: prod}
spec: {policyTypes: [Ingresss]}
`,
].join('---\n'));
const EXPECT = join(mkdtempSync(join(tmpdir(), 'netpol-skip-e-')), 'expect.yaml');
writeFileSync(EXPECT, 'expect:\n  - prod/api -> prod/db:5432 allow\n');
const FILE = join(dir, 'app.yaml');

const SKIPPED_KEYS = ['document', 'file', 'kind', 'name', 'reason'];
const noEscapes = (s: string) => assert.ok(!/\x1b/.test(s), 'a raw escape reached the output');

function checkSkipped(out: { skipped?: Record<string, unknown>[] }): void {
  assert.ok(Array.isArray(out.skipped));
  assert.deepEqual(out.skipped!.map((s) => Object.keys(s).sort()), [SKIPPED_KEYS, SKIPPED_KEYS]);
  assert.deepEqual(out.skipped!.map((s) => [s.file, s.document, s.kind]), [[FILE, 2, 'Deployment'], [FILE, 4, 'NetworkPolicy']]);
  assert.equal(out.skipped![0]!.name, 'prod/cache');
  assert.match(String(out.skipped![0]!.reason), /^spec\.template\.spec\.containers\[0\]\.ports\[0\]\.containerport: unknown field/);
}

function checkHeader(line: string): void {
  assert.match(line, /--skip-invalid left out 2 invalid objects/);
  assert.match(line, /Deployment prod\/cache/);
  noEscapes(line);
}

test('without the flag: strict, no reachability answer (exit 1)', () => {
  const r = cli(['matrix', dir]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /fix them/);
});

test('matrix: json gets "skipped", csv a comment line, md a note, table a header; errors on stderr', () => {
  const json = cli(['matrix', dir, '--skip-invalid', '-o', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const m = JSON.parse(json.stdout);
  checkSkipped(m);
  assert.deepEqual(m.pods, ['prod/api-0', 'prod/db-0']);
  assert.match(json.stderr, /containerport/);
  assert.match(json.stderr, /--skip-invalid: \d+ error\(s\).*left out 2 objects, analysing the rest/);
  noEscapes(json.stderr.replace(/\x1b\[[0-9;]*m/g, '')); // (the diagnostics renderer's own quoting)
  const csv = cli(['matrix', dir, '--skip-invalid', '-o', 'csv']);
  const [first, second] = csv.stdout.split('\n');
  assert.ok(first!.startsWith('# '));
  checkHeader(first!);
  assert.ok(!/[,"]/.test(first!), 'the comment line must stay one CSV cell');
  assert.match(second!, /^port,protocol,from,to/);
  assert.match(csv.stdout, /prod\/api-0,prod\/db-0/);
  const md = cli(['matrix', dir, '--skip-invalid', '-o', 'md']);
  assert.ok(md.stdout.startsWith('> **Note:** `--skip-invalid` left out 2 invalid objects'));
  noEscapes(md.stdout);
  const table = cli(['matrix', dir, '--skip-invalid']);
  checkHeader(table.stdout.split('\n')[0]!);
});

test('query: the verdict is computed without the invalid objects, and says so', () => {
  const text = cli(['query', dir, '--from', 'prod/api', '--to', 'prod/db', '--port', '5432', '--skip-invalid']);
  assert.equal(text.code, 0, text.stderr);
  checkHeader(text.stdout.split('\n')[0]!);
  assert.match(text.stdout, /ALLOW/);
  const json = cli(['query', dir, '--from', 'prod/api', '--to', 'prod/db', '--port', '5432', '--skip-invalid', '-o', 'json']);
  checkSkipped(JSON.parse(json.stdout));
});

test('explain, coverage, diff, compile: each output lists what was left out', () => {
  checkSkipped(JSON.parse(cli(['explain', dir, '--skip-invalid', '-o', 'json']).stdout));
  checkHeader(cli(['explain', dir, '--skip-invalid']).stdout.split('\n')[0]!);
  checkSkipped(JSON.parse(cli(['coverage', dir, '--skip-invalid', '-o', 'json']).stdout));
  checkHeader(cli(['coverage', dir, '--skip-invalid']).stdout.split('\n')[0]!);
  const diff = JSON.parse(cli(['diff', dir, dir, '--skip-invalid', '-o', 'json']).stdout);
  assert.equal(diff.skipped.length, 4); // before and after
  assert.match(cli(['diff', dir, dir, '--skip-invalid']).stdout.split('\n')[0]!, /--skip-invalid left out 4 invalid objects/);
  const nft = cli(['compile', dir, '--skip-invalid']);
  assert.equal(nft.code, 0, nft.stderr);
  const line = nft.stdout.split('\n')[0]!;
  assert.ok(line.startsWith('# '));
  checkHeader(line);
});

test('test: text, json, junit and github outputs', () => {
  const text = cli(['test', dir, '-e', EXPECT, '--skip-invalid']);
  assert.equal(text.code, 0, text.stdout + text.stderr);
  checkHeader(text.stdout.split('\n')[0]!);
  checkSkipped(JSON.parse(cli(['test', dir, '-e', EXPECT, '--skip-invalid', '-o', 'json']).stdout));
  const junit = cli(['test', dir, '-e', EXPECT, '--skip-invalid', '-o', 'junit']).stdout.split('\n');
  assert.match(junit[0]!, /^<\?xml/);
  assert.match(junit[1]!, /^<!-- netpol: skip-invalid left out 2 invalid objects .*Deployment prod\/cache.* -->$/);
  assert.ok(!junit[1]!.slice(4, -3).includes('--'), 'no -- inside an XML comment');
  noEscapes(junit[1]!);
  const gh = cli(['test', dir, '-e', EXPECT, '--skip-invalid', '-o', 'github']).stdout.split('\n');
  assert.match(gh[0]!, /^::warning title=netpol --skip-invalid::/);
});

test('check and lint: the flag lists what would be left out; check still exits 1', () => {
  const check = cli(['check', dir, '--skip-invalid', '-o', 'json']);
  assert.equal(check.code, 1);
  const out = JSON.parse(check.stdout);
  checkSkipped(out);
  assert.ok(out.diagnostics.some((d: { severity: string }) => d.severity === 'error'));
  assert.deepEqual(Object.keys(JSON.parse(cli(['check', dir, '-o', 'json']).stdout)), ['diagnostics'], 'no flag, no new key');
  const lint = cli(['lint', dir, '--skip-invalid', '-o', 'json']);
  assert.equal(lint.code, 0, lint.stderr);
  const l = JSON.parse(lint.stdout);
  checkSkipped(l);
  assert.ok(l.diagnostics.every((d: { type: string }) => d.type === 'Lint'), 'input errors went to stderr');
  checkHeader(cli(['lint', dir, '--skip-invalid']).stdout.split('\n')[0]!);
  const sarif = JSON.parse(cli(['lint', dir, '--skip-invalid', '-o', 'sarif']).stdout);
  assert.deepEqual(sarif.runs[0].invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text.split(':')[0]),
    [`--skip-invalid left out ${FILE}#2 Deployment prod/cache`, `--skip-invalid left out ${FILE}#4 NetworkPolicy prod/evil\x1b[31m`]);
});
