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
  /** spec.nodeName, when the manifest (or the cluster) says; a hostNetwork pod's IPs are its node's. */
  readonly nodeName?: string;
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
  /** Admin and Baseline tier policies (ClusterNetworkPolicy, and the v1alpha1 ANP/BANP); absent = none. */
  readonly clusterPolicies?: readonly ClusterPolicy[];
  /** Nodes of the input (for `nodes` peers and hostNetwork pods); absent = none declared. */
  readonly nodes?: readonly Node[];
  /** Services of the input; absent = none. */
  readonly services?: readonly Service[];
}

// --- Nodes -----------------------------------------------------------------------------------

export interface Node {
  readonly kind: 'Node';
  readonly name: string;
  readonly labels: Labels;
  /** status.addresses[].address of every type (InternalIP, ExternalIP, …) that is an IP. */
  readonly addresses: readonly string[];
  readonly origin?: DocumentOrigin;
}

// --- Admin and Baseline tiers ----------------------------------------------------------------
// One internal shape for policy.networking.k8s.io ClusterNetworkPolicy (v1alpha2) and the
// v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy it replaces. `kind` and `actionWritten`
// keep what was written, so renderers can speak each kind's own words.

export type Tier = 'Admin' | 'Baseline';
/** Evaluation order of the layers, per direction: Admin → NetworkPolicy → Baseline → default allow. */
export const TIER_ORDER = ['Admin', 'NetworkPolicy', 'Baseline'] as const;

/** Accept (v1alpha1: Allow): final for the direction. Deny: final. Pass: skip the rest of this tier. */
export type TierAction = 'Accept' | 'Deny' | 'Pass';

export type ClusterPolicyKind = 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';

/** Which pods a tier policy applies to: all pods of the selected namespaces, or selected pods. */
export type TierSubject =
  | { readonly namespaces: LabelSelector; readonly pods?: undefined }
  | { readonly pods: { readonly namespaceSelector: LabelSelector; readonly podSelector: LabelSelector }; readonly namespaces?: undefined };

/**
 * One `from`/`to` entry (exactly one kind). `unknown` is a peer written with a field this
 * version does not know: upstream fails closed (Accept matches nothing; Deny/Pass match all).
 */
export type TierPeer =
  | { readonly kind: 'namespaces'; readonly namespaceSelector: LabelSelector; readonly path: string }
  | { readonly kind: 'pods'; readonly namespaceSelector: LabelSelector; readonly podSelector: LabelSelector; readonly path: string }
  | { readonly kind: 'networks'; readonly cidrs: readonly string[]; readonly path: string }
  | { readonly kind: 'nodes'; readonly nodeSelector: LabelSelector; readonly path: string }
  | { readonly kind: 'domainNames'; readonly domainNames: readonly string[]; readonly path: string }
  | { readonly kind: 'unknown'; readonly field: string; readonly path: string };

export interface TierRule {
  readonly name?: string;
  readonly action: TierAction;
  /** The action as written (`Allow` for v1alpha1 kinds). */
  readonly actionWritten: string;
  readonly peers: readonly TierPeer[];
  /**
   * `protocols` (v1alpha2) / `ports` (v1alpha1) in the NetworkPolicy port shape: a number, a
   * range (port + endPort) or a named port (string, resolved on the destination pod). Empty:
   * every port of every protocol.
   */
  readonly ports: readonly PolicyPort[];
  readonly path: string;
}

export interface ClusterPolicy {
  readonly kind: ClusterPolicyKind;
  readonly apiVersion: string;
  readonly name: string;
  readonly tier: Tier;
  /** 0–1000, lower first. BaselineAdminNetworkPolicy (a singleton) has none: 0. */
  readonly priority: number;
  readonly subject: TierSubject;
  readonly ingress: readonly TierRule[];
  readonly egress: readonly TierRule[];
  readonly origin?: DocumentOrigin;
}

// --- Services --------------------------------------------------------------------------------

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  /** After defaulting: a number, or a container port name resolved per backing pod. */
  readonly targetPort: number | string;
  readonly protocol: Protocol;
  readonly nodePort?: number;
}

/** An EndpointSlice endpoint, when read from a cluster: the backing pod and its ready ports. */
export interface ServiceEndpoint {
  /** `namespace/name` of the targetRef Pod, when it names one. */
  readonly pod?: string;
  readonly addresses: readonly string[];
  readonly ports: readonly { readonly name?: string; readonly port: number; readonly protocol: Protocol }[];
}

export interface Service {
  readonly kind: 'Service';
  readonly name: string;
  readonly namespace: string;
  readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  /** spec.selector; absent = a Service without a selector (its endpoints are managed by hand). */
  readonly selector?: Labels;
  /** spec.clusterIP; 'None' = headless. */
  readonly clusterIP?: string;
  readonly externalName?: string;
  readonly ports: readonly ServicePort[];
  /** NodePort/LoadBalancer: `Cluster` (default) SNATs external clients to a node IP; `Local` keeps the client IP. */
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
  /** From EndpointSlices (cluster input only); absent = derive the backing pods from the selector. */
  readonly endpoints?: readonly ServiceEndpoint[];
  readonly origin?: DocumentOrigin;
}

export function clusterPolicyId(p: ClusterPolicy): string {
  return p.name;
}

export function serviceId(s: { namespace: string; name: string }): string {
  return `svc:${s.namespace}/${s.name}`;
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
