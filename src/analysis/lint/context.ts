// What lint rules share: the cluster, cached selections, and one way to build a finding.
import { diagnostic, type Diagnostic, type DocumentOrigin, type Severity } from '../../diagnostics/diagnostic.js';
import { matchPeer, peerCoversNamespace, type IpBlockPods } from '../../match/peer.js';
import { selectorMatches } from '../../match/selector.js';
import { Reachability, type PodClass } from '../../matrix/engine.js';
import { policyId, type Cluster, type ClusterPolicy, type Direction, type Namespace, type NetworkPolicy, type Peer, type Pod, type PolicyPort, type Rule, type Service } from '../../model/types.js';

export interface LintRule {
  /** Stable id, printed as `[id]` and in JSON/SARIF as `rule`. Never renamed. */
  id: string;
  /** One line for the docs and SARIF. */
  summary: string;
  /** Severity of its findings unless a finding says otherwise. */
  severity: Severity;
  /** Ids of overlapping checks of other tools (`kube-linter:<id>`, …); see docs/ANALYSIS.md. */
  aliases?: readonly string[];
  check(ctx: LintContext): Diagnostic[];
}

/**
 * The concrete change a finding's hint suggests, applied to the model: tests apply it and
 * check that the rule goes quiet and no other rule starts talking.
 */
export type LintFix = (cluster: Cluster) => Cluster;

export interface LintContextOptions {
  /** How ipBlocks treat pod IPs for rules that evaluate connections (the DNS rule). */
  ipBlockPods?: IpBlockPods;
}

const NO_ORIGIN: DocumentOrigin = { file: '<input>', document: 0, locate: () => ({ line: 1, column: 1 }) };

export class LintContext {
  readonly nsByName: Map<string, Namespace>;
  readonly ipBlockPods: IpBlockPods;
  /** Suggested fixes of the findings made so far. */
  readonly fixes = new Map<Diagnostic, LintFix>();
  private readonly selectedCache = new Map<NetworkPolicy, Pod[]>();
  private readonly peerCache = new Map<string, Pod[]>();
  private podsByNs?: Map<string, Pod[]>;

  constructor(readonly cluster: Cluster, options: LintContextOptions = {}) {
    this.nsByName = new Map(cluster.namespaces.map((n) => [n.name, n]));
    this.ipBlockPods = options.ipBlockPods ?? 'match';
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

  /** Every `ports` entry of every rule, in the same order as peers(). */
  *ports(): Generator<{ policy: NetworkPolicy; direction: Direction; rule: Rule; port: PolicyPort }> {
    for (const policy of this.cluster.policies) {
      for (const direction of ['ingress', 'egress'] as const) {
        for (const rule of policy[direction]) {
          for (const port of rule.ports) yield { policy, direction, rule, port };
        }
      }
    }
  }

  /** False when the input has no pods: selector rules would only produce noise. */
  get hasPods(): boolean {
    return this.cluster.pods.length > 0;
  }

  podsIn(ns: string): Pod[] {
    if (!this.podsByNs) {
      this.podsByNs = new Map();
      for (const p of this.cluster.pods) {
        const l = this.podsByNs.get(p.namespace);
        if (l) l.push(p);
        else this.podsByNs.set(p.namespace, [p]);
      }
    }
    return this.podsByNs.get(ns) ?? [];
  }

  /**
   * The pods a policy selects, in input order. Pods of one class of the class engine carry the
   * same labels for every key a selector reads, so the selector is tested once per class
   * (`byClass` false: once per pod, the reading test/analysis/lint-selected.test.ts pins it to).
   */
  selected(p: NetworkPolicy, byClass = true): Pod[] {
    let s = byClass ? this.selectedCache.get(p) : undefined;
    if (!s) {
      if (byClass) {
        const pods = this.cluster.pods;
        s = this.classesIn(p.namespace).filter((c) => selectorMatches(p.podSelector, c.labels))
          .flatMap((c) => [...c.pods]).sort((a, b) => a - b).map((i) => pods[i]!);
        this.selectedCache.set(p, s);
      } else s = this.podsIn(p.namespace).filter((pod) => selectorMatches(p.podSelector, pod.labels));
    }
    return s;
  }

  private classesByNs?: Map<string, PodClass[]>;
  private classesIn(ns: string): PodClass[] {
    if (!this.classesByNs) {
      this.classesByNs = new Map();
      // Only the classes are read: 'ignore' keeps IP atoms out of them. They group pods by the
      // NetworkPolicy selectors these callers test, so tier policies are left out.
      for (const c of new Reachability({ ...this.cluster, clusterPolicies: undefined }, { ipBlockPods: 'ignore' }).classes) {
        if (!c.alive) continue;
        const l = this.classesByNs.get(c.namespace);
        if (l) l.push(c);
        else this.classesByNs.set(c.namespace, [c]);
      }
    }
    return this.classesByNs.get(ns) ?? [];
  }

  /** Pods of the input a (non-ipBlock) peer matches, by matchPeer on the pods of the namespaces it can reach. */
  peerPods(peer: Peer, p: NetworkPolicy): Pod[] {
    if (peer.ipBlock) return [];
    // Same selectors, same pods: big inputs repeat peers across policies.
    const key = JSON.stringify([peer.namespaceSelector ?? null, peer.podSelector ?? null, peer.namespaceSelector ? '' : p.namespace]);
    let hit = this.peerCache.get(key);
    if (hit) return hit;
    const candidates = this.cluster.namespaces.filter((n) => peerCoversNamespace(peer, p.namespace, n.name, n.labels)).flatMap((n) => this.podsIn(n.name));
    hit = candidates.filter((pod) => matchPeer(peer, { kind: 'pod', pod, namespace: this.nsByName.get(pod.namespace)! }, p.namespace, 'ignore').match === true);
    this.peerCache.set(key, hit);
    return hit;
  }

  /** A finding of `rule` (an id or the rule itself, whose severity it takes). */
  finding(rule: string | LintRule, p: NetworkPolicy, path: string, message: string, hint: string,
    extra: { severity?: Severity; fix?: LintFix } = {}): Diagnostic {
    const id = typeof rule === 'string' ? rule : rule.id;
    const severity = extra.severity ?? (typeof rule === 'string' ? 'warning' : rule.severity);
    const d = diagnostic(p.origin ?? NO_ORIGIN, severity, 'Lint', path, message, { rule: id, hint, object: `NetworkPolicy ${policyId(p)}` });
    if (extra.fix) this.fixes.set(d, extra.fix);
    return d;
  }

  /** A finding about a tier policy (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy). */
  tierFinding(rule: LintRule, p: ClusterPolicy, path: string, message: string, hint: string, extra: { severity?: Severity } = {}): Diagnostic {
    return diagnostic(p.origin ?? NO_ORIGIN, extra.severity ?? rule.severity, 'Lint', path, message, { rule: rule.id, hint, object: `${p.kind} ${p.name}` });
  }

  /** A finding about a Service (positioned in the Service's document). */
  serviceFinding(rule: LintRule, s: Service, path: string, message: string, hint: string, extra: { severity?: Severity } = {}): Diagnostic {
    return diagnostic(s.origin ?? NO_ORIGIN, extra.severity ?? rule.severity, 'Lint', path, message, { rule: rule.id, hint, object: `Service ${s.namespace}/${s.name}` });
  }
}
