// Wire schemas of the tier kinds of policy.networking.k8s.io (kubernetes-sigs/network-policy-api),
// for the strict decoder (decode.ts), like schema.ts does for NetworkPolicy:
// - v1alpha2 ClusterNetworkPolicy: apis/v1alpha2/clusternetworkpolicy_types.go (v0.2.0);
// - v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy: apis/v1alpha1/*_types.go (v0.1.7).
// Every field is a pointer here (null and absent decode to undefined): a CRD's OpenAPI schema
// checks `required` and min/max on what was written, so tiers.ts needs to see presence.
// The bounds, enums and CEL rules of the CRDs are checked in tiers.ts.
import { labelSelector, objectMeta, type FieldSpec, type Shape, type StructShape } from './schema.js';

const str: FieldSpec = { shape: { kind: 'string', goType: 'string' }, pointer: true };
const int32: FieldSpec = { shape: { kind: 'int', goType: 'int32' }, pointer: true };
const sel: FieldSpec = { shape: labelSelector, pointer: true };
const ptr = (shape: Shape): FieldSpec => ({ shape, pointer: true });
const list = (of: Shape, goType: string): FieldSpec => ({ shape: { kind: 'list', of, goType }, pointer: true });
const strList = (goType: string): FieldSpec => list({ kind: 'string', goType }, `[]${goType}`);

function struct(version: string, name: string, fields: Record<string, FieldSpec>, hints?: Record<string, string>): StructShape {
  const s: StructShape = { kind: 'struct', name, goType: `${version}.${name}`, fields };
  if (hints) s.hints = hints;
  return s;
}

const selectorPlacement = (where: string): Record<string, string> => ({
  matchLabels: `\`matchLabels\` belongs under a selector: \`${where}: {matchLabels: {...}}\``,
  matchExpressions: `\`matchExpressions\` belongs under a selector: \`${where}: {matchExpressions: [...]}\``,
});

const namespacedPod = (version: string): StructShape => struct(version, 'NamespacedPod', { namespaceSelector: sel, podSelector: sel }, {
  namespaces: 'did you mean "namespaceSelector"?',
  pods: 'did you mean "podSelector"?',
  ...selectorPlacement('podSelector'),
});

const subject = (version: string, name: string): StructShape => struct(version, name, { namespaces: sel, pods: ptr(namespacedPod(version)) }, {
  namespaceSelector: 'a subject is `namespaces: {<selector>}` or `pods: {namespaceSelector: ..., podSelector: ...}`',
  podSelector: 'a subject is `namespaces: {<selector>}` or `pods: {namespaceSelector: ..., podSelector: ...}`',
  ...selectorPlacement('namespaces'),
});

const peerHints = (moveTo: string): Record<string, string> => ({
  namespaceSelector: 'a peer selects namespaces with `namespaces: {<selector>}`',
  podSelector: 'a peer selects pods with `pods: {namespaceSelector: ..., podSelector: ...}`',
  ipBlock: 'CIDR peers are `networks: [<cidr>, ...]`',
  cidr: 'CIDR peers are `networks: [<cidr>, ...]`',
  ports: `ports belong to the rule, not the peer: move them out one level, next to \`${moveTo}\``,
  protocols: `protocols belong to the rule, not the peer: move them out one level, next to \`${moveTo}\``,
  ...selectorPlacement('namespaces'),
});

const objectHints = {
  name: '`name` belongs under `metadata`',
  priority: '`priority` belongs under `spec`',
  subject: '`subject` belongs under `spec`',
  ingress: '`ingress` belongs under `spec`',
  egress: '`egress` belongs under `spec`',
  tier: '`tier` belongs under `spec`',
};

function top(version: string, kind: string, spec: StructShape): StructShape {
  return struct(version, kind, {
    apiVersion: { shape: { kind: 'string', goType: 'string' } },
    kind: { shape: { kind: 'string', goType: 'string' } },
    metadata: { shape: objectMeta },
    spec: ptr(spec),
    // Set by the implementations, reset on create: nothing to check.
    status: { shape: { kind: 'any' }, lenient: true },
  }, objectHints);
}

// --- v1alpha2 ClusterNetworkPolicy ------------------------------------------------------------

