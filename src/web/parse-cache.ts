// Parsing a file document by document, so an edit of one document in a file of hundreds parses
// that document again, not the file (parsing was the largest part of an edit at 2,000 pods).
//
// A file is cut at its `---` lines; each piece starts with its marker (the first with whatever
// came before, when that holds a document), so each piece is exactly one YAML document of the
// file. Pieces are parsed alone and cached by their text; a document's index and lines are the
// piece's own, shifted to where the piece sits in the file. Whatever could make a piece read
// differently alone than in its file is parsed whole instead, as `parseYamlText` always did:
// directives (`%`), `...` end markers, JSON, templates (`{{`), files over the byte or document
// limits, and any piece with a diagnostic or a line the lenient retry would touch.
import type { DocumentOrigin, Position } from '../diagnostics/diagnostic.js';
import { lenientText } from '../load/lenient.js';
import { looksLikeJson } from '../load/parse-json.js';
import type { parseYamlText, ParsedDocument, ParseResult } from '../load/parse-yaml.js';

type Parse = typeof parseYamlText;

const MARKER = /^---(?=[ \t\r\n]|$)/gm;

export class PieceCache {
  private pieces = new Map<string, ParseResult>();
  /** Pieces parsed (misses) since the cache was made: tests check an edit parses one. */
  parsed = 0;
  /** Whether the last file was parsed whole (tests). */
  whole = false;

  constructor(private readonly parse: Parse) {}

  /** Same contract as parseYamlText (the same limits and options for every call of one cache). */
  parseFile(file: string, text: string, limits: Parameters<Parse>[2], how: Parameters<Parse>[3] = {}): ParseResult {
    const whole = () => ((this.whole = true), this.parse(file, text, limits, how));
    const l = limits!;
    if (text.length * 3 > l.maxBytes || /^%/m.test(text) || /^\.\.\.(?=[ \t\r\n]|$)/m.test(text) || text.includes('{{') || (how.json !== false && looksLikeJson(text))) return whole();
    const starts = [...text.matchAll(MARKER)].map((m) => m.index!);
    if (starts.length === 0 || starts.length + 1 > l.maxDocuments) return whole();
    // What comes before the first marker is a document of its own unless it is only blanks and
    // comments (then it belongs to the first marked document, as in the file).
    const head = text.slice(0, starts[0]);
    if (/^\s*$/.test(head.replace(/^[ \t]*#.*$/gm, ''))) starts[0] = 0;
    else starts.unshift(0);
    if (starts.length < 2) return whole(); // one document: nothing to cut
    const next = new Map<string, ParseResult>();
    const documents: ParsedDocument[] = [];
    let line = 0; // lines before the current piece
    let at = 0;
    for (let k = 0; k < starts.length; k++) {
      const piece = text.slice(starts[k], starts[k + 1] ?? text.length);
      line += count(text, at, starts[k]!);
      at = starts[k]!;
      let r = this.pieces.get(piece) ?? next.get(piece);
      if (!r) {
        this.parsed++;
        r = this.parse(file, piece, limits, how);
        // Clean, one document at most, and nothing the lenient retry would change: else the file decides.
        if (r.diagnostics.length > 0 || r.documents.length > 1 || r.documents.some((d) => d.document !== 0) || lenientText(piece)) return whole();
      }
      next.set(piece, r);
      for (const d of r.documents) documents.push({ file, document: k, value: d.value, origin: shifted(d.origin, k, line) });
    }
    this.pieces = next;
    this.whole = false;
    return { documents, diagnostics: [] };
  }
}

/** Newlines in text[from, to). */
function count(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function shift(p: Position, lines: number): Position {
  return { ...p, line: p.line + lines, ...(p.endLine !== undefined ? { endLine: p.endLine + lines } : {}) };
}

function shifted(o: DocumentOrigin, document: number, lines: number): DocumentOrigin {
  return {
    file: o.file,
    document,
    locate: (path) => shift(o.locate(path), lines),
    locateKey: (path, key) => {
      const p = o.locateKey?.(path, key);
      return p && shift(p, lines);
    },
    sourceText: (path) => o.sourceText?.(path),
  };
}
