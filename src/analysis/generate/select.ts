// Exact selectors: a label selector that picks exactly a target set out of a universe (the pods
// of one namespace, or the namespaces of the input), using the labels the manifests set.
// Tried in order, first exact one wins (so the smallest readable selector):
//   1. one key with one value (matchLabels), keys the user wrote before generated ones;
//   2. one key with several values (`key In [...]`);
//   3. the labels every target shares, as matchLabels;
//   4. otherwise one selector per label set of the target (its labels + DoesNotExist for a key
//      of each untargeted superset), i.e. several peers or several policies.
// Selector semantics come from match/selector.ts: every candidate is checked with it.
import { selectorMatches } from '../../match/selector.js';
import { NAMESPACE_NAME_LABEL, type LabelSelector, type Labels } from '../../model/types.js';

export interface Labelled {
  readonly labels: Labels;
}

/** Labels a controller or the API server writes: used only when nothing else separates. */
const LATE = [NAMESPACE_NAME_LABEL, 'pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'batch.kubernetes.io/controller-uid', 'controller-uid'];

/** User-written keys first, then controller-written ones; alphabetical within each. */
export function keyOrder(a: string, b: string): number {
  const la = LATE.includes(a) ? 1 : 0;
  const lb = LATE.includes(b) ? 1 : 0;
  return la - lb || (a < b ? -1 : a > b ? 1 : 0);
}

const labelsSelector = (matchLabels: Record<string, string>): LabelSelector => ({ matchLabels, matchExpressions: [] });

function exact<T extends Labelled>(s: LabelSelector, universe: readonly T[], target: ReadonlySet<T>): boolean {
  return universe.every((u) => selectorMatches(s, u.labels) === target.has(u));
}

/** Selectors whose union picks exactly `target` out of `universe`; `[]` selector list never returned. */
export function exactSelectors<T extends Labelled>(universe: readonly T[], targetList: readonly T[]): LabelSelector[] {
  const target = new Set(targetList);
  if (target.size === 0) return [];
  if (universe.every((u) => target.has(u))) return [labelsSelector({})];
  const shared = [...new Set(targetList.flatMap((t) => Object.keys(t.labels)))].filter((k) => targetList.every((t) => k in t.labels)).sort(keyOrder);
  for (const k of shared) {
    const values = [...new Set(targetList.map((t) => t.labels[k]!))].sort();
    if (values.length === 1) {
      const s = labelsSelector({ [k]: values[0]! });
      if (exact(s, universe, target)) return [s];
    }
  }
  for (const k of shared) {
    const values = [...new Set(targetList.map((t) => t.labels[k]!))].sort();
    if (values.length > 1) {
      const s: LabelSelector = { matchLabels: {}, matchExpressions: [{ key: k, operator: 'In', values }] };
      if (exact(s, universe, target)) return [s];
    }
  }
  const common = Object.fromEntries(shared.filter((k) => targetList.every((t) => t.labels[k] === targetList[0]!.labels[k])).map((k) => [k, targetList[0]!.labels[k]!]));
  if (Object.keys(common).length && exact(labelsSelector(common), universe, target)) return [labelsSelector(common)];
  // One selector per distinct label set.
  const sets = new Map<string, Labels>();
  for (const t of targetList) sets.set(JSON.stringify(Object.entries(t.labels).sort()), t.labels);
  const out: LabelSelector[] = [];
  for (const labels of [...sets.values()]) {
    const matchExpressions = universe
      .filter((u) => !target.has(u) && selectorMatches(labelsSelector({ ...labels }), u.labels))
      .map((u) => Object.keys(u.labels).filter((k) => !(k in labels)).sort(keyOrder)[0])
      .filter((k): k is string => k !== undefined);
    out.push({ matchLabels: { ...labels }, matchExpressions: [...new Set(matchExpressions)].sort().map((key) => ({ key, operator: 'DoesNotExist' as const, values: [] })) });
  }
  return out;
}

/** A selector as a manifest writes it (no empty fields). */
export function selectorYaml(s: LabelSelector): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Object.keys(s.matchLabels).length) out.matchLabels = Object.fromEntries(Object.entries(s.matchLabels).sort(([a], [b]) => keyOrder(a, b)));
  if (s.matchExpressions.length) out.matchExpressions = s.matchExpressions.map((e) => (e.values.length ? { key: e.key, operator: e.operator, values: [...e.values] } : { key: e.key, operator: e.operator }));
  return out;
}

export function selectorKey(s: LabelSelector): string {
  return JSON.stringify(selectorYaml(s));
}
