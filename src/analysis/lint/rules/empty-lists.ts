// Empty lists and null values that the API reads as "absent", which is rarely what they look
// like: `from: []` admits everyone, `egress: []` without policyTypes isolates nothing, and
// `policyTypes: []` is defaulted like a missing field (reference §7.10-7.12). The loader records
// how such fields were written (NetworkPolicy.written); the verdicts never look at it.
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { FieldShape, NetworkPolicy } from '../../../model/types.js';
import type { LintFix, LintRule } from '../context.js';
import { editPolicy } from '../fix.js';

const spelled = (field: string, shape: FieldShape) => (shape === 'null' ? `\`${field}:\` with no value (null)` : `\`${field}: []\``);

/** A fix that records the field as written differently (e.g. deleted): the verdicts do not change. */
function rewrite(p: NetworkPolicy, path: string, shape: FieldShape | undefined, also: Partial<NetworkPolicy> = {}): LintFix {
  return (c) => editPolicy(c, p, (x) => {
    const written = { ...x.written };
    if (shape) written[path] = shape;
    else delete written[path];
    return { ...x, ...also, written };
  });
}

export const emptyListMeansAll: LintRule = {
  id: 'empty-list-allows-all',
  summary: '`from: []`, `to: []` or `ports: []` (or left empty) is read as absent: every peer, every port, not none',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const p of ctx.cluster.policies) {
      for (const [path, shape] of Object.entries(p.written ?? {})) {
        const m = /^spec\.(ingress|egress)\[(\d+)\]\.(from|to|ports)$/.exec(path);
        if (!m) continue;
        const field = m[3]!;
        const rule = p[m[1] as 'ingress' | 'egress'][Number(m[2])];
        if (!rule) continue;
        const what = field === 'from' ? 'every source: pods in every namespace and every external address'
          : field === 'to' ? 'every destination: pods in every namespace and every external address'
          : 'every port of every protocol';
        const other = field === 'ports'
          ? (rule.peers.length ? '' : ', from and to anyone')
          : (rule.ports.length ? `, on ${rule.ports.map((x) => `${x.protocol} ${x.port ?? 'any'}${x.endPort ? `-${x.endPort}` : ''}`).join(', ')}` : ', on every port');
        out.push(ctx.finding(this, p, path,
          `${spelled(field, shape)} is read as no \`${field}\` at all: this rule allows ${what}${other} — not "${field === 'ports' ? 'no port' : 'nobody'}"`,
          field === 'ports'
            ? 'to allow nothing, delete the rule; to allow every port, delete the `ports` key so it reads as meant'
            : `to allow nobody, delete the rule (with no rules left, the direction is denied); to allow everyone, delete the \`${field}\` key so it reads as meant`,
          { fix: rewrite(p, path, undefined) }));
      }
    }
    return out;
  },
};

export const emptyRulesList: LintRule = {
  id: 'empty-rules-list',
  summary: '`ingress:`/`egress:` left empty, or `[]` in a direction policyTypes does not isolate: it does not do what it looks like',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const p of ctx.cluster.policies) {
      for (const [field, type] of [['ingress', 'Ingress'], ['egress', 'Egress']] as const) {
        const shape = p.written?.[`spec.${field}`];
        if (!shape) continue;
        const path = `spec.${field}`;
        const types = `policyTypes [${p.policyTypes.join(', ')}]${p.policyTypesDefaulted ? ' (defaulted: Egress only when there are egress rules)' : ''}`;
        if (!p.policyTypes.includes(type)) {
          out.push(ctx.finding(this, p, path,
            `${spelled(field, shape)} holds no rule, and ${types} does not isolate ${field}: it denies nothing, all ${field} of the selected pods stays allowed`,
            `to deny all ${field}, add ${type} to spec.policyTypes; otherwise delete the \`${field}\` key`,
            { fix: rewrite(p, path, undefined) }));
        } else if (shape === 'null') {
          out.push(ctx.finding(this, p, path,
            `${spelled(field, shape)} holds no rule, so with ${types} this policy denies ALL ${field} of the selected pods (it does not allow all)`,
            `to allow all ${field}, write \`${field}: [{}]\`; to deny all, write \`${field}: []\` or leave the key out`,
            { fix: rewrite(p, path, 'empty') }));
        }
      }
    }
    return out;
  },
};

export const emptyPolicyTypes: LintRule = {
  id: 'policytypes-empty',
  summary: '`policyTypes: []` (or left empty) is defaulted like a missing field: Ingress always, Egress when there are egress rules',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const p of ctx.cluster.policies) {
      const shape = p.written?.['spec.policyTypes'];
      if (!shape) continue;
      const list = `[${p.policyTypes.join(', ')}]`;
      out.push(ctx.finding(this, p, 'spec.policyTypes',
        `${spelled('policyTypes', shape)} is read as absent, so the API server sets policyTypes to ${list}: this policy isolates ${p.policyTypes.map((t) => t.toLowerCase()).join(' and ')} of the selected pods — an empty list does not mean "isolate nothing"`,
        `write policyTypes: ${list} to say what it does${p.policyTypes.includes('Egress') ? '' : ', or [Ingress, Egress] to isolate egress too'}`,
        { fix: rewrite(p, 'spec.policyTypes', undefined, { policyTypesDefaulted: false }) }));
    }
    return out;
  },
};
