// Admin/Baseline tier policies (ClusterNetworkPolicy v1alpha2, AdminNetworkPolicy and
// BaselineAdminNetworkPolicy v1alpha1): who is a subject, and does one rule's peer or port match
// the far side of a connection. Pure and per rule/per peer, so the evaluator, the class engine
// and the nft compiler share one meaning. Citations are to kubernetes-sigs/network-policy-api
// @ 0eec1b0: T = apis/v1alpha2/clusternetworkpolicy_types.go, O = site-src/api-overview.md,
// F = site-src/npeps/npep-133-fqdn-egress-selector.md.
import { parseCidr, parseIp, rangeContains } from '../net/ip.js';
import type { ClusterPolicy, Namespace, Node, Pod, PolicyPort, Protocol, TierAction, TierPeer, TierRule, TierSubject } from '../model/types.js';
import { matchPort, type Answer, type Party } from './peer.js';
import { formatSelector, selectorMismatch } from './selector.js';
import type { Tri } from './tri.js';

/** What the far side is matched with: the cluster's nodes, and whether unknowns answer 'depends'. */
export interface TierMatchContext {
  readonly nodes: readonly Node[];
  /**
   * True: a fact the input does not state (a pod without an IP against `networks`, a domain
   * name's addresses) answers 'depends'. False: it answers no match, as the NetworkPolicy
   * matcher does for a pod without an IP under `--ipblock-pods match|ignore`.
   */
  readonly threeValued: boolean;
  /**
   * False: answers carry an empty `why` (the class engine only reads `match`). The same code
   * decides the match either way; only the explanation text is skipped.
   */
  readonly explain?: boolean;
}

/** An explanation, built only when wanted (the strings cost more than the matching itself). */
const say = (explain: boolean, why: () => string): string => (explain ? why() : '');

const podName = (p: Pod) => `${p.namespace}/${p.name}`;

/** `cnp/name`, `anp/name`, `banp/name`: unambiguous across the three kinds, short in traces. */
export function tierPolicyName(p: ClusterPolicy): string {
  const short = p.kind === 'ClusterNetworkPolicy' ? 'cnp' : p.kind === 'AdminNetworkPolicy' ? 'anp' : 'banp';
  return `${short}/${p.name}`;
}

/**
 * Evaluation order inside one tier: ascending priority (T: "lower priority values have higher
 * precedence"). Equal priorities are implementation-defined (T, Priority); netpol orders them
 * by kind then name so every run gives the same answer, and reports the tie (see the evaluator).
 */
export function compareTierPolicies(a: ClusterPolicy, b: ClusterPolicy): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const an = tierPolicyName(a);
  const bn = tierPolicyName(b);
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** Is this pod a subject? Host-networked pods never are (T, ClusterNetworkPolicySubject). */
export function matchTierSubject(subject: TierSubject, pod: Pod, namespace: Namespace, explain = true): Answer {
  const ex = explain;
  if (pod.hostNetwork) return { match: false, why: say(ex, () => `pod ${podName(pod)} uses hostNetwork: host-networked pods are never subjects of tier policies`) };
  if (subject.namespaces) {
    const miss = selectorMismatch(subject.namespaces, namespace.labels);
    return miss
      ? { match: false, why: say(ex, () => `namespace ${namespace.name} ${miss} (subject namespaces ${formatSelector(subject.namespaces)})`) }
      : { match: true, why: say(ex, () => `namespace ${namespace.name} matches subject namespaces ${formatSelector(subject.namespaces)}`) };
  }
  const { namespaceSelector, podSelector } = subject.pods;
  const nsMiss = selectorMismatch(namespaceSelector, namespace.labels);
  if (nsMiss) return { match: false, why: say(ex, () => `namespace ${namespace.name} ${nsMiss} (subject pods.namespaceSelector ${formatSelector(namespaceSelector)})`) };
  const podMiss = selectorMismatch(podSelector, pod.labels);
  if (podMiss) return { match: false, why: say(ex, () => `pod ${podName(pod)} ${podMiss} (subject pods.podSelector ${formatSelector(podSelector)})`) };
  return { match: true, why: say(ex, () => `pod ${podName(pod)} matches subject pods ${formatSelector(podSelector)} in namespaces ${formatSelector(namespaceSelector)}`) };
}

