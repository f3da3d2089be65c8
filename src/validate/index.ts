// API-server-equivalent checking of one NetworkPolicy document: kind lookup (stage 2), strict
// decoding (stage 3), then validation (stage 5). Defaulting (stage 4) happens elsewhere.
//
// Message convention: `message` is everything kubectl prints after `<path>: `, so
// `path + ': ' + message` reproduces the upstream line, e.g.
//   spec.policyTypes[0]: Unsupported value: "Ingresss": supported values: "Ingress", "Egress"
//   spec.podSelectpr: unknown field "spec.podSelectpr"
// Hints (did you mean, YAML 1.1 traps) are ours and live in `hint`, never in `message`.
import { diagnostic, type Diagnostic, type DocumentOrigin } from '../diagnostics/diagnostic.js';
import type { FieldError } from './field-errors.js';
import { writtenHint } from './written-hint.js';
import { decodeNetworkPolicy, isPlainObject } from './decode.js';
import { validateObjectMeta } from './object-meta.js';
import { validateSpec } from './network-policy-spec.js';
import { isFollowOn } from './follow-on.js';
import { validateOwnerReferences } from './owner-references.js';

export { checkObject, CHECKED_KINDS } from './objects.js';

export const NETWORK_POLICY_API_VERSION = 'networking.k8s.io/v1';

/** Stage 2: kubectl finds no resource for any other group/version of kind NetworkPolicy. */
function kindLookup(raw: Record<string, unknown>): FieldError | undefined {
  const v = raw.apiVersion;
  if (v === NETWORK_POLICY_API_VERSION) return undefined;
  const hint = `use \`apiVersion: ${NETWORK_POLICY_API_VERSION}\`` +
    (v === 'extensions/v1beta1' ? ' (extensions/v1beta1 NetworkPolicy was removed in Kubernetes 1.16)' : '');
  if (v === undefined || v === null || v === '') {
    return { type: 'No kind match', path: 'apiVersion', message: "Object 'apiVersion' is missing", hint };
  }
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return { type: 'No kind match', path: 'apiVersion', message: `no matches for kind "NetworkPolicy" in version "${text}"`, hint };
}

/**
 * Strict decoding (unknown field with "did you mean", type mismatch) followed by every rule of
 * ValidateNetworkPolicy, in upstream order. `raw` is the plain JS value of the whole document.
 * Returns every problem found (never throws for bad input). All are errors.
 *
 * - A wrong apiVersion is reported alone: kubectl never sends such a document.
 * - Every decoding problem is reported (upstream stops at the first type mismatch).
 * - A type mismatch skips validation: the server fails there whatever the validation level.
 * - Unknown fields alone: kubectl's default --validate=strict would stop there too; we also run
 *   validation on the document without them (what the server does under --validate=warn), so
 *   every mistake shows at once, leaving out the follow-on errors the dropped fields explain.
 */
export function checkNetworkPolicy(raw: unknown, origin: DocumentOrigin): Diagnostic[] {
  const toDiagnostic = (e: FieldError): Diagnostic =>
    diagnostic(origin, e.severity ?? 'error', e.type, e.path, e.message, e.key !== undefined ? { hint: writtenHint(e, origin, raw), key: e.key } : { hint: writtenHint(e, origin, raw) });
  if (!isPlainObject(raw)) {
    return [diagnostic(origin, 'error', 'Type mismatch', '', 'a NetworkPolicy must be a mapping')];
  }
  const kindError = kindLookup(raw);
  if (kindError) return [toDiagnostic(kindError)];
  const decoded = decodeNetworkPolicy(raw);
  if (decoded.errors.some((e) => e.type !== 'Unknown field' && e.severity !== 'warning')) return decoded.errors.map(toDiagnostic);
  const validation = [
    ...validateObjectMeta(decoded.value.metadata, 'metadata'),
    ...validateOwnerReferences(decoded.value.metadata.ownerReferences, 'metadata.ownerReferences'),
    ...validateSpec(decoded.value.spec, 'spec'),
  ].filter((e) => !isFollowOn(e, decoded.unknownIn));
  return [...decoded.errors, ...validation].map(toDiagnostic);
}
