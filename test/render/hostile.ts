// Hostile strings and independent checkers for the sink tests (written from the specs, not from
// src/render/escape.ts).

export const HOSTILE = [
  'a\nb',
  'p|q',
  'c,d',
  'e"f',
  '\x1b[31mred\x1b[0m',
  'g\rh',
  'n\0ul',
  'bidi\u202Eevil',
  '=HYPERLINK("http://x")',
  '+1', '-1', '@SUM(A1)',
  '\u009b2J',
  'x\u2028y',
  'tab\tz',
  '`code` <b>&amp; *em* _u_ [l](u) ~s~',
  'back\\slash\\|',
] as const;

/** Any control character a terminal could act on (LF and TAB excepted), DEL, C1, bidi marks, separators. */
export const CONTROL_IN_BLOCK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
/** The same plus LF and TAB: nothing that breaks a line. */
export const CONTROL_ANY = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** RFC 4180 parser: records of fields; throws on a malformed quote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let started = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++;
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') throw new Error(`junk after closing quote at ${i}`);
        continue;
      }
      field += c; i++; continue;
    }
    if (c === '"') {
      if (started && field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true; started = true; i++; continue;
    }
    if (c === ',') { row.push(field); field = ''; started = false; i++; continue; }
    if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = ''; started = false; i++; continue;
    }
    field += c; started = true; i++;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (started || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** Cells of one GFM table row: split on pipes not escaped by a backslash. */
export function markdownCells(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) { cur += c + line[i + 1]; i++; continue; }
    if (c === '|') { cells.push(cur); cur = ''; continue; }
    cur += c;
  }
  cells.push(cur);
  // A row starts and ends with a pipe: drop the empty outer pieces.
  return cells.slice(1, -1).map((s) => s.trim());
}
