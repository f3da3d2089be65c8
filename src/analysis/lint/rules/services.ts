// Services: a policy written against a Service's port instead of the pods' target port (the
// most repeated port bug), a Service whose selector matches no pod, and NodePort/LoadBalancer
// Services whose backing pods take connections from outside the cluster.
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { backingOf, targetOn } from '../../../evaluate/service.js';
import { matchPort, type Party } from '../../../match/peer.js';
import { podId, serviceId, type Direction, type NetworkPolicy, type Pod, type PolicyPort, type Rule } from '../../../model/types.js';
import { serviceExposure } from '../../service-exposure.js';
import type { LintContext, LintFix, LintRule } from '../context.js';
import { editPolicy, withRules } from '../fix.js';

/** The pods a rule's ports apply on: the policy's pods (ingress) or the peers' pods (egress); undefined for ipBlock-only peers. */
function destinations(ctx: LintContext, p: NetworkPolicy, r: Rule, direction: Direction): readonly Pod[] | undefined {
  if (direction === 'ingress') return ctx.selected(p);
  if (r.peers.length === 0) return ctx.cluster.pods;
  if (r.peers.every((x) => x.ipBlock)) return undefined;
  return [...new Set(r.peers.flatMap((x) => ctx.peerPods(x, p)))];
}

const covers = (pp: PolicyPort, n: number) => typeof pp.port === 'number' && n >= pp.port && n <= (pp.endPort ?? pp.port);

export const servicePortNotTargetPort: LintRule = {
  id: 'service-port-not-target-port',
  summary: "a rule opens a Service's port number on its backing pods, which listen on a different target port: policies see the pod's port, after the Service mapping",
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    const services = ctx.cluster.services ?? [];
    if (!services.length || !ctx.hasPods) return out;
    const backing = new Map(services.map((s) => [s, backingOf(ctx.cluster, s)]));
    const party = (pod: Pod): Party => ({ kind: 'pod', pod, namespace: ctx.nsByName.get(pod.namespace)! });
    for (const p of ctx.cluster.policies) {
      for (const direction of ['ingress', 'egress'] as const) {
        for (const r of p[direction]) {
          const dests = destinations(ctx, p, r, direction);
          if (!dests?.length) continue;
          const destSet = new Set(dests);
          for (const pp of r.ports) {
            if (typeof pp.port !== 'number') continue;
            for (const svc of services) {
              for (const sp of svc.ports) {
                if (sp.protocol !== pp.protocol || !covers(pp, sp.port)) continue;
                // Backing pods this rule applies to that serve this Service port elsewhere, and that the rule leaves shut.
                const missed: { pod: Pod; port: number }[] = [];
                for (const end of backing.get(svc)!.ends) {
                  if (end.kind !== 'pod' || !destSet.has(end.pod)) continue;
                  const t = targetOn(sp, end).port;
                  if (t === undefined || t === sp.port) continue;
                  if (end.pod.ports.some((c) => c.protocol === sp.protocol && c.containerPort === sp.port)) continue; // it listens on both
                  if (r.ports.some((q) => matchPort(q, t, sp.protocol, party(end.pod)).match === true)) continue;
                  missed.push({ pod: end.pod, port: t });
                }
                if (!missed.length) continue;
                const targets = [...new Set(missed.map((m) => m.port))];
                // The fix opens the target port: in place of the Service port, or beside it when
                // other pods of this rule do serve that number (a Service whose pods differ).
                const keep = dests.some((d) => d.ports.some((c) => c.protocol === pp.protocol && covers(pp, c.containerPort)));
                const fix: LintFix | undefined = targets.length === 1
                  ? (c) => editPolicy(c, p, (x) => withRules(x, direction, x[direction].map((y) => y.path !== r.path ? y
                    : { ...y, ports: keep || pp.endPort !== undefined
                      ? [...y.ports, { protocol: pp.protocol, port: targets[0]!, path: `${y.path}.ports[${y.ports.length}]` }]
                      : y.ports.map((z) => (z.path === pp.path ? { ...z, port: targets[0]! } : z)) })))
                  : undefined;
                const pods = missed.slice(0, 4).map((m) => `${podId(m.pod)} on ${m.port}`).join(', ') + (missed.length > 4 ? ', …' : '');
                out.push(ctx.finding(this, p, `${pp.path}.port`,
                  `you allowed ${pp.protocol} ${sp.port}, the port of Service ${serviceId(svc)}; its pods listen on the target port ${sp.targetPort} (${pods}), which this ${direction} rule leaves shut`,
                  `open the target port (${targets.join(', ')}${typeof sp.targetPort === 'string' ? `, or the named port "${sp.targetPort}"` : ''}): NetworkPolicy sees the connection after the Service maps ${sp.port} to it`,
                  fix ? { fix } : {}));
              }
            }
          }
        }
      }
    }
    return out;
  },
};

