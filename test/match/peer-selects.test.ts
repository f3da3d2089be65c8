// peerSelectsPod / peerCoversNamespace / policySelectsPod are the one definition of "which pods
// does this peer (or policy) select"; the evaluator explains them, the class engine and the nft
// compiler call them. Pinned here to the naive reference's selector matching (test/oracle) and to
// matchPeer's verdict, on generated clusters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchPeer, peerCoversNamespace, peerSelectsPod, policySelectsPod } from '../../src/match/peer.js';
import { NAMESPACE_NAME_LABEL, type Labels } from '../../src/model/types.js';
import { generateCluster } from '../oracle/generate.js';
import { referenceSelectorMatches } from '../oracle/reference.js';

const sel = (matchLabels: Labels) => ({ matchLabels, matchExpressions: [] });

test('peer rules by hand: AND of namespace and pod, own namespace without namespaceSelector', () => {
  const prod = { [NAMESPACE_NAME_LABEL]: 'prod', env: 'prod' };
  assert.equal(peerCoversNamespace({ podSelector: sel({}) }, 'prod', 'prod', prod), true);
  assert.equal(peerCoversNamespace({ podSelector: sel({}) }, 'prod', 'dev', {}), false, 'no namespaceSelector: only the policy namespace');
  assert.equal(peerCoversNamespace({ namespaceSelector: sel({ env: 'prod' }) }, 'dev', 'prod', prod), true);
  assert.equal(peerCoversNamespace({ namespaceSelector: sel({}) }, 'dev', 'x', {}), true, 'empty namespaceSelector: every namespace');
  assert.equal(peerSelectsPod({ namespaceSelector: sel({ env: 'prod' }), podSelector: sel({ app: 'db' }) }, 'dev', 'prod', prod, { app: 'db' }), true);
  assert.equal(peerSelectsPod({ namespaceSelector: sel({ env: 'prod' }), podSelector: sel({ app: 'db' }) }, 'dev', 'prod', prod, { app: 'api' }), false, 'AND, not OR');
  assert.equal(peerSelectsPod({ namespaceSelector: sel({ env: 'dev' }), podSelector: sel({ app: 'db' }) }, 'dev', 'prod', prod, { app: 'db' }), false);
  assert.equal(peerSelectsPod({ namespaceSelector: sel({ env: 'prod' }) }, 'dev', 'prod', prod, { any: 'thing' }), true, 'no podSelector: every pod there');
  assert.equal(policySelectsPod({ namespace: 'prod', podSelector: sel({ app: 'db' }) }, { namespace: 'prod', labels: { app: 'db' } }), true);
  assert.equal(policySelectsPod({ namespace: 'prod', podSelector: sel({ app: 'db' }) }, { namespace: 'dev', labels: { app: 'db' } }), false);
});

test('peerSelectsPod and policySelectsPod agree with the reference and with matchPeer on generated clusters', () => {
  let checked = 0;
  for (let seed = 100; seed < 250; seed++) {
    const { cluster } = generateCluster(seed);
    const nsLabels = (n: string) => cluster.namespaces.find((x) => x.name === n)?.labels ?? { [NAMESPACE_NAME_LABEL]: n };
    for (const pol of cluster.policies) {
      for (const pod of cluster.pods) {
        assert.equal(policySelectsPod(pol, pod), pod.namespace === pol.namespace && referenceSelectorMatches(pol.podSelector, pod.labels));
        for (const peer of [...pol.ingress, ...pol.egress].flatMap((r) => r.peers).filter((p) => !p.ipBlock)) {
          const ref = (peer.namespaceSelector ? referenceSelectorMatches(peer.namespaceSelector, nsLabels(pod.namespace)) : pod.namespace === pol.namespace)
            && (!peer.podSelector || referenceSelectorMatches(peer.podSelector, pod.labels));
          const got = peerSelectsPod(peer, pol.namespace, pod.namespace, nsLabels(pod.namespace), pod.labels);
          assert.equal(got, ref, `seed ${seed} ${peer.path} vs ${pod.namespace}/${pod.name}`);
          const party = { kind: 'pod' as const, pod, namespace: { name: pod.namespace, labels: nsLabels(pod.namespace) } };
          assert.equal(matchPeer(peer, party as never, pol.namespace, 'match').match === true, got);
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 1000, `enough checks (${checked})`);
});
