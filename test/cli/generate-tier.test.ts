// `netpol generate --tier` through the real CLI: stdout is ClusterNetworkPolicy YAML only (notes on
// stderr, including what the tier means for the teams' NetworkPolicies), --format json carries the
// proof, `netpol test` proves the output with the input, refusals print nothing, usage errors exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { cli } from './run-cli.js';

const GUARD = 'examples/expect/db-guardrail.yaml';

test('generate --tier admin: ClusterNetworkPolicy YAML on stdout, the proof and the tier meaning on stderr; `netpol test` proves it with the input', () => {
  const r = cli(['generate', 'examples/db-protection', '-e', GUARD, '--tier', 'admin']);
  assert.equal(r.code, 0, r.stderr);
  const docs = parseAllDocuments(r.stdout);
  assert.equal(docs.length, 1);
  assert.deepEqual(docs[0]!.errors, []);
  const cnp = docs[0]!.toJS();
  assert.equal(cnp.kind, 'ClusterNetworkPolicy');
  assert.equal(cnp.apiVersion, 'policy.networking.k8s.io/v1alpha2');
  assert.match(r.stderr, /Admin is evaluated before NetworkPolicies/);
  assert.match(r.stderr, /1 ClusterNetworkPolicy, 2 rules from 2 assertions; proved with the input's 1 NetworkPolicy in place \(Evaluator, \d+ evaluations\): 2 assertion\(s\) hold, nothing else changed/);
  const dir = mkdtempSync(join(tmpdir(), 'netpol-gentier-'));
  try {
    writeFileSync(join(dir, 'cnp.yaml'), r.stdout);
    const t = cli(['test', 'examples/db-protection', join(dir, 'cnp.yaml'), '-e', GUARD]);
    assert.equal(t.code, 0, t.stdout + t.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('generate --tier baseline --format json: policies plus the proof', () => {
  const r = cli(['generate', 'examples/db-protection', '-e', 'examples/expect/db-protection-intent.yaml', '--tier', 'baseline', '--format', 'json']);
  // The intent has an address as a source: not expressible in v1alpha2 ingress → refused, nothing printed.
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /cannot be written in a ClusterNetworkPolicy/);
  const j = cli(['generate', 'examples/db-protection', '-e', GUARD, '--tier', 'admin', '--format', 'json']);
  assert.equal(j.code, 0, j.stderr);
  const out = JSON.parse(j.stdout);
  assert.deepEqual(Object.keys(out), ['policies', 'assertions', 'extra']);
  assert.deepEqual(out.assertions, { passed: 2, failed: 0 });
  assert.equal(out.policies[0].kind, 'ClusterNetworkPolicy');
});

test('generate --tier: usage errors exit 2', () => {
  const bad = cli(['generate', 'examples/db-protection', '-e', GUARD, '--tier', 'cluster']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
  const noExpect = cli(['generate', 'examples/db-protection', '--from-policies', '--tier', 'admin']);
  assert.equal(noExpect.code, 2);
  assert.match(noExpect.stderr, /--tier needs --expect/);
});
