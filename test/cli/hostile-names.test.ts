// End to end through the real CLI: a manifest whose names and labels carry a newline, `|`, `,`,
// an ANSI escape, CR, NUL and a bidi override is rejected by `check` with file, line and field,
// nothing raw reaches the terminal, and no command presents a result computed from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from './run-cli.js';

const HOSTILE = `apiVersion: v1
kind: Pod
metadata:
  name: "web\\e[31m|x,y\\nz"
  namespace: prod
---
apiVersion: v1
kind: Namespace
metadata:
  name: "ns\\u202Eevil"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: prod
spec:
  selector: {matchExpressions: [{key: app, operator: Exists}]}
  template:
    metadata:
      labels:
        app: "a\\rb\\0c"
    spec:
      containers: [{name: c}]
---
apiVersion: v1
kind: Pod
metadata:
  name: fine
  namespace: prod
`;

const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test('check rejects hostile names with file, line and upstream path; output holds no raw control', () => {
  const r = cli(['check', '-'], HOSTILE);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stdout, RAW);
  assert.doesNotMatch(r.stderr, RAW);
  const lines = r.stdout.split('\n');
  assert.ok(lines.some((l) => l.startsWith('<stdin>:4:') && l.includes('metadata.name: Invalid value: "web\\x1b[31m|x,y\\nz"')), r.stdout);
  assert.ok(lines.some((l) => l.startsWith('<stdin>:10:') && l.includes('metadata.name: Invalid value: "ns\\u202eevil"')), r.stdout);
  assert.ok(lines.some((l) => l.startsWith('<stdin>:22:') && l.includes('spec.template.labels: Invalid value: "a\\rb\\x00c"')), r.stdout);
  assert.match(r.stdout, /3 error\(s\)/);
});

test('check --format json keeps the exact values, escaped as JSON', () => {
  const r = cli(['check', '-', '--format', 'json'], HOSTILE);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stdout, RAW);
  const { diagnostics } = JSON.parse(r.stdout) as { diagnostics: { path: string; line: number }[] };
  assert.deepEqual(diagnostics.map((d) => [d.path, d.line]), [['metadata.name', 4], ['metadata.name', 10], ['spec.template.labels', 22]]);
});

for (const args of [['matrix', '-', '-o', 'csv'], ['matrix', '-', '-o', 'md'], ['query', '-', '--from', 'prod/fine', '--to', 'prod/fine', '--port', '80']]) {
  test(`${args.slice(0, 1).concat(args.slice(2)).join(' ')} refuses the input: no result from rejected objects`, () => {
    const r = cli(args, HOSTILE);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.doesNotMatch(r.stderr, RAW);
    assert.match(r.stderr, /fix them/);
  });
}
