// The tier walk of one direction as steps for the page (Admin → NetworkPolicy → Baseline →
// default), DOM-free so Node tests read it. It only reshapes the Evaluator's trace (tiers,
// decidedBy): the order and the verdicts are the engine's, not recomputed here.
import type { DirectionTrace, TierTrace } from '../index';

export type StepLayer = 'Admin' | 'NetworkPolicy' | 'Baseline' | 'default';
/** decided: this layer gave the answer; passed: it had policies but handed on; none: no policy of it applies; unreached: an earlier layer decided. */
export type StepState = 'decided' | 'passed' | 'none' | 'unreached' | 'depends';

export interface TierStepRule {
  policy: string;
  /** `spec.ingress[0]`. */
  path: string;
  name?: string;
  /** As written (v1alpha1 `Allow` stays `Allow`). */
  action: string;
  priority: number;
  file?: string;
  line?: number;
}

export interface TierStepView {
  layer: StepLayer;
  state: StepState;
  /** One line of words. */
  text: string;
  /** The deciding (or passing) rule of a tier. */
  rule?: TierStepRule;
  /** Policies of this layer that select the pod, in evaluation order; a tier policy's rules with what each said. */
  policies: { policy: string; priority?: number; file?: string; line?: number; rules?: StepRuleTrace[] }[];
}

export interface StepRuleTrace {
  path: string;
  name?: string;
  action: string;
  matched: boolean | 'depends';
  why: string;
  line?: number;
}

const LAYERS: StepLayer[] = ['Admin', 'NetworkPolicy', 'Baseline', 'default'];

function ruleOf(t: TierTrace): TierStepRule | undefined {
  const d = t.decided;
  if (!d) return undefined;
  const p = t.policies.find((x) => x.policy === d.policy);
  const r = p?.rules[d.rule];
  if (!p || !r) return undefined;
  const out: TierStepRule = { policy: p.policy, path: r.path, action: r.actionWritten ?? r.action, priority: p.priority };
  if (r.name !== undefined) out.name = r.name;
  if (p.file) out.file = p.file;
  if (r.line !== undefined) out.line = r.line;
  return out;
}

const ruleWords = (r: TierStepRule) => `${r.policy} priority ${r.priority}, rule ${r.path}${r.name !== undefined ? ` '${r.name}'` : ''} ${r.action}`;

/** The steps of a direction, or undefined when the cluster has no tier policies (the plain NetworkPolicy trace says it all). */
export function tierSteps(t: DirectionTrace): TierStepView[] | undefined {
  if (!t.tiers || !t.decidedBy) return undefined;
  const tier = (name: 'Admin' | 'Baseline') => t.tiers!.find((x) => x.tier === name);
  const at = LAYERS.indexOf(t.decidedBy);
  const open = t.allowed === 'depends';
  return LAYERS.map((layer, i): TierStepView => {
    const after = i > at && !open;
    if (layer === 'NetworkPolicy') {
      const policies = t.policies.map((p) => ({ policy: p.policy, ...(p.file ? { file: p.file } : {}), ...(p.line ? { line: p.line } : {}) }));
      if (after) return { layer, state: 'unreached', text: 'not reached: an earlier tier decided', policies };
      if (!t.isolated) return { layer, state: 'none', text: `no NetworkPolicy isolates ${t.pod ?? 'this end'} for ${t.direction}`, policies };
      const word = t.allowed === true ? 'allowed' : t.allowed === false ? 'denied' : 'depends';
      return { layer, state: layer === t.decidedBy ? 'decided' : 'depends', text: `${word} by the NetworkPolicies that isolate ${t.pod ?? 'this end'} (final for selected pods)`, policies };
    }
    if (layer === 'default') {
      if (after || layer !== t.decidedBy) return { layer, state: 'unreached', text: 'not reached: an earlier layer decided', policies: [] };
      return { layer, state: 'decided', text: `allowed: nothing above decided ${t.direction}`, policies: [] };
    }
    const tt = tier(layer);
    const policies = (tt?.policies ?? []).map((p) => ({
      policy: p.policy, priority: p.priority, ...(p.file ? { file: p.file } : {}), ...(p.line ? { line: p.line } : {}),
      rules: p.rules.map((r): StepRuleTrace => ({ path: r.path, ...(r.name !== undefined ? { name: r.name } : {}), action: r.actionWritten ?? r.action, matched: r.matched, why: r.why, ...(r.line !== undefined ? { line: r.line } : {}) })),
    }));
    if (after || tt?.reached === false) return { layer, state: 'unreached', text: 'not reached: an earlier tier decided', policies };
    if (!tt || tt.policies.length === 0) return { layer, state: 'none', text: `no ${layer} tier policy selects ${t.pod ?? 'this end'} with ${t.direction} rules`, policies };
    const rule = ruleOf(tt);
    if (tt.outcomes.length > 1) {
      const tie = tt.ties?.[0];
      const text = tie ? `depends: ${tie.policies.join(' and ')} share priority ${tie.priority} with ${tie.actions.join(' and ')} (implementation-defined)` : 'depends: a rule may match';
      return { layer, state: 'depends', text, policies, ...(rule ? { rule } : {}) };
    }
    if (rule && tt.decided!.action !== 'Pass') {
      const effect = tt.decided!.action === 'Deny' ? 'final' : `final for ${t.direction}`;
      return { layer, state: 'decided', text: `${ruleWords(rule)} — ${effect}`, policies, rule };
    }
    if (rule) return { layer, state: 'passed', text: `${ruleWords(rule)} — skips the rest of the ${layer} tier`, policies, rule };
    return { layer, state: 'passed', text: `no rule of ${tt.policies.map((p) => p.policy).join(', ')} matches`, policies };
  });
}

/** The path line of a direction decided in a tier ("Ingress at prod/db-0: denied by Admin cnp/x …"); undefined otherwise. */
export function tierDecidedLine(t: DirectionTrace): string | undefined {
  const steps = tierSteps(t);
  if (!steps) return undefined;
  const s = steps.find((x) => x.layer === t.decidedBy);
  if (!s || (t.decidedBy !== 'Admin' && t.decidedBy !== 'Baseline')) return undefined;
  const dir = t.direction === 'egress' ? 'Egress' : 'Ingress';
  const word = t.allowed === true ? 'allowed' : t.allowed === false ? 'denied' : 'depends';
  return `${dir}${t.pod ? ` at ${t.pod}` : ''}: ${word} by the ${t.decidedBy} tier: ${s.text}`;
}
