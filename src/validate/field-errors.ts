// Upstream field errors (apimachinery pkg/util/validation/field/errors.go) before they get a
// file position. Message convention for this whole folder: `message` is everything kubectl
// prints after `<path>: `, so `path + ': ' + message` is exactly the upstream line, e.g.
// `spec.policyTypes[0]: Unsupported value: "Ingresss": supported values: "Ingress", "Egress"`.
import type { DiagnosticType } from '../diagnostics/diagnostic.js';

export interface FieldError {
  /** Absent: an error (what the API server refuses). */
  severity?: 'warning';
  type: DiagnosticType;
  path: string;
  message: string;
  /** For label-map errors: the offending key, so the position points at it. */
  key?: string;
  /** Where the position points when that is not `path` (the field the user has to change). */
  at?: string;
  hint?: string;
}

/** Go strconv.Quote: printable runes kept, the rest escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) out += ch;
    else if (c < 0x80) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

/**
 * ErrorBody's value rendering: strings quoted (also named string types such as Protocol, whose
 * %#v form is quoted), numbers and booleans bare, lists and objects as compact JSON.
 */
export function renderValue(v: unknown): string {
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  return JSON.stringify(v);
}

function body(type: string, value: string | undefined, detail: string): string {
  let s = value === undefined ? type : `${type}: ${value}`;
  if (detail !== '') s += `: ${detail}`;
  return s;
}

/** field.Required: no value, optional detail. */
export function required(path: string, detail = ''): FieldError {
  return { type: 'Required value', path, message: body('Required value', undefined, detail) };
}

/** field.Forbidden: no value. */
export function forbidden(path: string, detail: string): FieldError {
  return { type: 'Forbidden', path, message: body('Forbidden', undefined, detail) };
}

/** field.Invalid: value and detail. */
export function invalid(path: string, value: unknown, detail: string): FieldError {
  return { type: 'Invalid value', path, message: body('Invalid value', renderValue(value), detail) };
}

/** field.NotSupported: value, then `supported values: "A", "B"`. */
export function notSupported(path: string, value: unknown, valid: readonly string[]): FieldError {
  const detail = valid.length > 0 ? `supported values: ${valid.map(goQuote).join(', ')}` : '';
  return { type: 'Unsupported value', path, message: body('Unsupported value', renderValue(value), detail) };
}

/** field.TooLong as current apimachinery renders it (no value). */
export function tooLong(path: string, maxBytes: number): FieldError {
  const unit = maxBytes === 1 ? 'byte' : 'bytes';
  return { type: 'Too long', path, message: body('Too long', undefined, `may not be more than ${maxBytes} ${unit}`) };
}

/** Attach a hint (and optionally a key) without touching the upstream text. */
export function withHint<T extends FieldError>(e: T, hint: string | undefined, key?: string): T {
  if (hint) e.hint = hint;
  if (key !== undefined) e.key = key;
  return e;
}

/** Go's len(): UTF-8 bytes (computed by hand: TextEncoder is not in the core's lib). */
export function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4; // a surrogate pair: one code point above U+FFFF
      i++;
    } else n += 3; // the rest of the BMP, and a lone surrogate (as the code-point loop counted it)
  }
  return n;
}
