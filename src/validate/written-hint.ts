// Type-mismatch hints that quote what was written (`env: n`), never a rewritten value.
import type { DocumentOrigin } from '../diagnostics/diagnostic.js';
import { child, parsePath } from '../diagnostics/field-path.js';
import { describeValue, quoteHint } from '../diagnostics/quote-hint.js';
import type { FieldError } from './field-errors.js';

/**
 * A bool or number where a string belongs: quote what was written (`env: n`), when it is known.
 * `raw` is the document's value, to say exactly what kubectl read (`the boolean false`).
 */
export function writtenHint(e: FieldError, origin: DocumentOrigin, raw?: unknown): string | undefined {
  const m = / cannot unmarshal (bool|number) into .* of type string$/.exec(e.message);
  if (e.type !== 'Type mismatch' || !m) return e.hint;
  const at = e.key !== undefined ? child(e.path, e.key) : e.path;
  const written = origin.sourceText?.(at);
  if (written === undefined || /^["'|>]/.test(written)) return e.hint;
  const name = e.key ?? e.path.slice(Math.max(e.path.lastIndexOf('.'), -1) + 1).replace(/\[\d+\]$/, '');
  let v: unknown = raw;
  for (const seg of parsePath(e.path)) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined;
  if (e.key !== undefined) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[e.key] : undefined;
  const readAs = typeof v === 'boolean' || typeof v === 'number' ? describeValue(v) : m[1] === 'bool' ? 'a boolean' : 'a number';
  return quoteHint(name, written, readAs);
}
