// netpol coverage: which pods no policy isolates (per direction), and who may reach each pod:
// anyone in the cluster, the internet, and pods or namespaces that do not exist yet but would be
// admitted because a selector is wider than what is deployed (named by the peer that admits them).
import { Evaluator, type Endpoint } from '../../evaluate/evaluate.js';
import type { IpBlockPods } from '../../match/peer.js';
import { Reachability } from '../../matrix/engine.js';
import { podId, policyId, type Cluster, type Direction, type Pod, type Protocol } from '../../model/types.js';
import { describePeer } from '../explain/describe.js';
import { serviceExposure, type ServiceExposure } from '../service-exposure.js';
import { representativePorts } from '../ports.js';
import { collectSelectors, externalRegions, hypotheticals, isHypothetical, HYPOTHETICAL, tierAddressBlocks, withTierSelectors } from '../universe.js';

export interface WiderReach {
  /** An example of a source that does not exist yet. */
  example: string;
  port: number;
  protocol: Protocol;
  policy: string;
  /** The peer that admits it, e.g. spec.ingress[0].from[0], and its meaning. */
  peer: string;
  selector: string;
  file?: string;
  line?: number;
}

export interface PodExposure {
  pod: string;
  isolated: { ingress: boolean; egress: boolean };
  ports: string[];
  /** A pod with no labels in a new, unlabelled namespace may connect. */
  fromAnyNamespace: boolean;
  /** A pod with no labels in the pod's own namespace may connect. */
  fromAnyPodInNamespace: boolean;
  /** External address regions that may connect ("outside every ipBlock" stands for the internet). */
  fromExternal: string[];
  wider: WiderReach[];
}

export interface CoverageReport {
  isolation: Record<Direction, { isolated: string[]; notIsolated: string[] }>;
  exposure: PodExposure[];
  /** NodePort/LoadBalancer Service ports and what reaches their backing pods from outside (present when the input has such Services). */
  services?: Omit<ServiceExposure, 'portIndex'>[];
}

export function computeCoverage(cluster: Cluster, options: { ipBlockPods?: IpBlockPods } = {}): CoverageReport {
  const report = coverageOf(cluster, options, true);
  const published = serviceExposure(cluster, options);
  return published.length ? { ...report, services: published.map(({ portIndex: _, ...e }) => e) } : report;
}

/**
 * `byClass` answers once per pod class of the class engine (IP atoms included) and kind of pod
 * (declared ports, known IP, hostNetwork): every question below reads only those, so the other
 * pods of the class get a copy. false asks for every pod, the reading the test pins it to.
 */
