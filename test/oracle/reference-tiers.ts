// A deliberately naive reference for the Admin → NetworkPolicy → Baseline tiers, written straight
// from the upstream API doc comments: kubernetes-sigs/network-policy-api @ 0eec1b0,
// apis/v1alpha2/clusternetworkpolicy_types.go (quoted below as "types.go") and
// site-src/api-overview.md. It shares no code with src/match, src/evaluate or src/net; the
// NetworkPolicy tier is test/oracle/reference.ts. No indexes, no traces: loops over everything.
//
// Three-valued: a peer can "depend" (a pod without a known IP against `networks`, an external
// address against `domainNames`, which needs DNS). The walk then follows both branches and the
// verdict is 'depends' only when they disagree. Equal priorities are implementation-defined
// (types.go Priority: "the implementation can apply any of the matching policies"): with
// `equalPriority: 'depends'` every order of a tie is tried and disagreeing orders give 'depends';
// with 'by-name' (default) ties are ordered by name, and a note says when the order mattered.
// The v1alpha1 kinds (AdminNetworkPolicy, BaselineAdminNetworkPolicy) arrive in the same model
// shape (Allow → Accept) and their docs (apis/v1alpha1/shared_types.go) say the same things.
// Unknown peers follow types.go literally: "For "Deny" and "Pass" rules, "fail closed" means:
// treat the rule as a 'Deny all' rule" — so a Pass rule with an unknown peer denies; it does not pass.
import ipaddr from 'ipaddr.js';
import type { Cluster, ClusterPolicy, Direction, Node, Pod, PolicyPort, Protocol, Tier, TierPeer, TierRule } from '../../src/model/types.js';
import { referenceNetworkPolicyDirection, referenceSelectorMatches, type ReferenceEndpoint, type ReferenceOptions } from './reference.js';

export type Tri = true | false | 'depends';
export type TierVerdict = 'allow' | 'deny' | 'depends';

export interface TierReferenceOptions extends ReferenceOptions {
  equalPriority: 'by-name' | 'depends';
}

export interface TierReferenceResult {
  verdict: TierVerdict;
  egress: TierVerdict;
  ingress: TierVerdict;
  notes: string[];
}

const DEFAULTS: TierReferenceOptions = { ipBlockPods: 'match', equalPriority: 'by-name' };

const isPod = (e: ReferenceEndpoint): e is Pod => (e as Pod).kind === 'Pod';
const and = (a: Tri, b: Tri): Tri => (a === false || b === false ? false : a === true && b === true ? true : 'depends');
const or = (a: Tri, b: Tri): Tri => (a === true || b === true ? true : a === false && b === false ? false : 'depends');

function nsLabels(cluster: Cluster, name: string): Record<string, string> {
  const ns = cluster.namespaces.find((n) => n.name === name);
  return { ...(ns?.labels ?? {}), 'kubernetes.io/metadata.name': name };
}

function inCidr(ip: string, cidr: string): boolean {
  try {
    const addr = ipaddr.parse(ip);
    const range = ipaddr.parseCIDR(cidr);
    return addr.kind() === range[0].kind() && addr.match(range as never);
  } catch {
    return false;
  }
}

/** The node a hostNetwork pod runs on: by spec.nodeName, else the node owning one of its IPs. */
function nodeOf(cluster: Cluster, pod: Pod): Node | undefined {
  const nodes = cluster.nodes ?? [];
  if (pod.nodeName !== undefined) return nodes.find((n) => n.name === pod.nodeName);
  return nodes.find((n) => n.addresses.some((a) => pod.ips.includes(a)));
}

/** Addresses the traffic has at this end: pod IPs (a hostNetwork pod's are its node's), or the address. */
function addressesOf(cluster: Cluster, e: ReferenceEndpoint): string[] {
  if (!isPod(e)) return [e.ip];
  if (e.ips.length > 0) return [...e.ips];
  if (e.hostNetwork) return [...(nodeOf(cluster, e)?.addresses ?? [])];
  return [];
}

// --- Subjects: "host-networked pods are not included in subject selection" (types.go) -------

function selectsSubject(cluster: Cluster, policy: ClusterPolicy, pod: Pod): boolean {
  if (pod.hostNetwork) return false;
  const ns = nsLabels(cluster, pod.namespace);
  if (policy.subject.namespaces) return referenceSelectorMatches(policy.subject.namespaces, ns);
  const s = policy.subject.pods!;
  return referenceSelectorMatches(s.namespaceSelector, ns) && referenceSelectorMatches(s.podSelector, pod.labels);
}

// --- Peers ------------------------------------------------------------------------------------

