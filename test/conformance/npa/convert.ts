// Test-only converter from the upstream conformance manifests (raw objects, already parsed) to
// the shared model (src/model/types.ts). It knows only what the suite uses: Namespace,
// StatefulSet (expanded to its pods), NetworkPolicy and ClusterNetworkPolicy v1alpha2. The real
// loader lives in src/load; after both land, a test checks that the two agree on these inputs.
// Anything unexpected throws: this is test data, a silent guess would hide a transcription error.
import type {
  Cluster, ClusterPolicy, ContainerPort, LabelSelector, Labels, Namespace, NetworkPolicy, Node, Peer, Pod, PolicyPort, Protocol, Rule,
  TierAction, TierPeer, TierRule, TierSubject,
} from '../../../src/model/types.js';

export type Obj = Record<string, unknown>;

/** The upstream CI runs the suite on a single-stack IPv4 and a single-stack IPv6 kind cluster. */
export type IpFamily = 'ipv4' | 'ipv6';

export interface Topology {
  nodes: { name: string; labels: Record<string, string>; addresses: string[]; addressesV6?: string[] }[];
  /** `namespace/name` → node it runs on and its pod IP (absent for hostNetwork pods: the node's). */
  pods: Record<string, { node: string; ip?: string; ipv6?: string }>;
}

const PROTOCOL_KEYS: Record<string, Protocol> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

