// Seeded random clusters mixing NetworkPolicies (test/oracle/generate.ts, same seed) with Admin
// and Baseline tier ClusterNetworkPolicies, nodes and hostNetwork pods, for differential tests of
// the tier engines against test/oracle/reference-tiers.ts. Features drawn on purpose: priorities
// from a small set (so ties happen), Accept/Deny/Pass in both tiers, namespaces/pods subjects,
// namespaces/pods/networks/nodes/domainNames peers and now and then an unknown peer, numeric,
// range and named-port protocols; some policies are v1alpha1 AdminNetworkPolicy or the
// BaselineAdminNetworkPolicy `default`. Returns the model and the raw v1alpha2 manifests (for loader
// round trips once the CNP loader lands).
import type { Cluster, ClusterPolicy, ContainerPort, LabelSelector, Node, Pod, PolicyPort, TierAction, TierPeer, TierRule, TierSubject } from '../../src/model/types.js';
import { GENERATED_PORTS, PROTOCOL_LIST, generateCluster, rng, type GenerateOptions, type Generated } from './generate.js';

export interface TierGenerateOptions extends GenerateOptions {
  clusterPolicies?: number; // max (default 5)
  nodes?: number; // max (default 3)
}

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: R, p: number) => r() < p;
const upTo = (r: R, n: number) => Math.floor(r() * (n + 1));

const PRIORITIES = [0, 5, 5, 5, 10, 10, 1000];
const PORT_NAMES = ['http', 'dns', 'serve-81']; // as in generate.ts, so named ports resolve
const NS_KEYS = ['team', 'env'];
const LABEL_KEYS = ['app', 'tier', 'pod'];
const LABEL_VALUES = ['a', 'b', 'c'];
const NODE_ZONES = ['z1', 'z2'];
const nodeV4 = (i: number) => `172.18.0.${i + 2}`;
const nodeV6 = (i: number) => `fc00:f853::${i + 2}`;

function selector(r: R, keys: readonly string[]): { model: LabelSelector; raw: Record<string, unknown> } {
  if (chance(r, 0.25)) return { model: { matchLabels: {}, matchExpressions: [] }, raw: {} };
  if (chance(r, 0.7)) {
    const key = pick(r, keys);
    const value = pick(r, LABEL_VALUES);
    return { model: { matchLabels: { [key]: value }, matchExpressions: [] }, raw: { matchLabels: { [key]: value } } };
  }
  const key = pick(r, keys);
  const operator = pick(r, ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const);
  const values = operator === 'In' || operator === 'NotIn' ? [pick(r, LABEL_VALUES)] : [];
  return { model: { matchLabels: {}, matchExpressions: [{ key, operator, values }] }, raw: { matchExpressions: [values.length ? { key, operator, values } : { key, operator }] } };
}

function nsSelector(r: R, nsNames: readonly string[]): { model: LabelSelector; raw: Record<string, unknown> } {
  if (chance(r, 0.35)) {
    const name = pick(r, nsNames);
    return { model: { matchLabels: { 'kubernetes.io/metadata.name': name }, matchExpressions: [] }, raw: { matchLabels: { 'kubernetes.io/metadata.name': name } } };
  }
  return selector(r, NS_KEYS);
}

function networks(r: R, nsCount: number): string[] {
  const out = new Set<string>();
  for (let i = 0, n = upTo(r, 1) + 1; i < n; i++) {
    const ns = upTo(r, nsCount);
    out.add(pick(r, [`10.${ns}.0.0/24`, `10.${ns}.0.${10 + upTo(r, 3)}/32`, '0.0.0.0/0', '::/0', `fd00:${ns}::/64`, '172.18.0.0/16', `${nodeV4(upTo(r, 2))}/32`, '192.168.0.0/16']));
  }
  return [...out];
}

