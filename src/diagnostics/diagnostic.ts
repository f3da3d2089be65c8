// One diagnostic shape for every stage: YAML parsing, strict decoding, validation, lint.
// Field paths use the upstream field.Path syntax: `spec.ingress[0].from[1].ipBlock.cidr`.

export type Severity = 'error' | 'warning' | 'info';

/** Upstream error types (apimachinery field.ErrorType rendering) plus the decoder's. */
export type DiagnosticType =
  | 'YAML syntax'
  | 'Unknown field'
  | 'Duplicate field'
  | 'Type mismatch'
  | 'No kind match'
  | 'Required value'
  | 'Invalid value'
  | 'Unsupported value'
  | 'Forbidden'
  | 'Too many'
  | 'Too long'
  | 'Duplicate value'
  | 'Not supported'
  | 'Lint';

export interface Position {
  line: number; // 1-based
  column: number; // 1-based
  endLine?: number;
  endColumn?: number;
}

export interface Diagnostic {
  severity: Severity;
  type: DiagnosticType;
  /** Upstream-style field path, '' for a whole document or file. */
  path: string;
  file: string;
  /** 0-based index of the YAML document within the file. */
  document: number;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  hint?: string;
  /** Stable lint rule id (lint diagnostics only). */
  rule?: string;
  /** Object the diagnostic is about, e.g. `NetworkPolicy prod/db-policy`. */
  object?: string;
}

/** Where a document came from, and how to find a field path inside it. */
export interface DocumentOrigin {
  file: string;
  document: number;
  /** Position of the node at `path` (or of its nearest existing ancestor). */
  locate(path: string): Position;
  /** Position of a key inside a mapping at `path` (label maps report their keys). */
  locateKey?(path: string, key: string): Position | undefined;
  /** The scalar at `path` exactly as written (`n`, `0o17`, `"x"`), for hints that quote the user. */
  sourceText?(path: string): string | undefined;
}

export function diagnostic(
  origin: DocumentOrigin,
  severity: Severity,
  type: DiagnosticType,
  path: string,
  message: string,
  extra: { hint?: string; rule?: string; object?: string; key?: string } = {},
): Diagnostic {
  const pos = (extra.key !== undefined && origin.locateKey?.(path, extra.key)) || origin.locate(path);
  const d: Diagnostic = {
    severity,
    type,
    path,
    file: origin.file,
    document: origin.document,
    line: pos.line,
    column: pos.column,
    message,
  };
  if (pos.endLine !== undefined) d.endLine = pos.endLine;
  if (pos.endColumn !== undefined) d.endColumn = pos.endColumn;
  if (extra.hint) d.hint = extra.hint;
  if (extra.rule) d.rule = extra.rule;
  if (extra.object) d.object = extra.object;
  return d;
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** Sort by file, document, then keep emission order (upstream order) within a document. */
export function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  return diags
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.file < b.d.file ? -1 : a.d.file > b.d.file ? 1 : a.d.document - b.d.document || a.i - b.i))
    .map((x) => x.d);
}
