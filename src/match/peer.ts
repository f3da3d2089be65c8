// Does a rule's peer or port match one side of a connection? Each answer carries its reason
// so the evaluator can explain misses as well as hits.
import { parseCidr, parseIp, rangeContains } from '../net/ip.js';
import type { IPBlock, LabelSelector, Labels, Namespace, Peer, Pod, PolicyPort, Protocol } from '../model/types.js';
import { formatSelector, selectorMatches, selectorMismatch } from './selector.js';
import type { Tri } from './tri.js';

/** How ipBlock peers treat pod IPs: the API leaves it to the plugin (reference §7.23). */
export type IpBlockPods = 'match' | 'ignore' | 'depends';

/** The far side of a connection as seen by a rule: a pod (with its namespace) or an address. */
export type Party = { kind: 'pod'; pod: Pod; namespace: Namespace } | { kind: 'ip'; ip: string };

export interface Answer {
  match: Tri;
  why: string;
}

export function ipBlockContains(block: IPBlock, ip: string): boolean {
  const addr = parseIp(ip);
  const cidr = parseCidr(block.cidr);
  if (!addr || !cidr || !rangeContains(cidr, addr)) return false;
  return !block.except.some((e) => {
    const r = parseCidr(e);
    return r !== undefined && rangeContains(r, addr);
  });
}

function describeBlock(b: IPBlock): string {
  return b.except.length ? `${b.cidr} except ${b.except.join(', ')}` : b.cidr;
}

function matchIpBlock(block: IPBlock, party: Party, ipBlockPods: IpBlockPods): Answer {
  const desc = describeBlock(block);
  if (party.kind === 'ip') {
    return ipBlockContains(block, party.ip)
      ? { match: true, why: `${party.ip} is in ipBlock ${desc}` }
      : { match: false, why: `${party.ip} is not in ipBlock ${desc}` };
  }
  if (ipBlockPods === 'ignore') return { match: false, why: `ipBlock ${desc} is not matched against pod IPs (--ipblock-pods ignore)` };
  if (party.pod.ips.length === 0) {
    return ipBlockPods === 'depends'
      ? { match: 'depends', why: `pod ${party.pod.namespace}/${party.pod.name} has no IP in the manifests, so whether ipBlock ${desc} covers it is unknown` }
      : { match: false, why: `pod ${party.pod.namespace}/${party.pod.name} has no IP in the manifests, so ipBlock ${desc} cannot match it` };
  }
  const hit = party.pod.ips.find((ip) => ipBlockContains(block, ip));
  if (!hit) return { match: false, why: `pod IP ${party.pod.ips.join(', ')} is not in ipBlock ${desc}` };
  return ipBlockPods === 'depends'
    ? { match: 'depends', why: `pod IP ${hit} is in ipBlock ${desc}, but whether a plugin matches ipBlocks against pod IPs varies (Calico does, Cilium does not)` }
    : { match: true, why: `pod IP ${hit} is in ipBlock ${desc}` };
}

/** The selector half of a peer, or of a policy's target (podSelector only, in its namespace). */
export interface PodSelectors {
  readonly namespaceSelector?: LabelSelector;
  readonly podSelector?: LabelSelector;
}

/**
 * The one definition of which namespaces a pod peer looks in: those its namespaceSelector
 * matches, else only the policy's own namespace `policyNs` (reference §7.17).
 */
export function peerCoversNamespace(peer: PodSelectors, policyNs: string | undefined, ns: string, nsLabels: Labels): boolean {
  return peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, nsLabels) : ns === policyNs;
}

/**
 * The one definition of which pods a pod peer (no ipBlock) selects: namespace AND podSelector
 * (an absent podSelector selects every pod of the covered namespaces). Boolean and allocation-free:
 * the class engine and the nft compiler call it per candidate; matchPeer explains it.
 */
export function peerSelectsPod(peer: PodSelectors, policyNs: string | undefined, ns: string, nsLabels: Labels, podLabels: Labels): boolean {
  return peerCoversNamespace(peer, policyNs, ns, nsLabels) && (!peer.podSelector || selectorMatches(peer.podSelector, podLabels));
}

const NO_LABELS: Labels = {};

