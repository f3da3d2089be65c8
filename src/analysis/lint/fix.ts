// Small model edits for suggested fixes (LintFix): the model is readonly, so each returns a copy.
import type { Cluster, Direction, FieldShape, NetworkPolicy, Rule } from '../../model/types.js';

/** The cluster with policy `p` (found by namespace and name) replaced by `edit(p)`. */
export function editPolicy(cluster: Cluster, p: NetworkPolicy, edit: (p: NetworkPolicy) => NetworkPolicy): Cluster {
  return {
    ...cluster,
    policies: cluster.policies.map((x) => (x.namespace === p.namespace && x.name === p.name ? edit(x) : x)),
  };
}

/** The policy with the rules of one direction replaced. */
export function withRules(p: NetworkPolicy, direction: Direction, rules: readonly Rule[]): NetworkPolicy {
  return direction === 'ingress' ? { ...p, ingress: rules } : { ...p, egress: rules };
}

/** The policy's `written` record without the given paths. */
export function forget(p: NetworkPolicy, ...paths: string[]): NetworkPolicy {
  if (!p.written) return p;
  const written = { ...p.written };
  for (const path of paths) delete written[path];
  return { ...p, written };
}

/** Rule, peer and port paths (and `written` keys) renumbered after rules were added or removed. */
export function reindex(p: NetworkPolicy): NetworkPolicy {
  const written: Record<string, FieldShape> = {};
  for (const [k, v] of Object.entries(p.written ?? {})) if (!/^spec\.(ingress|egress)\[/.test(k)) written[k] = v;
  const renumber = (direction: Direction, field: 'from' | 'to') => (direction === 'ingress' ? p.ingress : p.egress).map((r, i): Rule => {
    const path = `spec.${direction}[${i}]`;
    for (const f of [field, 'ports']) {
      const shape = p.written?.[`${r.path}.${f}`];
      if (shape) written[`${path}.${f}`] = shape;
    }
    return {
      path,
      peers: r.peers.map((x, j) => ({ ...x, path: `${path}.${field}[${j}]` })),
      ports: r.ports.map((x, j) => ({ ...x, path: `${path}.ports[${j}]` })),
    };
  });
  return { ...p, ingress: renumber('ingress', 'from'), egress: renumber('egress', 'to'), written };
}
