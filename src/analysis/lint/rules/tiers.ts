// Lint rules for the Admin and Baseline tiers (ClusterNetworkPolicy v1alpha2, AdminNetworkPolicy
// and BaselineAdminNetworkPolicy v1alpha1). The rules that reason about traffic read the
// Evaluator's own tier traces (src/evaluate: which rules match, in which order, which layer
// decided) over a universe of witnesses: every pod of the input plus hypothetical pods and
// namespaces built from every selector (src/analysis/universe.ts), one address per region the
// CIDRs cut, the node addresses, and one port per region of the port space. A finding is only
// made when no witness contradicts it. Semantics: kubernetes-sigs/network-policy-api @ 0eec1b0,
// apis/v1alpha2/clusternetworkpolicy_types.go and site-src/api-overview.md.
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { Evaluator, type DirectionTrace } from '../../../evaluate/evaluate.js';
import type { TierTrace } from '../../../evaluate/tiers.js';
import { matchTierSubject, tierPolicyName } from '../../../match/tier.js';
import { podId, type Cluster, type ClusterPolicy, type Direction, type Namespace, type Pod} from '../../../model/types.js';
import type { PortProbe } from '../../ports.js';
import { isHypothetical, tierUniverse } from '../../universe.js';
import type { LintContext, LintRule } from '../context.js';

const DIRECTIONS = ['ingress', 'egress'] as const;

/** One direction of one connection, seen from its subject pod (the source for egress, the destination for ingress). */
interface Witness {
  direction: Direction;
  subject: Pod;
  other: string;
  port: PortProbe;
  trace: DirectionTrace;
}

interface TierWorld {
  world: Cluster;
  /** The pods that stand for every kind of pod (tierUniverse's representatives). */
  pods: Pod[];
  evaluator: Evaluator;
  witnesses: Witness[];
  byName: Map<string, ClusterPolicy>;
  /** Set when the universe was too large to evaluate: the connections it would have taken. */
  overBudget?: number;
}

/** Connections (one direction each) the traffic rules evaluate at most (about 5 s of CPU). */
export const BUDGET = 200_000;

/** The one finding of a traffic rule that did not run: said, never silently skipped. */
function overBudget(ctx: LintContext, rule: LintRule, w: TierWorld): Diagnostic[] {
  const first = ctx.cluster.clusterPolicies![0]!;
  return [ctx.tierFinding(rule, first, 'metadata.name',
    `not checked: the tier policies' witnesses need ${w.overBudget} connection evaluations, over lint's budget of ${BUDGET}`,
    `run \`netpol lint --enable ${rule.id}\` on a part of the input (fewer namespaces or pods)`, { severity: 'info' })];
}

const worlds = new WeakMap<Cluster, TierWorld>();

/** The cluster with pods and namespaces that could exist, tier policies and nodes kept. */
function tierWorld(cluster: Cluster): TierWorld {
  const hit = worlds.get(cluster);
  if (hit) return hit;
  const cps = cluster.clusterPolicies ?? [];
  const { world, endpoints: ends, ports } = tierUniverse(cluster);
  // Three-valued: one pass per connection, and a match that hinges on an unknown (a pod without
  // an IP against networks, a domain name) never counts as deciding or covering.
  const evaluator = new Evaluator(world, { ipBlockPods: 'depends' });
  const nsByName = new Map(world.namespaces.map((n) => [n.name, n]));
  const ns = (p: Pod): Namespace => nsByName.get(p.namespace)!;
  const subjectOf = (d: Direction) => new Set(world.pods.filter((p) => cps.some((cp) => cp[d].length > 0 && matchTierSubject(cp.subject, p, ns(p)).match === true)));
  const subjects = { ingress: subjectOf('ingress'), egress: subjectOf('egress') };
  const witnesses: Witness[] = [];
  const pods = ends.flatMap((e) => (e.kind === 'pod' ? [e.pod] : []));
  const byName = new Map(cps.map((p) => [tierPolicyName(p), p]));
  const cost = pods.filter((p) => subjects.egress.has(p) || subjects.ingress.has(p)).length * ends.length * ports.length;
  if (cost > BUDGET) {
    const w = { world, pods, evaluator, witnesses, byName, overBudget: cost };
    worlds.set(cluster, w);
    return w;
  }
  const name = (e: (typeof ends)[number]) => (e.kind === 'pod' ? podId(e.pod) : e.ip);
  for (const from of ends) {
    for (const to of ends) {
      if (from === to) continue;
      const egress = from.kind === 'pod' && subjects.egress.has(from.pod);
      const ingress = to.kind === 'pod' && subjects.ingress.has(to.pod);
      if (!egress && !ingress) continue;
      for (const port of ports) {
        const v = evaluator.evaluate({ from, to, port: port.port, protocol: port.protocol });
        if (egress) witnesses.push({ direction: 'egress', subject: (from as { pod: Pod }).pod, other: name(to), port, trace: v.egress });
        if (ingress) witnesses.push({ direction: 'ingress', subject: (to as { pod: Pod }).pod, other: name(from), port, trace: v.ingress });
      }
    }
  }
  const w = { world, pods, evaluator, witnesses, byName };
  worlds.set(cluster, w);
  return w;
}

