// Command-line endpoints -> Endpoint: `ns/name` (a pod, or a workload's first pod; dumped pods
// belong to their owner's workload), `name`
// (in the default namespace) or an IP address (a pod when one has that IP, else external).
import { parseIp } from '../net/ip.js';
import type { Cluster } from '../model/types.js';
import type { Endpoint } from './evaluate.js';

export type Resolved = { endpoint: Endpoint; note?: string } | { error: string };

export function resolveEndpoint(cluster: Cluster, text: string, defaultNs = 'default'): Resolved {
  if (parseIp(text)) {
    const pod = cluster.pods.find((p) => p.ips.includes(text));
    if (pod) return { endpoint: { kind: 'pod', pod }, note: `${text} is the IP of pod ${pod.namespace}/${pod.name}` };
    return { endpoint: { kind: 'ip', ip: text } };
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
