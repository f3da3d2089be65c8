// `namespaceSelector: {matchLabels: {app: api}}` alone: pod labels used to select namespaces.
import { formatSelector, isEmptySelector } from '../../../match/selector.js';
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { Peer } from '../../../model/types.js';
import type { LintContext, LintRule } from '../context.js';
import { editPolicy, withRules } from '../fix.js';

const APP_KEYS = new Set(['app', 'app.kubernetes.io/name', 'app.kubernetes.io/component', 'k8s-app', 'component', 'role', 'tier']);

/** A namespaceSelector-only peer keyed on a label pods carry and no namespace does. */
export function namespaceSelectorLooksLikePodLabels(ctx: LintContext, peer: Peer): boolean {
  const s = peer.namespaceSelector;
  if (!s || peer.podSelector || isEmptySelector(s)) return false;
  const keys = [...Object.keys(s.matchLabels), ...s.matchExpressions.map((e) => e.key)];
  return keys.some((k) => {
    if (ctx.cluster.namespaces.some((n) => k in n.labels)) return false;
    return ctx.cluster.pods.some((p) => k in p.labels) || (!ctx.hasPods && APP_KEYS.has(k));
  });
}

export const namespaceSelectorNamesApp: LintRule = {
  id: 'namespace-selector-names-app',
  summary: 'a namespaceSelector alone uses pod labels (app=...): it selects whole namespaces, not one app',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const { policy: p, direction, rule, peer } of ctx.peers()) {
      if (!namespaceSelectorLooksLikePodLabels(ctx, peer)) continue;
      const sel = formatSelector(peer.namespaceSelector!);
      const asPods: Peer = { path: peer.path, podSelector: peer.namespaceSelector! };
      out.push(ctx.finding(this, p, `${peer.path}.namespaceSelector`,
        `namespaceSelector ${sel} names an app, but it selects namespaces: no namespace has that label, and if one got it every pod in it would be admitted`,
        `to admit pods labelled ${sel}, use podSelector (add namespaceSelector in the same peer for other namespaces)`,
        { fix: (c) => editPolicy(c, p, (x) => withRules(x, direction, x[direction].map((r) => r.path !== rule.path ? r
          : { ...r, peers: r.peers.map((y) => (y.path === peer.path ? asPods : y)) }))) }));
    }
    return out;
  },
};
