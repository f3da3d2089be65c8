// Every tier policy (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy) as
// structured plain words: its tier, its place in the evaluation order, its subject, and per rule
// the action, peers and ports, with the pods each matches in the input. Semantics from
// src/match/tier.ts (one meaning); sources: kubernetes-sigs/network-policy-api @ 0eec1b0,
// apis/v1alpha2/clusternetworkpolicy_types.go and site-src/api-overview.md.
import { formatSelector } from '../../match/selector.js';
import { compareTierPolicies, matchTierPeer, matchTierSubject, tierPolicyName } from '../../match/tier.js';
import { podId, type Cluster, type ClusterPolicy, type Direction, type Namespace, type TierPeer, type TierSubject } from '../../model/types.js';
import { describeNamespaces, describePods, describePorts } from './describe.js';

export interface TierPeerExplanation {
  path: string;
  text: string;
  /** Pods of the input this peer certainly matches. */
  pods: string[];
}

export interface TierRuleExplanation {
  direction: Direction;
  index: number;
  name?: string;
  action: string;
  path: string;
  line?: number;
  peers: TierPeerExplanation[];
  ports: string;
  text: string;
}

export interface TierPolicyExplanation {
  policy: string;
  kind: ClusterPolicy['kind'];
  tier: ClusterPolicy['tier'];
  priority: number;
  /** 1-based position in its tier's evaluation order, and the tier's size. */
  position: number;
  of: number;
  /** Other policies of the same tier and priority: their relative order is implementation-defined. */
  samePriority: string[];
  file?: string;
  line?: number;
  subject: string;
  pods: string[];
  place: string;
  rules: TierRuleExplanation[];
}

export function describeTierSubject(s: TierSubject): string {
  if (s.namespaces) return `every pod in ${describeNamespaces(s.namespaces)} (host-networked pods excluded)`;
  return `${describePods(s.pods.podSelector)} in ${describeNamespaces(s.pods.namespaceSelector)} (host-networked pods excluded)`;
}

export function describeTierPeer(p: TierPeer): string {
  switch (p.kind) {
    case 'namespaces': return `every pod in ${describeNamespaces(p.namespaceSelector)}`;
    case 'pods': return `${describePods(p.podSelector)} in ${describeNamespaces(p.namespaceSelector)}`;
    case 'networks': return `addresses in ${p.cidrs.join(', ')} (pod IPs included)`;
    case 'nodes': return `the addresses of nodes labelled ${formatSelector(p.nodeSelector)} (and host-networked pods on them)`;
    case 'domainNames': return `the addresses of ${p.domainNames.join(', ')} (resolved by DNS; netpol answers depends)`;
    case 'unknown': return `a peer with the unknown field "${p.field}" (fails closed)`;
  }
}

const ACTION_WORDS = {
  Accept: 'ACCEPT (final for this direction)',
  Deny: 'DENY (final)',
  Pass: 'PASS (skip the rest of this tier)',
} as const;

function place(p: ClusterPolicy): string {
  return p.tier === 'Admin'
    ? 'Admin tier: checked before every NetworkPolicy; its Accept and Deny override them, Pass hands the connection to NetworkPolicy (then Baseline)'
    : 'Baseline tier: checked only for pods that no NetworkPolicy isolates in that direction, after the Admin tier passed; NetworkPolicy overrides it';
}

export function explainClusterPolicies(cluster: Cluster): TierPolicyExplanation[] {
  const nsByName = new Map<string, Namespace>(cluster.namespaces.map((n) => [n.name, n]));
  const nsOf = (name: string): Namespace => nsByName.get(name) ?? { kind: 'Namespace', name, labels: { 'kubernetes.io/metadata.name': name }, implicit: true };
  const sorted = [...(cluster.clusterPolicies ?? [])].sort(compareTierPolicies);
  const ctx = { nodes: cluster.nodes ?? [], threeValued: false };
  return sorted.map((p) => {
    const sameTier = sorted.filter((x) => x.tier === p.tier);
    const rules: TierRuleExplanation[] = [];
    for (const direction of ['ingress', 'egress'] as const) {
      (direction === 'ingress' ? p.ingress : p.egress).forEach((r, index) => {
        const peers = r.peers.map((peer) => ({
          path: peer.path,
          text: describeTierPeer(peer),
          pods: cluster.pods.filter((pod) => matchTierPeer(peer, r.action, { kind: 'pod', pod, namespace: nsOf(pod.namespace) }, ctx).match === true).map(podId),
        }));
        const ports = describePorts(r.ports);
        const who = direction === 'ingress' ? 'from' : 'to';
        const text = `${ACTION_WORDS[r.action]} ${who} ${peers.length === 1 ? peers[0]!.text : `ANY OF: ${peers.map((x) => `(${x.text})`).join(' OR ')}`}, on ${ports}`;
        const e: TierRuleExplanation = { direction, index, action: r.actionWritten, path: r.path, peers, ports, text };
        if (r.name !== undefined) e.name = r.name;
        if (p.origin) e.line = p.origin.locate(r.path).line;
        rules.push(e);
      });
    }
    const e: TierPolicyExplanation = {
      policy: tierPolicyName(p),
      kind: p.kind,
      tier: p.tier,
      priority: p.priority,
      position: sameTier.indexOf(p) + 1,
      of: sameTier.length,
      samePriority: sameTier.filter((x) => x !== p && x.priority === p.priority).map(tierPolicyName),
      subject: describeTierSubject(p.subject),
      pods: cluster.pods.filter((pod) => matchTierSubject(p.subject, pod, nsOf(pod.namespace)).match === true).map(podId),
      place: place(p),
      rules,
    };
    if (p.origin) {
      e.file = p.origin.file;
      e.line = p.origin.locate('metadata.name').line;
    }
    return e;
  });
}
