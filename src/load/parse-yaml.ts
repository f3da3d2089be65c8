// Text -> plain JS documents with a source map from field path to line:column.
// YAML 1.1 scalars (yes/no/on/off are booleans), as kubectl's sigs.k8s.io/yaml reads them.
import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, isPair, isAlias, type Node, type Document } from 'yaml';
import { diagnostic, type Diagnostic, type DocumentOrigin, type Position } from '../diagnostics/diagnostic.js';
import { child, index } from '../diagnostics/field-path.js';
import { DEFAULT_LIMITS, type InputLimits } from './limits.js';

export interface ParsedDocument {
  file: string;
  document: number;
  value: unknown;
  origin: DocumentOrigin;
}

export interface ParseResult {
  documents: ParsedDocument[];
  diagnostics: Diagnostic[];
}

interface Spans {
  node: Map<string, Position>;
  key: Map<string, Position>;
}

function fileOrigin(file: string, document: number, pos: Position): DocumentOrigin {
  return { file, document, locate: () => pos };
}

export function parseYamlText(file: string, text: string, limits: InputLimits = DEFAULT_LIMITS): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const size = utf8Length(text);
  if (size > limits.maxBytes) {
    diagnostics.push(
      diagnostic(fileOrigin(file, 0, { line: 1, column: 1 }), 'error', 'Too long', '',
        `file is ${size} bytes, more than the limit of ${limits.maxBytes} bytes; nothing in it was loaded`,
        { hint: 'split the file, or raise the limit with --max-bytes' }),
    );
    return { documents: [], diagnostics };
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: false, lineCounter, prettyErrors: false, strict: false });
  const docList = Array.isArray(docs) ? docs : [];
  if (docList.length > limits.maxDocuments) {
    diagnostics.push(diagnostic(fileOrigin(file, 0, { line: 1, column: 1 }), 'error', 'Too many', '',
      `file has ${docList.length} documents, more than the limit of ${limits.maxDocuments}; nothing in it was loaded`));
    return { documents: [], diagnostics };
  }
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const documents: ParsedDocument[] = [];
  docList.forEach((doc, i) => {
    const docStart = pos(doc.range?.[0] ?? 0);
    const whole = fileOrigin(file, i, docStart);
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const p = pos(err.pos[0]);
        diagnostics.push(diagnostic(fileOrigin(file, i, p), 'error', 'YAML syntax', '', yamlMessage(err.message), { hint: yamlHint(err.code, text, err.pos[0]) }));
      }
      return;
    }
    // Empty document (a trailing `---`, or only comments): kubectl skips it. The yaml library
    // represents it as a null scalar spanning no text, unlike an explicit `~` or `null`.
    const contents = doc.contents as Node | null;
    if (contents === null || (isScalar(contents) && contents.value === null && (!contents.range || contents.range[0] === contents.range[1]))) return;
    const spans: Spans = { node: new Map(), key: new Map() };
    const problems: Diagnostic[] = [];
    const origin = makeOrigin(file, i, spans, docStart);
    walk(doc, doc.contents as Node, '', 0, spans, pos, limits, origin, problems);
    if (problems.some((d) => d.type === 'Too many')) {
      diagnostics.push(...problems.filter((d) => d.type === 'Too many').slice(0, 1));
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliases });
    } catch (e) {
      diagnostics.push(diagnostic(whole, 'error', 'Too many', '',
        `YAML aliases expand too much (limit ${limits.maxAliases}): ${(e as Error).message}; document not loaded`,
        { hint: 'this looks like an alias bomb; expand the anchors by hand if they are intended' }));
      return;
    }
    diagnostics.push(...problems);
    documents.push({ file, document: i, value, origin });
  });
  return { documents, diagnostics };
}

function makeOrigin(file: string, document: number, spans: Spans, fallback: Position): DocumentOrigin {
  return {
    file,
    document,
    locate(path: string): Position {
      // Nearest existing ancestor: strip the last segment until a span is found.
      let p = path;
      for (;;) {
        const hit = spans.key.get(p) ?? spans.node.get(p);
        if (hit) return hit;
        if (p === '') return fallback;
        const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
        p = cut <= 0 ? '' : p.slice(0, cut);
      }
    },
    locateKey(path: string, key: string): Position | undefined {
      return spans.key.get(`${path}\u0000${key}`);
    },
  };
}

function range(node: { range?: [number, number, number] | null }, pos: (o: number) => Position): Position | undefined {
  if (!node.range) return undefined;
  const s = pos(node.range[0]);
  const e = pos(node.range[1]);
  return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
}

function walk(
  doc: Document, node: Node | null, path: string, depth: number, spans: Spans,
  pos: (o: number) => Position, limits: InputLimits, origin: DocumentOrigin, problems: Diagnostic[],
): void {
  if (!node) return;
  if (depth > limits.maxDepth) {
    if (!problems.some((d) => d.type === 'Too many')) {
      problems.push(diagnostic(origin, 'error', 'Too many', path,
        `nesting deeper than ${limits.maxDepth} levels; document not loaded`, { hint: 'no Kubernetes object nests this deep' }));
    }
    return;
  }
  const r = range(node as never, pos);
  if (r && !spans.node.has(path)) spans.node.set(path, r);
  if (isAlias(node)) return;
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const keyNode = item.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const p = child(path, key);
      const kr = keyNode ? range(keyNode as never, pos) : undefined;
      if (kr) {
        spans.key.set(p, kr);
        spans.key.set(`${path}\u0000${key}`, kr);
      }
      if (seen.has(key)) {
        problems.push({ ...diagnostic(origin, 'error', 'Duplicate field', p, `duplicate field "${p}"`,
          { hint: `"${key}" appears twice in this mapping; kubectl would silently keep the last one` }), ...(kr ?? {}) });
      }
      seen.add(key);
      walk(doc, item.value as Node | null, p, depth + 1, spans, pos, limits, origin, problems);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walk(doc, item as Node, index(path, i), depth + 1, spans, pos, limits, origin, problems));
  }
}

function yamlMessage(msg: string): string {
  // The yaml library appends a code frame after the first line; keep the sentence.
  return msg.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function yamlHint(code: string, text: string, offset: number): string | undefined {
  // A bare word on its own line (`matchLabel` with no colon) is the classic cause.
  const lineAt = (o: number) => {
    const start = text.lastIndexOf('\n', o - 1) + 1;
    const end = text.indexOf('\n', o);
    return { start, text: text.slice(start, end < 0 ? text.length : end) };
  };
  const here = lineAt(offset);
  const prev = here.start > 0 ? lineAt(here.start - 1) : undefined;
  for (const l of [here, prev]) {
    const word = l?.text.trim().replace(/^-\s*/, '');
    if (word && /^[A-Za-z][\w.-]*$/.test(word)) return `"${word}" has no colon after it: did you mean "${word}:"?`;
  }
  if (code === 'TAB_AS_INDENT' || here.text.startsWith('\t')) return 'YAML does not allow tabs for indentation';
  if (code === 'BAD_INDENT' || code === 'MISSING_CHAR') return 'check the indentation of this line against its siblings';
  return undefined;
}

/** Byte length without TextEncoder or Buffer (not in the browser-safe core's lib). */
function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}