/**
 * The pods a NetworkPolicy applies to: its podSelector in its own namespace, i.e. the pod peer
 * without namespaceSelector (namespace labels are never read).
 */
export function policySelectsPod(policy: { readonly namespace: string; readonly podSelector: LabelSelector }, pod: { readonly namespace: string; readonly labels: Labels }): boolean {
  return peerSelectsPod(policy, policy.namespace, pod.namespace, NO_LABELS, pod.labels);
}

/**
 * One `from`/`to` entry against the far side. `policyNs` is the policy's namespace: a
 * podSelector without a namespaceSelector only looks there (reference §7.17).
 */
export function matchPeer(peer: Peer, party: Party, policyNs: string, ipBlockPods: IpBlockPods): Answer {
  if (peer.ipBlock) return matchIpBlock(peer.ipBlock, party, ipBlockPods);
  if (party.kind === 'ip') return { match: false, why: `${party.ip} is not a pod; only ipBlock peers match external addresses` };
  const { pod, namespace } = party;
  const podName = `${pod.namespace}/${pod.name}`;
  // peerSelectsPod decides; the steps below only word the first part that failed.
  if (!peerSelectsPod(peer, policyNs, pod.namespace, namespace.labels, pod.labels)) return { match: false, why: peerMiss(peer, pod, namespace, policyNs) };
  const parts: string[] = [];
  if (peer.namespaceSelector) parts.push(`namespace ${namespace.name} matches namespaceSelector ${formatSelector(peer.namespaceSelector)}`);
  if (peer.podSelector) parts.push(`pod ${podName} matches podSelector ${formatSelector(peer.podSelector)}${peer.namespaceSelector ? '' : ` in ${policyNs}`}`);
  return { match: true, why: parts.join(' and ') };
}

/** Why peerSelectsPod said no, in words. */
function peerMiss(peer: PodSelectors, pod: Pod, namespace: Namespace, policyNs: string): string {
  const podName = `${pod.namespace}/${pod.name}`;
  if (peer.namespaceSelector) {
    const miss = selectorMismatch(peer.namespaceSelector, namespace.labels);
    if (miss) return `namespace ${namespace.name} ${miss} (namespaceSelector ${formatSelector(peer.namespaceSelector)})`;
  } else if (pod.namespace !== policyNs) {
    return `pod ${podName} is in namespace ${pod.namespace}; a podSelector without namespaceSelector only selects pods in ${policyNs}`;
  }
  const miss = peer.podSelector && selectorMismatch(peer.podSelector, pod.labels);
  return `pod ${podName} ${miss} (podSelector ${formatSelector(peer.podSelector!)})`;
}

/**
 * One `ports` entry against the destination port. A named port is resolved on the destination
 * pod: it matches when that pod declares a port of that name, number and protocol (§7.27).
 */
export function matchPort(p: PolicyPort, port: number, protocol: Protocol, dest: Party): Answer {
  if (p.protocol !== protocol) return { match: false, why: `rule is for ${p.protocol}, connection is ${protocol}` };
  if (p.port === undefined) return { match: true, why: `every ${protocol} port` };
  if (typeof p.port === 'number') {
    const end = p.endPort ?? p.port;
    const label = end === p.port ? `${protocol} ${p.port}` : `${protocol} ${p.port}-${end}`;
    return port >= p.port && port <= end ? { match: true, why: `port ${port} is ${label}` } : { match: false, why: `port ${port} is not ${label}` };
  }
  if (dest.kind === 'ip') return { match: false, why: `named port "${p.port}" cannot be resolved on an external address` };
  const decl = dest.pod.ports.filter((c) => c.name === p.port && c.protocol === protocol);
  if (decl.length === 0) return { match: false, why: `pod ${dest.pod.namespace}/${dest.pod.name} declares no ${protocol} port named "${p.port}"` };
  return decl.some((c) => c.containerPort === port)
    ? { match: true, why: `named port "${p.port}" is ${protocol} ${port} on ${dest.pod.namespace}/${dest.pod.name}` }
    : { match: false, why: `named port "${p.port}" is ${protocol} ${decl.map((c) => c.containerPort).join(', ')} on ${dest.pod.namespace}/${dest.pod.name}, not ${port}` };
}