const tiersOf = (w: Witness): TierTrace[] => w.trace.tiers ?? [];
const example = (w: Witness) => {
  const conn = w.direction === 'egress' ? `${podId(w.subject)} → ${w.other}` : `${w.other} → ${podId(w.subject)}`;
  return `${conn} ${w.port.port}/${w.port.protocol}${isHypothetical(conn) ? ' (a pod that could exist)' : ''}`;
};
const ruleOf = (cp: ClusterPolicy, d: Direction, i: number) => cp[d][i]!;

function hasTiers(ctx: LintContext): boolean {
  return (ctx.cluster.clusterPolicies?.length ?? 0) > 0;
}

export const tierRuleShadowed: LintRule = {
  id: 'tier-rule-shadowed',
  summary: 'a tier rule never decides: every connection it matches is decided earlier, by a rule above it in its policy or by a higher-priority policy of its tier',
  severity: 'warning',
  check(ctx) {
    if (!hasTiers(ctx)) return [];
    const w = tierWorld(ctx.cluster);
    if (w.overBudget) return overBudget(ctx, this, w);
    // Per rule (policy, direction, index): did it match anything, did it ever get to decide, and what was first above it.
    const seen = new Map<string, { live: boolean; by: Set<string> }>();
    for (const x of w.witnesses) {
      for (const t of tiersOf(x)) {
        // Rules in evaluation order; a rule is decided earlier by a certain match of an earlier
        // rule of its own policy or of a policy of strictly lower priority (equal: a tie, its own rule).
        const done: { policy: string; priority: number; rule: number }[] = [];
        for (const p of t.policies) {
          for (const r of p.rules) {
            if (r.matched !== false) {
              const key = `${p.policy}\u0000${x.direction}\u0000${r.index}`;
              const e = seen.get(key) ?? { live: false, by: new Set<string>() };
              seen.set(key, e);
              const first = done.find((d) => d.policy === p.policy || d.priority < p.priority);
              if (!first) e.live = true;
              else e.by.add(first.policy === p.policy ? `${x.direction === 'ingress' ? 'spec.ingress' : 'spec.egress'}[${first.rule}]` : `${first.policy} ${x.direction === 'ingress' ? 'spec.ingress' : 'spec.egress'}[${first.rule}]`);
            }
            if (r.matched === true) done.push({ policy: p.policy, priority: p.priority, rule: r.index });
          }
        }
      }
    }
    const out: Diagnostic[] = [];
    for (const [key, e] of seen) {
      if (e.live) continue;
      const [policy, direction, index] = key.split('\u0000') as [string, Direction, string];
      const cp = w.byName.get(policy)!;
      const r = ruleOf(cp, direction, Number(index));
      const by = [...e.by].sort();
      out.push(ctx.tierFinding(this, cp, r.path,
        `this ${direction} ${r.actionWritten} rule never decides: every connection it matches is decided first by ${by.join(', ')}`,
        by.every((b) => !b.includes(' ')) ? 'delete it, or move it above the rule that covers it' : 'delete it, or give this policy a lower priority value than the policy that covers it'));
    }
    return out;
  },
};