function sameIp(a: string, b: string): boolean {
  const x = parseIp(a);
  const y = parseIp(b);
  return x !== undefined && y !== undefined && x.family === y.family && x.value === y.value;
}

/** The nodes a party is on, as far as `nodes` peers see it: by address, or a hostNetwork pod's node. */
function nodesOf(party: Party, nodes: readonly Node[]): Node[] {
  if (party.kind === 'ip') return nodes.filter((n) => n.addresses.some((a) => sameIp(a, party.ip)));
  const pod = party.pod;
  return nodes.filter((n) => (pod.nodeName !== undefined && n.name === pod.nodeName) || n.addresses.some((a) => pod.ips.some((ip) => sameIp(a, ip))));
}

function matchNetworks(cidrs: readonly string[], party: Party, ctx: TierMatchContext): Answer {
  const ex = ctx.explain !== false;
  const list = ex ? cidrs.join(', ') : '';
  const inside = (ip: string) => {
    const addr = parseIp(ip);
    return addr !== undefined && cidrs.some((c) => {
      const r = parseCidr(c);
      return r !== undefined && rangeContains(r, addr);
    });
  };
  if (party.kind === 'ip') {
    return inside(party.ip) ? { match: true, why: say(ex, () => `${party.ip} is in networks ${list}`) } : { match: false, why: say(ex, () => `${party.ip} is not in networks ${list}`) };
  }
  // T, Networks: "cluster-internal traffic will be checked against the rule as well" — defined
  // by the API, so pod IPs always count (no --ipblock-pods choice here).
  const pod = party.pod;
  // A host-networked pod's addresses are its node's, when the manifest names the node only.
  const ips = pod.ips.length === 0 && pod.hostNetwork ? nodesOf(party, ctx.nodes).flatMap((n) => n.addresses) : pod.ips;
  if (ips.length === 0) {
    return ctx.threeValued
      ? { match: 'depends', why: say(ex, () => `pod ${podName(pod)} has no IP in the manifests, so whether networks ${list} cover it is unknown`) }
      : { match: false, why: say(ex, () => `pod ${podName(pod)} has no IP in the manifests, so networks ${list} cannot match it`) };
  }
  const hit = ips.find(inside);
  return hit ? { match: true, why: say(ex, () => `pod IP ${hit} of ${podName(pod)} is in networks ${list}`) } : { match: false, why: say(ex, () => `pod IP ${ips.join(', ')} of ${podName(pod)} is not in networks ${list}`) };
}

function matchNodes(peer: Extract<TierPeer, { kind: 'nodes' }>, party: Party, ctx: TierMatchContext): Answer {
  const ex = ctx.explain !== false;
  const sel = ex ? formatSelector(peer.nodeSelector) : '';
  // T, Nodes: "selects the nodeIPs … present in the node.Status.Addresses field"; a pod's own IP
  // is not a node address, a hostNetwork pod's is.
  if (party.kind === 'pod' && !party.pod.hostNetwork) return { match: false, why: say(ex, () => `pod ${podName(party.pod)} is not host-networked: its pod IP is not a node address (nodes ${sel})`) };
  const on = nodesOf(party, ctx.nodes);
  const what = !ex ? '' : party.kind === 'ip' ? party.ip : `hostNetwork pod ${podName(party.pod)}`;
  if (on.length === 0) {
    if (party.kind === 'pod' && ctx.threeValued) return { match: 'depends', why: say(ex, () => `${what} is on no node of the input (no spec.nodeName, no node address), so whether nodes ${sel} select it is unknown`) };
    return { match: false, why: say(ex, () => `${what} is not an address of any Node in the input (nodes ${sel})`) };
  }
  const hit = on.find((n) => selectorMismatch(peer.nodeSelector, n.labels) === undefined);
  if (hit) return { match: true, why: say(ex, () => `${what} is on node ${hit.name}, which matches nodes ${sel}`) };
  return { match: false, why: say(ex, () => `${what} is on node ${on.map((n) => n.name).join(', ')}: ${selectorMismatch(peer.nodeSelector, on[0]!.labels)} (nodes ${sel})`) };
}

