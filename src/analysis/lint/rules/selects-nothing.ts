// Selectors that match nothing in the input: the policy isolates no pod, a peer admits no pod.
import { formatSelector, isEmptySelector, selectorMatches } from '../../../match/selector.js';
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { LintRule } from '../context.js';
import { andPeerProbablyOr } from './peer-and-or.js';
import { namespaceSelectorLooksLikePodLabels } from './namespace-selector-app.js';

export const policySelectsNothing: LintRule = {
  id: 'policy-selects-nothing',
  summary: 'spec.podSelector matches no pod of its namespace in the input: the policy does nothing',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const p of ctx.cluster.policies) {
      const pods = ctx.podsIn(p.namespace);
      if (pods.length === 0 || ctx.selected(p).length > 0) continue;
      const keys = [...new Set(pods.flatMap((x) => Object.keys(x.labels)))].slice(0, 6);
      out.push(ctx.finding(this.id, p, 'spec.podSelector',
        `podSelector ${formatSelector(p.podSelector)} matches none of the ${pods.length} pods in namespace ${p.namespace}: this policy isolates nothing`,
        `check the labels against the pods' (labels used in ${p.namespace}: ${keys.join(', ') || 'none'})`));
    }
    return out;
  },
};

export const peerMatchesNothing: LintRule = {
  id: 'peer-matches-nothing',
  summary: 'a peer selector matches no namespace or no pod in the input',
  check(ctx) {
    const out: Diagnostic[] = [];
    if (!ctx.hasPods) return out;
    for (const { policy: p, peer } of ctx.peers()) {
      if (peer.ipBlock || ctx.peerPods(peer, p).length > 0) continue;
      if (andPeerProbablyOr(ctx, p, peer) || namespaceSelectorLooksLikePodLabels(ctx, peer)) continue; // said better elsewhere
      const nsSel = peer.namespaceSelector;
      const namespaces = nsSel ? ctx.cluster.namespaces.filter((n) => selectorMatches(nsSel, n.labels)) : [ctx.nsByName.get(p.namespace)!];
      let message: string;
      let path = peer.path;
      if (nsSel && namespaces.length === 0) {
        path = `${peer.path}.namespaceSelector`;
        message = `namespaceSelector ${formatSelector(nsSel)} matches no namespace in the input`;
      } else {
        path = `${peer.path}.podSelector`;
        const where = nsSel ? `namespaces ${namespaces.map((n) => n.name).join(', ')}` : `namespace ${p.namespace}`;
        message = `podSelector ${formatSelector(peer.podSelector!)} matches no pod in ${where}`;
      }
      const nsHint = nsSel && !isEmptySelector(nsSel) && namespaces.length === 0
        ? 'namespaces carry only the labels you give them plus kubernetes.io/metadata.name=<name>; label the namespace or select it by that label'
        : 'check the labels against the pods\'; a podSelector without namespaceSelector only looks in the policy\'s namespace';
      out.push(ctx.finding(this.id, p, path, `${message}: this peer admits nothing today`, nsHint));
    }
    return out;
  },
};

export const policyNamespaceEmpty: LintRule = {
  id: 'policy-namespace-empty',
  summary: 'the policy lives in a namespace that has no pods in the input',
  check(ctx) {
    if (!ctx.hasPods) return [];
    return ctx.cluster.policies
      .filter((p) => ctx.podsIn(p.namespace).length === 0)
      .map((p) => ctx.finding(this.id, p, 'metadata.namespace',
        `namespace ${p.namespace} has no pods in the input, so this policy applies to nothing (policies only select pods of their own namespace)`,
        `check metadata.namespace (namespaces with pods: ${[...new Set(ctx.cluster.pods.map((x) => x.namespace))].join(', ')})`));
  },
};
