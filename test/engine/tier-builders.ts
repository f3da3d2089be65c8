// Small builders for model objects with tier policies: the YAML loader for these kinds is written
// in parallel, so the tier tests build Cluster values directly.
import type {
  Cluster, ClusterPolicy, ClusterPolicyKind, ContainerPort, LabelSelector, Labels, Namespace, NetworkPolicy, Node, Pod,
  PolicyPort, Protocol, Rule, Peer, TierAction, TierPeer, TierRule, TierSubject,
} from '../../src/model/types.js';

export const sel = (matchLabels: Labels = {}, matchExpressions: LabelSelector['matchExpressions'] = []): LabelSelector => ({ matchLabels, matchExpressions });
export const nsSel = (name: string): LabelSelector => sel({ 'kubernetes.io/metadata.name': name });

export function ns(name: string, labels: Labels = {}): Namespace {
  return { kind: 'Namespace', name, labels: { 'kubernetes.io/metadata.name': name, ...labels }, implicit: false };
}

export function pod(namespace: string, name: string, labels: Labels, ips: string[], opts: { ports?: ContainerPort[]; hostNetwork?: boolean; nodeName?: string } = {}): Pod {
  const p: Pod = { kind: 'Pod', namespace, name, labels, ips, ports: opts.ports ?? [], hostNetwork: opts.hostNetwork ?? false, ...(opts.nodeName ? { nodeName: opts.nodeName } : {}) };
  return p;
}

export const cport = (name: string, containerPort: number, protocol: Protocol = 'TCP'): ContainerPort => ({ name, containerPort, protocol });

export function node(name: string, labels: Labels, addresses: string[]): Node {
  return { kind: 'Node', name, labels, addresses };
}

// Peers: paths are filled in by `cnp`.
type P<T> = T extends { path: string } ? Omit<T, 'path'> : never;
export type PeerIn = P<TierPeer>;
export const namespaces = (s: LabelSelector): PeerIn => ({ kind: 'namespaces', namespaceSelector: s });
export const pods = (n: LabelSelector, p: LabelSelector): PeerIn => ({ kind: 'pods', namespaceSelector: n, podSelector: p });
export const networks = (...cidrs: string[]): PeerIn => ({ kind: 'networks', cidrs });
export const nodes = (s: LabelSelector): PeerIn => ({ kind: 'nodes', nodeSelector: s });
export const domains = (...domainNames: string[]): PeerIn => ({ kind: 'domainNames', domainNames });
export const unknownPeer = (field: string): PeerIn => ({ kind: 'unknown', field });

export const tcp = (port?: number | string, endPort?: number): Omit<PolicyPort, 'path'> => ({ protocol: 'TCP', ...(port !== undefined ? { port } : {}), ...(endPort !== undefined ? { endPort } : {}) });
export const udp = (port?: number | string): Omit<PolicyPort, 'path'> => ({ protocol: 'UDP', ...(port !== undefined ? { port } : {}) });

export interface RuleIn {
  action: TierAction;
  actionWritten?: string;
  name?: string;
  peers: PeerIn[];
  ports?: Omit<PolicyPort, 'path'>[];
}
export const rule = (action: TierAction, peers: PeerIn[], ports: Omit<PolicyPort, 'path'>[] = [], name?: string): RuleIn => ({ action, peers, ports, ...(name !== undefined ? { name } : {}) });

function rules(list: RuleIn[], dir: 'ingress' | 'egress'): TierRule[] {
  const field = dir === 'ingress' ? 'from' : 'to';
  const portsField = 'protocols';
  return list.map((r, i) => {
    const path = `spec.${dir}[${i}]`;
    const out: TierRule = {
      action: r.action,
      actionWritten: r.actionWritten ?? r.action,
      peers: r.peers.map((p, k) => ({ ...p, path: `${path}.${field}[${k}]` }) as TierPeer),
      ports: (r.ports ?? []).map((p, k) => ({ ...p, path: `${path}.${portsField}[${k}]` })),
      path,
      ...(r.name !== undefined ? { name: r.name } : {}),
    };
    return out;
  });
}

export const subjectNamespaces = (s: LabelSelector): TierSubject => ({ namespaces: s });
export const subjectPods = (n: LabelSelector, p: LabelSelector): TierSubject => ({ pods: { namespaceSelector: n, podSelector: p } });

export function cnp(o: { name: string; tier?: 'Admin' | 'Baseline'; priority?: number; subject: TierSubject; ingress?: RuleIn[]; egress?: RuleIn[]; kind?: ClusterPolicyKind }): ClusterPolicy {
  const kind = o.kind ?? 'ClusterNetworkPolicy';
  return {
    kind,
    apiVersion: kind === 'ClusterNetworkPolicy' ? 'policy.networking.k8s.io/v1alpha2' : 'policy.networking.k8s.io/v1alpha1',
    name: o.name,
    tier: o.tier ?? (kind === 'BaselineAdminNetworkPolicy' ? 'Baseline' : 'Admin'),
    priority: o.priority ?? 0,
    subject: o.subject,
    ingress: rules(o.ingress ?? [], 'ingress'),
    egress: rules(o.egress ?? [], 'egress'),
  };
}

/** A NetworkPolicy: podSelector, policyTypes, and rules given as (peers, ports). */
export function np(namespace: string, name: string, podSelector: LabelSelector, types: ('Ingress' | 'Egress')[], r: { ingress?: Omit<Peer, 'path'>[][]; egress?: Omit<Peer, 'path'>[][] } = {}): NetworkPolicy {
  const mk = (dir: 'ingress' | 'egress'): Rule[] => (r[dir] ?? []).map((peers, i) => ({
    peers: peers.map((p, k) => ({ ...p, path: `spec.${dir}[${i}].${dir === 'ingress' ? 'from' : 'to'}[${k}]` })),
    ports: [],
    path: `spec.${dir}[${i}]`,
  }));
  return { kind: 'NetworkPolicy', name, namespace, podSelector, policyTypes: types, policyTypesDefaulted: false, ingress: mk('ingress'), egress: mk('egress') };
}

export function cluster(o: { namespaces: Namespace[]; pods: Pod[]; policies?: NetworkPolicy[]; clusterPolicies?: ClusterPolicy[]; nodes?: Node[] }): Cluster {
  return { namespaces: o.namespaces, pods: o.pods, policies: o.policies ?? [], ...(o.clusterPolicies ? { clusterPolicies: o.clusterPolicies } : {}), ...(o.nodes ? { nodes: o.nodes } : {}) };
}
