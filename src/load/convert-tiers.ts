// A checked tier-policy document (validate/tiers.ts) -> the shared model's ClusterPolicy.
// One shape for the three kinds: v1alpha1 `Allow` is read as Accept (actionWritten keeps
// `Allow`); v1alpha1 `ports` and v1alpha2 `protocols` become NetworkPolicy-shaped PolicyPorts.
// Runs only on documents without errors, so every required field is here.
import type { DocumentOrigin } from '../diagnostics/diagnostic.js';
import { child, index } from '../diagnostics/field-path.js';
import {
  PROTOCOLS, type ClusterPolicy, type ClusterPolicyKind, type LabelSelector, type PolicyPort, type Protocol,
  type SelectorOperator, type TierAction, type TierPeer, type TierRule, type TierSubject,
} from '../model/types.js';
import type { DSelector } from '../validate/decoded.js';
import type { DPortRange, DPortV1, DProtocolV2, DTierPeer, DTierPolicy, DTierRule } from '../validate/tiers.js';

function selector(s: DSelector | undefined): LabelSelector {
  return {
    matchLabels: Object.fromEntries(s?.matchLabels ?? []),
    matchExpressions: (s?.matchExpressions ?? []).map((r) => ({ key: r.key, operator: r.operator as SelectorOperator, values: r.values })),
  };
}

function peer(p: DTierPeer, path: string): TierPeer {
  if (p.namespaces) return { kind: 'namespaces', namespaceSelector: selector(p.namespaces), path };
  if (p.pods) return { kind: 'pods', namespaceSelector: selector(p.pods.namespaceSelector), podSelector: selector(p.pods.podSelector), path };
  if (p.networks) return { kind: 'networks', cidrs: [...p.networks], path };
  if (p.nodes) return { kind: 'nodes', nodeSelector: selector(p.nodes), path };
  return { kind: 'domainNames', domainNames: [...(p.domainNames ?? [])], path };
}

/**
 * A named port names a container port whatever its protocol: one PolicyPort per protocol, each
 * resolved on the destination pod as NetworkPolicy's named ports are (name and protocol).
 */
const named = (name: string, path: string): PolicyPort[] => PROTOCOLS.map((protocol) => ({ protocol, port: name, path }));

const range = (protocol: Protocol, r: DPortRange, path: string): PolicyPort => ({ protocol, port: r.start!, endPort: r.end!, path });

function protocolsV2(list: readonly DProtocolV2[], base: string): PolicyPort[] {
  return list.flatMap((p, i): PolicyPort[] => {
    const path = index(base, i);
    if (p.destinationNamedPort !== undefined) return named(p.destinationNamedPort, path);
    const [key, protocol] = p.tcp ? ['tcp', 'TCP'] as const : p.udp ? ['udp', 'UDP'] as const : ['sctp', 'SCTP'] as const;
    const dp = p[key]!.destinationPort!;
    if (dp.range) return [range(protocol, dp.range, path)];
    return [{ protocol, port: dp.number!, path }];
  });
}

function portsV1(list: readonly DPortV1[], base: string): PolicyPort[] {
  return list.flatMap((p, i): PolicyPort[] => {
    const path = index(base, i);
    // CRD default: protocol TCP.
    if (p.portNumber) return [{ protocol: (p.portNumber.protocol ?? 'TCP') as Protocol, port: p.portNumber.port!, path }];
    if (p.portRange) return [range((p.portRange.protocol ?? 'TCP') as Protocol, p.portRange, path)];
    return named(p.namedPort ?? '', path);
  });
}

function rule(r: DTierRule, path: string, dir: 'ingress' | 'egress', v2: boolean): TierRule {
  const peersName = dir === 'ingress' ? 'from' : 'to';
  const written = r.action!;
  const out: TierRule = {
    action: (written === 'Allow' ? 'Accept' : written) as TierAction,
    actionWritten: written,
    peers: (r[peersName] ?? []).map((p, i) => peer(p, index(child(path, peersName), i))),
    ports: v2 ? protocolsV2(r.protocols ?? [], child(path, 'protocols')) : portsV1(r.ports ?? [], child(path, 'ports')),
    path,
  };
  return r.name !== undefined && r.name !== '' ? { name: r.name, ...out } : out;
}

export function toClusterPolicy(kind: ClusterPolicyKind, d: DTierPolicy, origin: DocumentOrigin): ClusterPolicy {
  const spec = d.spec!;
  const v2 = kind === 'ClusterNetworkPolicy';
  const s = spec.subject!;
  const subject: TierSubject = s.namespaces
    ? { namespaces: selector(s.namespaces) }
    : { pods: { namespaceSelector: selector(s.pods!.namespaceSelector), podSelector: selector(s.pods!.podSelector) } };
  return {
    kind,
    apiVersion: d.apiVersion,
    name: d.metadata.name,
    tier: kind === 'AdminNetworkPolicy' ? 'Admin' : kind === 'BaselineAdminNetworkPolicy' ? 'Baseline' : spec.tier as 'Admin' | 'Baseline',
    priority: spec.priority ?? 0,
    subject,
    ingress: (spec.ingress ?? []).map((r, i) => rule(r, `spec.ingress[${i}]`, 'ingress', v2)),
    egress: (spec.egress ?? []).map((r, i) => rule(r, `spec.egress[${i}]`, 'egress', v2)),
    origin,
  };
}