export function coverageOf(cluster: Cluster, options: { ipBlockPods?: IpBlockPods }, byClass: boolean): CoverageReport {
  const hyp = hypotheticals(cluster, withTierSelectors(collectSelectors(cluster.policies), cluster.clusterPolicies), { maxPods: 400 });
  // Always have an unlabelled pod in an unlabelled new namespace, for "anyone in the cluster".
  const blankNs = { kind: 'Namespace' as const, name: `${HYPOTHETICAL}ns-blank`, labels: { 'kubernetes.io/metadata.name': `${HYPOTHETICAL}ns-blank` }, implicit: true };
  const blank = (ns: string): Pod => ({ kind: 'Pod', name: `${HYPOTHETICAL}pod-blank`, namespace: ns, labels: {}, ips: [], ports: [], hostNetwork: false });
  const namespaces = [...cluster.namespaces, ...hyp.namespaces, blankNs];
  const blanks = new Map<string, Pod>(namespaces.map((n) => [n.name, blank(n.name)]));
  const world: Cluster = { namespaces, pods: [...cluster.pods, ...hyp.pods.filter((p) => Object.keys(p.labels).length > 0), ...blanks.values()], policies: cluster.policies, clusterPolicies: cluster.clusterPolicies, nodes: cluster.nodes };
  const ev = new Evaluator(world, { ipBlockPods: options.ipBlockPods ?? 'match' });
  const regions = externalRegions(cluster.policies, tierAddressBlocks(cluster.clusterPolicies, cluster.nodes));
  if (!regions.some((r) => r.region === 'outside every ipBlock')) regions.push({ ip: '1.1.1.1', region: 'outside every ipBlock', label: 'the internet' });
  const fallback = representativePorts([...cluster.policies, ...(cluster.clusterPolicies ?? [])], cluster);
  const policies = new Map(cluster.policies.map((p) => [policyId(p), p]));
  const isolation = {
    ingress: { isolated: [] as string[], notIsolated: [] as string[] },
    egress: { isolated: [] as string[], notIsolated: [] as string[] },
  };
  const exposure: PodExposure[] = [];
  const engine = byClass ? new Reachability(cluster, { ipBlockPods: 'match' }) : undefined;
  const memo = new Map<string, PodExposure>();
  for (const [index, pod] of cluster.pods.entries()) {
    const key = engine && `${engine.classOfIndex(index)} ${pod.ips.length > 0} ${pod.hostNetwork} ${JSON.stringify(pod.ports.map((c) => [c.containerPort, c.protocol]))}`;
    const seen = key === undefined ? undefined : memo.get(key);
    if (seen) {
      for (const d of ['ingress', 'egress'] as const) isolation[d][seen.isolated[d] ? 'isolated' : 'notIsolated'].push(podId(pod));
      exposure.push({ ...seen, pod: podId(pod), isolated: { ...seen.isolated }, ports: [...seen.ports], fromExternal: [...seen.fromExternal], wider: seen.wider.map((w) => ({ ...w })) });
      continue;
    }
    const iso = { ingress: ev.isolatingPolicies(pod, 'ingress').length > 0, egress: ev.isolatingPolicies(pod, 'egress').length > 0 };
    for (const d of ['ingress', 'egress'] as const) isolation[d][iso[d] ? 'isolated' : 'notIsolated'].push(podId(pod));
    const probes = pod.ports.length ? pod.ports.map((c) => ({ port: c.containerPort, protocol: c.protocol })) : fallback;
    const to: Endpoint = { kind: 'pod', pod };
    const can = (from: Endpoint) => probes.find((q) => ev.allowed({ from, to, port: q.port, protocol: q.protocol }));
    const e: PodExposure = {
      pod: podId(pod),
      isolated: iso,
      ports: probes.map((q) => `${q.port}/${q.protocol}`),
      fromAnyNamespace: can({ kind: 'pod', pod: blanks.get(blankNs.name)! }) !== undefined,
      fromAnyPodInNamespace: can({ kind: 'pod', pod: blanks.get(pod.namespace)! }) !== undefined,
      fromExternal: regions.filter((r) => can({ kind: 'ip', ip: r.ip })).map((r) => (r.region === 'outside every ipBlock' ? 'the internet' : r.label)),
      wider: [],
    };
    if (iso.ingress) {
      const seen = new Set<string>();
      for (const src of world.pods) {
        if (!isHypothetical(src.name) && !isHypothetical(src.namespace)) continue;
        if (Object.keys(src.labels).length === 0 && blanks.get(src.namespace) === src && !isHypothetical(src.namespace)) continue;
        for (const q of probes) {
          const v = ev.evaluate({ from: { kind: 'pod', pod: src }, to, port: q.port, protocol: q.protocol });
          if (!v.allowed) continue;
          const pt = v.ingress.policies.find((x) => x.allowed === true);
          const rt = pt?.rules.find((r) => r.matched === true);
          if (!pt || !rt || rt.peer === undefined) continue;
          const policy = policies.get(pt.policy)!;
          const peer = policy.ingress[rt.index]!.peers[rt.peer]!;
          if (seen.has(peer.path + pt.policy)) continue;
          seen.add(peer.path + pt.policy);
          const ns = namespaces.find((n) => n.name === src.namespace)!;
          const labels = (l: Record<string, string>) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(',') || '(no labels)';
          const w: WiderReach = {
            example: `${isHypothetical(src.namespace) ? 'a new namespace' : `namespace ${src.namespace}`} labelled ${labels(ns.labels)}, pod labelled ${labels(src.labels)}`,
            port: q.port, protocol: q.protocol, policy: pt.policy, peer: peer.path, selector: describePeer(peer, policy.namespace),
          };
          if (pt.file) w.file = pt.file;
          if (policy.origin) w.line = policy.origin.locate(peer.path).line;
          e.wider.push(w);
          break;
        }
      }
    }
    exposure.push(e);
    if (key !== undefined) memo.set(key, e);
  }
  return { isolation, exposure };
}
