// examples/tiers, the README's Tiers section: an Admin-tier Deny overrides the allow of a
// namespace's own NetworkPolicy (network-policy-api @ 0eec1b0, site-src/api-overview.md: Admin
// tier Deny is final before any NetworkPolicy), and lint has nothing to say about it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintCluster } from '../../src/analysis/lint/index.js';
import { Evaluator } from '../../src/evaluate/evaluate.js';
import type { Cluster } from '../../src/model/types.js';
import { load } from './helpers.js';

const verdict = (c: Cluster, from: string, to: string) => {
  const pod = (id: string) => ({ kind: 'pod' as const, pod: c.pods.find((p) => `${p.namespace}/${p.name}` === id)! });
  return new Evaluator(c).evaluate({ from: pod(from), to: pod(to), port: 5432, protocol: 'TCP' });
};

test('examples/tiers: the Admin Deny overrides shop/db-from-api; the shop API still reaches the DB', () => {
  const all = load('examples/tiers').cluster;
  const v = verdict(all, 'sandbox/api-0', 'shop/db-0');
  assert.equal(v.verdict, 'deny');
  assert.equal(v.ingress.decidedBy, 'Admin');
  assert.equal(verdict(all, 'shop/api-0', 'shop/db-0').verdict, 'allow');
  const npOnly = load('examples/tiers/namespaces.yaml', 'examples/tiers/workloads.yaml', 'examples/tiers/shop-policy.yaml').cluster;
  assert.equal(verdict(npOnly, 'sandbox/api-0', 'shop/db-0').verdict, 'allow');
  assert.deepEqual(lintCluster(all).map((d) => `${d.rule}: ${d.message}`), []);
});
