// The page's engine calls, free of DOM so they run in the worker, in the main thread as a
// fallback, and in Node tests. Pods that look the same to every policy (namespace, labels,
// ports, IPs, hostNetwork) share one evaluation for the ipBlock nodes; the matrix comes from
// the class-based engine (computeMatrix).
import {
  Evaluator, computeMatrix, declaredProbes, loadSources, parseProbe, renderVerdictText, resolveEndpoint, resolveProbePort, sampleAddress,
  endpointName, evaluateService, serviceId, parseServiceRef, renderServiceVerdictText, resolveServiceTarget, SERVICE_AS_SOURCE,
  type Cluster, type Diagnostic, type Matrix, type Pod, type Probe, type ServiceVerdict, type Source, type Verdict,
} from '../index.js';

export const IPBLOCK_PODS = 'match' as const;

/** An address inside an ipBlock and outside its excepts (src/net/cidr.ts). */
export { sampleAddress };

export interface PodInfo {
  id: string;
  namespace: string;
  name: string;
  /** `Deployment/api`, or the pod's own name for a bare Pod: the graph's node. */
  workload: string;
  labels: Record<string, string>;
  isolatedIngress: boolean;
  isolatedEgress: boolean;
}

export interface BlockInfo {
  id: string;
  cidr: string;
  except: string[];
  /** Address used to probe the block (its first address outside every except). */
  sample: string;
  /** Per probe: pod indexes that may send to the block, and that the block may reach. */
  out: number[][];
  in: number[][];
}

export interface Analysis {
  diagnostics: Diagnostic[];
  rejectedPolicies: number;
  namespaces: string[];
  policies: number;
  pods: PodInfo[];
  /** `svc:ns/name` of every Service, for the query box. */
  services: string[];
  probes: Probe[];
  matrix: Matrix;
  blocks: BlockInfo[];
  ms: number;
}

/** Pods grouped by everything evaluation looks at; `classOf[i]` indexes `reps`. */
function classes(pods: readonly Pod[]): { classOf: number[]; members: number[][] } {
  const keys = new Map<string, number>();
  const classOf: number[] = [];
  const members: number[][] = [];
  pods.forEach((p, i) => {
    const labels = Object.keys(p.labels).sort().map((k) => [k, p.labels[k]]);
    const key = JSON.stringify([p.namespace, labels, p.ports, p.ips, p.hostNetwork]);
    let c = keys.get(key);
    if (c === undefined) {
      c = members.length;
      keys.set(key, c);
      members.push([]);
    }
    members[c]!.push(i);
    classOf.push(c);
  });
  return { classOf, members };
}

function blocksOf(cluster: Cluster, probes: readonly Probe[]): BlockInfo[] {
  const seen = new Map<string, BlockInfo>();
  for (const pol of cluster.policies) {
    for (const rule of [...pol.ingress, ...pol.egress]) {
      for (const peer of rule.peers) {
        if (!peer.ipBlock) continue;
        const id = `${peer.ipBlock.cidr}${peer.ipBlock.except.length ? ` except ${peer.ipBlock.except.join(',')}` : ''}`;
        if (!seen.has(id)) seen.set(id, { id, cidr: peer.ipBlock.cidr, except: [...peer.ipBlock.except], sample: sampleAddress(peer.ipBlock.cidr, peer.ipBlock.except), out: [], in: [] });
      }
    }
  }
  const ev = new Evaluator(cluster, { ipBlockPods: IPBLOCK_PODS });
  const { classOf, members } = classes(cluster.pods);
  for (const b of seen.values()) {
    const ip = { kind: 'ip' as const, ip: b.sample };
    for (const probe of probes) {
      const outC = members.map((m) => {
        const pod = cluster.pods[m[0]!]!;
        return typeof probe.port === 'number' && ev.allowed({ from: { kind: 'pod', pod }, to: ip, port: probe.port, protocol: probe.protocol });
      });
      const inC = members.map((m) => {
        const pod = cluster.pods[m[0]!]!;
        const port = resolveProbePort(probe, pod);
        return port !== undefined && ev.allowed({ from: ip, to: { kind: 'pod', pod }, port, protocol: probe.protocol });
      });
      b.out.push(cluster.pods.map((_, i) => i).filter((i) => outC[classOf[i]!]));
      b.in.push(cluster.pods.map((_, i) => i).filter((i) => inC[classOf[i]!]));
    }
  }
  return [...seen.values()];
}

