import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { lintCluster, LINT_RULES } from '../../src/analysis/lint/index.js';
import { FIX, load } from './helpers.js';

const positives = readdirSync(`${FIX}/lint`).filter((f) => !f.startsWith('_')).sort();

test('every lint rule has a positive fixture, and each fixture triggers exactly its own rule', () => {
  assert.deepEqual(positives.map((f) => f.replace('.yaml', '')), LINT_RULES.map((r) => r.id).sort());
  for (const f of positives) {
    const r = load('test/analysis/fixtures/lint/_base.yaml', `test/analysis/fixtures/lint/${f}`);
    const diags = lintCluster(r.cluster);
    const id = f.replace('.yaml', '');
    assert.ok(diags.length > 0, `${id}: no finding`);
    assert.deepEqual([...new Set(diags.map((d) => d.rule))], [id], `${f}: ${diags.map((d) => d.rule).join(', ')}`);
    for (const d of diags) {
      assert.equal(d.severity, 'warning');
      assert.equal(d.type, 'Lint');
      assert.equal(d.file, `test/analysis/fixtures/lint/${f}`);
      assert.ok(d.line > 1 && d.hint && d.path !== undefined, `${id}: needs line, path and hint`);
    }
  }
});

test('lint is silent on the clean fixture and on the multi-team example', () => {
  assert.deepEqual(lintCluster(load('test/analysis/fixtures/lint-clean').cluster), []);
  assert.deepEqual(lintCluster(load('examples/multi-team').cluster), []);
});

test('lint points at the exact field: line and path per rule', () => {
  const at = (f: string) => lintCluster(load('test/analysis/fixtures/lint/_base.yaml', `test/analysis/fixtures/lint/${f}.yaml`).cluster).map((d) => `${d.line}:${d.path}`);
  assert.deepEqual(at('peer-or-probably-and'), ['10:spec.ingress[0].from[1]']);
  assert.deepEqual(at('redundant-rule'), ['10:spec.ingress[1]']);
  assert.deepEqual(at('peer-matches-nothing'), ['9:spec.ingress[0].from[0].podSelector', '10:spec.ingress[0].from[1].namespaceSelector']);
  assert.deepEqual(at('policytypes-ignores-rules'), ['10:spec.egress']);
  assert.deepEqual(at('named-port-undeclared'), ['9:spec.ingress[0].ports[0].port']);
});

test('the built-in example isolates the DB\'s egress without DNS: a true finding', () => {
  const diags = lintCluster(load('examples/db-protection').cluster);
  assert.deepEqual(diags.map((d) => [d.rule, d.file, d.line, d.path]), [['egress-blocks-dns', 'examples/db-protection/db-policy.yaml', 12, 'spec.policyTypes']]);
  assert.match(diags[0]!.message, /prod\/db-0/);
});

test('the one-dash mistake of the broken example is flagged (reference §7.19)', () => {
  const r = load('examples/db-protection/namespaces.yaml', 'examples/db-protection/workloads.yaml', 'examples/db-protection-broken/3-dash-makes-or.yaml');
  const diags = lintCluster(r.cluster);
  assert.deepEqual(diags.map((d) => [d.rule, d.line]), [['peer-or-probably-and', 21]]);
});

test('redundancy accounts for other policies: a namespace-wide allow shadows a narrower one', () => {
  const r = load('test/analysis/fixtures/lint/_base.yaml', 'test/analysis/fixtures/lint-clean/policies.yaml');
  // Add a policy that allows everything into prod on 3306: the db policy's rule becomes redundant.
  const wide = { ...r.cluster.policies.find((p) => p.name === 'db')!, name: 'wide', podSelector: { matchLabels: {}, matchExpressions: [] },
    ingress: [{ path: 'spec.ingress[0]', peers: [], ports: [{ protocol: 'TCP' as const, port: 3306, path: 'spec.ingress[0].ports[0]' }] }] };
  const diags = lintCluster({ ...r.cluster, policies: [...r.cluster.policies, wide] }).filter((d) => d.rule === 'redundant-rule');
  assert.equal(diags.length, 1);
  assert.equal(diags[0]!.object, 'NetworkPolicy prod/db');
  assert.match(diags[0]!.message, /prod\/wide spec\.ingress\[0\]/);
});
