// Every policy as structured plain words: whom it isolates, and per rule who may connect on
// which ports, with the pods each peer matches in the input.
import { matchPeer, policySelectsPod } from '../../match/peer.js';
import { formatSelector } from '../../match/selector.js';
import { podId, type Cluster, type Direction, type NetworkPolicy, type Rule } from '../../model/types.js';
import { describePeer, describePods, describePorts } from './describe.js';

export interface PeerExplanation {
  path: string;
  line?: number;
  text: string;
  /** Pods of the input this peer matches (ipBlock peers: none listed). */
  pods: string[];
}

export interface RuleExplanation {
  direction: Direction;
  index: number;
  path: string;
  line?: number;
  /** Empty: every source/destination, external addresses included. */
  peers: PeerExplanation[];
  ports: string;
  text: string;
}

export interface PolicyExplanation {
  policy: string;
  file?: string;
  line?: number;
  selector: string;
  subject: string;
  pods: string[];
  isolates: Direction[];
  policyTypesDefaulted: boolean;
  rules: RuleExplanation[];
  summary: string[];
}

function ruleExplanation(cluster: Cluster, p: NetworkPolicy, r: Rule, i: number, direction: Direction): RuleExplanation {
  const nsByName = new Map(cluster.namespaces.map((n) => [n.name, n]));
  const peers = r.peers.map((peer) => {
    const pods = peer.ipBlock
      ? []
      : cluster.pods
          .filter((pod) => matchPeer(peer, { kind: 'pod', pod, namespace: nsByName.get(pod.namespace)! }, p.namespace, 'ignore').match === true)
          .map(podId);
    const e: PeerExplanation = { path: peer.path, text: describePeer(peer, p.namespace), pods };
    if (p.origin) e.line = p.origin.locate(peer.path).line;
    return e;
  });
  const ports = describePorts(r.ports);
  const who = direction === 'ingress' ? 'from' : 'to';
  const text = peers.length === 0
    ? `${who} anywhere (every pod, namespace and address), on ${ports}`
    : peers.length === 1
      ? `${who} ${peers[0]!.text}, on ${ports}`
      : `${who} ANY OF: ${peers.map((x) => `(${x.text})`).join(' OR ')}, on ${ports}`;
  const e: RuleExplanation = { direction, index: i, path: r.path, peers, ports, text };
  if (p.origin) e.line = p.origin.locate(r.path).line;
  return e;
}

export function explainPolicy(cluster: Cluster, p: NetworkPolicy): PolicyExplanation {
  const pods = cluster.pods.filter((x) => policySelectsPod(p, x)).map(podId);
  const isolates: Direction[] = [];
  if (p.policyTypes.includes('Ingress')) isolates.push('ingress');
  if (p.policyTypes.includes('Egress')) isolates.push('egress');
  const rules = [
    ...p.ingress.map((r, i) => ruleExplanation(cluster, p, r, i, 'ingress')),
    ...p.egress.map((r, i) => ruleExplanation(cluster, p, r, i, 'egress')),
  ];
  const subject = `${describePods(p.podSelector)} in namespace ${p.namespace}`;
  const summary: string[] = [];
  for (const d of ['ingress', 'egress'] as const) {
    const own = rules.filter((r) => r.direction === d);
    if (!isolates.includes(d)) {
      if (own.length) summary.push(`${d} rules are present but ${d === 'ingress' ? 'Ingress' : 'Egress'} is not in policyTypes: they have no effect`);
      continue;
    }
    if (own.length === 0) summary.push(`${d}: denies all ${d} (no rules), unless another policy selecting the same pods allows it`);
    else summary.push(`${d}: allows only the connections below; everything else ${d === 'ingress' ? 'into' : 'out of'} these pods is denied unless another policy allows it`);
  }
  const e: PolicyExplanation = {
    policy: `${p.namespace}/${p.name}`,
    selector: formatSelector(p.podSelector),
    subject,
    pods,
    isolates,
    policyTypesDefaulted: p.policyTypesDefaulted,
    rules,
    summary,
  };
  if (p.origin) {
    e.file = p.origin.file;
    e.line = p.origin.locate('metadata.name').line;
  }
  return e;
}

export function explainCluster(cluster: Cluster): PolicyExplanation[] {
  return cluster.policies.map((p) => explainPolicy(cluster, p));
}
