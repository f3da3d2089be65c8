// The readable evaluator: one connection -> verdict and trace. It follows the API reference
// directly (isolation per direction, additive allows, egress at the source AND ingress at the
// destination) and records why each policy, rule, peer and port did or did not match.
import type { Cluster, ClusterPolicy, Direction, Namespace, NetworkPolicy, Pod, Protocol, Rule, Tier } from '../model/types.js';
import { matchPeer, matchPort, type Answer, type IpBlockPods, type Party } from '../match/peer.js';
import { selectorMatches } from '../match/selector.js';
import { compareTierPolicies, matchTierRule, tierRuleAction, matchTierSubject, tierPolicyName, type TierMatchContext } from '../match/tier.js';
import { triAnd, triOr, type Tri } from '../match/tri.js';
import { combineLayers, walkTier, type Layer, type TierPolicyTrace, type TierRuleTrace, type TierTrace } from './tiers.js';
import { describeLayers, tieNotes } from './tier-words.js';

export type Endpoint = { kind: 'pod'; pod: Pod } | { kind: 'ip'; ip: string };

export interface Connection {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol: Protocol;
}

export interface EvaluateOptions {
  ipBlockPods?: IpBlockPods;
}

export interface RuleTrace {
  index: number;
  path: string;
  line?: number;
  matched: Tri;
  /** Index of the peer that matched, when one did. */
  peer?: number;
  /** Index of the ports entry that matched, when one did. */
  portEntry?: number;
  why: string;
}

export interface PolicyTrace {
  policy: string;
  file?: string;
  line?: number;
  allowed: Tri;
  rules: RuleTrace[];
}

export interface DirectionTrace {
  direction: Direction;
  /** The pod whose policies decide this direction; absent for an external address. */
  pod?: string;
  isolated: boolean;
  allowed: Tri;
  /** Policies that select the pod and isolate this direction. */
  policies: PolicyTrace[];
  reason: string;
  /** Only when the cluster has tier policies: the Admin and Baseline steps, and which layer decided. */
  tiers?: TierTrace[];
  decidedBy?: Layer;
}

/**
 * Why a verdict hinges on behaviour the API leaves to the network plugin (or on a fact the
 * manifests do not state): ipBlocks against pod IPs, a pod without a known IP, hostNetwork pods.
 */
export interface DependsNote {
  reason: string;
}

export interface Verdict {
  /**
   * Under `--ipblock-pods match|ignore` (default match): the verdict that mode assumes, a
   * boolean. Only under `depends` is it the string 'depends', for a verdict that hinges.
   */
  allowed: boolean | 'depends';
  verdict: 'allow' | 'deny' | 'depends';
  /** Every reason this verdict hinges on plugin-defined behaviour; empty when it is certain. */
  depends: DependsNote[];
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  egress: DirectionTrace;
  ingress: DirectionTrace;
  notes: string[];
}

/** The one wording of why a hostNetwork end makes a verdict uncertain (also used by matrix and list). */
export function hostNetworkReason(p: Pod): string {
  return `${p.namespace}/${p.name} uses hostNetwork: NetworkPolicy behaviour for hostNetwork pods is undefined; plugins that cannot tell its traffic from the node's apply no pod policy to it`;
}

/** A pod reaching its own IP: NetworkPolicy does not apply. */
function isSelf(c: Connection): boolean {
  return c.from.kind === 'pod' && c.to.kind === 'pod' && c.from.pod === c.to.pod;
}

/** The first direction whose answer is 'depends' says why (its reason names the rule and peer). */
function dependsReason(t: { egress: DirectionTrace; ingress: DirectionTrace }): string {
  const d = t.egress.allowed === 'depends' ? t.egress : t.ingress;
  if (d.decidedBy !== undefined) return `${d.direction} at ${d.pod ?? 'the external end'}: ${d.reason}`;
  const policy = d.policies.find((p) => p.allowed === 'depends');
  const rule = policy?.rules.find((r) => r.matched === 'depends');
  return `${d.direction} at ${d.pod}: ${policy && rule ? `${policy.policy} ${rule.path}: ${rule.why}` : d.reason}`;
}

export function endpointName(e: Endpoint): string {
  return e.kind === 'pod' ? `${e.pod.namespace}/${e.pod.name}` : e.ip;
}

/**
 * The policies of one namespace, bucketed by one `matchLabels` pair of their podSelector, so the
 * policies that may select a pod are found from its labels instead of testing every policy of
 * the namespace (330 per namespace in the B3d benchmark). Policies without matchLabels are
 * always candidates. Candidates keep the namespace's policy order, which traces show.
 */