export const tierPassToNothing: LintRule = {
  id: 'tier-pass-to-nothing',
  summary: 'an Admin Pass rule hands connections to layers with nothing to decide them (no NetworkPolicy isolates, no Baseline policy selects the pod): they end in default allow',
  severity: 'warning',
  check(ctx) {
    if (!hasTiers(ctx)) return [];
    // A Baseline Pass would skip to default allow too, but validation rejects it (the last tier).
    const out: Diagnostic[] = [];
    const w = tierWorld(ctx.cluster);
    if (w.overBudget) return overBudget(ctx, this, w);
    // Admin Pass rules: the witnesses they decide, and whether any of them had something below.
    const decided = new Map<string, { below: boolean; example?: Witness }>();
    for (const x of w.witnesses) {
      const admin = tiersOf(x).find((t) => t.tier === 'Admin');
      if (!admin?.decided || admin.decided.action !== 'Pass') continue;
      const key = `${admin.decided.policy}\u0000${x.direction}\u0000${admin.decided.rule}`;
      const e = decided.get(key) ?? { below: false };
      decided.set(key, e);
      const baseline = tiersOf(x).find((t) => t.tier === 'Baseline');
      if (x.trace.isolated || (baseline?.policies.length ?? 0) > 0) e.below = true;
      else e.example ??= x;
    }
    for (const [key, e] of decided) {
      if (e.below) continue;
      const [policy, direction, index] = key.split('\u0000') as [string, Direction, string];
      const cp = w.byName.get(policy)!;
      const r = ruleOf(cp, direction, Number(index));
      out.push(ctx.tierFinding(this, cp, r.path,
        `this Admin Pass rule hands every connection it decides to layers with nothing to decide them (no NetworkPolicy isolates ${direction} of those pods, no Baseline policy selects them): they end in default allow, e.g. ${example(e.example!)}`,
        'write Accept if allowing them is meant; or add the NetworkPolicy or Baseline policy that should decide them'));
    }
    return out;
  },
};

export const tierPriorityTie: LintRule = {
  id: 'tier-priority-tie',
  summary: 'policies of one tier and the same priority match a connection with different actions: which one applies is implementation-defined',
  severity: 'warning',
  check(ctx) {
    if (!hasTiers(ctx)) return [];
    const w = tierWorld(ctx.cluster);
    if (w.overBudget) return overBudget(ctx, this, w);
    const ties = new Map<string, { priority: number; policies: string[]; actions: Set<string>; example: Witness }>();
    for (const x of w.witnesses) {
      for (const t of tiersOf(x)) {
        for (const tie of t.ties ?? []) {
          const key = [...tie.policies].sort().join('\u0000');
          const e = ties.get(key);
          if (e) for (const a of tie.actions) e.actions.add(a);
          else ties.set(key, { priority: tie.priority, policies: [...tie.policies].sort(), actions: new Set(tie.actions), example: x });
        }
      }
    }
    const out: Diagnostic[] = [];
    for (const e of ties.values()) {
      // Reported at the last of them in netpol's order (the one a reader meets second).
      const cp = w.byName.get(e.policies[e.policies.length - 1]!)!;
      out.push(ctx.tierFinding(this, cp, 'spec.priority',
        `${e.policies.join(' and ')} have the same priority ${e.priority} in the ${cp.tier} tier and match the same connection with different actions (${[...e.actions].join(', ')}), e.g. ${example(e.example)}: which applies is implementation-defined (netpol answers depends)`,
        'give them different priorities'));
    }
    return out;
  },
};

export const adminAcceptMakesNpDead: LintRule = {
  id: 'admin-accept-makes-np-dead',
  summary: "an Admin tier Accept decides every connection a namespace's NetworkPolicies would decide in a direction: those NetworkPolicies have no effect there",
  severity: 'warning',
  check(ctx) {
    if (!hasTiers(ctx) || ctx.cluster.policies.length === 0) return [];
    const w = tierWorld(ctx.cluster);
    if (w.overBudget) return overBudget(ctx, this, w);
    const out: Diagnostic[] = [];
    for (const ns of new Set(ctx.cluster.policies.map((p) => p.namespace))) {
      for (const d of DIRECTIONS) {
        const isolated = w.pods.filter((p) => p.namespace === ns && w.evaluator.isolatingPolicies(p, d).length > 0);
        if (isolated.length === 0) continue;
        const byPod = new Map<Pod, Witness[]>(isolated.map((p) => [p, []]));
        for (const x of w.witnesses) if (x.direction === d) byPod.get(x.subject)?.push(x);
        // Every isolated pod must be a subject with witnesses, and on each the Admin tier decides.
        let dead = true;
        const accepts = new Map<string, number>();
        for (const xs of byPod.values()) {
          if (xs.length === 0) { dead = false; break; }
          for (const x of xs) {
            const admin = tiersOf(x).find((t) => t.tier === 'Admin');
            if (!admin || admin.outcomes.includes('Continue')) { dead = false; break; }
            if (admin.decided?.action === 'Accept') accepts.set(`${admin.decided.policy}\u0000${admin.decided.rule}`, admin.decided.rule);
          }
          if (!dead) break;
        }
        if (!dead || accepts.size === 0) continue;
        const nps = [...new Set(isolated.flatMap((p) => w.evaluator.isolatingPolicies(p, d).map((np) => np.name)))].sort();
        for (const key of accepts.keys()) {
          const [policy, index] = key.split('\u0000') as [string, string];
          const cp = w.byName.get(policy)!;
          const r = ruleOf(cp, d, Number(index));
          out.push(ctx.tierFinding(this, cp, r.path,
            `with this Admin Accept, the Admin tier decides every ${d} connection of the pods that NetworkPolicies in namespace ${ns} isolate: ${nps.length === 1 ? `NetworkPolicy ${ns}/${nps[0]} never decides` : `NetworkPolicies ${nps.map((n) => `${ns}/${n}`).join(', ')} never decide`} ${d}`,
            `narrow this rule, or use Pass so that ${ns}'s NetworkPolicies decide; if the Admin tier is meant to decide, delete those policies' ${d} rules`));
        }
      }
    }
    return out;
  },
};

