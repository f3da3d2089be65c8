// What lint rules share: the cluster, cached selections, and one way to build a finding.
import { diagnostic, type Diagnostic, type DocumentOrigin, type Severity } from '../../diagnostics/diagnostic.js';
import { matchPeer, peerCoversNamespace, type IpBlockPods } from '../../match/peer.js';
import { selectorMatches } from '../../match/selector.js';
import { Reachability } from '../../matrix/engine.js';
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
   * The pods a policy selects, in input order: the members of the policy's target group in the
   * class engine (resolved through its label index, once per distinct selector), expanded to
   * their pods (`byClass` false: the selector tested on every pod, the reading
   * test/analysis/lint-selected.test.ts pins it to).
   */
  selected(p: NetworkPolicy, byClass = true): Pod[] {
    let s = byClass ? this.selectedCache.get(p) : undefined;
    if (!s) {
      if (byClass) {
        const e = this.engine();
        s = this.groupPods(e.targetGroup(p));
        this.selectedCache.set(p, s);
      } else s = this.podsIn(p.namespace).filter((pod) => selectorMatches(p.podSelector, pod.labels));
    }
    return s;
  }

  /** The policies selecting pod `index` of the input that isolate `direction`, in input order (the Evaluator's isolatingPolicies). */
  isolating(index: number, direction: Direction): NetworkPolicy[] {
    const e = this.engine(), type = direction === 'ingress' ? 'Ingress' : 'Egress';
    this.policyOrder ??= new Map(this.cluster.policies.map((p, i) => [p, i]));
    const order = this.policyOrder;
    return e.policiesSelecting(e.classOfIndex(index)).filter((p) => p.policyTypes.includes(type)).sort((a, b) => order.get(a)! - order.get(b)!);
  }

  private policyOrder?: Map<NetworkPolicy, number>;
  private reach?: Reachability;
  /** The class engine of the input; only its classes and groups are read ('ignore' keeps IP atoms out). */
  private engine(): Reachability {
    // Only NetworkPolicy selectors are read from it ('ignore' keeps IP atoms out of the classes),
    // so tier policies are left out of this engine.
    return (this.reach ??= new Reachability({ ...this.cluster, clusterPolicies: undefined }, { ipBlockPods: 'ignore' }));
  }

  private nsOrder?: Map<string, number>;
  private readonly groupCache = new Map<number, Pod[]>();
  /** The pods of a group's classes: by namespace in input order, then in input order (once per group: policies share selectors). */
  private groupPods(g: number): Pod[] {
    let hit = this.groupCache.get(g);
    if (hit) return hit;
    const e = this.engine(), pods = this.cluster.pods, all = e.classes;
    this.nsOrder ??= new Map(this.cluster.namespaces.map((n, i) => [n.name, i]));
    const order = this.nsOrder;
    const idx = Int32Array.from(e.groupMembers(g).flatMap((c) => [...all[c]!.pods])).sort();
    const rank = (i: number) => order.get(pods[i]!.namespace) ?? order.size;
    const list = [...idx];
    if (new Set(list.map((i) => pods[i]!.namespace)).size > 1) list.sort((a, b) => rank(a) - rank(b) || a - b);
    this.groupCache.set(g, (hit = list.map((i) => pods[i]!)));
    return hit;
  }

  /**
   * Pods of the input a (non-ipBlock) peer matches: the members of the engine's group for the
   * peer (`byClass` false: matchPeer on every pod of the namespaces it can reach).
   */
  peerPods(peer: Peer, p: NetworkPolicy, byClass = true): Pod[] {
    if (peer.ipBlock) return [];
    // Same selectors, same pods: big inputs repeat peers across policies.
    const key = JSON.stringify([peer.namespaceSelector ?? null, peer.podSelector ?? null, peer.namespaceSelector ? '' : p.namespace]);
    let hit = byClass ? this.peerCache.get(key) : undefined;
    if (hit) return hit;
    if (byClass) {
      const e = this.engine();
      hit = this.groupPods(e.peerGroup(p.namespace, peer));
      // A namespaceSelector reads only namespaces the input has (matchPeer needs their labels).
      if (peer.namespaceSelector) hit = hit.filter((pod) => this.nsByName.has(pod.namespace));
      this.peerCache.set(key, hit);
      return hit;
    }
    const candidates = this.cluster.namespaces.filter((n) => peerCoversNamespace(peer, p.namespace, n.name, n.labels)).flatMap((n) => this.podsIn(n.name));
    return candidates.filter((pod) => matchPeer(peer, { kind: 'pod', pod, namespace: this.nsByName.get(pod.namespace)! }, p.namespace, 'ignore').match === true);
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