class NamespacePolicies {
  readonly all: NetworkPolicy[] = [];
  private readonly byPair = new Map<string, number[]>();
  private readonly always: number[] = [];

  add(p: NetworkPolicy): void {
    const i = this.all.push(p) - 1;
    const first = Object.keys(p.podSelector.matchLabels)[0];
    if (first === undefined) this.always.push(i);
    else {
      const key = `${first}\u0000${p.podSelector.matchLabels[first]}`;
      const l = this.byPair.get(key);
      if (l) l.push(i);
      else this.byPair.set(key, [i]);
    }
  }

  /** A superset of the policies whose podSelector matches these labels, in namespace order. */
  candidates(labels: Pod['labels']): NetworkPolicy[] {
    const hits = [...this.always];
    for (const k in labels) {
      const l = this.byPair.get(`${k}\u0000${labels[k]}`);
      if (l) for (const i of l) hits.push(i);
    }
    return hits.sort((a, b) => a - b).map((i) => this.all[i]!);
  }
}

export class Evaluator {
  private readonly namespaces: Map<string, Namespace>;
  private readonly policiesByNs: Map<string, NamespacePolicies>;
  /** Tier policies in evaluation order; undefined when the cluster has none (today's traces exactly). */
  private readonly tierPolicies?: Record<Tier, ClusterPolicy[]>;

  constructor(readonly cluster: Cluster, private readonly options: EvaluateOptions = {}) {
    this.namespaces = new Map(cluster.namespaces.map((n) => [n.name, n]));
    this.policiesByNs = new Map();
    for (const p of cluster.policies) {
      let list = this.policiesByNs.get(p.namespace);
      if (!list) this.policiesByNs.set(p.namespace, (list = new NamespacePolicies()));
      list.add(p);
    }
    const cps = cluster.clusterPolicies ?? [];
    if (cps.length > 0) {
      const sorted = [...cps].sort(compareTierPolicies);
      this.tierPolicies = { Admin: sorted.filter((p) => p.tier === 'Admin'), Baseline: sorted.filter((p) => p.tier === 'Baseline') };
    }
  }

  private party(e: Endpoint): Party {
    if (e.kind === 'ip') return e;
    const namespace = this.namespaces.get(e.pod.namespace) ?? { kind: 'Namespace', name: e.pod.namespace, labels: { 'kubernetes.io/metadata.name': e.pod.namespace }, implicit: true };
    return { kind: 'pod', pod: e.pod, namespace };
  }

  /** Policies in the pod's namespace that select it and isolate `direction`. */
  isolatingPolicies(pod: Pod, direction: Direction): NetworkPolicy[] {
    const type = direction === 'ingress' ? 'Ingress' : 'Egress';
    return (this.policiesByNs.get(pod.namespace)?.candidates(pod.labels) ?? []).filter(
      (p) => p.policyTypes.includes(type) && selectorMatches(p.podSelector, pod.labels),
    );
  }

  evaluate(c: Connection): Verdict {
    const mode = this.options.ipBlockPods ?? 'match';
    const notes: string[] = [];
    const depends: DependsNote[] = [];
    const { egress, ingress, result: policyResult } = this.traces(c, mode);
    let result = policyResult;
    if (isSelf(c)) {
      notes.push('a pod can always reach itself; NetworkPolicy does not apply to traffic to its own IP');
      // site-src/api-overview.md @ 0eec1b0: "A Pod connecting to its own Pod IP is not subject to CNP."
      if (this.tierPolicies) notes.push('tier policies (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy) do not apply to a pod connecting to its own pod IP');
      result = true;
    } else {
      notes.push(...tieNotes(egress), ...tieNotes(ingress));
      // hostNetwork: "NetworkPolicy behavior for hostNetwork pods is undefined" (concepts/
      // services-networking/network-policies, "Pod lifecycle"/"hostNetwork" section). The
      // verdict treats the pod by its labels, as plugins that can tell it apart do; either way
      // it is never certain — unless a tier denies it outright, which never consults NetworkPolicy
      // (tier policies define hostNetwork pods: never subjects, matched only as node addresses).
      const three = mode === 'depends' ? { egress, ingress, result: policyResult } : this.traces(c, 'depends');
      const tierDenied = [three.egress, three.ingress].some((d) => d.allowed === false && (d.decidedBy === 'Admin' || d.decidedBy === 'Baseline'));
      for (const e of [c.from, c.to]) {
        if (e.kind === 'pod' && e.pod.hostNetwork && !tierDenied) {
          depends.push({ reason: hostNetworkReason(e.pod) });
        }
      }
      // ipBlocks against pod IPs: the three-valued evaluation is exact for this monotone
      // function, so "depends" there means the plugin's choice (or the unknown IP) decides.
      // With tiers (Deny rules are not monotone) it is a sound over-approximation.
      if (three.result === 'depends') depends.push({ reason: dependsReason(three) });
    }
    const hinges = result === 'depends' || depends.length > 0;
    const allowed: Verdict['allowed'] = mode === 'depends' && hinges ? 'depends' : result === true;
    return {
      allowed,
      verdict: allowed === 'depends' ? 'depends' : allowed ? 'allow' : 'deny',
      depends,
      from: endpointName(c.from),
      to: endpointName(c.to),
      port: c.port,
      protocol: c.protocol,
      egress,
      ingress,
      notes,
    };
  }

