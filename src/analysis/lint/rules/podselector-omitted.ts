// spec.podSelector left out (or null), or no spec at all: that is the empty selector, so the
// policy applies to EVERY pod of its namespace. Often read as "selects nothing".
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { NetworkPolicy } from '../../../model/types.js';
import type { LintRule } from '../context.js';
import { editPolicy } from '../fix.js';

/** What the policy does to each direction it isolates, in words. */
function effect(p: NetworkPolicy): string {
  return p.policyTypes.map((t) => {
    const dir = t === 'Ingress' ? 'ingress' : 'egress';
    const n = p[dir].length;
    return n === 0 ? `denies all ${dir}` : `allows only the ${dir} its ${n} rule${n > 1 ? 's' : ''} allow${n > 1 ? '' : 's'}`;
  }).join(' and ');
}

export const podSelectorOmitted: LintRule = {
  id: 'podselector-omitted',
  summary: 'spec.podSelector (or the whole spec) is left out: the policy applies to every pod of its namespace',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const p of ctx.cluster.policies) {
      const spec = p.written?.['spec'];
      const sel = p.written?.['spec.podSelector'];
      if (!spec && !sel) continue;
      const n = ctx.selected(p).length;
      const pods = ctx.hasPods ? ` (${n} pod${n === 1 ? '' : 's'} in the input)` : '';
      const untouched = p.policyTypes.includes('Egress') ? '' : '; egress is not affected';
      const fixed = (x: NetworkPolicy): NetworkPolicy => {
        const written = { ...x.written };
        delete written['spec'];
        delete written['spec.podSelector'];
        return { ...x, policyTypesDefaulted: false, written };
      };
      out.push(ctx.finding(this, p, spec ? 'spec' : 'spec.podSelector',
        spec
          ? `spec is ${spec === 'empty' ? 'empty' : 'missing'}: the empty podSelector selects every pod in namespace ${p.namespace}${pods}, policyTypes defaults to [${p.policyTypes.join(', ')}], and there is no rule: this ${effect(p)} to every pod of ${p.namespace}${untouched}`
          : `spec.podSelector is ${sel === 'null' ? 'left empty (null)' : 'left out'}, which is the empty selector: this policy applies to every pod in namespace ${p.namespace}${pods} and ${effect(p)}${untouched}`,
        spec
          ? `if a namespace-wide default deny is meant, write it out: spec: {podSelector: {}, policyTypes: [${p.policyTypes.join(', ')}]}`
          : `write podSelector: {} if every pod is meant; otherwise select the pods with podSelector.matchLabels`,
        { fix: (c) => editPolicy(c, p, fixed) }));
    }
    return out;
  },
};
