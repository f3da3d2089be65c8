// Representative ports: one per region of each protocol's port space cut by the policies'
// numeric ports and ranges, plus every declared container port (named ports resolve to those).
import type { Cluster, PolicyPort, Protocol } from '../model/types.js';

export interface PortProbe {
  port: number;
  protocol: Protocol;
}

/** `policies`: NetworkPolicies and/or tier policies (both hold rules with a `ports` list). */
export function representativePorts(policies: readonly { readonly ingress: readonly { readonly ports: readonly PolicyPort[] }[]; readonly egress: readonly { readonly ports: readonly PolicyPort[] }[] }[], cluster: Cluster): PortProbe[] {
  const points = new Map<Protocol, Set<number>>([['TCP', new Set()]]);
  const add = (proto: Protocol, n: number) => {
    if (n < 1 || n > 65535) return;
    if (!points.has(proto)) points.set(proto, new Set());
    points.get(proto)!.add(n);
  };
  for (const p of policies) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const pp of r.ports) {
        if (!points.has(pp.protocol)) points.set(pp.protocol, new Set());
        if (typeof pp.port === 'number') {
          add(pp.protocol, pp.port);
          add(pp.protocol, (pp.endPort ?? pp.port) + 1);
        }
      }
    }
  }
  for (const pod of cluster.pods) for (const c of pod.ports) add(c.protocol, c.containerPort);
  for (const [proto, set] of points) if (set.size === 0) set.add(proto === 'TCP' ? 80 : 1);
  const order: Record<Protocol, number> = { TCP: 0, UDP: 1, SCTP: 2 };
  return [...points].flatMap(([protocol, set]) => [...set].map((port) => ({ port, protocol })))
    .sort((a, b) => order[a.protocol] - order[b.protocol] || a.port - b.port);
}