  /**
   * Certainly allowed under the evaluator's mode (a 'depends' verdict is not an allow): the same
   * answer as `evaluate(c).allowed === true`, without the second, three-valued pass that only
   * the `depends` notes need (matrices, coverage and diffs ask this for every pair).
   */
  allowed(c: Connection): boolean {
    if (isSelf(c)) return true;
    const mode = this.options.ipBlockPods ?? 'match';
    if (mode === 'depends' && [c.from, c.to].some((e) => e.kind === 'pod' && e.pod.hostNetwork)) return false;
    return this.traces(c, mode).result === true;
  }

  /**
   * One direction's trace, as `evaluate(c)` gives it, without the other direction and the second,
   * three-valued pass (coverage reads only the ingress side of questions the class engine allowed).
   */
  trace(c: Connection, direction: Direction): DirectionTrace {
    const mode = this.options.ipBlockPods ?? 'match';
    return direction === 'egress' ? this.direction('egress', c.from, this.party(c.to), this.party(c.to), c, mode) : this.direction('ingress', c.to, this.party(c.from), this.party(c.to), c, mode);
  }

  private traces(c: Connection, mode: IpBlockPods): { egress: DirectionTrace; ingress: DirectionTrace; result: Tri } {
    const egress = this.direction('egress', c.from, this.party(c.to), this.party(c.to), c, mode);
    const ingress = this.direction('ingress', c.to, this.party(c.from), this.party(c.to), c, mode);
    return { egress, ingress, result: triAnd(egress.allowed, ingress.allowed) };
  }

  private direction(direction: Direction, self: Endpoint, other: Party, dest: Party, c: Connection, ipBlockPods: IpBlockPods): DirectionTrace {
    const np = this.npDirection(direction, self, other, dest, c, ipBlockPods);
    if (!this.tierPolicies) return np;
    if (self.kind === 'ip') {
      return { ...np, tiers: [], decidedBy: 'default', reason: `${self.ip} is outside the cluster: no NetworkPolicy or tier policy governs its ${direction}` };
    }
    const ctx: TierMatchContext = { nodes: this.cluster.nodes ?? [], threeValued: ipBlockPods === 'depends' };
    const subject = this.party(self) as Extract<Party, { kind: 'pod' }>;
    const walk = (tier: Tier) => walkTier(tier, this.tierPolicies![tier]
      .filter((p) => (direction === 'ingress' ? p.ingress : p.egress).length > 0 && matchTierSubject(p.subject, subject.pod, subject.namespace).match === true)
      .map((p) => this.tierPolicyTrace(p, direction, other, dest, c, ctx)), ctx.threeValued);
    const admin = walk('Admin');
    const baseline = walk('Baseline');
    const { allowed, decidedBy } = combineLayers(admin, np, baseline);
    if (!admin.outcomes.includes('Continue') || np.isolated) baseline.reached = false;
    const reason = describeLayers(direction, subject.pod, admin, np, baseline, decidedBy, allowed);
    return { ...np, allowed, reason, tiers: [admin, baseline], decidedBy };
  }

  private tierPolicyTrace(p: ClusterPolicy, direction: Direction, other: Party, dest: Party, c: Connection, ctx: TierMatchContext): TierPolicyTrace {
    const rules = (direction === 'ingress' ? p.ingress : p.egress).map((r, index): TierRuleTrace => {
      const m = matchTierRule(r, other, dest, c.port, c.protocol, ctx);
      const action = tierRuleAction(r);
      const t: TierRuleTrace = { index, action, matched: m.match, path: r.path, why: m.why };
      if (r.name !== undefined) t.name = r.name;
      if (r.actionWritten !== action) t.actionWritten = r.actionWritten;
      if (m.peer !== undefined) t.peer = m.peer;
      if (m.portEntry !== undefined) t.portEntry = m.portEntry;
      if (p.origin) t.line = p.origin.locate(r.path).line;
      return t;
    });
    const t: TierPolicyTrace = { policy: tierPolicyName(p), kind: p.kind, priority: p.priority, rules };
    if (p.origin) {
      t.file = p.origin.file;
      t.line = p.origin.locate('metadata.name').line;
    }
    return t;
  }