function peer(r: R, path: string, direction: 'ingress' | 'egress', action: TierAction, nsNames: readonly string[], domainNamesOk: boolean): { model: TierPeer; raw: Record<string, unknown> } {
  const kinds = direction === 'ingress' ? (['namespaces', 'pods', 'pods'] as const) : (['namespaces', 'pods', 'pods', 'networks', 'networks', 'nodes', 'domainNames'] as const);
  let kind: string = pick(r, kinds);
  // CEL: domainNames only with Accept; BaselineAdminNetworkPolicy has no domainNames peer at all.
  if (kind === 'domainNames' && (action !== 'Accept' || !domainNamesOk)) kind = 'networks';
  if (chance(r, 0.03)) return { model: { kind: 'unknown', field: 'futurePeer', path }, raw: { futurePeer: {} } };
  switch (kind) {
    case 'namespaces': {
      const s = nsSelector(r, nsNames);
      return { model: { kind: 'namespaces', namespaceSelector: s.model, path }, raw: { namespaces: s.raw } };
    }
    case 'pods': {
      const n = nsSelector(r, nsNames);
      const p = selector(r, LABEL_KEYS);
      return { model: { kind: 'pods', namespaceSelector: n.model, podSelector: p.model, path }, raw: { pods: { namespaceSelector: n.raw, podSelector: p.raw } } };
    }
    case 'networks': {
      const cidrs = networks(r, nsNames.length);
      return { model: { kind: 'networks', cidrs, path }, raw: { networks: [...cidrs] } };
    }
    case 'nodes': {
      const s = chance(r, 0.5) ? { model: { matchLabels: { 'kubernetes.io/os': 'linux' }, matchExpressions: [] }, raw: { matchLabels: { 'kubernetes.io/os': 'linux' } } } : selector(r, ['zone']);
      return { model: { kind: 'nodes', nodeSelector: s.model, path }, raw: { nodes: s.raw } };
    }
    default: {
      const domainNames = [pick(r, ['example.com', '*.example.com', 'kubernetes.io'])];
      return { model: { kind: 'domainNames', domainNames, path }, raw: { domainNames: [...domainNames] } };
    }
  }
}

type Raw = Record<string, unknown>;

/** `protocols` (v1alpha2) and the same in v1alpha1 `ports` form (portNumber / namedPort / portRange). */
function protocols(r: R, path: string, namedAllowed: boolean): { model: PolicyPort[]; raw: Raw[]; rawV1: Raw[] } | undefined {
  if (chance(r, 0.45)) return undefined;
  const model: PolicyPort[] = [];
  const raw: Raw[] = [];
  const rawV1: Raw[] = [];
  for (let i = 0, n = upTo(r, 1) + 1; i < n; i++) {
    const p = `${path}[${i}]`;
    if (namedAllowed && chance(r, 0.3)) {
      const name = pick(r, PORT_NAMES);
      for (const protocol of PROTOCOL_LIST) model.push({ protocol, port: name, path: `${p}.destinationNamedPort` });
      raw.push({ destinationNamedPort: name });
      rawV1.push({ namedPort: name });
      continue;
    }
    const protocol = pick(r, PROTOCOL_LIST);
    const key = protocol.toLowerCase();
    if (chance(r, 0.25)) {
      const start = pick(r, [53, 79, 80]);
      const end = start + pick(r, [1, 2, 8000]);
      model.push({ protocol, port: start, endPort: end, path: `${p}.${key}.destinationPort.range` });
      raw.push({ [key]: { destinationPort: { range: { start, end } } } });
      rawV1.push({ portRange: { protocol, start, end } });
    } else {
      const number = pick(r, GENERATED_PORTS);
      model.push({ protocol, port: number, path: `${p}.${key}.destinationPort` });
      raw.push({ [key]: { destinationPort: { number } } });
      rawV1.push({ portNumber: { protocol, port: number } });
    }
  }
  return { model, raw, rawV1 };
}

const ACCEPT_WORD = { v1alpha1: 'Allow', v1alpha2: 'Accept' } as const;

