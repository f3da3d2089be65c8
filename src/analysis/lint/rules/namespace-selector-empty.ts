// `namespaceSelector: {}` alone is "every pod in every namespace" — and nothing else: clients
// outside the cluster (load balancers, node health checks, hostNetwork ingress controllers on
// most plugins) are not pods, so they are not admitted. Often written to mean "everyone".
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { isEmptySelector } from '../../../match/selector.js';
import type { LintRule } from '../context.js';

export const namespaceSelectorEmpty: LintRule = {
  id: 'namespace-selector-empty',
  summary: 'a peer `namespaceSelector: {}` admits every pod in every namespace, but no client outside the cluster (warning on ingress, info on egress)',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const { policy: p, direction, rule, peer } of ctx.peers()) {
      if (!peer.namespaceSelector || !isEmptySelector(peer.namespaceSelector) || (peer.podSelector && !isEmptySelector(peer.podSelector))) continue;
      const field = direction === 'ingress' ? 'from' : 'to';
      const hasIpBlock = rule.peers.some((x) => x.ipBlock);
      out.push(ctx.finding(this, p, `${peer.path}.namespaceSelector`,
        direction === 'ingress'
          ? `namespaceSelector {} admits every pod in every namespace, but NOT clients outside the cluster (load balancers, node health checks, hostNetwork pods on most plugins)${hasIpBlock ? ' beyond the ipBlocks of this rule' : ''}`
          : `namespaceSelector {} lets these pods reach every pod in every namespace, but NOT addresses outside the cluster (the internet, node and API server IPs on most plugins)${hasIpBlock ? ' beyond the ipBlocks of this rule' : ''}`,
        direction === 'ingress'
          ? `if everyone is meant, drop \`${field}\` from this rule (a rule without \`${field}\` admits every source); if only in-cluster pods are meant, this is right`
          : `if every destination is meant, drop \`${field}\` from this rule; if only in-cluster pods are meant, this is right`,
        direction === 'ingress' ? {} : { severity: 'info' }));
    }
    return out;
  },
};
