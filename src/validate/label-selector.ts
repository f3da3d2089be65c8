// Label maps and label selectors: apimachinery pkg/apis/meta/v1/validation ValidateLabels,
// ValidateLabelName, ValidateLabelSelector, ValidateLabelSelectorRequirement.
// Label-map errors carry the map's path and the bad key or value as the value; `key` lets the
// diagnostic point at the entry.
import { child, index } from '../diagnostics/field-path.js';
import { forbidden, invalid, required, withHint, type FieldError } from './field-errors.js';
import { isQualifiedName, isValidLabelValue } from './names.js';
import { closest } from './suggest.js';
import type { DRequirement, DSelector, LabelPairs } from './decoded.js';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** ValidateLabelName: the key is a qualified name. */
export function validateLabelName(name: string, path: string, key?: string): FieldError[] {
  return isQualifiedName(name).map((msg) => withHint(invalid(path, name, msg), undefined, key));
}

/** ValidateLabels: per entry, key errors then value errors, all at the map's path. */
export function validateLabels(labels: LabelPairs, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of labels) {
    // validateLabelName's errors, without an array per label (the common case has none).
    for (const msg of isQualifiedName(k)) errs.push(withHint(invalid(path, k, msg), undefined, k));
    for (const msg of isValidLabelValue(v)) errs.push(withHint(invalid(path, v, msg), valueHint(v), k));
  }
  return errs;
}

function valueHint(v: string): string | undefined {
  if (/\s/.test(v)) return 'label values cannot contain spaces';
  if (v.length > 63) return 'label values are limited to 63 bytes';
  if (/[/:]/.test(v)) return "label values cannot contain '/' or ':'";
  return undefined;
}

/** ValidateLabelSelectorRequirement (AllowInvalidLabelValueInSelector is false on create). */
function validateRequirement(r: DRequirement, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      if (r.values.length === 0) {
        errs.push(withHint(required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"),
          'add `values: [...]`, or use `operator: Exists` to match any value'));
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (r.values.length > 0) {
        errs.push(withHint(forbidden(child(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
          'remove `values`, or use `operator: In` to match specific values'));
      }
      break;
    default:
      errs.push(withHint(invalid(child(path, 'operator'), r.operator, 'not a valid selector operator'), operatorHint(r.operator)));
  }
  errs.push(...validateLabelName(r.key, child(path, 'key')));
  r.values.forEach((v, j) => {
    for (const msg of isValidLabelValue(v)) errs.push(withHint(invalid(index(child(path, 'values'), j), v, msg), valueHint(v)));
  });
  return errs;
}

function operatorHint(op: string): string {
  if (op === 'Gt' || op === 'Lt') return '`Gt` and `Lt` exist only in node selectors; label selectors use In, NotIn, Exists, DoesNotExist';
  if (op === '=' || op === '==' || /^equals?$/i.test(op)) return 'did you mean "In"? (with `values: [...]`)';
  if (op === '!=' || /^notequals?$/i.test(op)) return 'did you mean "NotIn"? (with `values: [...]`)';
  const c = closest(op, OPERATORS);
  return c
    ? `did you mean "${c}"? operators are case-sensitive`
    : 'label selector operators are In, NotIn, Exists and DoesNotExist';
}

/** ValidateLabelSelector: matchLabels, then each matchExpressions entry. */
export function validateLabelSelector(sel: DSelector, path: string): FieldError[] {
  const errs = validateLabels(sel.matchLabels, child(path, 'matchLabels'));
  sel.matchExpressions.forEach((r, i) => errs.push(...validateRequirement(r, index(child(path, 'matchExpressions'), i))));
  return errs;
}
