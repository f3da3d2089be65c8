// A verdict explained: per direction, whether the pod is isolated, by which policies, and what
// each rule said; every policy and rule links to its line in the editor.
import type { DirectionTrace, ServiceVerdict, Verdict } from '../index';
import type { Explained } from './engine';
import { renderTierSteps } from './tiers-view';
import { tierDecidedLine } from './tier-steps';
import { el, jumpButton, type JumpTo } from './dom';

const word = (v: boolean | 'depends') => (v === true ? 'allowed' : v === false ? 'denied' : 'depends');

function direction(t: DirectionTrace, jump: JumpTo): HTMLElement {
  const s = el('section', `direction ${word(t.allowed)}`);
  const h = el('h4');
  h.append(el('span', `badge ${word(t.allowed)}`, word(t.allowed)), ` ${t.direction === 'egress' ? 'Egress' : 'Ingress'} ${t.pod ? `at ${t.pod}` : '(external end)'}`);
  s.append(h, el('p', 'reason', t.reason));
  const tiers = renderTierSteps(t, jump);
  if (tiers) s.append(tiers);
  // The NetworkPolicies are still traced when an Admin rule decided first: say they did not count.
  if (tiers && t.policies.length && t.decidedBy === 'Admin' && t.allowed !== 'depends') s.append(el('p', 'note', 'NetworkPolicies (not reached: the Admin tier decided):'));
  if (t.policies.length) {
    const ul = el('ul', 'policies');
    for (const p of t.policies) {
      const li = el('li');
      const line = el('div', 'policy');
      line.append(el('span', `badge ${word(p.allowed)}`, word(p.allowed)), ` policy ${p.policy} `);
      if (p.file && p.line) line.append(jumpButton(p.file, p.line, jump));
      li.append(line);
      const rules = el('ul', 'rules');
      if (p.rules.length === 0) rules.append(el('li', 'why', `no ${t.direction} rules: this policy allows no ${t.direction} at all`));
      for (const r of p.rules) {
        const rl = el('li');
        rl.append(el('span', `badge ${word(r.matched)}`, word(r.matched)), ` ${r.path} `);
        if (p.file && r.line) rl.append(jumpButton(p.file, r.line, jump));
        rl.append(el('div', 'why', r.why));
        rules.append(rl);
      }
      li.append(rules);
      ul.append(li);
    }
    s.append(ul);
  }
  return s;
}

/**
 * The path in one line per direction: what decided it (the allowing policy and rule, or the
 * isolating policies none of whose rules match, or no isolation at all). Reads whatever steps the
 * trace has, so more tiers only add lines.
 */
export function decidedBy(t: DirectionTrace): string {
  const dir = t.direction === 'egress' ? 'Egress' : 'Ingress';
  const at = t.pod ? ` at ${t.pod}` : '';
  const tier = tierDecidedLine(t);
  if (tier) return tier;
  if (!t.isolated) return `${dir}${at}: ${word(t.allowed)}: no policy isolates it`;
  const deciding = t.policies.flatMap((p) => p.rules.filter((r) => r.matched === t.allowed && t.allowed !== false).map((r) => `policy ${p.policy} rule ${r.path}`));
  if (deciding.length) return `${dir}${at}: ${word(t.allowed)} by ${deciding.join(', ')}`;
  return `${dir}${at}: ${word(t.allowed)}: isolated by ${t.policies.map((p) => `policy ${p.policy}`).join(', ')}, and no rule of ${t.policies.length === 1 ? 'it' : 'them'} matches`;
}

export function renderTrace(container: HTMLElement, x: Explained, jump: JumpTo): void {
  container.replaceChildren();
  if ('error' in x) {
    container.append(el('p', 'error', x.error));
    return;
  }
  if ('service' in x) {
    renderService(container, x.service, jump);
  } else renderVerdict(container, x.verdict, jump);
  const d = el('details');
  d.append(el('summary', undefined, 'As text (same as `netpol query`)'), el('pre', undefined, x.text));
  container.append(d);
}

const sword = (v: ServiceVerdict['allowed']) => (v === 'partial' ? 'partial' : word(v));

/** `svc:` queries: the Service's verdict, then each backing pod on its target port, traced. */
function renderService(container: HTMLElement, s: ServiceVerdict, jump: JumpTo): void {
  const h = el('h3', 'verdict');
  h.append(el('span', `badge big ${sword(s.allowed) === 'partial' ? 'depends' : sword(s.allowed)}`, sword(s.allowed).toUpperCase()), ` → ${s.service} on ${s.port}/${s.protocol}`);
  container.append(h);
  for (const e of s.endpoints) {
    const sec = el('section', 'endpoint');
    const eh = el('h4');
    eh.append(el('span', `badge ${word(e.allowed)}`, word(e.allowed)), ` ${e.pod ?? e.address ?? ''} on ${e.port}/${s.protocol}`);
    sec.append(eh, direction(e.trace.egress, jump), direction(e.trace.ingress, jump));
    container.append(sec);
  }
  const notes = [...(s.unresolved ?? []).map((u) => `not an endpoint: ${u.reason}`), ...(s.notes ?? []).map((n) => `note: ${n}`)];
  if (notes.length) {
    const ul = el('ul', 'notes');
    for (const n of notes) ul.append(el('li', undefined, n));
    container.append(ul);
  }
}

function renderVerdict(container: HTMLElement, v: Verdict, jump: JumpTo): void {
  const h = el('h3', 'verdict');
  h.append(el('span', `badge big ${v.verdict === 'allow' ? 'allowed' : v.verdict === 'deny' ? 'denied' : 'depends'}`, v.verdict.toUpperCase()), ` ${v.from} → ${v.to} on ${v.port}/${v.protocol}`);
  const path = el('ol', 'decided');
  path.setAttribute('aria-label', 'Path: what decided each direction');
  for (const t of [v.egress, v.ingress]) path.append(el('li', `step ${word(t.allowed)}`, decidedBy(t)));
  container.append(h, path, direction(v.egress, jump), direction(v.ingress, jump));
  if (v.depends.length) {
    const ul = el('ul', 'notes depends');
    for (const d of v.depends) ul.append(el('li', undefined, `depends: ${d.reason}`));
    container.append(ul);
  }
  if (v.notes.length) {
    const ul = el('ul', 'notes');
    for (const n of v.notes) ul.append(el('li', undefined, `note: ${n}`));
    container.append(ul);
  }
}