function rules(r: R, direction: 'ingress' | 'egress', nsNames: readonly string[], actions: readonly TierAction[], version: 'v1alpha1' | 'v1alpha2', domainNamesOk: boolean):
  { model: TierRule[]; raw: Raw[] } {
  const model: TierRule[] = [];
  const raw: Raw[] = [];
  const field = direction === 'ingress' ? 'from' : 'to';
  for (let i = 0, n = upTo(r, 3); i < n; i++) {
    const path = `spec.${direction}[${i}]`;
    const action = pick(r, actions);
    const written = action === 'Accept' ? ACCEPT_WORD[version] : action;
    const peers: TierPeer[] = [];
    const rawPeers: Record<string, unknown>[] = [];
    for (let j = 0, m = upTo(r, 1) + 1; j < m; j++) {
      const p = peer(r, `${path}.${field}[${j}]`, direction, action, nsNames, domainNamesOk);
      peers.push(p.model);
      rawPeers.push(p.raw);
    }
    // CEL: no named ports with networks/nodes/domainNames peers.
    const namedAllowed = peers.every((p) => p.kind === 'namespaces' || p.kind === 'pods');
    const ports = protocols(r, `${path}.protocols`, namedAllowed);
    const name = chance(r, 0.7) ? `${direction}-${i}` : undefined;
    model.push({ ...(name ? { name } : {}), action, actionWritten: written, peers, ports: ports?.model ?? [], path });
    const rawPorts = ports ? (version === 'v1alpha2' ? { protocols: ports.raw } : { ports: ports.rawV1 }) : {};
    raw.push({ ...(name ? { name } : {}), action: written, [field]: rawPeers, ...rawPorts });
  }
  return { model, raw };
}

/**
 * One tier policy: mostly ClusterNetworkPolicy v1alpha2; now and then an AdminNetworkPolicy
 * (v1alpha1: Allow/Deny/Pass, priority 0–1000) or the singleton BaselineAdminNetworkPolicy
 * `default` (v1alpha1: Allow/Deny, no priority), which the model reads with the same semantics.
 */
function clusterPolicy(r: R, index: number, nsNames: readonly string[], banpTaken: boolean): { model: ClusterPolicy; raw: Raw } {
  const tier = chance(r, 0.6) ? 'Admin' : 'Baseline';
  const kind: ClusterPolicy['kind'] = tier === 'Admin' ? (chance(r, 0.25) ? 'AdminNetworkPolicy' : 'ClusterNetworkPolicy')
    : !banpTaken && chance(r, 0.3) ? 'BaselineAdminNetworkPolicy' : 'ClusterNetworkPolicy';
  const version = kind === 'ClusterNetworkPolicy' ? 'v1alpha2' : 'v1alpha1';
  const apiVersion = `policy.networking.k8s.io/${version}`;
  const name = kind === 'BaselineAdminNetworkPolicy' ? 'default' : `${kind === 'AdminNetworkPolicy' ? 'anp' : 'cnp'}-${index}`;
  const priority = kind === 'BaselineAdminNetworkPolicy' ? 0 : pick(r, PRIORITIES);
  let subject: TierSubject;
  let rawSubject: Raw;
  if (chance(r, 0.5)) {
    const s = nsSelector(r, nsNames);
    subject = { namespaces: s.model };
    rawSubject = { namespaces: s.raw };
  } else {
    const n = nsSelector(r, nsNames);
    const p = selector(r, LABEL_KEYS);
    subject = { pods: { namespaceSelector: n.model, podSelector: p.model } };
    rawSubject = { pods: { namespaceSelector: n.raw, podSelector: p.raw } };
  }
  const actions: TierAction[] = kind === 'BaselineAdminNetworkPolicy' ? ['Accept', 'Deny'] : ['Accept', 'Deny', 'Pass'];
  const domainNamesOk = kind !== 'BaselineAdminNetworkPolicy';
  const ingress = rules(r, 'ingress', nsNames, actions, version, domainNamesOk);
  const egress = rules(r, 'egress', nsNames, actions, version, domainNamesOk);
  const spec: Raw = {
    ...(kind === 'ClusterNetworkPolicy' ? { tier } : {}),
    ...(kind === 'BaselineAdminNetworkPolicy' ? {} : { priority }),
    subject: rawSubject,
    ...(ingress.raw.length ? { ingress: ingress.raw } : {}),
    ...(egress.raw.length ? { egress: egress.raw } : {}),
  };
  return {
    model: { kind, apiVersion, name, tier, priority, subject, ingress: ingress.model, egress: egress.model },
    raw: { apiVersion, kind, metadata: { name }, spec },
  };
}

