// One rule split in two by a stray dash:
//   ingress:
//   - from: [{podSelector: {matchLabels: {app: api}}}]
//   - ports: [{port: 3306}]
// reads as "api on every port, OR anyone on 3306", while "api on 3306" was meant.
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { Rule } from '../../../model/types.js';
import type { LintRule } from '../context.js';
import { editPolicy, forget, reindex, withRules } from '../fix.js';

const portsOnly = (r: Rule | undefined) => r !== undefined && r.peers.length === 0 && r.ports.length > 0;
const peersOnly = (r: Rule | undefined) => r !== undefined && r.peers.length > 0 && r.ports.length === 0;

export const ruleSplitInTwo: LintRule = {
  id: 'rule-split-in-two',
  summary: 'a rule with ports but no peers next to a rule with peers but no ports: one rule split in two by a stray "-"',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const p of ctx.cluster.policies) {
      for (const direction of ['ingress', 'egress'] as const) {
        const rules = p[direction];
        const field = direction === 'ingress' ? 'from' : 'to';
        for (let i = 0; i + 1 < rules.length; i++) {
          const a = rules[i]!;
          const b = rules[i + 1]!;
          const pair = portsOnly(a) && peersOnly(b) ? { ports: a, peers: b } : peersOnly(a) && portsOnly(b) ? { ports: b, peers: a } : undefined;
          // Written as `from: []`, the empty side was deliberate (and empty-list-allows-all says what it means).
          if (!pair || p.written?.[`${pair.ports.path}.${field}`] || p.written?.[`${pair.peers.path}.ports`]) continue;
          const merged: Rule = { path: a.path, peers: pair.peers.peers, ports: pair.ports.ports };
          const ports = pair.ports.ports.map((x) => `${x.protocol} ${x.port ?? 'any'}${x.endPort ? `-${x.endPort}` : ''}`).join(', ');
          out.push(ctx.finding(this, p, b.path,
            `${a.path} and ${b.path} are two rules: ${pair.peers.path} allows its ${field === 'from' ? 'sources' : 'destinations'} on EVERY port, and ${pair.ports.path} allows ${ports} ${field} ANYONE (every pod and every address)`,
            `if you meant those ${field === 'from' ? 'sources' : 'destinations'} on ${ports} only, remove the "-" before ${b === pair.ports ? 'ports' : field} so both fields are in one rule`,
            { fix: (c) => editPolicy(c, p, (x) => reindex(forget(withRules(x, direction, x[direction].flatMap((r) => (r.path === b.path ? [] : r.path === a.path ? [merged] : [r]))),
              `${b.path}.${field}`, `${b.path}.ports`))) }));
          i++; // a pair is reported once
        }
      }
    }
    return out;
  },
};
