// Selectors that match nothing in the input: the policy isolates no pod, a peer admits no pod.
import { formatSelector } from '../../../match/selector.js';
import { peerCoversNamespace } from '../../../match/peer.js';
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { NAMESPACE_NAME_LABEL, type LabelSelector } from '../../../model/types.js';
import { closest } from '../../../validate/suggest.js';
import type { LintRule } from '../context.js';
import { andPeerProbablyOr } from './peer-and-or.js';
import { namespaceSelectorLooksLikePodLabels } from './namespace-selector-app.js';

export const policySelectsNothing: LintRule = {
  id: 'policy-selects-nothing',
  summary: 'spec.podSelector matches no pod of its namespace in the input: the policy does nothing',
  severity: 'warning',
  aliases: ['kube-linter:dangling-networkpolicy', 'kube-score:networkpolicy-targets-pod'],
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const p of ctx.cluster.policies) {
      const pods = ctx.podsIn(p.namespace);
      if (pods.length === 0 || ctx.selected(p).length > 0) continue;
      const keys = [...new Set(pods.flatMap((x) => Object.keys(x.labels)))].slice(0, 6);
      out.push(ctx.finding(this, p, 'spec.podSelector',
        `podSelector ${formatSelector(p.podSelector)} matches none of the ${pods.length} pods in namespace ${p.namespace}: this policy isolates nothing`,
        `check the labels against the pods' (labels used in ${p.namespace}: ${keys.join(', ') || 'none'})`));
    }
    return out;
  },
};

export const peerMatchesNothing: LintRule = {
  id: 'peer-matches-nothing',
  summary: 'a peer selector matches no namespace or no pod in the input (namespaces and pods absent from the input are not flagged)',
  severity: 'warning',
  aliases: ['kube-linter:dangling-networkpolicypeer-podselector'],
  check(ctx) {
    const out: Diagnostic[] = [];
    if (!ctx.hasPods) return out;
    const nsNames = ctx.cluster.namespaces.map((n) => n.name);
    for (const { policy: p, peer } of ctx.peers()) {
      if (peer.ipBlock || ctx.peerPods(peer, p).length > 0) continue;
      if (andPeerProbablyOr(ctx, p, peer) || namespaceSelectorLooksLikePodLabels(ctx, peer)) continue; // said better elsewhere
      const nsSel = peer.namespaceSelector;
      const namespaces = ctx.cluster.namespaces.filter((n) => peerCoversNamespace(peer, p.namespace, n.name, n.labels));
      let message: string;
      let path: string;
      let hint: string;
      if (nsSel && namespaces.length === 0) {
        path = `${peer.path}.namespaceSelector`;
        const named = namespacesNamed(nsSel);
        if (named) {
          // An app repo rarely holds kube-system or monitoring: a namespace absent from the input
          // is not a mistake. Only a near-miss of a namespace that is there is.
          const near = named.map((n) => [n, closest(n, nsNames)] as const).find(([, c]) => c !== undefined);
          if (!near) continue;
          message = `namespaceSelector ${formatSelector(nsSel)} names namespace ${near[0]}, which is not in the input, while ${near[1]} is`;
          hint = `did you mean "${near[1]}"?`;
        } else {
          // Without one Namespace manifest, the input says nothing about namespace labels.
          if (!ctx.cluster.namespaces.some((n) => !n.implicit)) continue;
          message = `namespaceSelector ${formatSelector(nsSel)} matches no namespace in the input`;
          hint = 'namespaces carry only the labels you give them plus kubernetes.io/metadata.name=<name>; label the namespace or select it by that label';
        }
      } else {
        // Namespaces whose pods are not in the input cannot be checked.
        const populated = namespaces.filter((n) => ctx.podsIn(n.name).length > 0);
        if (populated.length === 0) continue;
        path = `${peer.path}.podSelector`;
        const where = nsSel ? `namespaces ${populated.map((n) => n.name).join(', ')}` : `namespace ${p.namespace}`;
        message = `podSelector ${formatSelector(peer.podSelector!)} matches no pod in ${where}`;
        hint = 'check the labels against the pods\'; a podSelector without namespaceSelector only looks in the policy\'s namespace';
      }
      out.push(ctx.finding(this, p, path, `${message}: this peer admits nothing today`, hint));
    }
    return out;
  },
};

/** The namespace names a selector requires by `kubernetes.io/metadata.name`, if it does. */
function namespacesNamed(s: LabelSelector): string[] | undefined {
  const byLabel = s.matchLabels[NAMESPACE_NAME_LABEL];
  if (byLabel !== undefined) return [byLabel];
  const inExpr = s.matchExpressions.find((e) => e.key === NAMESPACE_NAME_LABEL && e.operator === 'In');
  return inExpr ? [...inExpr.values] : undefined;
}

export const policyNamespaceEmpty: LintRule = {
  id: 'policy-namespace-empty',
  summary: 'the policy lives in a namespace that has no pods in the input',
  severity: 'warning',
  aliases: ['kube-linter:dangling-networkpolicy', 'kube-score:networkpolicy-targets-pod'],
  check(ctx) {
    if (!ctx.hasPods) return [];
    return ctx.cluster.policies
      .filter((p) => ctx.podsIn(p.namespace).length === 0)
      .map((p) => ctx.finding(this, p, 'metadata.namespace',
        `namespace ${p.namespace} has no pods in the input, so this policy applies to nothing (policies only select pods of their own namespace)`,
        `check metadata.namespace (namespaces with pods: ${[...new Set(ctx.cluster.pods.map((x) => x.namespace))].join(', ')})`));
  },
};
