// Ports that cannot match: a named port no relevant pod declares (reference §7.27-28), and a
// port number that belongs to the other end of the connection.
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { podId, type Direction, type NetworkPolicy, type Pod, type PolicyPort, type Protocol, type Rule } from '../../../model/types.js';
import type { LintContext, LintFix, LintRule } from '../context.js';
import { editPolicy, withRules } from '../fix.js';

/** A fix that replaces one ports entry of a rule. */
function replacePort(p: NetworkPolicy, direction: Direction, rule: Rule, pp: PolicyPort, next: PolicyPort): LintFix {
  return (c) => editPolicy(c, p, (x) => withRules(x, direction, x[direction].map((r) => r.path !== rule.path ? r
    : { ...r, ports: r.ports.map((y) => (y.path === pp.path ? next : y)) })));
}

/** Pods a rule's ports are resolved on: the policy's pods for ingress, the peers for egress. */
function destinations(ctx: LintContext, p: NetworkPolicy, r: Rule, egress: boolean): readonly Pod[] | 'external' {
  if (!egress) return ctx.selected(p);
  if (r.peers.length === 0) return ctx.cluster.pods;
  if (r.peers.every((x) => x.ipBlock)) return 'external';
  return [...new Set(r.peers.flatMap((x) => ctx.peerPods(x, p)))];
}

function sources(ctx: LintContext, p: NetworkPolicy, r: Rule, egress: boolean): Pod[] {
  if (egress) return ctx.selected(p);
  if (r.peers.length === 0) return [];
  return [...new Set(r.peers.flatMap((x) => ctx.peerPods(x, p)))];
}

const declares = (pod: Pod, pp: PolicyPort) =>
  pod.ports.some((c) => c.protocol === pp.protocol && typeof pp.port === 'number' && c.containerPort >= pp.port && c.containerPort <= (pp.endPort ?? pp.port));

export const namedPortUndeclared: LintRule = {
  id: 'named-port-undeclared',
  summary: 'a named port that no pod it would resolve on declares (with that protocol)',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    if (!ctx.hasPods) return out;
    for (const p of ctx.cluster.policies) {
      for (const [egress, rules] of [[false, p.ingress], [true, p.egress]] as const) {
        for (const r of rules) {
          if (!r.ports.some((pp) => typeof pp.port === 'string')) continue;
          const dests = destinations(ctx, p, r, egress);
          for (const pp of r.ports) {
            if (typeof pp.port !== 'string') continue;
            if (dests === 'external') {
              out.push(ctx.finding(this, p, `${pp.path}.port`, `named port "${pp.port}" toward ipBlock destinations matches nothing: there is no pod to resolve the name on`, 'use the port number'));
              continue;
            }
            if (dests.length === 0 || dests.some((d) => d.ports.some((c) => c.name === pp.port && c.protocol === pp.protocol))) continue;
            const declared = dests.flatMap((d) => d.ports.filter((c) => c.name === pp.port).map((c) => ({ c, d })));
            const other = declared.map(({ c, d }) => `${c.protocol} ${c.containerPort} on ${podId(d)}`);
            const protocols = [...new Set(declared.map(({ c }) => c.protocol))];
            const who = egress ? 'the destination pods' : 'the pods this policy selects';
            const fix = protocols.length === 1 ? replacePort(p, egress ? 'egress' : 'ingress', r, pp, { ...pp, protocol: protocols[0] as Protocol }) : undefined;
            out.push(ctx.finding(this, p, `${pp.path}.port`,
              other.length
                ? `named port "${pp.port}" is ${pp.protocol} here, but ${who} declare it only as ${other.slice(0, 3).join(', ')}: it matches nothing`
                : `none of ${who} (${dests.slice(0, 4).map(podId).join(', ')}${dests.length > 4 ? ', …' : ''}) declares a ${pp.protocol} port named "${pp.port}": it matches nothing`,
              other.length ? `set protocol: ${protocols.join(' or ')}` : `use the containerPort name from the destination pod spec, or the number`,
              fix ? { fix } : {}));
          }
        }
      }
    }
    return out;
  },
};

export const portOfWrongSide: LintRule = {
  id: 'port-of-wrong-side',
  summary: 'a rule port that the destination pods do not declare but the other side does: ports are always the destination\'s',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const p of ctx.cluster.policies) {
      for (const [egress, rules] of [[false, p.ingress], [true, p.egress]] as const) {
        for (const r of rules) {
          if (!r.ports.some((pp) => typeof pp.port === 'number')) continue;
          const dests = destinations(ctx, p, r, egress);
          if (dests === 'external' || dests.length === 0 || dests.some((d) => d.ports.length === 0)) continue;
          const srcs = sources(ctx, p, r, egress);
          for (const pp of r.ports) {
            if (typeof pp.port !== 'number' || dests.some((d) => declares(d, pp))) continue;
            const owner = srcs.find((s) => declares(s, pp));
            if (!owner) continue;
            // When the destinations agree on one port of this protocol, that is the fix.
            const theirs = [...new Set(dests.flatMap((d) => d.ports.filter((c) => c.protocol === pp.protocol).map((c) => c.containerPort)))];
            const fix = theirs.length === 1 ? replacePort(p, egress ? 'egress' : 'ingress', r, pp, { protocol: pp.protocol, port: theirs[0]!, path: pp.path }) : undefined;
            out.push(ctx.finding(this, p, `${pp.path}.port`,
              `${egress ? 'egress' : 'ingress'} port ${pp.protocol} ${pp.port} is declared by the ${egress ? 'source' : 'peer'} ${podId(owner)}, not by the destination${dests.length > 1 ? 's' : ''} (${dests.slice(0, 3).map(podId).join(', ')}): ports in a rule are the destination's`,
              `${egress ? 'list the port the destination listens on' : 'list the port the selected pods listen on, not the client\'s'}${theirs.length === 1 ? ` (${pp.protocol} ${theirs[0]})` : ''}`,
              fix ? { fix } : {}));
          }
        }
      }
    }
    return out;
  },
};
