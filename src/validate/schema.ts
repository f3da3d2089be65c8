// The networking.k8s.io/v1 NetworkPolicy wire schema (k8s.io/api networking/v1 types.go and
// metav1.ObjectMeta), as the API server's strict JSON decoder sees it: field names are
// case-sensitive, everything else is an unknown field. Go type names are kept for the
// decoder's type-mismatch texts. `hints` explain the usual misplacements of a field.

export type Shape =
  | { kind: 'string'; goType: string }
  | { kind: 'int'; goType: 'int32' | 'int64' }
  | { kind: 'intOrString' }
  | { kind: 'time' }
  | { kind: 'stringMap' }
  | { kind: 'list'; of: Shape; goType: string }
  | { kind: 'opaque'; goType: string }
  | { kind: 'bool' }
  /** Anything at all: a field netpol does not read, checked no further (its name is still known). */
  | { kind: 'any' }
  | StructShape;

export interface FieldSpec {
  shape: Shape;
  /** Pointer field: null is the same as absent (decoded as undefined). */
  pointer?: boolean;
  /**
   * Problems inside are warnings, not errors: `status` of a dumped object, which the API
   * server resets on create and whose fields drift between versions.
   */
  lenient?: boolean;
}

export interface StructShape {
  kind: 'struct';
  /** Go struct name, used as `Go struct field <name>.<path>`. */
  name: string;
  goType: string;
  fields: Record<string, FieldSpec>;
  /** Hints for specific unknown field names in this struct. */
  hints?: Record<string, string>;
  /** Fields that no longer exist: reported as unknown with this hint, but as a warning. */
  obsolete?: Record<string, string>;
}

const str = (goType = 'string'): Shape => ({ kind: 'string', goType });
const list = (of: Shape, goType: string): Shape => ({ kind: 'list', of, goType });

const selectorHints: Record<string, string> = {
  labels: 'did you mean "matchLabels"?',
  matchLabel: 'did you mean "matchLabels"?',
  key: '`key` belongs inside a `matchExpressions` entry',
  operator: '`operator` belongs inside a `matchExpressions` entry',
  values: '`values` belongs inside a `matchExpressions` entry',
};

const requirement: StructShape = {
  kind: 'struct',
  name: 'LabelSelectorRequirement',
  goType: 'v1.LabelSelectorRequirement',
  fields: {
    key: { shape: str() },
    operator: { shape: str('v1.LabelSelectorOperator') },
    values: { shape: list(str(), '[]string') },
  },
  hints: { value: 'did you mean "values"?', op: 'did you mean "operator"?' },
};

export const labelSelector: StructShape = {
  kind: 'struct',
  name: 'LabelSelector',
  goType: 'v1.LabelSelector',
  fields: {
    matchLabels: { shape: { kind: 'stringMap' } },
    matchExpressions: { shape: list(requirement, '[]v1.LabelSelectorRequirement') },
  },
  hints: selectorHints,
};

const ipBlock: StructShape = {
  kind: 'struct',
  name: 'IPBlock',
  goType: 'v1.IPBlock',
  fields: { cidr: { shape: str() }, except: { shape: list(str(), '[]string') } },
  hints: {
    exclude: 'did you mean "except"?',
    excludes: 'did you mean "except"?',
    exceptions: 'did you mean "except"?',
    exclusions: 'did you mean "except"?',
    cidrs: 'did you mean "cidr"? an ipBlock has one cidr; use one peer per block',
  },
};

const MOVE_PORTS = 'ports belong to the rule, not the peer: move `ports` out one level, next to `from`/`to`';

const peer: StructShape = {
  kind: 'struct',
  name: 'NetworkPolicyPeer',
  goType: 'v1.NetworkPolicyPeer',
  fields: {
    podSelector: { shape: labelSelector, pointer: true },
    namespaceSelector: { shape: labelSelector, pointer: true },
    ipBlock: { shape: ipBlock, pointer: true },
  },
  hints: {
    ports: MOVE_PORTS,
    port: MOVE_PORTS,
    namespace:
      'a peer cannot name a namespace; select it by label: `namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: <name>}}`',
    matchLabels: '`matchLabels` must sit under `podSelector` or `namespaceSelector`',
    matchExpressions: '`matchExpressions` must sit under `podSelector` or `namespaceSelector`',
    cidr: '`cidr` belongs under `ipBlock`',
    except: '`except` belongs under `ipBlock`',
  },
};

const port: StructShape = {
  kind: 'struct',
  name: 'NetworkPolicyPort',
  goType: 'v1.NetworkPolicyPort',
  fields: {
    protocol: { shape: str('v1.Protocol'), pointer: true },
    port: { shape: { kind: 'intOrString' }, pointer: true },
    endPort: { shape: { kind: 'int', goType: 'int32' }, pointer: true },
  },
  hints: {
    name: 'a NetworkPolicy port has no `name`; to use a named container port write `port: <name>`',
    targetPort: 'NetworkPolicy ports use `port` (the destination port on the pod)',
    containerPort: 'NetworkPolicy ports use `port` (the destination port on the pod)',
  },
};