/** Could one of these names be a pod's DNS record (`<ip>.<ns>.pod.<cluster domain>`)? */
function mayNamePodRecord(name: string): boolean {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.');
  if (labels.includes('pod')) return true;
  return labels[0] === '*' && (labels.slice(1).join('.') === 'local' || labels.slice(1).join('.') === 'cluster.local');
}

function matchDomainNames(names: readonly string[], party: Party, ctx: TierMatchContext): Answer {
  const ex = ctx.explain !== false;
  const list = ex ? names.join(', ') : '';
  if (party.kind === 'pod') {
    // F, "Expected Behavior": in-cluster endpoints are only reached through a pod's generated DNS
    // record (`pod-ip-address.my-namespace.pod.cluster.local`); ClusterIP Service names are not
    // supported. netpol has no DNS model, so only such a name leaves a pod undecided.
    if (names.some(mayNamePodRecord)) {
      return ctx.threeValued
        ? { match: 'depends', why: say(ex, () => `domainNames ${list} may name pod ${podName(party.pod)} by its DNS record; netpol has no DNS model`) }
        : { match: false, why: say(ex, () => `domainNames ${list} are not resolved (no DNS model); assumed not to name pod ${podName(party.pod)}`) };
    }
    return { match: false, why: say(ex, () => `domainNames ${list} do not select pods (only a pod's generated DNS record would)`) };
  }
  return ctx.threeValued
    ? { match: 'depends', why: say(ex, () => `whether ${party.ip} is an address of ${list} depends on DNS, which netpol does not model`) }
    : { match: false, why: say(ex, () => `whether ${party.ip} is an address of ${list} depends on DNS (not modelled); assumed not`) };
}

/**
 * One `from`/`to` entry of a tier rule against the far side. `action` matters only for a peer
 * of an unknown kind, which fails closed (T, ClusterNetworkPolicyEgressPeer: Accept matches no
 * traffic; Deny and Pass are "Deny all").
 */
export function matchTierPeer(peer: TierPeer, action: TierAction, party: Party, ctx: TierMatchContext): Answer {
  const ex = ctx.explain !== false;
  switch (peer.kind) {
    case 'unknown':
      return action === 'Accept'
        ? { match: false, why: say(ex, () => `peer field "${peer.field}" is unknown: fail closed, an ${action} rule matches nothing`) }
        : { match: true, why: say(ex, () => `peer field "${peer.field}" is unknown: fail closed, a ${action} rule matches everything`) };
    case 'networks':
      return matchNetworks(peer.cidrs, party, ctx);
    case 'nodes':
      return matchNodes(peer, party, ctx);
    case 'domainNames':
      return matchDomainNames(peer.domainNames, party, ctx);
    case 'namespaces':
    case 'pods': {
      if (party.kind === 'ip') return { match: false, why: say(ex, () => `${party.ip} is not a pod; only networks, nodes and domainNames peers match addresses`) };
      const { pod, namespace } = party;
      // T: "host-networked pods are not included in this type of peer".
      if (pod.hostNetwork) return { match: false, why: say(ex, () => `pod ${podName(pod)} uses hostNetwork: ${peer.kind} peers never include host-networked pods`) };
      const nsMiss = selectorMismatch(peer.namespaceSelector, namespace.labels);
      if (nsMiss) return { match: false, why: say(ex, () => `namespace ${namespace.name} ${nsMiss} (${peer.kind === 'pods' ? 'pods.namespaceSelector' : 'namespaces'} ${formatSelector(peer.namespaceSelector)})`) };
      if (peer.kind === 'namespaces') return { match: true, why: say(ex, () => `namespace ${namespace.name} matches namespaces ${formatSelector(peer.namespaceSelector)}`) };
      const podMiss = selectorMismatch(peer.podSelector, pod.labels);
      if (podMiss) return { match: false, why: say(ex, () => `pod ${podName(pod)} ${podMiss} (pods.podSelector ${formatSelector(peer.podSelector)})`) };
      return { match: true, why: say(ex, () => `pod ${podName(pod)} matches pods ${formatSelector(peer.podSelector)} in namespaces ${formatSelector(peer.namespaceSelector)}`) };
    }
  }
}