function peerMatches(cluster: Cluster, peer: TierPeer, other: ReferenceEndpoint): Tri {
  switch (peer.kind) {
    case 'namespaces':
      // "Note that host-networked pods are not included in this type of peer."
      if (!isPod(other) || other.hostNetwork) return false;
      return referenceSelectorMatches(peer.namespaceSelector, nsLabels(cluster, other.namespace));
    case 'pods':
      if (!isPod(other) || other.hostNetwork) return false;
      return referenceSelectorMatches(peer.namespaceSelector, nsLabels(cluster, other.namespace)) && referenceSelectorMatches(peer.podSelector, other.labels);
    case 'networks': {
      // "cluster-internal traffic will be checked against the rule as well": pod IPs count.
      const ips = addressesOf(cluster, other);
      if (ips.length === 0) return 'depends'; // a pod whose IP the input does not say
      return ips.some((ip) => peer.cidrs.some((c) => inCidr(ip, c)));
    }
    case 'nodes': {
      // "selects the nodeIPs … matching on the IPs present in the node.Status.Addresses field".
      if (isPod(other) && !other.hostNetwork) return false;
      const ips = addressesOf(cluster, other);
      if (isPod(other) && ips.length === 0 && nodeOf(cluster, other) === undefined) return 'depends';
      const owners = (cluster.nodes ?? []).filter((n) => n.addresses.some((a) => ips.includes(a)) || (isPod(other) && n.name === other.nodeName));
      return owners.some((n) => referenceSelectorMatches(peer.nodeSelector, n.labels));
    }
    case 'domainNames': {
      // Names resolve at run time; there is no DNS model. A pod or a cluster address is no domain.
      if (isPod(other)) return false;
      const inCluster = cluster.pods.some((p) => p.ips.includes(other.ip)) || (cluster.nodes ?? []).some((n) => n.addresses.includes(other.ip));
      return inCluster ? false : 'depends';
    }
    case 'unknown':
      return false; // handled per rule (fail closed), see ruleEffect
  }
}

function portMatches(pp: PolicyPort, port: number, protocol: Protocol, destination: ReferenceEndpoint): boolean {
  if (pp.protocol !== protocol) return false;
  if (pp.port === undefined) return true;
  if (typeof pp.port === 'number') return pp.endPort !== undefined ? port >= pp.port && port <= pp.endPort : port === pp.port;
  // destinationNamedPort: "selects a destination port on a pod based on the ContainerPort name".
  if (!isPod(destination)) return false;
  return destination.ports.some((cp) => cp.name === pp.port && cp.protocol === protocol && cp.containerPort === port);
}

/** Does the rule apply to this connection, and with which action? */
function ruleEffect(cluster: Cluster, rule: TierRule, other: ReferenceEndpoint, destination: ReferenceEndpoint, port: number, protocol: Protocol):
  { matched: Tri; action: TierRule['action'] } {
  // Unknown peer, "fail closed": Accept rules match no traffic; Deny and Pass rules are
  // treated "as a 'Deny all' rule" (types.go, ClusterNetworkPolicy{Ingress,Egress}Peer).
  if (rule.peers.some((p) => p.kind === 'unknown')) return rule.action === 'Accept' ? { matched: false, action: 'Accept' } : { matched: true, action: 'Deny' };
  // Protocols: "If unspecified, protocol-specific attributes will not be used to match traffic."
  const portsOk: Tri = rule.ports.length === 0 || rule.ports.some((pp) => portMatches(pp, port, protocol, destination));
  let peersOk: Tri = false;
  for (const peer of rule.peers) peersOk = or(peersOk, peerMatches(cluster, peer, other));
  return { matched: and(portsOk, peersOk), action: rule.action };
}

// --- One tier, one direction -------------------------------------------------------------

type Outcome = 'Accept' | 'Deny' | 'Pass' | 'none';

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/** Every order the tier may be walked in: ascending priority; ties by name, or in every order. */
function orders(policies: ClusterPolicy[], everyTieOrder: boolean): ClusterPolicy[][] {
  const byName = (a: ClusterPolicy, b: ClusterPolicy) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const priorities = [...new Set(policies.map((p) => p.priority))].sort((a, b) => a - b);
  let out: ClusterPolicy[][] = [[]];
  for (const pr of priorities) {
    const group = policies.filter((p) => p.priority === pr).sort(byName);
    const variants = everyTieOrder ? permutations(group) : [group];
    out = out.flatMap((prefix) => variants.map((v) => [...prefix, ...v]));
  }
  return out;
}