function obj(v: unknown, what: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${what}: expected a mapping`);
  return v as Obj;
}

function list(v: unknown, what: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Error(`${what}: expected a list`);
  return v;
}

function onlyKeys(o: Obj, keys: string[], what: string): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw new Error(`${what}: unexpected field ${k}`);
}

export function selector(v: unknown, what: string): LabelSelector {
  if (v === undefined || v === null) return { matchLabels: {}, matchExpressions: [] };
  const o = obj(v, what);
  onlyKeys(o, ['matchLabels', 'matchExpressions'], what);
  const matchLabels: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(o.matchLabels ?? {}, `${what}.matchLabels`))) matchLabels[k] = String(val);
  const matchExpressions = list(o.matchExpressions, `${what}.matchExpressions`).map((e, i) => {
    const x = obj(e, `${what}.matchExpressions[${i}]`);
    return { key: String(x.key), operator: x.operator as LabelSelector['matchExpressions'][number]['operator'], values: list(x.values, 'values').map(String) };
  });
  return { matchLabels, matchExpressions };
}

function labelsOf(meta: Obj): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(meta.labels ?? {}, 'metadata.labels'))) out[k] = String(v);
  return out;
}

// --- ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) --------------------------------

function tierPeer(v: unknown, path: string): TierPeer {
  const o = obj(v, path);
  const keys = Object.keys(o);
  // "Exactly one of the fields must be set": anything else is an unknown peer (fail closed).
  if (keys.length !== 1) return { kind: 'unknown', field: keys.join(',') || '(none)', path };
  const key = keys[0]!;
  const val = o[key];
  switch (key) {
    case 'namespaces':
      return { kind: 'namespaces', namespaceSelector: selector(val, `${path}.namespaces`), path };
    case 'pods': {
      const p = obj(val, `${path}.pods`);
      onlyKeys(p, ['namespaceSelector', 'podSelector'], `${path}.pods`);
      return { kind: 'pods', namespaceSelector: selector(p.namespaceSelector, `${path}.pods.namespaceSelector`), podSelector: selector(p.podSelector, `${path}.pods.podSelector`), path };
    }
    case 'networks':
      return { kind: 'networks', cidrs: list(val, `${path}.networks`).map(String), path };
    case 'nodes':
      return { kind: 'nodes', nodeSelector: selector(val, `${path}.nodes`), path };
    case 'domainNames':
      return { kind: 'domainNames', domainNames: list(val, `${path}.domainNames`).map(String), path };
    default:
      return { kind: 'unknown', field: key, path };
  }
}

/**
 * `protocols[]` → PolicyPort[]. `destinationNamedPort` carries no protocol: the name is looked
 * up among the destination pod's container ports of any protocol, so it becomes one entry per
 * protocol (a container port name is unique within a pod, so at most one can resolve).
 */
function tierPorts(v: unknown, path: string): PolicyPort[] {
  const out: PolicyPort[] = [];
  list(v, path).forEach((e, i) => {
    const p = `${path}[${i}]`;
    const o = obj(e, p);
    const keys = Object.keys(o);
    if (keys.length !== 1) throw new Error(`${p}: exactly one protocol field expected`);
    const key = keys[0]!;
    if (key === 'destinationNamedPort') {
      for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) out.push({ protocol, port: String(o[key]), path: `${p}.destinationNamedPort` });
      return;
    }
    const protocol = PROTOCOL_KEYS[key];
    if (!protocol) throw new Error(`${p}: unknown protocol ${key}`);
    const body = obj(o[key] ?? {}, `${p}.${key}`);
    onlyKeys(body, ['destinationPort'], `${p}.${key}`);
    if (body.destinationPort === undefined) {
      out.push({ protocol, path: `${p}.${key}` });
      return;
    }
    const dp = obj(body.destinationPort, `${p}.${key}.destinationPort`);
    if (dp.number !== undefined) out.push({ protocol, port: Number(dp.number), path: `${p}.${key}.destinationPort` });
    else {
      const r = obj(dp.range, `${p}.${key}.destinationPort.range`);
      out.push({ protocol, port: Number(r.start), endPort: Number(r.end), path: `${p}.${key}.destinationPort.range` });
    }
  });
  return out;
}

function tierRule(v: unknown, path: string, peersKey: 'from' | 'to'): TierRule {
  const o = obj(v, path);
  onlyKeys(o, ['name', 'action', peersKey, 'protocols'], path);
  const action = String(o.action);
  if (action !== 'Accept' && action !== 'Deny' && action !== 'Pass') throw new Error(`${path}.action: ${action}`);
  return {
    ...(o.name !== undefined ? { name: String(o.name) } : {}),
    action: action as TierAction,
    actionWritten: action,
    peers: list(o[peersKey], `${path}.${peersKey}`).map((p, i) => tierPeer(p, `${path}.${peersKey}[${i}]`)),
    ports: tierPorts(o.protocols, `${path}.protocols`),
    path,
  };
}

export function toClusterPolicy(raw: Obj): ClusterPolicy {
  if (raw.kind !== 'ClusterNetworkPolicy' || raw.apiVersion !== 'policy.networking.k8s.io/v1alpha2') throw new Error(`not a v1alpha2 ClusterNetworkPolicy: ${String(raw.kind)}`);
  const meta = obj(raw.metadata, 'metadata');
  const spec = obj(raw.spec, 'spec');
  onlyKeys(spec, ['tier', 'priority', 'subject', 'ingress', 'egress'], 'spec');
  if (spec.tier !== 'Admin' && spec.tier !== 'Baseline') throw new Error(`spec.tier: ${String(spec.tier)}`);
  const s = obj(spec.subject, 'spec.subject');
  let subject: TierSubject;
  if (Object.keys(s).length !== 1) throw new Error('spec.subject: exactly one of namespaces, pods');
  if ('namespaces' in s) subject = { namespaces: selector(s.namespaces, 'spec.subject.namespaces') };
  else {
    const p = obj(s.pods, 'spec.subject.pods');
    subject = { pods: { namespaceSelector: selector(p.namespaceSelector, 'spec.subject.pods.namespaceSelector'), podSelector: selector(p.podSelector, 'spec.subject.pods.podSelector') } };
  }
  return {
    kind: 'ClusterNetworkPolicy',
    apiVersion: String(raw.apiVersion),
    name: String(meta.name),
    tier: spec.tier,
    priority: Number(spec.priority),
    subject,
    ingress: list(spec.ingress, 'spec.ingress').map((r, i) => tierRule(r, `spec.ingress[${i}]`, 'from')),
    egress: list(spec.egress, 'spec.egress').map((r, i) => tierRule(r, `spec.egress[${i}]`, 'to')),
  };
}

// --- NetworkPolicy (only what the suite writes; defaulting as the API server does) ----------

function npPeer(v: unknown, path: string): Peer {
  const o = obj(v, path);
  onlyKeys(o, ['podSelector', 'namespaceSelector', 'ipBlock'], path);
  const b = o.ipBlock === undefined ? undefined : obj(o.ipBlock, `${path}.ipBlock`);
  return {
    ...(o.podSelector !== undefined ? { podSelector: selector(o.podSelector, `${path}.podSelector`) } : {}),
    ...(o.namespaceSelector !== undefined ? { namespaceSelector: selector(o.namespaceSelector, `${path}.namespaceSelector`) } : {}),
    ...(b ? { ipBlock: { cidr: String(b.cidr), except: list(b.except, 'except').map(String) } } : {}),
    path,
  };
}

function npRule(v: unknown, path: string, peersKey: 'from' | 'to'): Rule {
  const o = obj(v ?? {}, path);
  onlyKeys(o, [peersKey, 'ports'], path);
  return {
    peers: list(o[peersKey], `${path}.${peersKey}`).map((p, i) => npPeer(p, `${path}.${peersKey}[${i}]`)),
    ports: list(o.ports, `${path}.ports`).map((e, i) => {
      const x = obj(e, `${path}.ports[${i}]`);
      const protocol = (x.protocol ?? 'TCP') as Protocol;
      return { protocol, ...(x.port !== undefined ? { port: typeof x.port === 'number' ? x.port : String(x.port) } : {}), ...(x.endPort !== undefined ? { endPort: Number(x.endPort) } : {}), path: `${path}.ports[${i}]` };
    }),
    path,
  };
}

export function toNetworkPolicy(raw: Obj): NetworkPolicy {
  const meta = obj(raw.metadata, 'metadata');
  const spec = obj(raw.spec ?? {}, 'spec');
  onlyKeys(spec, ['podSelector', 'policyTypes', 'ingress', 'egress'], 'spec');
  const written = list(spec.policyTypes, 'spec.policyTypes').map(String) as ('Ingress' | 'Egress')[];
  const defaulted = written.length === 0;
  const policyTypes: ('Ingress' | 'Egress')[] = defaulted ? (list(spec.egress, 'spec.egress').length > 0 ? ['Ingress', 'Egress'] : ['Ingress']) : written;
  return {
    kind: 'NetworkPolicy',
    name: String(meta.name),
    namespace: String(meta.namespace ?? 'default'),
    podSelector: selector(spec.podSelector, 'spec.podSelector'),
    policyTypes,
    policyTypesDefaulted: defaulted,
    ingress: list(spec.ingress, 'spec.ingress').map((r, i) => npRule(r, `spec.ingress[${i}]`, 'from')),
    egress: list(spec.egress, 'spec.egress').map((r, i) => npRule(r, `spec.egress[${i}]`, 'to')),
  };
}

// --- Namespaces, StatefulSets → pods, nodes -------------------------------------------------

function toNamespace(raw: Obj): Namespace {
  const meta = obj(raw.metadata, 'metadata');
  const name = String(meta.name);
  // The API server always sets kubernetes.io/metadata.name to the namespace's name.
  return { kind: 'Namespace', name, labels: { ...labelsOf(meta), 'kubernetes.io/metadata.name': name }, implicit: false };
}

function statefulSetPods(raw: Obj, topology: Topology, nodes: readonly Node[], family: IpFamily): Pod[] {
  const meta = obj(raw.metadata, 'metadata');
  const spec = obj(raw.spec, 'spec');
  const template = obj(spec.template, 'spec.template');
  const podSpec = obj(template.spec, 'spec.template.spec');
  const labels: Labels = labelsOf(obj(template.metadata ?? {}, 'spec.template.metadata'));
  const hostNetwork = podSpec.hostNetwork === true;
  const ports: ContainerPort[] = [];
  for (const c of list(podSpec.containers, 'containers')) {
    for (const p of list(obj(c, 'container').ports, 'ports')) {
      const x = obj(p, 'port');
      ports.push({ ...(x.name !== undefined ? { name: String(x.name) } : {}), containerPort: Number(x.containerPort), protocol: (x.protocol ?? 'TCP') as Protocol });
    }
  }
  const namespace = String(meta.namespace);
  const pods: Pod[] = [];
  for (let i = 0; i < Number(spec.replicas ?? 1); i++) {
    const name = `${String(meta.name)}-${i}`; // StatefulSet pods are <set>-<ordinal>
    const place = topology.pods[`${namespace}/${name}`];
    if (!place) throw new Error(`topology has no placement for ${namespace}/${name}`);
    const node = nodes.find((n) => n.name === place.node);
    if (!node) throw new Error(`topology: unknown node ${place.node}`);
    // A hostNetwork pod's IPs are its node's addresses (status.podIPs = the host IPs).
    const ip = family === 'ipv4' ? place.ip : place.ipv6;
    if (!hostNetwork && ip === undefined) throw new Error(`topology: no ${family} address for ${namespace}/${name}`);
    const ips = hostNetwork ? [node.addresses[0]!] : [ip!];
    pods.push({ kind: 'Pod', name, namespace, labels, ips, ports, hostNetwork, nodeName: node.name, workload: { kind: 'StatefulSet', name: String(meta.name) } });
  }
  return pods;
}

export function topologyNodes(topology: Topology, family: IpFamily = 'ipv4'): Node[] {
  return topology.nodes.map((n) => {
    const addresses = family === 'ipv4' ? n.addresses : n.addressesV6;
    if (!addresses?.length) throw new Error(`topology: no ${family} address for node ${n.name}`);
    return { kind: 'Node', name: n.name, labels: { ...n.labels }, addresses: [...addresses] };
  });
}

/** The cluster made of these raw objects placed on the topology's nodes. */
export function clusterFromObjects(objects: readonly Obj[], topology: Topology, family: IpFamily = 'ipv4'): Cluster {
  const nodes = topologyNodes(topology, family);
  const namespaces: Namespace[] = [];
  const pods: Pod[] = [];
  const policies: NetworkPolicy[] = [];
  const clusterPolicies: ClusterPolicy[] = [];
  for (const o of objects) {
    switch (o.kind) {
      case 'Namespace': namespaces.push(toNamespace(o)); break;
      case 'StatefulSet': pods.push(...statefulSetPods(o, topology, nodes, family)); break;
      case 'NetworkPolicy': policies.push(toNetworkPolicy(o)); break;
      case 'ClusterNetworkPolicy': clusterPolicies.push(toClusterPolicy(o)); break;
      default: throw new Error(`unexpected kind ${String(o.kind)}`);
    }
  }
  return { namespaces, pods, policies, clusterPolicies, nodes };
}
