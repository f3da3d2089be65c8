// NodePort and LoadBalancer Services publish their backing pods outside the cluster. Whether a
// client out there gets through is decided by the ingress policies of each backing pod on its
// target port — against the source address the pod sees. With externalTrafficPolicy: Local the
// client's address is kept, so the answer is exact. With Cluster (the default) the node that
// takes the connection source-NATs it to its own address, and the API reference leaves open
// whether policy sees the client or the node ("it is not defined whether this happens before or
// after NetworkPolicy processing"); traffic from the pod's own node is always allowed. There
// the answer is `depends`, unless every external address is allowed anyway.
import { Evaluator } from '../evaluate/evaluate.js';
import { backingOf, endName, targetOn } from '../evaluate/service.js';
import type { IpBlockPods } from '../match/peer.js';
import { serviceId, type Cluster, type Protocol, type Service } from '../model/types.js';
import { externalRegions } from './universe.js';

export interface ExposedEndpoint {
  pod: string;
  /** The target port on this pod. */
  port: number;
  exposed: boolean | 'depends';
  /** External address regions the pod's ingress admits on that port ('anywhere' when all). */
  from: string[];
  reason: string;
}

export interface ServiceExposure {
  service: string;
  type: 'NodePort' | 'LoadBalancer';
  externalTrafficPolicy: 'Cluster' | 'Local';
  port: number;
  protocol: Protocol;
  nodePort?: number;
  endpoints: ExposedEndpoint[];
  /** Set for the lint finding's position. */
  portIndex: number;
}

/** Every port of every NodePort/LoadBalancer Service, with what reaches each backing pod from outside. */
export function serviceExposure(cluster: Cluster, options: { ipBlockPods?: IpBlockPods } = {}): ServiceExposure[] {
  const published = (cluster.services ?? []).filter((s): s is Service & { type: 'NodePort' | 'LoadBalancer' } => s.type === 'NodePort' || s.type === 'LoadBalancer');
  if (published.length === 0) return [];
  const ev = new Evaluator(cluster, { ipBlockPods: options.ipBlockPods ?? 'match' });
  // One address per region the ipBlocks tell apart, in both families (a family without ipBlocks is one region).
  const regions = externalRegions(cluster.policies);
  if (!regions.some((r) => !r.ip.includes(':'))) regions.push({ ip: '1.1.1.1', region: 'outside every ipBlock', label: 'the IPv4 internet' });
  if (!regions.some((r) => r.ip.includes(':'))) regions.push({ ip: '2001:db8::1', region: 'outside every ipBlock', label: 'the IPv6 internet' });
  const out: ServiceExposure[] = [];
  for (const svc of published) {
    const backing = backingOf(cluster, svc);
    const policy = svc.externalTrafficPolicy ?? 'Cluster';
    svc.ports.forEach((sp, portIndex) => {
      const endpoints: ExposedEndpoint[] = [];
      for (const end of backing.ends) {
        const t = targetOn(sp, end);
        if (t.port === undefined || end.kind !== 'pod') continue;
        const port = t.port;
        const open = regions.filter((r) => ev.allowed({ from: { kind: 'ip', ip: r.ip }, to: { kind: 'pod', pod: end.pod }, port, protocol: sp.protocol }));
        const all = open.length === regions.length;
        const from = all ? ['anywhere'] : open.map((r) => r.label);
        let exposed: boolean | 'depends';
        let reason: string;
        if (all) {
          exposed = true;
          reason = `${endName(end)} admits every external address on ${port}/${sp.protocol}`;
        } else if (policy === 'Local') {
          exposed = open.length > 0;
          reason = open.length
            ? `externalTrafficPolicy: Local keeps the client address; ${endName(end)} admits ${from.join(', ')} on ${port}/${sp.protocol}`
            : `externalTrafficPolicy: Local keeps the client address, and ${endName(end)} admits no external address on ${port}/${sp.protocol}`;
        } else {
          exposed = 'depends';
          reason = `externalTrafficPolicy: Cluster source-NATs external clients to a node address: ${endName(end)} admits ${open.length ? from.join(', ') : 'no external address'} on ${port}/${sp.protocol}, but whether policy sees the client or the node address is up to the plugin, and its own node is always allowed`;
        }
        endpoints.push({ pod: endName(end), port, exposed, from, reason });
      }
      const e: ServiceExposure = { service: serviceId(svc), type: svc.type, externalTrafficPolicy: policy, port: sp.port, protocol: sp.protocol, endpoints, portIndex };
      if (sp.nodePort !== undefined) e.nodePort = sp.nodePort;
      out.push(e);
    });
  }
  return out;
}
