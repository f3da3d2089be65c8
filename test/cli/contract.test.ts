// The machine-readable contract of issue 2 (check/matrix/query JSON, exit codes), checked on the
// real CLI, plus golden files for the text output (test/golden/, refresh with UPDATE_GOLDEN=1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli, golden, ROOT } from './run-cli.js';

const GOOD = 'examples/db-protection';
const BROKEN = 'examples/db-protection-broken';
const PODS = ['prod/api-0', 'prod/db-0', 'prod/web-0', 'staging/api-0'];

// --- check ---------------------------------------------------------------------------------

const DIAG_KEYS = ['column', 'document', 'file', 'line', 'message', 'path', 'severity', 'type'];
const TYPES = ['YAML syntax', 'Unknown field', 'Duplicate field', 'Type mismatch', 'No kind match', 'Required value', 'Invalid value',
  'Unsupported value', 'Forbidden', 'Too many', 'Too long', 'Duplicate value', 'Not supported'];

test('check --format json on the good example: no errors or warnings, exit 0', () => {
  const r = cli(['check', GOOD, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { diagnostics: { severity: string }[] };
  assert.deepEqual(Object.keys(out), ['diagnostics']);
  // Only infos (e.g. the expectations file beside the manifests is skipped as an unknown kind).
  assert.deepEqual(out.diagnostics.filter((d) => d.severity !== 'info'), []);
});

test('check --format json on the broken example: contract shape, exit 1', () => {
  const r = cli(['check', BROKEN, '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout) as { diagnostics: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(out), ['diagnostics']);
  assert.ok(out.diagnostics.length >= 1);
  for (const d of out.diagnostics) {
    for (const k of DIAG_KEYS) assert.ok(k in d, `missing ${k} in ${JSON.stringify(d)}`);
    assert.ok(['error', 'warning', 'info'].includes(d.severity as string));
    assert.ok(TYPES.includes(d.type as string), `type ${d.type}`);
    assert.equal(typeof d.path, 'string');
    assert.equal(typeof d.line, 'number');
    assert.equal(typeof d.column, 'number');
    assert.equal(typeof d.document, 'number');
    assert.ok((d.line as number) >= 1 && (d.column as number) >= 1);
    if ('hint' in d) assert.equal(typeof d.hint, 'string');
    assert.ok((d.file as string).startsWith(`${BROKEN}/`));
  }
  // The missing colon after matchLabel is a YAML error at the line the yaml parser reports.
  const syntax = out.diagnostics.find((d) => d.type === 'YAML syntax' && (d.file as string).endsWith('1-missing-colon.yaml'));
  assert.ok(syntax);
  assert.match(syntax.hint as string, /matchLabel/);
});

test('check exit codes: 2 for a missing path and for bad flags, with a message and no stack trace', () => {
  const missing = cli(['check', 'no/such/dir', '--format', 'json']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read no\/such\/dir/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
  const badFormat = cli(['check', GOOD, '--format', 'xml']);
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.stderr, /xml/);
  const unknown = cli(['check', GOOD, '--frobnicate']);
  assert.equal(unknown.code, 2);
  assert.equal(cli(['matrix', GOOD, '--port', '99999']).code, 2);
  assert.equal(cli(['query', GOOD, '--from', 'prod/api', '--to', 'prod/nope', '--port', '80']).code, 2);
});

test('check reads stdin with -', () => {
  const text = readFileSync(join(ROOT, GOOD, 'db-policy.yaml'), 'utf8');
  const r = cli(['check', '-', '--format', 'json'], text);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { diagnostics: [] });
  const bad = cli(['check', '-', '--format', 'json'], 'kind: NetworkPolicy\nmetadata: {name: x}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - podSelector:\n        matchLabel\n          app: x\n');
  assert.equal(bad.code, 1);
  assert.equal(JSON.parse(bad.stdout).diagnostics[0].file, '<stdin>');
});

// --- matrix --------------------------------------------------------------------------------

const EXPECTED = {
  pods: PODS,
  probes: [
    // Nothing but the DB is isolated: the DB sends only to 192.168.5.10:80 and accepts only prod's API on 3306.
    { port: 80, protocol: 'TCP', rows: ['1011', '0100', '1011', '1011'] },
    { port: 3306, protocol: 'TCP', rows: ['1111', '0100', '1011', '1011'] },
    { port: 5000, protocol: 'TCP', rows: ['1011', '0100', '1011', '1011'] },
  ],
};

// The cells that hinge on the ipBlock 192.168.5.10/32: no pod has an IP in the manifests, so any of
// them could be the backup host. The DB's egress toward every pod on 80, and every non-API pod
// toward the DB on 3306 (prod's API is allowed by its podSelector, certainly).
const DEPENDS = [
  '80/TCP prod/db-0 -> prod/api-0', '80/TCP prod/db-0 -> prod/web-0', '80/TCP prod/db-0 -> staging/api-0',
  '3306/TCP prod/web-0 -> prod/db-0', '3306/TCP staging/api-0 -> prod/db-0',
];
type DependsCell = { from: string; to: string; port: number | string; protocol: string; reason: string };
const dependsKeys = (d: DependsCell[]) => d.map((x) => `${x.port}/${x.protocol} ${x.from} -> ${x.to}`);

function assertMatrix(got: { pods: string[]; probes: unknown[]; depends: DependsCell[] }, depends = DEPENDS) {
  assert.deepEqual({ pods: got.pods, probes: got.probes }, EXPECTED);
  assert.deepEqual(dependsKeys(got.depends).sort(), [...depends].sort());
  for (const d of got.depends) assert.match(d.reason, /ipBlock 192\.168\.5\.10\/32/);
}

test('matrix --format json and -o json: exact rows for examples/db-protection', () => {
  for (const flag of ['--format', '-o']) {
    const r = cli(['matrix', GOOD, flag, 'json']);
    assert.equal(r.code, 0, r.stderr);
    assertMatrix(JSON.parse(r.stdout));
  }
});

test('matrix --ipblock-pods depends: rows keep only certain allows, the same cells are listed', () => {
  const m = JSON.parse(cli(['matrix', GOOD, '--ipblock-pods', 'depends', '-o', 'json']).stdout);
  // Every depends cell of the match run was a deny there; so the rows are unchanged.
  assertMatrix(m);
  const ignore = JSON.parse(cli(['matrix', GOOD, '--ipblock-pods', 'ignore', '-o', 'json']).stdout);
  assertMatrix(ignore);
}); 

test('matrix --port (repeatable, /PROTO, named) and --namespace filter', () => {
  const r = cli(['matrix', GOOD, '--port', '3306', '--port', '53/UDP', '-o', 'json']);
  assert.deepEqual(JSON.parse(r.stdout).probes, [EXPECTED.probes[1], { port: 53, protocol: 'UDP', rows: ['1011', '0100', '1011', '1011'] }]);
  const named = JSON.parse(cli(['matrix', GOOD, '--port', 'mysql', '-o', 'json']).stdout);
  // Only the DB declares "mysql": every other destination has no such port.
  assert.deepEqual(named.probes, [{ port: 'mysql', protocol: 'TCP', rows: ['1100', '0100', '0010', '0001'] }]);
  const prod = JSON.parse(cli(['matrix', GOOD, '--namespace', 'prod', '--port', '3306', '-o', 'json']).stdout);
  assert.deepEqual({ pods: prod.pods, probes: prod.probes }, { pods: PODS.slice(0, 3), probes: [{ port: 3306, protocol: 'TCP', rows: ['111', '010', '101'] }] });
  assert.deepEqual(dependsKeys(prod.depends), ['3306/TCP prod/web-0 -> prod/db-0']);
});

test('matrix csv and md carry the same cells', () => {
  const csv = cli(['matrix', GOOD, '--port', '3306', '-o', 'csv']).stdout.trim().split('\n');
  assert.equal(csv[0], 'port,protocol,from,to,allowed,depends');
  assert.equal(csv.length, 1 + 16);
  assert.ok(csv.includes('3306,TCP,prod/api-0,prod/db-0,true,'));
  assert.ok(csv.some((l) => l.startsWith('3306,TCP,staging/api-0,prod/db-0,false,"ingress at prod/db-0: ')));
  const md = cli(['matrix', GOOD, '--port', '3306', '-o', 'md']).stdout;
  assert.match(md, /### 3306\/TCP/);
  assert.match(md, /\| staging\/api-0 \| ✔ \| ✘\? \| ✔ \| ✔ \|/);
});

test('matrix reads stdin with -', () => {
  const text = readdirSync(join(ROOT, GOOD)).sort().map((f) => readFileSync(join(ROOT, GOOD, f), 'utf8')).join('\n---\n');
  const r = cli(['matrix', '-', '-o', 'json'], text);
  assert.equal(r.code, 0, r.stderr);
  assertMatrix(JSON.parse(r.stdout));
});

test('matrix refuses invalid input with exit 1 and points at check', () => {
  const r = cli(['matrix', BROKEN]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /netpol check/);
});

// --- query ---------------------------------------------------------------------------------

function query(args: string[]) {
  const r = cli(['query', GOOD, ...args, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('query "does this rule also let the DB connect to the API?": no, egress from the DB is governed by its egress rules', () => {
  const v = query(['--from', 'prod/db', '--to', 'prod/api', '--port', '5000']);
  assert.equal(v.allowed, false);
  assert.equal(v.verdict, 'deny');
  assert.equal(v.egress.pod, 'prod/db-0');
  assert.equal(v.egress.isolated, true);
  assert.equal(v.egress.allowed, false);
  assert.equal(v.egress.policies[0].policy, 'prod/db-policy');
  assert.equal(v.egress.policies[0].file, `${GOOD}/db-policy.yaml`);
  assert.equal(v.egress.policies[0].rules[0].path, 'spec.egress[0]');
  assert.match(v.egress.policies[0].rules[0].why, /port 5000 is not TCP 80/);
  assert.equal(v.ingress.isolated, false);
  assert.equal(v.ingress.allowed, true);
});

test('query: the API reaches the DB by the AND peer; the staging API does not', () => {
  const ok = query(['--from', 'prod/api', '--to', 'prod/db', '--port', '3306']);
  assert.equal(ok.allowed, true);
  assert.equal(ok.ingress.policies[0].rules[0].peer, 0);
  const staging = query(['--from', 'staging/api', '--to', 'prod/db', '--port', '3306', '--ipblock-pods', 'match']);
  assert.equal(staging.allowed, false);
  assert.match(staging.ingress.policies[0].rules[0].why, /namespace staging has name=staging, needs name=prod/);
});

test('query: one verdict by default (match), the depends note in every mode, "depends" only when asked', () => {
  // A pod without an IP against the ipBlock 192.168.5.10/32: the default mode decides (deny) and says why it is not certain.
  const v = query(['--from', 'staging/api', '--to', 'prod/db', '--port', '3306']);
  assert.equal(v.allowed, false);
  assert.equal(v.verdict, 'deny');
  assert.equal(v.depends.length, 1);
  assert.match(v.depends[0].reason, /^ingress at prod\/db-0: prod\/db-policy spec\.ingress\[0\]: peer 1: pod staging\/api-0 has no IP in the manifests, so whether ipBlock 192\.168\.5\.10\/32 covers it is unknown/);
  const ignore = query(['--from', 'staging/api', '--to', 'prod/db', '--port', '3306', '--ipblock-pods', 'ignore']);
  assert.deepEqual([ignore.allowed, ignore.verdict, ignore.depends], [false, 'deny', v.depends]);
  const dep = query(['--from', 'staging/api', '--to', 'prod/db', '--port', '3306', '--ipblock-pods', 'depends']);
  assert.deepEqual([dep.allowed, dep.verdict, dep.depends], ['depends', 'depends', v.depends]);
  assert.equal(dep.ingress.allowed, 'depends');
  // A certain verdict carries an empty list, in every mode.
  for (const mode of ['match', 'depends']) {
    const certain = query(['--from', 'prod/api', '--to', 'prod/db', '--port', '3306', '--ipblock-pods', mode]);
    assert.deepEqual([certain.allowed, certain.verdict, certain.depends], [true, 'allow', []]);
  }
});

test('query to an external IP: the DB may send backups to 192.168.5.10 on 80, not on 443', () => {
  assert.equal(query(['--from', 'prod/db', '--to', '192.168.5.10', '--port', '80']).allowed, true);
  const v = query(['--from', 'prod/db', '--to', '192.168.5.10', '--port', '443']);
  assert.equal(v.allowed, false);
  assert.equal(v.ingress.isolated, false);
  assert.match(v.ingress.reason, /outside the cluster/);
});

// --- golden text output ----------------------------------------------------------------------

test('golden: check text on the YAML-syntax file of the broken example', () => {
  const r = cli(['check', `${BROKEN}/1-missing-colon.yaml`]);
  assert.equal(r.code, 1);
  golden('check-missing-colon.txt', r.stdout);
});

test('golden: check text on the whole broken example', () => {
  const r = cli(['check', BROKEN]);
  assert.equal(r.code, 1);
  golden('check-broken.txt', r.stdout);
});

test('golden: matrix table for the good example', () => {
  const r = cli(['matrix', GOOD]);
  assert.equal(r.code, 0);
  golden('matrix-db-protection.txt', r.stdout);
});

test('golden: query text, DB to API on 5000 (denied by the DB egress rules)', () => {
  golden('query-db-to-api-5000.txt', cli(['query', GOOD, '--from', 'prod/db', '--to', 'prod/api', '--port', '5000']).stdout);
});

test('golden: query text, staging API to DB (depends mode)', () => {
  golden('query-staging-api-to-db-depends.txt', cli(['query', GOOD, '--from', 'staging/api', '--to', 'prod/db', '--port', '3306', '--ipblock-pods', 'depends']).stdout);
});

test('golden: query text, staging API to DB (default mode: deny, with the depends note)', () => {
  golden('query-staging-api-to-db.txt', cli(['query', GOOD, '--from', 'staging/api', '--to', 'prod/db', '--port', '3306']).stdout);
});