/** The action a rule takes when it matches: a Deny or Pass rule with an unknown peer is "Deny all". */
export function tierRuleAction(rule: TierRule): TierAction {
  return rule.action !== 'Accept' && rule.peers.some((p) => p.kind === 'unknown') ? 'Deny' : rule.action;
}

export interface TierRuleMatch {
  match: Tri;
  /** Index of the peer that matched (or may), when one did. */
  peer?: number;
  /** Index of the protocols entry that matched, when one did. */
  portEntry?: number;
  why: string;
}

/**
 * One tier rule against a connection: some protocols entry (none listed: every port of every
 * protocol) AND some peer. Named ports resolve on the destination pod, as for NetworkPolicy.
 */
export function matchTierRule(rule: TierRule, other: Party, dest: Party, port: number, protocol: Protocol, ctx: TierMatchContext): TierRuleMatch {
  const ex = ctx.explain !== false;
  // Fail closed is about the whole rule, not one peer (T, ClusterNetworkPolicy{Ingress,Egress}Peer:
  // "For Accept rules ... treat the rule as matching no traffic. For Deny and Pass rules ...
  // treat the rule as a 'Deny all' rule"): ports and the other peers no longer count.
  const unknown = rule.peers.findIndex((p) => p.kind === 'unknown');
  if (unknown >= 0) {
    const field = (rule.peers[unknown] as { field: string }).field;
    return rule.action === 'Accept'
      ? { match: false, why: say(ex, () => `peer ${unknown} has the unknown field "${field}": fail closed, this Accept rule matches no traffic`) }
      : { match: true, peer: unknown, why: say(ex, () => `peer ${unknown} has the unknown field "${field}": fail closed, this ${rule.action} rule acts as "Deny all"`) };
  }
  let portWhy = 'no protocols listed: every port';
  let portEntry: number | undefined;
  if (rule.ports.length > 0) {
    const answers = rule.ports.map((pp: PolicyPort) => matchPort(pp, port, protocol, dest));
    const hit = answers.findIndex((a) => a.match === true);
    if (hit < 0) return { match: false, why: say(ex, () => `port does not match: ${answers.map((a) => a.why).join('; ')}`) };
    portWhy = answers[hit]!.why;
    portEntry = hit;
  }
  const withPort = (m: TierRuleMatch): TierRuleMatch => (portEntry === undefined ? m : { ...m, portEntry });
  if (rule.peers.length === 0) return withPort({ match: false, why: say(ex, () => 'the rule lists no peers, so it matches nothing') });
  const answers = rule.peers.map((p) => matchTierPeer(p, rule.action, other, ctx));
  const hit = answers.findIndex((a) => a.match === true);
  if (hit >= 0) return withPort({ match: true, peer: hit, why: say(ex, () => `peer ${hit}: ${answers[hit]!.why}; ${portWhy}`) });
  const maybe = answers.findIndex((a) => a.match === 'depends');
  if (maybe >= 0) return withPort({ match: 'depends', peer: maybe, why: say(ex, () => `peer ${maybe}: ${answers[maybe]!.why}; ${portWhy}`) });
  return { match: false, why: say(ex, () => `no peer matches: ${answers.map((a, k) => `peer ${k}: ${a.why}`).join('; ')}`) };
}