let last: Cluster | undefined;

export function analyze(sources: readonly Source[]): Analysis {
  const t0 = Date.now();
  const result = loadSources(sources);
  const cluster = result.cluster;
  last = cluster;
  const probes = declaredProbes(cluster);
  if (probes.length === 0) probes.push({ port: 80, protocol: 'TCP' });
  const ev = new Evaluator(cluster);
  const pods: PodInfo[] = cluster.pods.map((p) => ({
    id: `${p.namespace}/${p.name}`,
    namespace: p.namespace,
    name: p.name,
    workload: p.workload ? `${p.workload.kind}/${p.workload.name}` : p.name,
    labels: { ...p.labels },
    isolatedIngress: ev.isolatingPolicies(p, 'ingress').length > 0,
    isolatedEgress: ev.isolatingPolicies(p, 'egress').length > 0,
  }));
  return {
    diagnostics: result.diagnostics,
    rejectedPolicies: result.rejectedPolicies,
    namespaces: cluster.namespaces.map((n) => n.name),
    policies: cluster.policies.length,
    pods,
    services: (cluster.services ?? []).map(serviceId),
    probes,
    matrix: computeMatrix(cluster, probes, { ipBlockPods: IPBLOCK_PODS }),
    blocks: blocksOf(cluster, probes),
    ms: Date.now() - t0,
  };
}

export type Explained = { verdict: Verdict; text: string } | { service: ServiceVerdict; text: string } | { error: string };

/** from/to as `ns/name`, workload or IP; port as `3306`, `53/UDP` or a port name. */
export function explain(from: string, to: string, portText: string): Explained {
  const cluster = last;
  if (!cluster) return { error: 'nothing loaded yet' };
  const probe = parseProbe(portText);
  if (!probe) return { error: `"${portText}" is not a port: use a number or a name, optionally /TCP, /UDP or /SCTP` };
  if (parseServiceRef(from)) return { error: `from ${from}: ${SERVICE_AS_SOURCE}` };
  const svc = resolveServiceTarget(cluster, to, portText);
  if (svc) {
    if ('error' in svc) return { error: `to ${to}: ${svc.error}` };
    const r = resolveEndpoint(cluster, from.trim());
    if ('error' in r) return { error: `from ${from}: ${r.error}` };
    const service = evaluateService(new Evaluator(cluster, { ipBlockPods: IPBLOCK_PODS }), r.endpoint, svc.service, svc.servicePort);
    if (r.note) service.notes = [r.note, ...(service.notes ?? [])];
    const sp = svc.servicePort;
    return { service, text: renderServiceVerdictText(endpointName(r.endpoint), service, `port ${sp.name ? `${sp.name} ` : ''}${sp.port}/${sp.protocol} (targetPort ${sp.targetPort})`) };
  }
  const ends = [];
  const notes: string[] = [];
  for (const [label, text] of [['from', from], ['to', to]] as const) {
    if (!text.trim()) return { error: `${label}: give a pod (namespace/name), a workload or an IP address` };
    const r = resolveEndpoint(cluster, text.trim());
    if ('error' in r) return { error: `${label} ${text}: ${r.error}` };
    ends.push(r.endpoint);
    if (r.note) notes.push(r.note);
  }
  const [src, dst] = ends as [(typeof ends)[number], (typeof ends)[number]];
  const port = resolveProbePort(probe, dst.kind === 'pod' ? dst.pod : undefined);
  if (port === undefined) return { error: `port ${portText}: ${dst.kind === 'pod' ? `${to} declares no ${probe.protocol} port named "${probe.port}"` : 'a named port needs a pod as destination'}` };
  const verdict = new Evaluator(cluster, { ipBlockPods: IPBLOCK_PODS }).evaluate({ from: src, to: dst, port, protocol: probe.protocol });
  verdict.notes.unshift(...notes);
  return { verdict, text: renderVerdictText(verdict) };
}
