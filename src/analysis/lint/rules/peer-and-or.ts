// The one-dash trap, both ways (reference §7.19): one peer with both selectors ANDs them, two
// list items OR them. We flag the shape whose meaning contradicts the pods in the input.
import { isEmptySelector, selectorMatches, formatSelector } from '../../../match/selector.js';
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { Direction, NetworkPolicy, Peer, Rule } from '../../../model/types.js';
import type { LintContext, LintRule } from '../context.js';
import { editPolicy, reindex, withRules } from '../fix.js';

/** The policy with one rule's peers replaced. */
function withPeers(p: NetworkPolicy, direction: Direction, rule: Rule, peers: Peer[]): NetworkPolicy {
  return reindex(withRules(p, direction, p[direction].map((r) => (r.path === rule.path ? { ...r, peers } : r))));
}

/** Peers with both selectors that match no pod, while each half alone matches some. */
export function andPeerProbablyOr(ctx: LintContext, p: NetworkPolicy, peer: Peer): boolean {
  if (!ctx.hasPods || !peer.podSelector || !peer.namespaceSelector || isEmptySelector(peer.podSelector)) return false;
  if (ctx.peerPods(peer, p).length > 0) return false;
  const nsAlone = ctx.peerPods({ path: peer.path, namespaceSelector: peer.namespaceSelector }, p);
  const podAlone = ctx.podsIn(p.namespace).filter((pod) => selectorMatches(peer.podSelector!, pod.labels));
  return nsAlone.length > 0 && podAlone.length > 0;
}

export const peerAndProbablyOr: LintRule = {
  id: 'peer-and-probably-or',
  summary: 'a peer with both podSelector and namespaceSelector matches no pod, while each alone would: two list items were probably meant',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const { policy: p, direction, rule, peer } of ctx.peers()) {
      if (!andPeerProbablyOr(ctx, p, peer)) continue;
      // The fix: the peer split in two, namespace half first.
      const split = rule.peers.flatMap((x): Peer[] => x !== peer ? [x]
        : [{ path: x.path, namespaceSelector: x.namespaceSelector! }, { path: x.path, podSelector: x.podSelector! }]);
      out.push(ctx.finding(this, p, peer.path,
        `podSelector ${formatSelector(peer.podSelector!)} AND namespaceSelector ${formatSelector(peer.namespaceSelector!)} in one peer match no pod: no pod with those labels lives in those namespaces`,
        `if you meant "those namespaces OR those pods of ${p.namespace}", put a "-" before podSelector to make it a second peer`,
        { fix: (c) => editPolicy(c, p, (x) => withPeers(x, direction, rule, split)) }));
    }
    return out;
  },
};

export const peerOrProbablyAnd: LintRule = {
  id: 'peer-or-probably-and',
  summary: 'a namespaceSelector-only peer next to a podSelector-only peer admits whole namespaces: one peer with both was probably meant',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const p of ctx.cluster.policies) {
      for (const [direction, r] of [...p.ingress.map((r) => ['ingress', r] as const), ...p.egress.map((r) => ['egress', r] as const)]) {
        r.peers.forEach((nsPeer, k) => {
          if (!nsPeer.namespaceSelector || nsPeer.podSelector || nsPeer.ipBlock) return;
          const podPeer = [r.peers[k - 1], r.peers[k + 1]].find((x) => x && x.podSelector && !x.namespaceSelector && !x.ipBlock);
          if (!podPeer) return;
          const ownNs = ctx.nsByName.get(p.namespace);
          const coversOwn = ownNs !== undefined && selectorMatches(nsPeer.namespaceSelector, ownNs.labels);
          const podsThere = ctx.cluster.pods.some((pod) => pod.namespace !== p.namespace &&
            selectorMatches(podPeer.podSelector!, pod.labels) && selectorMatches(nsPeer.namespaceSelector!, ctx.nsByName.get(pod.namespace)?.labels ?? {}));
          if (!coversOwn && !podsThere) return;
          const why = coversOwn
            ? `it also matches the policy's own namespace ${p.namespace}, so ${podPeer.path} (podSelector ${formatSelector(podPeer.podSelector!)}) adds nothing`
            : `pods labelled ${formatSelector(podPeer.podSelector!)} live in those namespaces, which suggests "those pods in those namespaces" was meant`;
          // The fix: both selectors in one peer, where the namespace peer was.
          const merged = r.peers.flatMap((x): Peer[] => x === podPeer ? [] : x === nsPeer ? [{ path: x.path, namespaceSelector: nsPeer.namespaceSelector!, podSelector: podPeer.podSelector! }] : [x]);
          out.push(ctx.finding(this, p, nsPeer.path,
            `namespaceSelector ${formatSelector(nsPeer.namespaceSelector)} is a peer of its own: it admits EVERY pod in those namespaces; ${why}`,
            `to admit only pods labelled ${formatSelector(podPeer.podSelector!)} in those namespaces, remove the "-" so both selectors are in one peer`,
            { fix: (c) => editPolicy(c, p, (x) => withPeers(x, direction, r, merged)) }));
        });
      }
    }
    return out;
  },
};
