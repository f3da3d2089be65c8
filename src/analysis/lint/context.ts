// What lint rules share: the cluster, cached selections, and one way to build a finding.
import { diagnostic, type Diagnostic, type DocumentOrigin } from '../../diagnostics/diagnostic.js';
import { matchPeer } from '../../match/peer.js';
import { selectorMatches } from '../../match/selector.js';
import { policyId, type Cluster, type Direction, type Namespace, type NetworkPolicy, type Peer, type Pod, type Rule } from '../../model/types.js';

export interface LintRule {
  /** Stable id, printed as `[id]` and in JSON/SARIF as `rule`. Never renamed. */
  id: string;
  /** One line for `netpol lint --rules` and the docs. */
  summary: string;
  check(ctx: LintContext): Diagnostic[];
}

const NO_ORIGIN: DocumentOrigin = { file: '<input>', document: 0, locate: () => ({ line: 1, column: 1 }) };

export class LintContext {
  readonly nsByName: Map<string, Namespace>;
  private readonly selectedCache = new Map<NetworkPolicy, Pod[]>();

  constructor(readonly cluster: Cluster) {
    this.nsByName = new Map(cluster.namespaces.map((n) => [n.name, n]));
  }

  /** Every peer of every rule: policies in order, ingress rules before egress rules. */
  *peers(): Generator<{ policy: NetworkPolicy; direction: Direction; rule: Rule; peer: Peer }> {
    for (const policy of this.cluster.policies) {
      for (const direction of ['ingress', 'egress'] as const) {
        for (const rule of policy[direction]) {
          for (const peer of rule.peers) yield { policy, direction, rule, peer };
        }
      }
    }
  }

  /** False when the input has no pods: selector rules would only produce noise. */
  get hasPods(): boolean {
    return this.cluster.pods.length > 0;
  }

  podsIn(ns: string): Pod[] {
    return this.cluster.pods.filter((p) => p.namespace === ns);
  }

  selected(p: NetworkPolicy): Pod[] {
    let s = this.selectedCache.get(p);
    if (!s) {
      s = this.podsIn(p.namespace).filter((pod) => selectorMatches(p.podSelector, pod.labels));
      this.selectedCache.set(p, s);
    }
    return s;
  }

  /** Pods of the input a (non-ipBlock) peer matches. */
  peerPods(peer: Peer, p: NetworkPolicy): Pod[] {
    if (peer.ipBlock) return [];
    return this.cluster.pods.filter((pod) => matchPeer(peer, { kind: 'pod', pod, namespace: this.nsByName.get(pod.namespace)! }, p.namespace, 'ignore').match === true);
  }

  finding(rule: string, p: NetworkPolicy, path: string, message: string, hint: string): Diagnostic {
    return diagnostic(p.origin ?? NO_ORIGIN, 'warning', 'Lint', path, message, { rule, hint, object: `NetworkPolicy ${policyId(p)}` });
  }
}