  /** The NetworkPolicy layer alone: today's trace. */
  private npDirection(direction: Direction, self: Endpoint, other: Party, dest: Party, c: Connection, ipBlockPods: IpBlockPods): DirectionTrace {
    if (self.kind === 'ip') {
      return { direction, isolated: false, allowed: true, policies: [],
        reason: `${self.ip} is outside the cluster: no NetworkPolicy governs its ${direction}` };
    }
    const pod = self.pod;
    const name = `${pod.namespace}/${pod.name}`;
    const selecting = this.isolatingPolicies(pod, direction);
    if (selecting.length === 0) {
      return { direction, pod: name, isolated: false, allowed: true, policies: [],
        reason: `${name} is not isolated for ${direction}: no policy in ${pod.namespace} selects it with ${direction === 'ingress' ? 'Ingress' : 'Egress'} in policyTypes, so all ${direction} is allowed` };
    }
    const policies = selecting.map((p) => this.policyTrace(p, direction, other, dest, c, ipBlockPods));
    const allowed = policies.reduce<Tri>((acc, p) => triOr(acc, p.allowed), false);
    const names = selecting.map((p) => p.name).join(', ');
    let reason: string;
    if (allowed === true) {
      const p = policies.find((x) => x.allowed === true)!;
      const r = p.rules.find((x) => x.matched === true)!;
      reason = `${name} is isolated for ${direction} by ${names}; allowed by ${p.policy} ${r.path}: ${r.why}`;
    } else if (allowed === 'depends') {
      const p = policies.find((x) => x.allowed === 'depends')!;
      const r = p.rules.find((x) => x.matched === 'depends')!;
      reason = `${name} is isolated for ${direction} by ${names}; it depends: ${r.why}`;
    } else {
      reason = `${name} is isolated for ${direction} by ${names} and no rule of ${selecting.length === 1 ? 'that policy' : 'those policies'} matches`;
    }
    return { direction, pod: name, isolated: true, allowed, policies, reason };
  }

  private policyTrace(p: NetworkPolicy, direction: Direction, other: Party, dest: Party, c: Connection, ipBlockPods: IpBlockPods): PolicyTrace {
    const rules = (direction === 'ingress' ? p.ingress : p.egress).map((r, i) => this.ruleTrace(r, i, p, other, dest, c, ipBlockPods));
    const allowed = rules.reduce<Tri>((acc, r) => triOr(acc, r.matched), false);
    const t: PolicyTrace = { policy: `${p.namespace}/${p.name}`, allowed, rules };
    if (p.origin) {
      t.file = p.origin.file;
      t.line = p.origin.locate('metadata.name').line;
    }
    return t;
  }

  private ruleTrace(r: Rule, i: number, p: NetworkPolicy, other: Party, dest: Party, c: Connection, ipBlockPods: IpBlockPods): RuleTrace {
    const base: RuleTrace = { index: i, path: r.path, matched: false, why: '' };
    if (p.origin) base.line = p.origin.locate(r.path).line;
    // Ports first: an empty list means every port and protocol.
    let portAnswer: Answer = { match: true, why: 'no ports listed: every port' };
    if (r.ports.length > 0) {
      const answers = r.ports.map((pp) => matchPort(pp, c.port, c.protocol, dest));
      const hit = answers.findIndex((a) => a.match === true);
      if (hit >= 0) {
        portAnswer = answers[hit]!;
        base.portEntry = hit;
      } else {
        return { ...base, why: `port does not match: ${answers.map((a) => a.why).join('; ')}` };
      }
    }
    // Peers: an empty list means every source/destination, external addresses included.
    if (r.peers.length === 0) {
      const field = p.ingress.includes(r) ? 'from' : 'to';
      return { ...base, matched: true, why: `no \`${field}\`: every peer; ${portAnswer.why}` };
    }
    const answers = r.peers.map((peer) => matchPeer(peer, other, p.namespace, ipBlockPods));
    const hit = answers.findIndex((a) => a.match === true);
    if (hit >= 0) return { ...base, matched: true, peer: hit, why: `peer ${hit}: ${answers[hit]!.why}; ${portAnswer.why}` };
    const maybe = answers.findIndex((a) => a.match === 'depends');
    if (maybe >= 0) return { ...base, matched: 'depends', peer: maybe, why: `peer ${maybe}: ${answers[maybe]!.why}; ${portAnswer.why}` };
    return { ...base, why: `no peer matches: ${answers.map((a, k) => `peer ${k}: ${a.why}`).join('; ')}` };
  }
}
