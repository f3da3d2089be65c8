// An explicit policyTypes without a direction makes that direction's rules dead (reference §7.11).
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { LintRule } from '../context.js';

export const policyTypesIgnoresRules: LintRule = {
  id: 'policytypes-ignores-rules',
  summary: 'rules for a direction that policyTypes leaves out have no effect',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const p of ctx.cluster.policies) {
      if (p.policyTypesDefaulted) continue;
      for (const [field, type] of [['ingress', 'Ingress'], ['egress', 'Egress']] as const) {
        if (p[field].length === 0 || p.policyTypes.includes(type)) continue;
        out.push(ctx.finding(this.id, p, `spec.${field}`,
          `spec.${field} has ${p[field].length} rule(s) but policyTypes is [${p.policyTypes.join(', ')}]: they are ignored`,
          `add ${type} to spec.policyTypes, or delete spec.${field}`));
      }
    }
    return out;
  },
};