export const baselineUnreachable: LintRule = {
  id: 'baseline-rule-unreachable',
  summary: 'Baseline tier rules no connection reaches: NetworkPolicies isolate every subject pod in that direction, and they decide first',
  severity: 'warning',
  check(ctx) {
    if (!hasTiers(ctx) || ctx.cluster.policies.length === 0) return [];
    const w = tierWorld(ctx.cluster);
    const nsByName = new Map(w.world.namespaces.map((n) => [n.name, n]));
    const out: Diagnostic[] = [];
    for (const cp of ctx.cluster.clusterPolicies ?? []) {
      if (cp.tier !== 'Baseline') continue;
      for (const d of DIRECTIONS) {
        if (cp[d].length === 0) continue;
        // Pods of the input's namespaces, and the pods that could appear in them (namespaces are
        // the admins' to create; a namespace that does not exist yet is not a reason to keep rules).
        const subjects = w.world.pods.filter((p) => !isHypothetical(p.namespace) && matchTierSubject(cp.subject, p, nsByName.get(p.namespace)!).match === true);
        if (subjects.length === 0 || subjects.some((p) => w.evaluator.isolatingPolicies(p, d).length === 0)) continue;
        out.push(ctx.tierFinding(this, cp, `spec.${d}`,
          `no ${d} connection reaches these Baseline rules: NetworkPolicies isolate ${d} of every pod this policy selects (${subjects.filter((p) => !isHypothetical(p.name)).length} in the input, and any that could be added to their namespaces), and they decide before the Baseline tier`,
          'delete these rules, or narrow the NetworkPolicies if the Baseline tier was meant to decide'));
      }
    }
    return out;
  },
};

export const tierDomainNames: LintRule = {
  id: 'tier-domain-names',
  summary: 'a domainNames peer needs the experimental-channel CRD, is allowed only in Accept rules, and its verdicts depend on DNS (netpol answers depends)',
  severity: 'info',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const cp of ctx.cluster.clusterPolicies ?? []) {
      for (const r of cp.egress) {
        for (const peer of r.peers) {
          if (peer.kind !== 'domainNames') continue;
          out.push(ctx.tierFinding(this, cp, peer.path,
            `domainNames (${peer.domainNames.join(', ')}) is an experimental-channel field: clusters with the standard-channel CRD reject it; it is valid only in Accept rules, and which addresses it covers depends on DNS, so netpol answers depends for external addresses`,
            'install the experimental-channel ClusterNetworkPolicy CRD, or use networks with the addresses'));
        }
      }
    }
    return out;
  },
};

export const tierV1alpha1Deprecated: LintRule = {
  id: 'tier-v1alpha1-deprecated',
  summary: 'AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1) are replaced by ClusterNetworkPolicy (v1alpha2)',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const cp of ctx.cluster.clusterPolicies ?? []) {
      if (cp.kind === 'ClusterNetworkPolicy') continue;
      out.push(ctx.tierFinding(this, cp, 'kind',
        `${cp.kind} (${cp.apiVersion}) is replaced by ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2, tier ${cp.tier}); implementations are dropping the v1alpha1 kinds`,
        '`netpol migrate <paths> -o DIR` rewrites it as a ClusterNetworkPolicy and proves the result equivalent'));
    }
    return out;
  },
};