function hostPorts(r: R): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const protocol of PROTOCOL_LIST) if (chance(r, 0.5)) out.push({ name: pick(r, PORT_NAMES), containerPort: pick(r, GENERATED_PORTS), protocol });
  return out;
}

/** A random cluster of generate.ts (same seed) plus nodes, hostNetwork pods and tier policies. */
export function generateTierCluster(seed: number, opts: TierGenerateOptions = {}): Generated {
  const base = generateCluster(seed, opts);
  const r = rng(seed ^ 0x5bd1e995);
  const nsNames = base.cluster.namespaces.map((n) => n.name);
  const nodes: Node[] = [];
  for (let i = 0, n = 1 + upTo(r, (opts.nodes ?? 3) - 1); i < n; i++) {
    const labels: Record<string, string> = { 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': `node-${i}`, zone: pick(r, NODE_ZONES) };
    nodes.push({ kind: 'Node', name: `node-${i}`, labels, addresses: chance(r, 0.3) ? [nodeV4(i), nodeV6(i)] : [nodeV4(i)] });
  }
  const manifests = [...base.manifests];
  for (const n of nodes) {
    manifests.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: n.name, labels: { ...n.labels } }, status: { addresses: n.addresses.map((address) => ({ type: 'InternalIP', address })) } });
  }
  // Every pod gets a node; some namespaces get a hostNetwork pod, whose IPs are its node's.
  const pods: Pod[] = base.cluster.pods.map((p) => ({ ...p, nodeName: pick(r, nodes).name }));
  for (const m of manifests) {
    if (m.kind !== 'Pod') continue;
    const meta = m.metadata as { name: string; namespace: string };
    const pod = pods.find((p) => p.name === meta.name && p.namespace === meta.namespace)!;
    m.spec = { ...(m.spec as Record<string, unknown>), nodeName: pod.nodeName };
  }
  for (const ns of nsNames) {
    if (!chance(r, 0.35)) continue;
    const node = pick(r, nodes);
    const labels: Record<string, string> = chance(r, 0.5) ? { [pick(r, LABEL_KEYS)]: pick(r, LABEL_VALUES) } : {};
    const ports = hostPorts(r);
    const pod: Pod = { kind: 'Pod', name: 'host', namespace: ns, labels, ips: [...node.addresses], ports, hostNetwork: true, nodeName: node.name };
    pods.push(pod);
    manifests.push({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'host', namespace: ns, labels },
      spec: { hostNetwork: true, nodeName: node.name, containers: ports.length ? ports.map((cp, i) => ({ name: `c${i}`, image: 'agnhost', ports: [{ ...cp }] })) : [{ name: 'c0', image: 'agnhost' }] },
      status: { podIP: node.addresses[0], ...(node.addresses.length > 1 ? { podIPs: node.addresses.map((ip) => ({ ip })) } : {}) },
    });
  }
  const clusterPolicies: ClusterPolicy[] = [];
  for (let i = 0, n = 1 + upTo(r, (opts.clusterPolicies ?? 5) - 1); i < n; i++) {
    const p = clusterPolicy(r, i, nsNames, clusterPolicies.some((c) => c.kind === 'BaselineAdminNetworkPolicy'));
    clusterPolicies.push(p.model);
    manifests.push(p.raw);
  }
  const cluster: Cluster = { ...base.cluster, pods, nodes, clusterPolicies };
  return { seed, cluster, manifests, externalIps: [...base.externalIps, ...nodes.flatMap((n) => n.addresses)] };
}