const V2 = 'v1alpha2';
const portRange2 = struct(V2, 'PortRange', { start: int32, end: int32 });
const port2 = struct(V2, 'Port', { number: int32, range: ptr(portRange2) }, {
  port: 'did you mean "number"?', start: '`start` belongs under `range`', end: '`end` belongs under `range`',
});
const protocolMatch = (name: string): StructShape => struct(V2, `ClusterNetworkPolicyProtocol${name}`, { destinationPort: ptr(port2) }, {
  port: 'did you mean "destinationPort"?', number: '`number` belongs under `destinationPort`',
});
const protocol2 = struct(V2, 'ClusterNetworkPolicyProtocol', {
  tcp: ptr(protocolMatch('TCP')),
  udp: ptr(protocolMatch('UDP')),
  sctp: ptr(protocolMatch('SCTP')),
  destinationNamedPort: str,
}, {
  TCP: 'protocol names are lower case here: `tcp`', UDP: 'protocol names are lower case here: `udp`', SCTP: 'protocol names are lower case here: `sctp`',
  protocol: 'write the protocol as the key: `- tcp: {destinationPort: {number: 80}}`',
  port: 'write `- tcp: {destinationPort: {number: 80}}`',
  destinationPort: '`destinationPort` belongs under `tcp`, `udp` or `sctp`',
  namedPort: 'did you mean "destinationNamedPort"? (v1alpha2 name)',
});
const ingressPeer2 = struct(V2, 'ClusterNetworkPolicyIngressPeer', { namespaces: sel, pods: ptr(namespacedPod(V2)) }, {
  ...peerHints('from'),
  networks: '`networks` peers are for egress rules only',
  nodes: '`nodes` peers are for egress rules only',
});
const egressPeer2 = struct(V2, 'ClusterNetworkPolicyEgressPeer', {
  namespaces: sel, pods: ptr(namespacedPod(V2)), nodes: sel, networks: strList('v1alpha2.CIDR'), domainNames: strList('v1alpha2.DomainName'),
}, peerHints('to'));

const ruleFields = (peers: 'from' | 'to', peer: StructShape, ports: FieldSpec, portsName: string): Record<string, FieldSpec> => ({
  name: str, action: str, [peers]: list(peer, `[]${peer.goType}`), [portsName]: ports,
});
const ruleHints = (peers: 'from' | 'to', other: 'from' | 'to', portsName: string): Record<string, string> => ({
  [other]: `\`${other}\` belongs to ${other === 'from' ? 'ingress' : 'egress'} rules; this rule uses \`${peers}\``,
  ...(portsName === 'protocols' ? { ports: 'v1alpha2 rules use `protocols: [{tcp: {destinationPort: {number: 80}}}]`' }
    : { protocols: 'v1alpha1 rules use `ports: [{portNumber: {protocol: TCP, port: 80}}]`' }),
  namespaces: `\`namespaces\` belongs inside a \`${peers}\` entry`,
  pods: `\`pods\` belongs inside a \`${peers}\` entry`,
  networks: `\`networks\` belongs inside a \`${peers}\` entry`,
});

const protocols2 = list(protocol2, '[]v1alpha2.ClusterNetworkPolicyProtocol');
const ingressRule2 = struct(V2, 'ClusterNetworkPolicyIngressRule', ruleFields('from', ingressPeer2, protocols2, 'protocols'), ruleHints('from', 'to', 'protocols'));
const egressRule2 = struct(V2, 'ClusterNetworkPolicyEgressRule', ruleFields('to', egressPeer2, protocols2, 'protocols'), ruleHints('to', 'from', 'protocols'));

export const clusterNetworkPolicy = top(V2, 'ClusterNetworkPolicy', struct(V2, 'ClusterNetworkPolicySpec', {
  tier: str,
  priority: int32,
  subject: ptr(subject(V2, 'ClusterNetworkPolicySubject')),
  ingress: list(ingressRule2, '[]v1alpha2.ClusterNetworkPolicyIngressRule'),
  egress: list(egressRule2, '[]v1alpha2.ClusterNetworkPolicyEgressRule'),
}, { podSelector: 'a ClusterNetworkPolicy selects pods with `subject: {pods: {namespaceSelector: ..., podSelector: ...}}`' }));

