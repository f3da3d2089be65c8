// Which addresses the lab (and `netpol compile`) gives pods and outside hosts. Pure: the
// dataplane and the engine's matrix must see the same IPs, so both read the cluster this returns.
import { parseCidr, parseIp, formatIp } from '../net/ip.js';
import type { Cluster, Pod, Protocol } from '../model/types.js';

/** Where pods without a status.podIP get their address. */
export const LAB_RANGE = '10.123.0.0/16';

export interface Assigned {
  /** The cluster with every pod carrying an IPv4 address (hostNetwork pods left out). */
  cluster: Cluster;
  /** podId -> IPv4 the lab uses. */
  ips: Map<string, string>;
  /** Pods whose address was assigned rather than read from status.podIP. */
  assigned: string[];
  notes: string[];
}

export const firstV4 = (p: Pod): string | undefined => p.ips.find((ip) => parseIp(ip)?.family === 4);

export function assignAddresses(cluster: Cluster, range = LAB_RANGE): Assigned {
  const notes: string[] = [];
  const used = new Set<string>();
  const ips = new Map<string, string>();
  const pods = cluster.pods.filter((p) => {
    if (p.hostNetwork) notes.push(`${p.namespace}/${p.name} uses hostNetwork: left out of the lab (policies do not govern node traffic)`);
    return !p.hostNetwork;
  });
  for (const p of pods) {
    const ip = firstV4(p);
    if (!ip) continue;
    if (used.has(ip)) throw new Error(`pods share the address ${ip} (status.podIP); each pod needs its own`);
    used.add(ip);
    ips.set(`${p.namespace}/${p.name}`, ip);
  }
  const r = parseCidr(range)!;
  let next = r.first + 1n;
  const assigned: string[] = [];
  for (const p of pods) {
    const id = `${p.namespace}/${p.name}`;
    if (ips.has(id)) continue;
    let ip: string;
    do {
      if (next >= r.last) throw new Error(`the lab range ${range} has no free address left`);
      ip = formatIp({ family: 4, value: next++ });
    } while (used.has(ip) || ip.endsWith('.0') || ip.endsWith('.255'));
    used.add(ip);
    ips.set(id, ip);
    assigned.push(id);
  }
  const withIps = pods.map((p) => {
    const ip = ips.get(`${p.namespace}/${p.name}`)!;
    return p.ips.includes(ip) ? p : { ...p, ips: [ip, ...p.ips] };
  });
  return { cluster: { ...cluster, pods: withIps }, ips, assigned, notes };
}

export interface ExternalHost {
  ip: string;
  ports: { port: number; protocol: Protocol }[];
}

/**
 * Outside hosts worth simulating: every single-address IPv4 ipBlock (or tier `networks` entry) a
 * policy names that is not a pod, listening on the numeric ports of the egress rules that name it
 * (TCP 80 when none).
 */
export function externalHosts(cluster: Cluster): ExternalHost[] {
  const podIps = new Set(cluster.pods.flatMap((p) => p.ips));
  const hosts = new Map<string, Map<string, { port: number; protocol: Protocol }>>();
  for (const pol of cluster.policies) {
    // Only egress rules say which ports the outside host serves; ingress ports are the pod's.
    for (const rule of pol.egress) {
      for (const peer of rule.peers) {
        const m = peer.ipBlock && /^(\d+\.\d+\.\d+\.\d+)\/32$/.exec(peer.ipBlock.cidr);
        if (!m || podIps.has(m[1]!) || !parseIp(m[1]!)) continue;
        const ports = hosts.get(m[1]!) ?? new Map();
        hosts.set(m[1]!, ports);
        for (const pp of rule.ports) {
          if (typeof pp.port === 'number') ports.set(`${pp.port}/${pp.protocol}`, { port: pp.port, protocol: pp.protocol });
        }
      }
    }
  }
  // Tier policies' single-address `networks` the same way (egress ports as served ports).
  for (const pol of cluster.clusterPolicies ?? []) {
    for (const [rules, serve] of [[pol.egress, true], [pol.ingress, false]] as const) {
      for (const rule of rules) {
        for (const peer of rule.peers) {
          if (peer.kind !== 'networks') continue;
          for (const cidr of peer.cidrs) {
            const m = /^(\d+\.\d+\.\d+\.\d+)\/32$/.exec(cidr);
            if (!m || podIps.has(m[1]!) || !parseIp(m[1]!)) continue;
            const ports = hosts.get(m[1]!) ?? new Map();
            hosts.set(m[1]!, ports);
            if (serve) for (const pp of rule.ports) if (typeof pp.port === 'number') ports.set(`${pp.port}/${pp.protocol}`, { port: pp.port, protocol: pp.protocol });
          }
        }
      }
    }
  }
  // Hosts named only as ingress sources still get a namespace: they are probe sources.
  for (const pol of cluster.policies) {
    for (const peer of pol.ingress.flatMap((r) => r.peers)) {
      const m = peer.ipBlock && /^(\d+\.\d+\.\d+\.\d+)\/32$/.exec(peer.ipBlock.cidr);
      if (m && !podIps.has(m[1]!) && parseIp(m[1]!) && !hosts.has(m[1]!)) hosts.set(m[1]!, new Map());
    }
  }
  return [...hosts].map(([ip, ports]) => ({
    ip,
    ports: ports.size ? [...ports.values()].sort((a, b) => a.port - b.port) : [{ port: 80, protocol: 'TCP' as const }],
  }));
}

export interface NodeHost extends ExternalHost {
  node: string;
  /** The hostNetwork pods it stands for (`ns/name`). */
  pods: string[];
}

/**
 * Nodes worth simulating as hosts: when a tier policy has a `nodes` peer or a hostNetwork pod sits
 * on a Node, each such Node's first IPv4 address (not a pod's or outside host's), serving the
 * declared ports of its hostNetwork pods (TCP 80 when none). A hostNetwork pod is reached at
 * its node's address, so probes to it are probes to this host.
 */
export function nodeHosts(cluster: Cluster, taken: ReadonlySet<string>): NodeHost[] {
  const nodes = cluster.nodes ?? [];
  const wanted = (cluster.clusterPolicies ?? []).some((p) => [...p.ingress, ...p.egress].some((r) => r.peers.some((peer) => peer.kind === 'nodes')));
  const out: NodeHost[] = [];
  for (const n of nodes) {
    const a = n.addresses.map((x) => parseIp(x)).find((x) => x?.family === 4);
    if (!a) continue;
    const ip = formatIp(a);
    if (taken.has(ip)) continue;
    const on = cluster.pods.filter((p) => p.hostNetwork && (p.nodeName === n.name || p.ips.some((x) => n.addresses.includes(x))));
    if (!wanted && on.length === 0) continue;
    const ports = new Map<string, { port: number; protocol: Protocol }>();
    for (const c of on.flatMap((p) => p.ports)) ports.set(`${c.containerPort}/${c.protocol}`, { port: c.containerPort, protocol: c.protocol });
    out.push({
      ip, node: n.name, pods: on.map((p) => `${p.namespace}/${p.name}`),
      ports: ports.size ? [...ports.values()].sort((x, y) => x.port - y.port || x.protocol.localeCompare(y.protocol)) : [{ port: 80, protocol: 'TCP' as const }],
    });
  }
  return out;
}
