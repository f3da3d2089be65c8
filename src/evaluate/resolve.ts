// Command-line endpoints -> Endpoint: `ns/name` (a pod, or a workload's first pod; dumped pods
// belong to their owner's workload), `name` (in the default namespace) or an IP address, IPv6
// with or without brackets (a pod when one has that IP, else external).
import { formatIp, parseIp } from '../net/ip.js';
import type { Cluster, Pod } from '../model/types.js';
import type { Endpoint } from './evaluate.js';

export type Resolved = { endpoint: Endpoint; note?: string } | { error: string };

/**
 * An IP endpoint as people write it — `10.0.0.1`, `2001:db8::1` or `[2001:db8::1]` — as the
 * one canonical text every command prints (RFC 5952 for IPv6: lower case, `::` compressed).
 */
export function ipEndpoint(text: string): string | undefined {
  const t = text.trim();
  const bracketed = t.startsWith('[') && t.endsWith(']');
  const ip = parseIp(bracketed ? t.slice(1, -1) : t);
  return ip && (!bracketed || ip.family === 6) ? formatIp(ip) : undefined;
}

/** The pod with this address, compared as addresses (a pod's `2001:DB8:0::1` is `2001:db8::1`). */
export function podWithIp(cluster: Cluster, ip: string): Pod | undefined {
  const want = parseIp(ip);
  if (!want) return undefined;
  return cluster.pods.find((p) => p.ips.some((t) => {
    const a = parseIp(t);
    return a !== undefined && a.family === want.family && a.value === want.value;
  }));
}

export function resolveEndpoint(cluster: Cluster, text: string, defaultNs = 'default'): Resolved {
  const ip = ipEndpoint(text);
  if (ip) {
    const pod = podWithIp(cluster, ip);
    if (pod) return { endpoint: { kind: 'pod', pod }, note: `${ip} is the IP of pod ${pod.namespace}/${pod.name}` };
    return { endpoint: { kind: 'ip', ip } };
  }
  const [ns, name] = text.includes('/') ? (text.split('/', 2) as [string, string]) : [defaultNs, text];
  const exact = cluster.pods.find((p) => p.namespace === ns && p.name === name);
  if (exact) return { endpoint: { kind: 'pod', pod: exact } };
  const owned = cluster.pods.find((p) => p.namespace === ns && p.workload?.name === name);
  if (owned) return { endpoint: { kind: 'pod', pod: owned }, note: `${ns}/${name} is a ${owned.workload!.kind}; using its pod ${ns}/${owned.name}` };
  // A workload scaled to zero exists but runs nothing: say so rather than "no such workload".
  const empty = cluster.workloads?.find((w) => w.namespace === ns && w.name === name && w.pods === 0);
  if (empty) return { error: `${ns}/${name} is a ${empty.kind} with ${empty.countField}: ${empty.replicas}: it has no pods` };
  const inNs = cluster.pods.filter((p) => p.namespace === ns).map((p) => p.name);
  return {
    error: `no pod or workload "${name}" in namespace "${ns}"` +
      (inNs.length ? ` (pods there: ${inNs.slice(0, 10).join(', ')}${inNs.length > 10 ? ', …' : ''})` : ' (no pods in that namespace)'),
  };
}
