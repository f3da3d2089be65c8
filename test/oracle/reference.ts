// A deliberately naive reference evaluator, written straight from the Kubernetes API reference
// (k8s.io/api networking/v1 types.go field comments) and the Network Policies concept page
// (https://kubernetes.io/docs/concepts/services-networking/network-policies/).
// It shares no code with src/match, src/evaluate or src/net: only the plain model types.
// No traces, no indexes, no cleverness: loops over every policy for every question.
// Other test suites (fast matrix engine, benchmarks) import it as the ground truth.
import ipaddr from 'ipaddr.js';
import type { Cluster, IPBlock, LabelSelector, Labels, NetworkPolicy, Peer, Pod, PolicyPort, Protocol, Rule } from '../../src/model/types.js';

export type ReferenceEndpoint = Pod | { ip: string };

export interface ReferenceOptions {
  /** Whether ipBlock peers match pod IPs (the API leaves it to the plugin; the e2e suite expects 'match'). */
  ipBlockPods: 'match' | 'ignore';
}

function isPod(e: ReferenceEndpoint): e is Pod {
  return (e as Pod).kind === 'Pod';
}

// --- Label selectors (apimachinery LabelSelector: matchLabels AND matchExpressions) ---------

function has(labels: Labels, key: string): boolean {
  return Object.keys(labels).includes(key);
}

export function referenceSelectorMatches(sel: LabelSelector, labels: Labels): boolean {
  for (const key of Object.keys(sel.matchLabels)) {
    if (!has(labels, key) || labels[key] !== sel.matchLabels[key]) return false;
  }
  for (const req of sel.matchExpressions) {
    const present = has(labels, req.key);
    const value = labels[req.key];
    // "NotIn" and "DoesNotExist" hold for objects without the key (labels concept page).
    if (req.operator === 'In' && !(present && req.values.includes(value!))) return false;
    if (req.operator === 'NotIn' && present && req.values.includes(value!)) return false;
    if (req.operator === 'Exists' && !present) return false;
    if (req.operator === 'DoesNotExist' && present) return false;
  }
  return true;
}

// --- ipBlock: "inside cidr and outside every except" -----------------------------------------

function inCidr(ip: string, cidr: string): boolean {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    addr = ipaddr.parse(ip);
    range = ipaddr.parseCIDR(cidr);
  } catch {
    return false;
  }
  // IPv4 and IPv6 are separate families: 0.0.0.0/0 says nothing about IPv6 addresses.
  if (addr.kind() !== range[0].kind()) return false;
  return addr.match(range as never);
}

export function referenceIpBlockContains(block: IPBlock, ip: string): boolean {
  if (!inCidr(ip, block.cidr)) return false;
  for (const e of block.except) if (inCidr(ip, e)) return false;
  return true;
}

// --- One side of a connection ------------------------------------------------------------

function namespaceLabels(cluster: Cluster, name: string): Labels {
  for (const ns of cluster.namespaces) if (ns.name === name) return ns.labels;
  // Every namespace carries kubernetes.io/metadata.name, declared or not.
  return { 'kubernetes.io/metadata.name': name };
}

function peerMatches(cluster: Cluster, policy: NetworkPolicy, peer: Peer, other: ReferenceEndpoint, opts: ReferenceOptions): boolean {
  if (peer.ipBlock) {
    if (!isPod(other)) return referenceIpBlockContains(peer.ipBlock, other.ip);
    if (opts.ipBlockPods === 'ignore') return false;
    // A pod without a known IP cannot be shown to be inside any block.
    for (const ip of other.ips) if (referenceIpBlockContains(peer.ipBlock, ip)) return true;
    return false;
  }
  // podSelector / namespaceSelector peers only ever select pods, never external addresses.
  if (!isPod(other)) return false;
  let namespaceOk: boolean;
  if (peer.namespaceSelector) namespaceOk = referenceSelectorMatches(peer.namespaceSelector, namespaceLabels(cluster, other.namespace));
  else namespaceOk = other.namespace === policy.namespace; // "in the NetworkPolicy's own namespace"
  let podOk = true;
  if (peer.podSelector) podOk = referenceSelectorMatches(peer.podSelector, other.labels);
  return namespaceOk && podOk;
}