const ruleHints = (peers: 'from' | 'to'): Record<string, string> => {
  const inPeer = (f: string): string => `\`${f}\` belongs inside a \`${peers}\` entry: \`${peers}: [{${f}: ...}]\``;
  return {
    podSelector: inPeer('podSelector'),
    namespaceSelector: inPeer('namespaceSelector'),
    ipBlock: inPeer('ipBlock'),
    port: '`port` belongs inside a `ports` entry: `ports: [{port: 80}]`',
    protocol: '`protocol` belongs inside a `ports` entry: `ports: [{protocol: TCP}]`',
  };
};

const ingressRule: StructShape = {
  kind: 'struct',
  name: 'NetworkPolicyIngressRule',
  goType: 'v1.NetworkPolicyIngressRule',
  fields: {
    ports: { shape: list(port, '[]v1.NetworkPolicyPort') },
    from: { shape: list(peer, '[]v1.NetworkPolicyPeer') },
  },
  hints: { ...ruleHints('from'), to: '`to` belongs to egress rules; ingress rules use `from`' },
};

const egressRule: StructShape = {
  kind: 'struct',
  name: 'NetworkPolicyEgressRule',
  goType: 'v1.NetworkPolicyEgressRule',
  fields: {
    ports: { shape: list(port, '[]v1.NetworkPolicyPort') },
    to: { shape: list(peer, '[]v1.NetworkPolicyPeer') },
  },
  hints: { ...ruleHints('to'), from: '`from` belongs to ingress rules; egress rules use `to`' },
};

const inRule = (f: string, dir: string): string => `\`${f}\` belongs inside an ${dir} rule: \`${dir}: [{${f}: ...}]\``;

const spec: StructShape = {
  kind: 'struct',
  name: 'NetworkPolicySpec',
  goType: 'v1.NetworkPolicySpec',
  fields: {
    podSelector: { shape: labelSelector },
    ingress: { shape: list(ingressRule, '[]v1.NetworkPolicyIngressRule') },
    egress: { shape: list(egressRule, '[]v1.NetworkPolicyEgressRule') },
    policyTypes: { shape: list(str('v1.PolicyType'), '[]v1.PolicyType') },
  },
  hints: {
    from: inRule('from', 'ingress'),
    to: inRule('to', 'egress'),
    ports: '`ports` belongs inside an ingress or egress rule',
    matchLabels: '`matchLabels` belongs under `podSelector`',
    matchExpressions: '`matchExpressions` belongs under `podSelector`',
    selector: 'did you mean "podSelector"?',
    policyType: 'did you mean "policyTypes"?',
  },
};

/** metav1.OwnerReference (validated by owner-references.ts). */
export const ownerReference: StructShape = {
  kind: 'struct',
  name: 'OwnerReference',
  goType: 'v1.OwnerReference',
  fields: {
    apiVersion: { shape: str() },
    kind: { shape: str() },
    name: { shape: str() },
    uid: { shape: str('types.UID') },
    controller: { shape: { kind: 'bool' }, pointer: true },
    blockOwnerDeletion: { shape: { kind: 'bool' }, pointer: true },
  },
};

export const objectMeta: StructShape = {
  kind: 'struct',
  name: 'ObjectMeta',
  goType: 'v1.ObjectMeta',
  fields: {
    name: { shape: str() },
    generateName: { shape: str() },
    namespace: { shape: str() },
    selfLink: { shape: str() },
    uid: { shape: str('types.UID') },
    resourceVersion: { shape: str() },
    generation: { shape: { kind: 'int', goType: 'int64' } },
    creationTimestamp: { shape: { kind: 'time' } },
    deletionTimestamp: { shape: { kind: 'time' }, pointer: true },
    deletionGracePeriodSeconds: { shape: { kind: 'int', goType: 'int64' }, pointer: true },
    labels: { shape: { kind: 'stringMap' } },
    annotations: { shape: { kind: 'stringMap' } },
    ownerReferences: { shape: list(ownerReference, '[]v1.OwnerReference') },
    finalizers: { shape: list(str(), '[]string') },
    managedFields: { shape: list({ kind: 'opaque', goType: 'v1.ManagedFieldsEntry' }, '[]v1.ManagedFieldsEntry') },
  },
  hints: { clusterName: '`metadata.clusterName` was removed in Kubernetes 1.25; delete it' },
};

const underSpec = (f: string): string => `\`${f}\` belongs under \`spec\``;
const underMeta = (f: string): string => `\`${f}\` belongs under \`metadata\``;

export const networkPolicy: StructShape = {
  kind: 'struct',
  name: 'NetworkPolicy',
  goType: 'v1.NetworkPolicy',
  fields: {
    apiVersion: { shape: str() },
    kind: { shape: str() },
    metadata: { shape: objectMeta },
    spec: { shape: spec },
  },
  // Dumps from clusters that had the alpha field carry `status: {}`; kubectl's strict decoding
  // would refuse it, but it holds nothing netpol needs, so it is only a warning.
  obsolete: { status: 'NetworkPolicy has no `status` (the alpha status field was removed); ignored, delete it' },
  hints: {
    podSelector: underSpec('podSelector'),
    ingress: underSpec('ingress'),
    egress: underSpec('egress'),
    policyTypes: underSpec('policyTypes'),
    name: underMeta('name'),
    namespace: underMeta('namespace'),
    labels: underMeta('labels'),
    annotations: underMeta('annotations'),
  },
};
