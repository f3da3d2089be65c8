// The walk through one tier (Admin or Baseline) for one direction, and how the three layers
// combine. Pure: given each subject policy's rule answers (src/match/tier.ts), say what the tier
// does. Sources: kubernetes-sigs/network-policy-api @ 0eec1b0, apis/v1alpha2/
// clusternetworkpolicy_types.go (T) and site-src/api-overview.md (O), sections "Tiers",
// "Actions", "Priorities".
import type { ClusterPolicyKind, Tier, TierAction } from '../model/types.js';
import type { Tri } from '../match/tri.js';

export interface TierRuleTrace {
  index: number;
  name?: string;
  action: TierAction;
  /** As written, when it differs (v1alpha1 `Allow`). */
  actionWritten?: string;
  matched: Tri;
  path: string;
  line?: number;
  peer?: number;
  portEntry?: number;
  why: string;
}

export interface TierPolicyTrace {
  /** `cnp/name`, `anp/name` or `banp/name`. */
  policy: string;
  kind: ClusterPolicyKind;
  priority: number;
  file?: string;
  line?: number;
  rules: TierRuleTrace[];
}

/** Policies of one priority that match this connection with different actions. */
export interface TierTie {
  priority: number;
  policies: string[];
  actions: TierAction[];
}

/** What a tier hands on: Accept or Deny decide the direction; Continue = Pass or no match. */
export type TierStep = 'Accept' | 'Deny' | 'Continue';

export interface TierTrace {
  tier: Tier;
  /** Policies that select the subject and have rules for this direction, in evaluation order. */
  policies: TierPolicyTrace[];
  /** The rule that decided the tier (Pass included), when that is certain. */
  decided?: { policy: string; rule: number; name?: string; action: TierAction };
  /** Every step this tier may take: one when certain, more when a match 'depends' or a tie is open. */
  outcomes: TierStep[];
  ties?: TierTie[];
  /** False when an earlier layer decided on every path, so this tier never sees the connection. */
  reached?: false;
}

type PolicyOutcome = TierAction | 'none';

/** First match wins inside a policy (T, Ingress/Egress: "determined by the order in which the rule is written"). */
function policyOutcomes(p: TierPolicyTrace): { set: Set<PolicyOutcome>; certain?: TierRuleTrace } {
  const set = new Set<PolicyOutcome>();
  for (const r of p.rules) {
    if (r.matched === false) continue;
    set.add(r.action);
    if (r.matched === true) return { set, certain: set.size === 1 ? r : undefined };
  }
  set.add('none');
  return { set };
}

/**
 * Walk one tier. `policies` must be in evaluation order (compareTierPolicies). Equal priorities
 * are implementation-defined (T, Priority: "the implementation can apply any of the matching
 * policies"): with `openTies` every matching policy of the group is a possible outcome (the
 * `depends` answer); without, the given order decides.
 */
export function walkTier(tier: Tier, policies: TierPolicyTrace[], openTies: boolean): TierTrace {
  const outcomes = new Set<TierStep>();
  const ties: TierTie[] = [];
  let decided: TierTrace['decided'];
  let certain = true;
  let live = true;
  for (let i = 0; i < policies.length && live; ) {
    let j = i;
    while (j < policies.length && policies[j]!.priority === policies[i]!.priority) j++;
    const group = policies.slice(i, j);
    i = j;
    const per = group.map(policyOutcomes);
    const matching = group.map((p, k) => ({ p, acts: [...per[k]!.set].filter((o): o is TierAction => o !== 'none') })).filter((x) => x.acts.length > 0);
    const actions = [...new Set(matching.flatMap((x) => x.acts))];
    if (matching.length > 1 && actions.length > 1) ties.push({ priority: group[0]!.priority, policies: matching.map((x) => x.p.policy), actions });
    const g = new Set<PolicyOutcome>();
    if (openTies) {
      for (const s of per) for (const o of s.set) if (o !== 'none') g.add(o);
      if (per.every((s) => s.set.has('none'))) g.add('none');
    } else {
      let stopped = false;
      for (const s of per) {
        for (const o of s.set) if (o !== 'none') g.add(o);
        if (!s.set.has('none')) { stopped = true; break; }
      }
      if (!stopped) g.add('none');
    }
    for (const o of g) if (o !== 'none') outcomes.add(o === 'Pass' ? 'Continue' : o);
    if (!g.has('none')) {
      live = false;
      if (certain && g.size === 1) {
        const k = per.findIndex((s) => s.certain && !s.set.has('none'));
        const r = k >= 0 ? per[k]!.certain! : undefined;
        if (r) {
          decided = { policy: group[k]!.policy, rule: r.index, action: r.action };
          if (r.name !== undefined) decided.name = r.name;
        }
      }
    }
    if (g.size > 1) certain = false;
  }
  if (live) outcomes.add('Continue');
  const t: TierTrace = { tier, policies, outcomes: [...outcomes] };
  if (decided) t.decided = decided;
  if (ties.length) t.ties = ties;
  return t;
}

export type Layer = 'Admin' | 'NetworkPolicy' | 'Baseline' | 'default';

/**
 * Admin → NetworkPolicy → Baseline → default allow, for one direction (T, Tier; O, "Actions":
 * Accept and Deny stop all further CNP and NetworkPolicy processing; Pass goes to the next
 * tier). NetworkPolicy decides only for pods it isolates (T: "v1.NetworkPolicy always makes a
 * final decision for selected pods"). Returns the direction's answer and the layer that gave it
 * (or, when it depends, the first layer whose answer is open).
 */
export function combineLayers(admin: TierTrace, np: { isolated: boolean; allowed: Tri }, baseline: TierTrace): { allowed: Tri; decidedBy: Layer } {
  // Every path through the layers, as (answer, layer that gave it).
  const paths: [boolean, Layer][] = [];
  for (const a of admin.outcomes) {
    if (a !== 'Continue') paths.push([a === 'Accept', 'Admin']);
    else if (np.isolated) {
      if (np.allowed !== false) paths.push([true, 'NetworkPolicy']);
      if (np.allowed !== true) paths.push([false, 'NetworkPolicy']);
    } else for (const b of baseline.outcomes) paths.push(b === 'Continue' ? [true, 'default'] : [b === 'Accept', 'Baseline']);
  }
  const answers = new Set(paths.map((p) => p[0]));
  const layers = new Set(paths.map((p) => p[1]));
  // One layer on every path: it decided. Otherwise the first layer whose answer is open.
  const first: Layer = admin.outcomes.length > 1 ? 'Admin' : np.isolated ? 'NetworkPolicy' : 'Baseline';
  const decidedBy = layers.size === 1 ? paths[0]![1] : first;
  return { allowed: answers.size === 1 ? paths[0]![0] : 'depends', decidedBy };
}
