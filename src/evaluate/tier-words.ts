// The words of a tier walk: one reason line per direction ("Admin: cnp/deny-staging priority 10,
// egress rule 2 'deny-to-db' Deny — final"), and the notes about equal-priority ties. Names come
// from manifests: renderers escape them (src/render/escape.ts).
import type { Direction, Pod } from '../model/types.js';
import type { Tri } from '../match/tri.js';
import type { Layer, TierTrace } from './tiers.js';

interface NpLayer {
  isolated: boolean;
  reason: string;
}

const podName = (p: Pod) => `${p.namespace}/${p.name}`;

function ruleLabel(t: TierTrace, direction: Direction, policy: string, index: number): string {
  const p = t.policies.find((x) => x.policy === policy)!;
  const r = p.rules[index]!;
  return `${p.policy} priority ${p.priority}, ${direction} rule ${index}${r.name !== undefined ? ` '${r.name}'` : ''} ${r.actionWritten ?? r.action}`;
}

function tierStep(t: TierTrace, direction: Direction, pod: Pod): string {
  if (t.policies.length === 0) {
    return `${t.tier}: no ${t.tier} tier policy selects ${podName(pod)} with ${direction} rules${pod.hostNetwork ? ' (host-networked pods are never subjects)' : ''}`;
  }
  if (t.outcomes.length > 1) {
    const tie = t.ties?.[0];
    if (tie) return `${t.tier}: depends: ${tie.policies.join(' and ')} share priority ${tie.priority} and match with ${tie.actions.join(' and ')}; which one applies is implementation-defined`;
    for (const p of t.policies) {
      const r = p.rules.find((x) => x.matched === 'depends');
      if (r) return `${t.tier}: depends: ${ruleLabel(t, direction, p.policy, r.index)} may match: ${r.why}`;
    }
  }
  if (t.decided) {
    const d = t.decided;
    const effect = d.action === 'Deny' ? 'final' : d.action === 'Accept' ? `final for ${direction}` : `skips the rest of the ${t.tier} tier`;
    return `${t.tier}: ${ruleLabel(t, direction, d.policy, d.rule)} — ${effect}`;
  }
  if (t.outcomes.length === 1 && t.outcomes[0] === 'Continue') return `${t.tier}: no rule of ${t.policies.map((p) => p.policy).join(', ')} matches`;
  return `${t.tier}: ${t.outcomes.join(' or ')}`;
}

/** The direction's reason through every layer it reached. */
export function describeLayers(direction: Direction, pod: Pod, admin: TierTrace, np: NpLayer, baseline: TierTrace, decidedBy: Layer, allowed: Tri): string {
  const parts = [tierStep(admin, direction, pod)];
  if (admin.outcomes.includes('Continue')) {
    parts.push(np.isolated ? `NetworkPolicy: ${np.reason}` : `NetworkPolicy: no NetworkPolicy in ${pod.namespace} selects ${podName(pod)} for ${direction}`);
    if (!np.isolated) {
      parts.push(tierStep(baseline, direction, pod));
      if (baseline.outcomes.includes('Continue')) parts.push('default: allowed');
    }
  }
  const verdict = allowed === 'depends' ? 'depends' : allowed ? 'allowed' : 'denied';
  return `${parts.join('; ')} (${direction} ${verdict}, decided by ${decidedBy === 'default' ? 'the default' : `the ${decidedBy} ${decidedBy === 'NetworkPolicy' ? 'layer' : 'tier'}`})`;
}

/** One note per equal-priority tie: the API leaves the choice to the implementation. */
export function tieNotes(t: { direction: Direction; tiers?: TierTrace[] }): string[] {
  const out: string[] = [];
  for (const tier of t.tiers ?? []) {
    for (const tie of tier.ties ?? []) {
      out.push(`${t.direction}: ${tier.tier} tier policies ${tie.policies.join(' and ')} share priority ${tie.priority} and both match with different actions (${tie.actions.join(', ')}): the API leaves the choice to the implementation; netpol applies them in name order (--ipblock-pods depends answers DEPENDS)`);
    }
  }
  return out;
}
