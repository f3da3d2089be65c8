// Rules that allow nothing the other rules (of this policy or of others selecting the same pods)
// do not already allow. Decided on representative endpoints: every pod of the input, hypothetical
// pods and namespaces built from the selectors' labels, one address per ipBlock region, and one
// port per region of the port space, so a rule is only called redundant when no such witness exists.
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { matchPeer, matchPort, type Party } from '../../../match/peer.js';
import { selectorMatches } from '../../../match/selector.js';
import { policyId, type Direction, type NetworkPolicy, type Pod, type Rule } from '../../../model/types.js';
import { representativePorts } from '../../ports.js';
import { collectSelectors, externalRegions, hypotheticals, withHypotheticals } from '../../universe.js';
import type { LintRule } from '../context.js';
import { editPolicy, forget, reindex, withRules } from '../fix.js';

interface Entry {
  policy: NetworkPolicy;
  rule: Rule;
  direction: Direction;
  order: number;
  hits: Set<number>;
}

export const redundantRule: LintRule = {
  id: 'redundant-rule',
  summary: 'a rule allows nothing that other rules for the same pods do not already allow',
  severity: 'warning',
  check(ctx) {
    const policies = ctx.cluster.policies;
    if (policies.length === 0) return [];
    const world = withHypotheticals(ctx.cluster, hypotheticals(ctx.cluster, collectSelectors(policies), { maxPods: 300 }));
    const nsByName = new Map(world.namespaces.map((n) => [n.name, n]));
    const parties: Party[] = [
      ...world.pods.map((pod): Party => ({ kind: 'pod', pod, namespace: nsByName.get(pod.namespace)! })),
      ...externalRegions(policies).map((r): Party => ({ kind: 'ip', ip: r.ip })),
    ];
    const probes = representativePorts(policies, world);
    const P = parties.length;
    const Q = probes.length;
    const podIndex = new Map<Pod, number>(world.pods.map((p, i) => [p, i]));
    const entries: Entry[] = [];
    let order = 0;
    for (const policy of policies) {
      for (const direction of ['ingress', 'egress'] as const) {
        if (!policy.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) continue;
        const targets = world.pods.filter((x) => x.namespace === policy.namespace && selectorMatches(policy.podSelector, x.labels));
        for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
          const hits = new Set<number>();
          for (const t of targets) {
            const self: Party = { kind: 'pod', pod: t, namespace: nsByName.get(t.namespace)! };
            parties.forEach((other, o) => {
              if (rule.peers.length && !rule.peers.some((peer) => matchPeer(peer, other, policy.namespace, 'ignore').match === true)) return;
              const dest = direction === 'ingress' ? self : other;
              probes.forEach((q, k) => {
                if (rule.ports.length && !rule.ports.some((pp) => matchPort(pp, q.port, q.protocol, dest).match === true)) return;
                hits.add((podIndex.get(t)! * P + o) * Q + k);
              });
            });
          }
          entries.push({ policy, rule, direction, order: order++, hits });
        }
      }
    }
    const out: Diagnostic[] = [];
    for (const e of entries) {
      if (e.hits.size === 0) continue;
      const others = entries.filter((x) => x !== e && x.direction === e.direction && x.hits.size > 0 &&
        // Twins: only the later one is reported.
        !(x.hits.size === e.hits.size && x.order > e.order && [...e.hits].every((h) => x.hits.has(h))));
      const covered = [...e.hits].every((h) => others.some((x) => x.hits.has(h)));
      if (!covered) continue;
      const single = others.find((x) => [...e.hits].every((h) => x.hits.has(h)));
      const name = (x: Entry) => (x.policy === e.policy ? x.rule.path : `${policyId(x.policy)} ${x.rule.path}`);
      const by = single ? name(single) : `the other ${e.direction} rules together (${others.filter((x) => [...e.hits].some((h) => x.hits.has(h))).map(name).join(', ')})`;
      const field = e.direction === 'ingress' ? 'from' : 'to';
      out.push(ctx.finding(this, e.policy, e.rule.path,
        `this ${e.direction} rule allows nothing that ${by} does not already allow`,
        single && single.policy === e.policy ? 'delete it, or narrow the broader rule if this one was meant to be the only way in' : 'delete it, or narrow the other rule; policies add up, so the broader one wins',
        { fix: (c) => editPolicy(c, e.policy, (x) => reindex(forget(withRules(x, e.direction, x[e.direction].filter((r) => r.path !== e.rule.path)),
          `${e.rule.path}.${field}`, `${e.rule.path}.ports`))) }));
    }
    return out;
  },
};