/** The outcomes the tier can have: the first matching rule decides; a 'depends' match forks. */
function walk(cluster: Cluster, rules: TierRule[], other: ReferenceEndpoint, destination: ReferenceEndpoint, port: number, protocol: Protocol): Set<Outcome> {
  const out = new Set<Outcome>();
  const go = (k: number): void => {
    if (k === rules.length) { out.add('none'); return; }
    const { matched, action } = ruleEffect(cluster, rules[k]!, other, destination, port, protocol);
    if (matched !== false) out.add(action);
    if (matched !== true) go(k + 1);
  };
  go(0);
  return out;
}

function tierOutcomes(cluster: Cluster, tier: Tier, subject: Pod, direction: Direction, other: ReferenceEndpoint, destination: ReferenceEndpoint,
  port: number, protocol: Protocol, everyTieOrder: boolean): Set<Outcome> {
  const selecting = (cluster.clusterPolicies ?? []).filter((p) => p.tier === tier && selectsSubject(cluster, p, subject));
  const out = new Set<Outcome>();
  for (const order of orders(selecting, everyTieOrder)) {
    const rules = order.flatMap((p) => (direction === 'ingress' ? p.ingress : p.egress));
    for (const o of walk(cluster, rules, other, destination, port, protocol)) out.add(o);
  }
  return out;
}

/** One direction at `subject`: Admin, then NetworkPolicy, then Baseline, then default allow. */
function directionVerdicts(cluster: Cluster, subject: Pod, direction: Direction, other: ReferenceEndpoint, destination: ReferenceEndpoint,
  port: number, protocol: Protocol, opts: TierReferenceOptions, everyTieOrder: boolean): Set<'allow' | 'deny'> {
  const out = new Set<'allow' | 'deny'>();
  const baseline = (): void => {
    // Baseline: Accept/Deny final; Pass or no match → "the default kubernetes policy … all pods can communicate".
    for (const o of tierOutcomes(cluster, 'Baseline', subject, direction, other, destination, port, protocol, everyTieOrder)) out.add(o === 'Deny' ? 'deny' : 'allow');
  };
  for (const o of tierOutcomes(cluster, 'Admin', subject, direction, other, destination, port, protocol, everyTieOrder)) {
    if (o === 'Accept') out.add('allow');
    else if (o === 'Deny') out.add('deny');
    else {
      // "v1.NetworkPolicy always makes a final decision for selected pods. Further evaluation
      // only happens for Pods not selected by a v1.NetworkPolicy."
      const np = referenceNetworkPolicyDirection(cluster, subject, direction === 'ingress' ? 'Ingress' : 'Egress', other, destination, port, protocol, opts);
      if (np === 'not-isolated') baseline();
      else out.add(np);
    }
  }
  return out;
}

const single = (s: Set<'allow' | 'deny'>): TierVerdict => (s.size === 1 ? [...s][0]! : 'depends');

/**
 * May `from` open a connection to `to` (an address, or a pod dialled at its pod IP) on
 * port/protocol, with Admin and Baseline tier policies in the cluster? Egress at the source pod,
 * ingress at the destination pod; both must allow.
 */
export function referenceTierVerdict(cluster: Cluster, from: ReferenceEndpoint, to: ReferenceEndpoint, port: number, protocol: Protocol,
  options: Partial<TierReferenceOptions> = {}): TierReferenceResult {
  const opts = { ...DEFAULTS, ...options };
  // api-overview.md: "A Pod connecting to its own Pod IP is not subject to CNP" (nor to NetworkPolicy).
  if (isPod(from) && isPod(to) && from.namespace === to.namespace && from.name === to.name) {
    return { verdict: 'allow', egress: 'allow', ingress: 'allow', notes: ['a pod reaching its own pod IP is subject to no policy'] };
  }
  const notes: string[] = [];
  const side = (subject: ReferenceEndpoint, direction: Direction, other: ReferenceEndpoint): TierVerdict => {
    if (!isPod(subject)) return 'allow';
    const everyOrder = directionVerdicts(cluster, subject, direction, other, to, port, protocol, opts, true);
    const byName = directionVerdicts(cluster, subject, direction, other, to, port, protocol, opts, false);
    if (single(everyOrder) !== single(byName)) {
      notes.push(`${direction} at ${subject.namespace}/${subject.name}: policies of equal priority disagree; the order is implementation-defined`);
    }
    return single(opts.equalPriority === 'depends' ? everyOrder : byName);
  };
  const egress = side(from, 'egress', to);
  const ingress = side(to, 'ingress', from);
  const verdict: TierVerdict = egress === 'deny' || ingress === 'deny' ? 'deny' : egress === 'allow' && ingress === 'allow' ? 'allow' : 'depends';
  return { verdict, egress, ingress, notes };
}
