// `NotIn` and `DoesNotExist` also match objects that lack the key altogether (apimachinery
// labels.Requirement): `env notin (prod)` selects every pod with no env label, and as a
// namespaceSelector every namespace nobody labelled — including ones created later.
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { formatSelector, selectorMatches } from '../../../match/selector.js';
import { peerCoversNamespace } from '../../../match/peer.js';
import { podId, type Direction, type LabelSelector, type Labels, type NetworkPolicy, type Rule } from '../../../model/types.js';
import type { LintContext, LintFix, LintRule } from '../context.js';
import { editPolicy, withRules } from '../fix.js';

interface Site {
  policy: NetworkPolicy;
  path: string;
  selector: LabelSelector;
  kind: 'pod' | 'namespace';
  /** Labelled objects of the input this selector is matched against, with their names. */
  candidates: () => { name: string; labels: Labels }[];
  /** The same selector with one more requirement. */
  refine: (extra: LabelSelector) => LintFix;
}

function* sites(ctx: LintContext): Generator<Site> {
  const podsOf = (ns: string) => ctx.podsIn(ns).map((p) => ({ name: podId(p), labels: p.labels }));
  for (const p of ctx.cluster.policies) {
    yield {
      policy: p, path: 'spec.podSelector', selector: p.podSelector, kind: 'pod', candidates: () => podsOf(p.namespace),
      refine: (s) => (c) => editPolicy(c, p, (x) => ({ ...x, podSelector: s })),
    };
  }
  for (const { policy: p, direction, rule, peer } of ctx.peers()) {
    const setPeer = (field: 'podSelector' | 'namespaceSelector') => (s: LabelSelector): LintFix => (c) => editPolicy(c, p, (x) =>
      withRules(x, direction as Direction, x[direction].map((r): Rule => r.path !== rule.path ? r
        : { ...r, peers: r.peers.map((y) => (y.path === peer.path ? { ...y, [field]: s } : y)) })));
    if (peer.namespaceSelector) {
      yield {
        policy: p, path: `${peer.path}.namespaceSelector`, selector: peer.namespaceSelector, kind: 'namespace',
        candidates: () => ctx.cluster.namespaces.map((n) => ({ name: n.name, labels: n.labels })), refine: setPeer('namespaceSelector'),
      };
    }
    if (peer.podSelector) {
      const namespaces = () => ctx.cluster.namespaces.filter((n) => peerCoversNamespace(peer, p.namespace, n.name, n.labels)).map((n) => n.name);
      yield {
        policy: p, path: `${peer.path}.podSelector`, selector: peer.podSelector, kind: 'pod',
        candidates: () => namespaces().flatMap(podsOf), refine: setPeer('podSelector'),
      };
    }
  }
}

export const selectorMatchesMissingKey: LintRule = {
  id: 'selector-matches-missing-key',
  summary: 'a NotIn or DoesNotExist requirement also matches pods or namespaces that lack the key (warning when such objects are in the input)',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const site of sites(ctx)) {
      const { selector: s } = site;
      s.matchExpressions.forEach((r, i) => {
        if (r.operator !== 'NotIn' && r.operator !== 'DoesNotExist') return;
        // `key notin (x)` next to `key` (Exists), `key in (...)` or matchLabels on the key: absence is already excluded.
        if (r.operator === 'NotIn' && (r.key in s.matchLabels || s.matchExpressions.some((e) => e.key === r.key && (e.operator === 'Exists' || e.operator === 'In')))) return;
        const req = formatSelector({ matchLabels: {}, matchExpressions: [r] });
        const things = site.kind === 'pod' ? 'pods' : 'namespaces';
        const lacking = site.candidates().filter((c) => !(r.key in c.labels) && selectorMatches(s, c.labels)).map((c) => c.name);
        const path = `${site.path}.matchExpressions[${i}]`;
        const later = site.kind === 'namespace' ? 'every namespace created without it' : 'every pod created without it';
        if (r.operator === 'DoesNotExist') {
          out.push(ctx.finding(this, site.policy, path,
            `${req} selects every one of the ${things} without a ${r.key} label, ${later} included${lacking.length ? ` (today: ${lacking.slice(0, 4).join(', ')}${lacking.length > 4 ? ', …' : ''})` : ''}`,
            `make sure that is meant; to select by a label that is there, use In or Exists`, { severity: 'info' }));
          return;
        }
        const fixed: LabelSelector = { ...s, matchExpressions: [...s.matchExpressions, { key: r.key, operator: 'Exists', values: [] }] };
        const hint = `add "- {key: ${r.key}, operator: Exists}" to the same selector if only labelled ${things} are meant, or use In with the values you want`;
        if (lacking.length) {
          out.push(ctx.finding(this, site.policy, path,
            `${req} also matches ${things} that have no ${r.key} label at all: ${lacking.slice(0, 4).join(', ')}${lacking.length > 4 ? ', …' : ''}`,
            hint, { fix: site.refine(fixed) }));
        } else {
          out.push(ctx.finding(this, site.policy, path,
            `${req} also matches ${things} that have no ${r.key} label at all (none in the input today; ${later})`,
            hint, { severity: 'info', fix: site.refine(fixed) }));
        }
      });
    }
    return out;
  },
};
