// Lint reads the pods a policy selects per class of the class engine; pinned here to testing
// the selector on every pod of the namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LintContext } from '../../src/analysis/lint/context.js';
import type { Cluster } from '../../src/model/types.js';
import { generateCluster } from '../oracle/generate.js';
import { replicaCluster } from '../matrix/helpers.js';

test('lint: the pods a policy selects, per class, are those of the per-pod test, in input order', () => {
  let selected = 0, empty = 0;
  for (let seed = 1; seed <= 30; seed++) {
    for (const c of [replicaCluster(seed), generateCluster(seed, { podsPerNamespace: 8 }).cluster] as Cluster[]) {
      const ctx = new LintContext(c);
      for (const p of c.policies) {
        const want = ctx.selected(p, false);
        assert.deepEqual(ctx.selected(p), want, `seed ${seed}: ${p.namespace}/${p.name}`);
        selected += want.length;
        if (want.length === 0) empty++;
      }
    }
  }
  assert.ok(selected > 200 && empty > 5, `${selected} selected, ${empty} policies selecting nothing`);
});

test('lint: the pods a peer matches, from the class engine\'s peer groups, are those of matchPeer on every pod, in the same order', () => {
  let matched = 0, empty = 0, nsPeers = 0;
  for (let seed = 1; seed <= 30; seed++) {
    for (const c of [replicaCluster(seed), generateCluster(seed, { podsPerNamespace: 8 }).cluster] as Cluster[]) {
      const ctx = new LintContext(c);
      for (const { policy, peer } of ctx.peers()) {
        if (peer.ipBlock) continue;
        const want = ctx.peerPods(peer, policy, false);
        assert.deepEqual(ctx.peerPods(peer, policy).map((p) => `${p.namespace}/${p.name}`), want.map((p) => `${p.namespace}/${p.name}`), `seed ${seed}: ${policy.namespace}/${policy.name} ${peer.path}`);
        matched += want.length;
        if (want.length === 0) empty++;
        if (peer.namespaceSelector) nsPeers++;
      }
    }
  }
  assert.ok(matched > 200 && empty > 5 && nsPeers > 20, `${matched} matched, ${empty} peers matching nothing, ${nsPeers} with namespaceSelector`);
});

test('lint: the policies isolating a pod, from the class engine, are the Evaluator\'s isolatingPolicies', async () => {
  const { Evaluator } = await import('../../src/evaluate/evaluate.js');
  let found = 0, none = 0;
  for (let seed = 1; seed <= 30; seed++) {
    for (const c of [replicaCluster(seed), generateCluster(seed, { podsPerNamespace: 8 }).cluster] as Cluster[]) {
      const ctx = new LintContext(c);
      const ev = new Evaluator(c);
      c.pods.forEach((pod, i) => {
        for (const d of ['ingress', 'egress'] as const) {
          const want = ev.isolatingPolicies(pod, d);
          assert.deepEqual(ctx.isolating(i, d), want, `seed ${seed}: ${pod.namespace}/${pod.name} ${d}`);
          if (want.length) found++; else none++;
        }
      });
    }
  }
  assert.ok(found > 200 && none > 50, `${found} isolated, ${none} not`);
});