// --- v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy ---------------------------------

const V1 = 'v1alpha1';
const port1 = struct(V1, 'AdminNetworkPolicyPort', {
  portNumber: ptr(struct(V1, 'Port', { protocol: str, port: int32 })),
  namedPort: str,
  portRange: ptr(struct(V1, 'PortRange', { protocol: str, start: int32, end: int32 })),
}, {
  port: 'write `- portNumber: {protocol: TCP, port: 80}`',
  protocol: '`protocol` belongs under `portNumber` or `portRange`',
  destinationNamedPort: 'did you mean "namedPort"? (v1alpha1 name)',
});
const ports1 = list(port1, '[]v1alpha1.AdminNetworkPolicyPort');
const ingressPeer1 = struct(V1, 'AdminNetworkPolicyIngressPeer', { namespaces: sel, pods: ptr(namespacedPod(V1)) }, {
  ...peerHints('from'),
  networks: '`networks` peers are for egress rules only',
  nodes: '`nodes` peers are for egress rules only',
});
const anpEgressPeer = struct(V1, 'AdminNetworkPolicyEgressPeer', {
  namespaces: sel, pods: ptr(namespacedPod(V1)), nodes: sel, networks: strList('v1alpha1.CIDR'), domainNames: strList('v1alpha1.DomainName'),
}, peerHints('to'));
const banpEgressPeer = struct(V1, 'BaselineAdminNetworkPolicyEgressPeer', {
  namespaces: sel, pods: ptr(namespacedPod(V1)), nodes: sel, networks: strList('v1alpha1.CIDR'),
}, { ...peerHints('to'), domainNames: '`domainNames` peers exist only in AdminNetworkPolicy (and ClusterNetworkPolicy), not in the baseline' });

const anpSpec = struct(V1, 'AdminNetworkPolicySpec', {
  priority: int32,
  subject: ptr(subject(V1, 'AdminNetworkPolicySubject')),
  ingress: list(struct(V1, 'AdminNetworkPolicyIngressRule', ruleFields('from', ingressPeer1, ports1, 'ports'), ruleHints('from', 'to', 'ports')), '[]v1alpha1.AdminNetworkPolicyIngressRule'),
  egress: list(struct(V1, 'AdminNetworkPolicyEgressRule', ruleFields('to', anpEgressPeer, ports1, 'ports'), ruleHints('to', 'from', 'ports')), '[]v1alpha1.AdminNetworkPolicyEgressRule'),
}, { tier: 'AdminNetworkPolicy has no tier (it is the Admin tier); `tier` is a v1alpha2 ClusterNetworkPolicy field' });

const banpSpec = struct(V1, 'BaselineAdminNetworkPolicySpec', {
  subject: ptr(subject(V1, 'AdminNetworkPolicySubject')),
  ingress: list(struct(V1, 'BaselineAdminNetworkPolicyIngressRule', ruleFields('from', ingressPeer1, ports1, 'ports'), ruleHints('from', 'to', 'ports')), '[]v1alpha1.BaselineAdminNetworkPolicyIngressRule'),
  egress: list(struct(V1, 'BaselineAdminNetworkPolicyEgressRule', ruleFields('to', banpEgressPeer, ports1, 'ports'), ruleHints('to', 'from', 'ports')), '[]v1alpha1.BaselineAdminNetworkPolicyEgressRule'),
}, {
  priority: 'BaselineAdminNetworkPolicy has no priority: it is a singleton (`default`)',
  tier: 'BaselineAdminNetworkPolicy has no tier (it is the Baseline tier); `tier` is a v1alpha2 ClusterNetworkPolicy field',
});

export const adminNetworkPolicy = top(V1, 'AdminNetworkPolicy', anpSpec);
export const baselineAdminNetworkPolicy = top(V1, 'BaselineAdminNetworkPolicy', banpSpec);

export const TIER_SHAPES: Record<string, StructShape> = {
  ClusterNetworkPolicy: clusterNetworkPolicy,
  AdminNetworkPolicy: adminNetworkPolicy,
  BaselineAdminNetworkPolicy: baselineAdminNetworkPolicy,
};
