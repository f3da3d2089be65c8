// metadata checks on create: apimachinery pkg/api/validation ValidateObjectMetaAccessor with
// requiresNamespace=true and ValidateNetworkPolicyName (NameIsDNSSubdomain).
// Not checked, on purpose:
// - a missing namespace: kubectl fills in the context namespace before the request;
// - name generated from generateName: the server appends 5 random characters first, so only
//   generateName itself is checked (upstream would also report the generated name);
// - generation, uid, timestamps: reset by the server on create;
// - ownerReferences, finalizers, managedFields: only their JSON shape is checked (decoding).
import { child } from '../diagnostics/field-path.js';
import { byteLength, invalid, required, tooLong, withHint, type FieldError } from './field-errors.js';
import { validateLabels } from './label-selector.js';
import { isQualifiedName, nameIsDNSLabel, nameIsDNSSubdomain } from './names.js';
import type { DObjectMeta } from './decoded.js';

/** apimachinery TotalAnnotationSizeLimitB: 256 KiB of keys plus values. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10);

function lowerHint(value: string, check: (v: string) => string[]): string | undefined {
  const lower = value.toLowerCase();
  if (lower !== value && check(lower).length === 0) return `names are lower case: "${lower}"`;
  return undefined;
}

/** ValidateAnnotations: keys are qualified names once lower-cased; total size limit. */
export function validateAnnotations(annotations: [string, string][], path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of annotations) {
    // The bad value reported is the original key, the check runs on its lower-case form.
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(withHint(invalid(path, k, msg), undefined, k));
    total += byteLength(k) + byteLength(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) {
    errs.push(withHint(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_B),
      `annotations total ${total} bytes; kubectl apply's last-applied-configuration annotation is the usual culprit (try --server-side)`));
  }
  return errs;
}

/** A ValidateNameFunc: the messages for a bad name (`prefix`: a generateName, may end in '-'). */
export type NameRule = (name: string, prefix: boolean) => string[];

export interface ObjectMetaRules {
  /** Per kind (default NameIsDNSSubdomain, as ValidateNetworkPolicyName). */
  validateName?: NameRule;
  /**
   * false for cluster-scoped kinds (Namespace): the API server clears their metadata.namespace
   * before validation (apiserver registry/rest BeforeCreate ->
   * EnsureObjectNamespaceMatchesRequestNamespace: "cluster-scoped, clear namespace").
   */
  namespaced?: boolean;
  /** For the "name is required" hint. */
  example?: string;
}

export function validateObjectMeta(meta: DObjectMeta, path: string, rules: ObjectMetaRules = {}): FieldError[] {
  const nameRule = rules.validateName ?? nameIsDNSSubdomain;
  const errs: FieldError[] = [];
  const p = (f: string): string => child(path, f);
  if (meta.generateName !== '') {
    for (const msg of nameRule(meta.generateName, true)) {
      errs.push(withHint(invalid(p('generateName'), meta.generateName, msg), lowerHint(meta.generateName, (v) => nameRule(v, true))));
    }
  }
  if (meta.name === '') {
    if (meta.generateName === '') {
      errs.push(withHint(required(p('name'), 'name or generateName is required'), `add \`metadata.name\`, e.g. \`name: ${rules.example ?? 'allow-db'}\``));
    }
  } else {
    for (const msg of nameRule(meta.name, false)) {
      const hint = msg === 'must not contain dots'
        ? 'this kind of name is a single DNS label: no dots'
        : lowerHint(meta.name, (v) => nameRule(v, false));
      errs.push(withHint(invalid(p('name'), meta.name, msg), hint));
    }
  }
  if (meta.namespace !== '' && rules.namespaced !== false) {
    for (const msg of nameIsDNSLabel(meta.namespace, false)) {
      const hint = msg === 'must not contain dots'
        ? 'namespace names are single DNS labels: no dots'
        : lowerHint(meta.namespace, (v) => nameIsDNSLabel(v, false));
      errs.push(withHint(invalid(p('namespace'), meta.namespace, msg), hint));
    }
  }
  errs.push(...validateLabels(meta.labels, p('labels')));
  errs.push(...validateAnnotations(meta.annotations, p('annotations')));
  return errs;
}
