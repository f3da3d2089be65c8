// API-server-equivalent checking of one NetworkPolicy document: strict decoding, then validation.
import type { Diagnostic, DocumentOrigin } from '../diagnostics/diagnostic.js';

/**
 * Strict decoding (unknown field with "did you mean", type mismatch) followed by every rule of
 * ValidateNetworkPolicy, in upstream order. `raw` is the plain JS value of the whole document.
 * Returns every problem found (never throws for bad input).
 */
export function checkNetworkPolicy(raw: unknown, origin: DocumentOrigin): Diagnostic[] {
  void raw;
  void origin;
  return []; // TODO(validation helper)
}
