// Sinks for untrusted text. Names, labels, file names and messages that quote them all come
// from manifests; validation rejects hostile names, but every sink is safe on its own too.
// Browser-safe, no dependencies.
//
// Visible escapes: LF -> \n, CR -> \r, TAB -> \t, other code points below U+0100 -> \xHH, the
// rest -> \uHHHH. A backslash is left as it is: the escapes are for reading, not for parsing
// back, and doubling it would garble file paths and the `\"` already in upstream messages.

/**
 * What must not reach a terminal raw: C0 controls (ESC starts every ANSI sequence), DEL, C1
 * controls (U+009B is a one-byte CSI), the Unicode bidi and direction marks that reorder what
 * the reader sees (Trojan Source, CVE-2021-42574), and the line/paragraph separators.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same set without LF and TAB, for multi-line text whose line structure is ours. */
const UNSAFE_IN_BLOCK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** One value on one line of terminal text: every control character becomes a visible escape. */
export function terminalText(s: string): string {
  return s.replace(UNSAFE, visible);
}

/**
 * Text of several lines (a whole report, a code frame): LF and TAB stay, every other control
 * character (CR included: it would let a line overwrite itself) becomes a visible escape.
 */
export function terminalBlock(s: string): string {
  return s.replace(UNSAFE_IN_BLOCK, visible);
}

/**
 * One RFC 4180 field. Quoted when it holds a comma, a double quote, CR or LF; quotes doubled.
 *
 * Spreadsheet formula injection (OWASP "CSV Injection"): a field starting with `=`, `+`, `-`,
 * `@`, TAB or CR is prefixed with a single quote, so spreadsheets show it as text instead of
 * evaluating it. That changes the data for other CSV readers, but no valid Kubernetes name or
 * label value starts with one of those characters, so only hostile input is ever altered.
 * Controls other than CR, LF and TAB become visible escapes: a CSV often lands on a terminal.
 */
export function csvField(value: string | number | boolean): string {
  let s = String(value);
  if (typeof value === 'string') {
    s = s.replace(UNSAFE_IN_BLOCK, (c) => (c === '\r' ? c : visible(c)));
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  }
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record (no line terminator). */
export function csvRow(fields: readonly (string | number | boolean)[]): string {
  return fields.map(csvField).join(',');
}

/**
 * One cell of a GitHub-flavoured Markdown table: controls become visible escapes (a newline
 * would end the table), then the characters Markdown or inline HTML would read are escaped:
 * backslash and ASCII punctuation with a backslash (`|` ends the cell, backticks open code,
 * `*` `_` `~` emphasis, `[` `]` links), and `&` `<` `>` as HTML entities.
 */
export function markdownCell(s: string): string {
  return terminalText(s)
    .replace(/[\\|`*_~[\]]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * JSON for output: the same value as JSON.stringify, with the code points JSON leaves raw but a
 * terminal or an editor would act on (DEL, C1, bidi marks, U+2028/U+2029) written as \uXXXX.
 */
export function safeJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * One DOT quoted string (Graphviz "ID" and label): `\` and `"` are escaped, so a name can
 * neither close the string nor start a Graphviz label escape (`\N`, `\l`, `\G`); controls,
 * bidi marks and separators become visible escapes (doubled backslash, read as text).
 */
export function dotString(s: string): string {
  return `"${terminalText(s).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * Text inside a Mermaid quoted label (`n1["…"]`, `-->|"…"|`). Mermaid decodes `#NNN;` entity
 * codes in labels, so every character outside a plain set is written as one: quotes, `#`,
 * `<`, `>`, `&`, backticks (markdown strings), brackets and pipes can then never end the
 * label, open HTML or be read as syntax. Controls become visible escapes first.
 */
export function mermaidText(s: string): string {
  return [...terminalText(s)].map((c) => (/^[A-Za-z0-9 ./:_,+=×-]$/.test(c) ? c : `#${c.codePointAt(0)};`)).join('');
}

/** XML (and SVG) text or attribute value: markup characters as entities; characters XML 1.0 forbids (controls, lone surrogates, U+FFFE/U+FFFF) become visible escapes. */
export function xmlText(s: string): string {
  return terminalText(s)
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