function portMatches(pp: PolicyPort, port: number, protocol: Protocol, destination: ReferenceEndpoint): boolean {
  if (pp.protocol !== protocol) return false;
  if (pp.port === undefined) return true; // "If this field is not provided, this matches all port names and numbers."
  if (typeof pp.port === 'number') {
    if (pp.endPort !== undefined) return port >= pp.port && port <= pp.endPort;
    return port === pp.port;
  }
  // A named port is looked up on the destination pod; an address has no named ports.
  if (!isPod(destination)) return false;
  for (const cp of destination.ports) {
    if (cp.name === pp.port && cp.protocol === protocol && cp.containerPort === port) return true;
  }
  return false;
}

function ruleAllows(cluster: Cluster, policy: NetworkPolicy, rule: Rule, other: ReferenceEndpoint, destination: ReferenceEndpoint,
  port: number, protocol: Protocol, opts: ReferenceOptions): boolean {
  // "If this field is empty or missing, this rule matches all ports."
  let portsOk = rule.ports.length === 0;
  for (const pp of rule.ports) if (portMatches(pp, port, protocol, destination)) portsOk = true;
  // "If this field is empty or missing, this rule matches all sources/destinations."
  let peersOk = rule.peers.length === 0;
  for (const peer of rule.peers) if (peerMatches(cluster, policy, peer, other, opts)) peersOk = true;
  return portsOk && peersOk;
}

/** Is `subject` isolated for this direction, and if so does some rule of some policy admit `other`? */
export function referenceNetworkPolicyDirection(cluster: Cluster, subject: Pod, type: 'Ingress' | 'Egress', other: ReferenceEndpoint,
  destination: ReferenceEndpoint, port: number, protocol: Protocol, opts: ReferenceOptions): 'not-isolated' | 'allow' | 'deny' {
  let isolated = false;
  let allowed = false;
  for (const policy of cluster.policies) {
    if (policy.namespace !== subject.namespace) continue;
    if (!policy.policyTypes.includes(type)) continue;
    if (!referenceSelectorMatches(policy.podSelector, subject.labels)) continue;
    isolated = true;
    const rules = type === 'Ingress' ? policy.ingress : policy.egress;
    for (const rule of rules) if (ruleAllows(cluster, policy, rule, other, destination, port, protocol, opts)) allowed = true;
  }
  if (!isolated) return 'not-isolated';
  return allowed ? 'allow' : 'deny';
}

function directionAllows(cluster: Cluster, subject: Pod, type: 'Ingress' | 'Egress', other: ReferenceEndpoint, destination: ReferenceEndpoint,
  port: number, protocol: Protocol, opts: ReferenceOptions): boolean {
  return referenceNetworkPolicyDirection(cluster, subject, type, other, destination, port, protocol, opts) !== 'deny';
}

/**
 * May `from` open a connection to `to` on port/protocol? Egress must be allowed at the source
 * (if it is a pod) and ingress at the destination (if it is a pod). A pod always reaches itself.
 */
export function referenceAllowed(cluster: Cluster, from: ReferenceEndpoint, to: ReferenceEndpoint, port: number, protocol: Protocol,
  opts: ReferenceOptions = { ipBlockPods: 'match' }): boolean {
  if (isPod(from) && isPod(to) && from.namespace === to.namespace && from.name === to.name) return true;
  const egress = isPod(from) ? directionAllows(cluster, from, 'Egress', to, to, port, protocol, opts) : true;
  const ingress = isPod(to) ? directionAllows(cluster, to, 'Ingress', from, to, port, protocol, opts) : true;
  return egress && ingress;
}

/** The same question for every ordered pod pair: rows[i][j] as in the matrix contract. */
export function referenceRows(cluster: Cluster, pods: readonly Pod[], port: number, protocol: Protocol, opts: ReferenceOptions = { ipBlockPods: 'match' }): string[] {
  return pods.map((src) => pods.map((dst) => (referenceAllowed(cluster, src, dst, port, protocol, opts) ? '1' : '0')).join(''));
}
