// Which (port, protocol) probes a matrix covers by default: every port some pod declares.
import type { Cluster, Pod, Protocol } from '../model/types.js';

export interface Probe {
  /** A number, or a port name resolved on each destination pod. */
  port: number | string;
  protocol: Protocol;
}

export function declaredProbes(cluster: Cluster): Probe[] {
  const seen = new Map<string, Probe>();
  for (const pod of cluster.pods) {
    for (const p of pod.ports) seen.set(`${p.containerPort}/${p.protocol}`, { port: p.containerPort, protocol: p.protocol });
  }
  const order: Record<Protocol, number> = { TCP: 0, UDP: 1, SCTP: 2 };
  return [...seen.values()].sort((a, b) => (a.port as number) - (b.port as number) || order[a.protocol] - order[b.protocol]);
}

/** The number a probe targets on a destination pod, or undefined when a named port is not declared there. */
export function resolveProbePort(probe: Probe, dest: Pod | undefined): number | undefined {
  if (typeof probe.port === 'number') return probe.port;
  const hit = dest?.ports.find((p) => p.name === probe.port && p.protocol === probe.protocol);
  return hit?.containerPort;
}

/** Parse `80`, `80/UDP`, `http/TCP`; protocol defaults to TCP as in the API. */
export function parseProbe(text: string): Probe | undefined {
  const m = /^([A-Za-z0-9-]+)(?:\/(TCP|UDP|SCTP))?$/i.exec(text.trim());
  if (!m) return undefined;
  const protocol = (m[2] ?? 'TCP').toUpperCase() as Protocol;
  const port = /^\d+$/.test(m[1]!) ? Number(m[1]) : m[1]!;
  if (typeof port === 'number' && (port < 1 || port > 65535)) return undefined;
  return { port, protocol };
}