export const serviceSelectsNothing: LintRule = {
  id: 'service-selects-nothing',
  summary: 'a Service selector that matches no pod of its namespace in the input: the Service has no endpoints',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const svc of ctx.cluster.services ?? []) {
      if (!svc.selector || svc.endpoints || svc.type === 'ExternalName') continue;
      const pods = ctx.podsIn(svc.namespace);
      if (pods.length === 0 || backingOf(ctx.cluster, svc).ends.length > 0) continue;
      const keys = [...new Set(pods.flatMap((x) => Object.entries(x.labels).map(([k, v]) => `${k}=${v}`)))].slice(0, 6);
      out.push(ctx.serviceFinding(this, svc, 'spec.selector',
        `selector ${Object.entries(svc.selector).map(([k, v]) => `${k}=${v}`).join(',')} of Service ${serviceId(svc)} matches none of the ${pods.length} pods in namespace ${svc.namespace}: it has no endpoints and refuses connections`,
        `check the labels against the pods' (labels in ${svc.namespace}: ${keys.join(', ') || 'none'})`));
    }
    return out;
  },
};

export const serviceExposed: LintRule = {
  id: 'service-exposed-outside',
  summary: 'a NodePort/LoadBalancer Service whose backing pods admit connections from outside the cluster (or may: externalTrafficPolicy Cluster hides the client address)',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const e of serviceExposure(ctx.cluster, { ipBlockPods: ctx.ipBlockPods })) {
      const svc = ctx.cluster.services!.find((s) => serviceId(s) === e.service)!;
      const open = e.endpoints.filter((x) => x.exposed === true);
      const maybe = e.endpoints.filter((x) => x.exposed === 'depends');
      if (!open.length && !maybe.length) continue;
      const anywhere = open.some((x) => x.from[0] === 'anywhere');
      const first = open[0] ?? maybe[0]!;
      const message = open.length
        ? `${e.type} Service ${serviceId(svc)} port ${e.port}/${e.protocol} publishes ${open.map((x) => `${x.pod}:${x.port}`).slice(0, 4).join(', ')} outside the cluster, and ${anywhere ? 'their ingress admits every external address' : `their ingress admits ${first.from.join(', ')}`}`
        : `${e.type} Service ${serviceId(svc)} port ${e.port}/${e.protocol}: whether clients outside reach ${maybe.map((x) => `${x.pod}:${x.port}`).slice(0, 4).join(', ')} depends: ${first.reason}`;
      const hint = open.length
        ? `if this is not meant to be public, restrict ingress on ${first.port}/${e.protocol} to the clients' ranges${e.externalTrafficPolicy === 'Cluster' ? ' and set externalTrafficPolicy: Local so policy sees the client address' : ''}`
        : 'set externalTrafficPolicy: Local to keep the client address, so ipBlock rules decide';
      out.push(ctx.serviceFinding(this, svc, `spec.ports[${e.portIndex}]`, message, hint, { severity: anywhere || maybe.length ? 'warning' : 'info' }));
    }
    return out;
  },
};
