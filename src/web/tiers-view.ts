// The tiers in the page: the steps of a direction in the trace (Admin → NetworkPolicy →
// Baseline → default) and the policies panel (every policy in evaluation order, tier badges,
// priorities; selecting a tier policy lists its subjects). Manifest names are DOM text only.
import type { DirectionTrace } from '../index';
import type { OrderedPolicy } from './tiers-engine';
import { tierSteps } from './tier-steps';
import { el, jumpButton, type JumpTo } from './dom';

const TIER_BADGE: Record<string, string> = { Admin: 'Admin', NetworkPolicy: 'NP', Baseline: 'Baseline', default: 'default' };
const tierBadge = (tier: string) => el('span', `tier-badge tier-${tier.toLowerCase()}`, TIER_BADGE[tier] ?? tier);
/** Accept/Allow green, Deny red, Pass grey; the word as written. */
const actionBadge = (action: string) => el('span', `action-badge action-${action === 'Allow' || action === 'Accept' ? 'accept' : action === 'Deny' ? 'deny' : 'pass'}`, action);

/** The tier steps of one direction, or nothing when the cluster has no tier policies. */
export function renderTierSteps(t: DirectionTrace, jump: JumpTo): HTMLElement | undefined {
  const steps = tierSteps(t);
  if (!steps) return undefined;
  const ol = el('ol', 'tier-steps');
  ol.setAttribute('aria-label', `${t.direction} through the tiers`);
  for (const s of steps) {
    const li = el('li', `tier-step ${s.state}`);
    li.dataset.layer = s.layer;
    li.dataset.state = s.state;
    li.append(tierBadge(s.layer), ' ');
    if (s.rule) li.append(actionBadge(s.rule.action), ' ');
    li.append(el('span', 'step-text', s.text));
    if (s.rule?.file && s.rule.line) li.append(' ', jumpButton(s.rule.file, s.rule.line, jump));
    const withRules = s.policies.filter((p) => p.rules?.length);
    if (withRules.length && s.state !== 'unreached') li.append(tierRules(withRules, jump));
    ol.append(li);
  }
  return ol;
}

/** The tier's policies in order, each rule with its action and why it matched or not (first match decides). */
function tierRules(policies: NonNullable<ReturnType<typeof tierSteps>>[number]['policies'], jump: JumpTo): HTMLElement {
  const d = el('details', 'tier-rules');
  d.append(el('summary', undefined, `${policies.length} polic${policies.length === 1 ? 'y' : 'ies'} in order, their rules`));
  const ul = el('ul', 'policies');
  for (const p of policies) {
    const li = el('li');
    const head = el('div', 'policy', `${p.policy} priority ${p.priority} `);
    if (p.file && p.line) head.append(jumpButton(p.file, p.line, jump));
    const rules = el('ul', 'rules');
    for (const r of p.rules ?? []) {
      const rl = el('li');
      const word = r.matched === true ? 'matches' : r.matched === false ? 'no match' : 'depends';
      rl.append(el('span', `badge ${r.matched === true ? 'allowed' : r.matched === false ? 'denied' : 'depends'}`, word), ' ', actionBadge(r.action), ` ${r.path}${r.name !== undefined ? ` '${r.name}'` : ''} `);
      if (p.file && r.line) rl.append(jumpButton(p.file, r.line, jump));
      rl.append(el('div', 'why', r.why));
      rules.append(rl);
    }
    li.append(head, rules);
    ul.append(li);
  }
  d.append(ul);
  return d;
}

/** Every policy in evaluation order; `onSelect` for tier policies (their subjects). */
export function renderPolicyOrder(container: HTMLElement, list: OrderedPolicy[], jump: JumpTo, onSelect: (p: OrderedPolicy) => void): void {
  container.replaceChildren();
  if (!list.length) {
    container.append(el('p', 'note', 'No policies: every pod is open in both directions.'));
    return;
  }
  const ol = el('ol', 'policy-order');
  for (const p of list) {
    const li = el('li', 'ordered-policy');
    li.dataset.policy = p.id;
    li.dataset.tier = p.tier;
    li.append(tierBadge(p.tier), ' ');
    if (p.priority !== undefined) li.append(el('span', `priority${p.tie ? ' tie' : ''}`, `priority ${p.priority}${p.tie ? ' (tie)' : ''}`), ' ');
    const name = el('button', 'link', p.id);
    name.type = 'button';
    name.addEventListener('click', () => onSelect(p));
    li.append(name, ' ', el('span', 'note', `${p.kind}; ${p.ingressRules} ingress, ${p.egressRules} egress rule${p.egressRules === 1 ? '' : 's'}`));
    if (p.file && p.line) li.append(' ', jumpButton(p.file, p.line, jump));
    if (p.tie) li.title = 'Another policy of this tier has the same priority: their order is implementation-defined (netpol answers depends where they disagree).';
    ol.append(li);
  }
  container.append(ol);
}

/** What a selected policy selects, as text. */
export function renderSubjects(container: HTMLElement, policy: OrderedPolicy, pods: string[] | { error: string }): void {
  container.replaceChildren();
  const h = el('h3', undefined, '');
  h.append(tierBadge(policy.tier), ` ${policy.id}: subjects`);
  container.append(h);
  if ('error' in pods) {
    container.append(el('p', 'error', pods.error));
    return;
  }
  container.append(el('p', undefined, pods.length ? `${pods.length} pod${pods.length === 1 ? '' : 's'} selected (host-networked pods never are):` : 'Its subject selects no pod.'));
  const ul = el('ul', 'plain subjects');
  for (const p of pods.slice(0, 300)) ul.append(el('li', undefined, p));
  container.append(ul);
}
