// An explicit policyTypes without a direction makes that direction's rules dead (reference §7.11).
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { LintRule } from '../context.js';
import { editPolicy, forget, withRules } from '../fix.js';

export const policyTypesIgnoresRules: LintRule = {
  id: 'policytypes-ignores-rules',
  summary: 'rules for a direction that policyTypes leaves out have no effect',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const p of ctx.cluster.policies) {
      if (p.policyTypesDefaulted) continue;
      for (const [field, type] of [['ingress', 'Ingress'], ['egress', 'Egress']] as const) {
        if (p[field].length === 0 || p.policyTypes.includes(type)) continue;
        // The suggested fix deletes the dead rules: it changes no verdict. Adding the type
        // instead would isolate that direction, which is a decision, not a fix.
        out.push(ctx.finding(this, p, `spec.${field}`,
          `spec.${field} has ${p[field].length} rule(s) but policyTypes is [${p.policyTypes.join(', ')}]: they are ignored`,
          `delete spec.${field} (it has no effect today); or, if these rules are meant to apply, add ${type} to spec.policyTypes — that isolates ${field} to exactly these rules${field === 'egress' ? ' (allow DNS too)' : ''}`,
          { fix: (c) => editPolicy(c, p, (x) => forget(withRules(x, field, []), ...x[field].flatMap((r) => [`${r.path}.from`, `${r.path}.to`, `${r.path}.ports`]))) }));
      }
    }
    return out;
  },
};
