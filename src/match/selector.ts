// Label selector semantics, after apimachinery labels.Requirement.Matches:
// NotIn and DoesNotExist match objects that lack the key altogether.
import type { LabelSelector, LabelSelectorRequirement, Labels } from '../model/types.js';

export function requirementMatches(r: LabelSelectorRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'In':
      return has && r.values.includes(labels[r.key]!);
    case 'NotIn':
      return !has || !r.values.includes(labels[r.key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

export function selectorMatches(s: LabelSelector, labels: Labels): boolean {
  // Allocation-free: the class engine calls this per candidate class (tens of thousands per build).
  const ml = s.matchLabels;
  for (const k in ml) {
    if (!Object.prototype.hasOwnProperty.call(ml, k)) continue;
    if (!Object.prototype.hasOwnProperty.call(labels, k) || labels[k] !== ml[k]) return false;
  }
  const me = s.matchExpressions;
  for (let i = 0; i < me.length; i++) if (!requirementMatches(me[i]!, labels)) return false;
  return true;
}

export function isEmptySelector(s: LabelSelector): boolean {
  return Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0;
}

/** `app=api, tier in (a,b), !legacy` — kubectl's selector syntax, for explanations. */
export function formatSelector(s: LabelSelector): string {
  const parts = Object.entries(s.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const r of s.matchExpressions) {
    if (r.operator === 'In') parts.push(`${r.key} in (${r.values.join(',')})`);
    else if (r.operator === 'NotIn') parts.push(`${r.key} notin (${r.values.join(',')})`);
    else if (r.operator === 'Exists') parts.push(r.key);
    else parts.push(`!${r.key}`);
  }
  return parts.length === 0 ? '(all)' : parts.join(', ');
}

/** Why a selector fails on some labels, for traces: the first requirement that does not hold. */
export function selectorMismatch(s: LabelSelector, labels: Labels): string | undefined {
  for (const [k, v] of Object.entries(s.matchLabels)) {
    if (!Object.prototype.hasOwnProperty.call(labels, k)) return `has no label ${k} (needs ${k}=${v})`;
    if (labels[k] !== v) return `has ${k}=${labels[k]}, needs ${k}=${v}`;
  }
  for (const r of s.matchExpressions) {
    if (!requirementMatches(r, labels)) {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      const cur = has ? `${r.key}=${labels[r.key]}` : `no label ${r.key}`;
      return `has ${cur}, fails ${formatSelector({ matchLabels: {}, matchExpressions: [r] })}`;
    }
  }
  return undefined;
}
