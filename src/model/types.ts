// The objects netpol reasons about, after decoding and API-server defaulting.
// Plain readonly data: every later stage (match, evaluate, matrix, analysis) reads these.
import type { DocumentOrigin } from '../diagnostics/diagnostic.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export type Labels = Readonly<Record<string, string>>;

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A label selector; `{}` (no labels, no expressions) selects everything. */
export interface LabelSelector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly LabelSelectorRequirement[];
}

export interface IPBlock {
  readonly cidr: string;
  readonly except: readonly string[];
}

/** One `from`/`to` entry. Fields present together are ANDed. */
export interface Peer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IPBlock;
  /** Field path of this peer, e.g. `spec.ingress[0].from[1]`. */
  readonly path: string;
}

/** One `ports` entry after defaulting (protocol is always set). */
export interface PolicyPort {
  readonly protocol: Protocol;
  /** Absent: every port of the protocol. A string is a named port. */
  readonly port?: number | string;
  readonly endPort?: number;
  readonly path: string;
}

/** One ingress or egress rule. An empty `peers` list means every peer; empty `ports`, every port. */
export interface Rule {
  readonly peers: readonly Peer[];
  readonly ports: readonly PolicyPort[];
  readonly path: string;
}

export type Direction = 'ingress' | 'egress';

export interface NetworkPolicy {
  readonly kind: 'NetworkPolicy';
  readonly name: string;
  readonly namespace: string;
  readonly podSelector: LabelSelector;
  /** Defaulted policyTypes: which directions this policy isolates. */
  readonly policyTypes: readonly ('Ingress' | 'Egress')[];
  /** True when policyTypes was absent or empty and the API server default was applied. */
  readonly policyTypesDefaulted: boolean;
  readonly ingress: readonly Rule[];
  readonly egress: readonly Rule[];
  /**
   * Fields the API reads as absent but that were written another way, by field path: `absent`
   * (`spec`, `spec.podSelector` left out), `null` (a key with no value) or `empty` (`[]`, `{}`).
   * Recorded for `spec`, `spec.podSelector`, `spec.ingress`, `spec.egress`, `spec.policyTypes`
   * and each rule's `from`/`to`/`ports`. The verdicts never read it; lint explains the difference.
   */
  readonly written?: Readonly<Record<string, FieldShape>>;
  readonly origin?: DocumentOrigin;
}

/** How a field that decodes to "nothing" was written. */
export type FieldShape = 'absent' | 'null' | 'empty';

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

export interface WorkloadRef {
  readonly kind: string;
  readonly name: string;
}

export interface Pod {
  readonly kind: 'Pod';
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  /** status.podIP (and status.podIPs); empty when the manifest does not say. */
  readonly ips: readonly string[];
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  /** Set when the pod was made from a workload's pod template. */
  readonly workload?: WorkloadRef;
  readonly origin?: DocumentOrigin;
}

export interface Namespace {
  readonly kind: 'Namespace';
  readonly name: string;
  /** Always includes `kubernetes.io/metadata.name`. */
  readonly labels: Labels;
  /** True when only referenced, never declared. */
  readonly implicit: boolean;
  readonly origin?: DocumentOrigin;
}

/** A workload of the input, with how many of `pods` belong to it (0 when scaled to zero). */
export interface Workload {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** spec.replicas (Job/CronJob: parallelism). */
  readonly replicas: number;
  readonly countField: 'replicas' | 'parallelism';
  readonly pods: number;
}

export interface Cluster {
  readonly namespaces: readonly Namespace[];
  readonly pods: readonly Pod[];
  readonly policies: readonly NetworkPolicy[];
  /** Workloads of the input (absent for clusters built by hand). */
  readonly workloads?: readonly Workload[];
}

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function podId(p: { namespace: string; name: string }): string {
  return `${p.namespace}/${p.name}`;
}

export function policyId(p: NetworkPolicy): string {
  return `${p.namespace}/${p.name}`;
}

/** Every ipBlock peer of these policies' rules, in order (both directions). */
export function ipBlocksOf(policies: readonly NetworkPolicy[]): IPBlock[] {
  const out: IPBlock[] = [];
  for (const p of policies) for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers) if (peer.ipBlock) out.push(peer.ipBlock);
  return out;
}

export function emptySelector(): LabelSelector {
  return { matchLabels: {}, matchExpressions: [] };
}
