// Text -> plain JS documents, read the way kubectl reads them (sigs.k8s.io/yaml over go-yaml v2):
// the `yaml` library parses with the failsafe schema (every scalar stays text) and
// resolve-scalar.ts resolves plain scalars exactly as go-yaml v2 does, then sigs.k8s.io/yaml's
// JSON conversion rules apply (map keys become strings; NaN/Inf values are refused).
//
// Fast path: building the value records no positions. Each document keeps its syntax tree, and
// the field path -> line:column map is built only when a diagnostic asks for a position.
import { parseAllDocuments, visit, isMap, isSeq, isScalar, isPair, isAlias, type Node, type Document, type Scalar, type Alias } from 'yaml';
import { diagnostic, type Diagnostic, type DocumentOrigin, type Position } from '../diagnostics/diagnostic.js';
import { child, index } from '../diagnostics/field-path.js';
import { DEFAULT_LIMITS, type InputLimits } from './limits.js';
import { resolvePlain, jsonKey } from './resolve-scalar.js';
import { describeValue } from '../diagnostics/quote-hint.js';
import { lenientText } from './lenient.js';
import { findTemplate } from './template.js';
import { looksLikeJson, parseJsonFaithful } from './parse-json.js';

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

function fileOrigin(file: string, document: number, pos: Position): DocumentOrigin {
  return { file, document, locate: () => pos };
}

/** Offsets -> 1-based line:column, built on first use (most files never need a position). */
class Lines {
  private starts: number[] | undefined;
  constructor(private readonly text: string, private readonly pads: Map<number, number>) {}
  pos(offset: number): Position {
    if (!this.starts) {
      const s = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) s.push(i + 1);
      this.starts = s;
    }
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid; else hi = mid - 1;
    }
    const line = lo + 1;
    // Columns on lines the lenient pass indented are given back in the user's text.
    const column = Math.max(1, offset - starts[lo]! + 1 - (this.pads.get(line) ?? 0));
    return { line, column };
  }
}

const OPTIONS = { version: '1.1' as const, schema: 'failsafe' as const, uniqueKeys: false, prettyErrors: false, strict: false };

/**
 * `json: false` forces the YAML parser on JSON text too (the tests compare both paths); the
 * value and every diagnostic are the same either way.
 */
export function parseYamlText(file: string, text: string, limits: InputLimits = DEFAULT_LIMITS, how: { json?: boolean } = {}): ParseResult {
  const diagnostics: Diagnostic[] = [];
  // UTF-8 takes at least one byte and at most three per UTF-16 unit: count only when in doubt.
  const size = text.length * 3 <= limits.maxBytes ? text.length : utf8Length(text);
  if (size > limits.maxBytes) {
    diagnostics.push(
      diagnostic(fileOrigin(file, 0, { line: 1, column: 1 }), 'error', 'Too long', '',
        `file is ${size} bytes, more than the limit of ${limits.maxBytes} bytes; nothing in it was loaded`,
        { hint: 'split the file, or raise the limit with --max-bytes' }),
    );
    return { documents: [], diagnostics };
  }
  const template = findTemplate(text);
  if (template) {
    diagnostics.push(diagnostic(fileOrigin(file, 0, { line: template.line, column: template.column }), 'error', 'Not supported', '',
      `this file is an unrendered template (\`${template.snippet}\` at line ${template.line}); netpol reads rendered manifests, as kubectl does`,
      { hint: 'render it first and check the output, e.g. `helm template <release> <chart> | netpol check -` or `kustomize build <dir> | netpol check -`' }));
    return { documents: [], diagnostics };
  }
  if (how.json !== false && limits.maxDocuments >= 1 && looksLikeJson(text)) {
    const fast = parseJsonFaithful(text, limits.maxDepth);
    // Positions only when a diagnostic asks: then the YAML parser reads the text once.
    if (fast) {
      let doc: Document | undefined;
      const getDoc = () => (doc ??= (parseAllDocuments(text, OPTIONS) as Document[])[0]!);
      return { documents: [{ file, document: 0, value: fast.value, origin: makeOrigin(file, 0, getDoc, text, new Lines(text, new Map())) }], diagnostics };
    }
  }
  const options = OPTIONS;
  let source = text;
  let pads = new Map<number, number>();
  let docs = parseAllDocuments(source, options);
  let docList = Array.isArray(docs) ? docs : [];
  if (docList.some((d) => d.errors.length > 0)) {
    // go-yaml accepts a few things the yaml library refuses (quoted scalars and flow collections
    // continued below their key's indentation, tab-indented flow lines): retry with those lines
    // indented, and keep the retry only if it is clean.
    const lenient = lenientText(text);
    if (lenient) {
      const retry = parseAllDocuments(lenient.text, options);
      const retryList = Array.isArray(retry) ? retry : [];
      if (retryList.every((d) => d.errors.length === 0)) {
        source = lenient.text;
        pads = lenient.pads;
        docs = retry;
        docList = retryList;
      }
    }
  }
  if (docList.length > limits.maxDocuments) {
    diagnostics.push(diagnostic(fileOrigin(file, 0, { line: 1, column: 1 }), 'error', 'Too many', '',
      `file has ${docList.length} documents, more than the limit of ${limits.maxDocuments}; nothing in it was loaded`));
    return { documents: [], diagnostics };
  }
  const lines = new Lines(source, pads);
  const documents: ParsedDocument[] = [];
  docList.forEach((doc, i) => {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const p = lines.pos(err.pos[0]);
        diagnostics.push(diagnostic(fileOrigin(file, i, p), 'error', 'YAML syntax', '', yamlMessage(err.message), { hint: yamlHint(err.code, text, err.pos[0]) }));
      }
      return;
    }
    // Empty document (a trailing `---`, or only comments): kubectl skips it. An explicit `~`
    // or `null` spans text; an absent document does not.
    const contents = doc.contents as Node | null;
    if (contents === null || (isScalar(contents) && contents.value === '' && (!contents.range || contents.range[0] === contents.range[1]))) return;
    const origin = makeOrigin(file, i, () => doc, source, lines);
    const ctx: Ctx = { doc, source, limits, aliases: 0, building: new Set(), problems: [], stop: false };
    const value = toValue(ctx, contents, '', 0);
    if (ctx.problems.length > 0) {
      for (const p of ctx.problems) {
        const d = diagnostic(origin, 'error', p.type, p.path, p.message, { hint: p.hint });
        if (p.offset !== undefined) {
          delete d.endLine;
          delete d.endColumn;
          Object.assign(d, lines.pos(p.offset));
        }
        diagnostics.push(d);
      }
      // Duplicate keys leave a usable value (the last one wins); anything else refuses the document.
      if (ctx.problems.some((p) => p.type !== 'Duplicate field')) return;
    }
    documents.push({ file, document: i, value, origin });
  });
  return { documents, diagnostics };
}

interface Problem {
  type: 'Duplicate field' | 'Too many' | 'Type mismatch' | 'Invalid value';
  path: string;
  message: string;
  hint?: string;
  /** Where to point, when it is not the node at `path` (the second of two duplicate keys). */
  offset?: number;
}

interface Ctx {
  doc: Document;
  source: string;
  limits: InputLimits;
  aliases: number;
  aliasTargets?: Map<Alias, Node>;
  /** Anchored nodes being built: an alias to one of them is a cycle. */
  building: Set<Node>;
  problems: Problem[];
  /** Set once a limit is hit: the document is refused, stop building it. */
  stop: boolean;
}

const TAG = 'tag:yaml.org,2002:';

function fail(ctx: Ctx, p: Problem): undefined {
  if (p.type === 'Too many') {
    if (ctx.stop) return undefined;
    ctx.stop = true;
  }
  ctx.problems.push(p);
  return undefined;
}

function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function deref(ctx: Ctx, node: Alias, path: string): Node | undefined {
  if (++ctx.aliases > ctx.limits.maxAliases) {
    return fail(ctx, { type: 'Too many', path,
      message: `YAML aliases expand too much (more than ${ctx.limits.maxAliases} alias uses); document not loaded`,
      hint: 'this looks like an alias bomb; expand the anchors by hand if they are intended' });
  }
  // The latest anchor of that name before the alias, found in one pass over the document.
  if (!ctx.aliasTargets) {
    const targets = new Map<Alias, Node>();
    const anchors = new Map<string, Node>();
    visit(ctx.doc, {
      Node: (_key, n) => {
        if (isAlias(n)) { const t = anchors.get(n.source); if (t) targets.set(n, t); } else if (n.anchor) anchors.set(n.anchor, n);
      },
    });
    ctx.aliasTargets = targets;
  }
  return ctx.aliasTargets.get(node);
}

/** A scalar as go-yaml v2 decodes it into interface{}, then as JSON carries it. */
function scalarValue(ctx: Ctx, node: Scalar, path: string): unknown {
  const text = String(node.value ?? '');
  const tag = node.tag;
  let r;
  if (tag === undefined || tag === '!') {
    if (node.type !== 'PLAIN' || tag === '!') return text;
    r = resolvePlain(text);
  } else if (tag === `${TAG}str`) {
    return text;
  } else if (tag === `${TAG}binary`) {
    const bytes = base64(text.replace(/\s+/g, ''));
    return bytes ?? fail(ctx, { type: 'Invalid value', path, message: '!!binary value is not valid base64' });
  } else if ([`${TAG}int`, `${TAG}float`, `${TAG}bool`, `${TAG}null`].includes(tag)) {
    r = resolvePlain(text);
    const want = tag.slice(TAG.length);
    if (r.tag === 'int' && want === 'float') r = { tag: 'float' as const, value: r.value };
    if (r.tag !== want) return fail(ctx, { type: 'Type mismatch', path, message: `cannot decode !!${r.tag} \`${text}\` as a !!${want}` });
  } else {
    // Other tags (`!foo`, !!timestamp) are not resolvable: go-yaml keeps the text.
    return text;
  }
  if (r.tag === 'float' && !Number.isFinite(r.value)) {
    const name = Number.isNaN(r.value) ? 'NaN' : r.value > 0 ? '+Inf' : '-Inf';
    return fail(ctx, { type: 'Invalid value', path, message: `json: unsupported value: ${name}`,
      hint: `kubectl reads \`${text}\` as a float that JSON cannot carry; quote it if it is meant as text: "${text}"` });
  }
  return r.value;
}

function toValue(ctx: Ctx, node: Node | null, path: string, depth: number): unknown {
  if (ctx.stop || node === null) return null;
  if (depth > ctx.limits.maxDepth) {
    return fail(ctx, { type: 'Too many', path, message: `nesting deeper than ${ctx.limits.maxDepth} levels; document not loaded`, hint: 'no Kubernetes object nests this deep' });
  }
  if (isAlias(node)) {
    const target = deref(ctx, node, path);
    if (!target) return ctx.stop ? null : fail(ctx, { type: 'Invalid value', path, message: `unknown anchor '${node.source}' referenced` }) ?? null;
    if (ctx.building.has(target)) return fail(ctx, { type: 'Invalid value', path, message: `anchor '${node.source}' value contains itself` }) ?? null;
    return toValue(ctx, target, path, depth + 1);
  }
  if (isScalar(node)) return scalarValue(ctx, node, path);
  if (node.anchor) {
    ctx.building.add(node);
    try { return collection(ctx, node, path, depth); } finally { ctx.building.delete(node); }
  }
  return collection(ctx, node, path, depth);
}

function collection(ctx: Ctx, node: Node, path: string, depth: number): unknown {
  if (isSeq(node)) return node.items.map((item, i) => toValue(ctx, item as Node, index(path, i), depth + 1));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (const item of node.items) {
      if (!isPair(item)) continue;
      let keyNode = item.key as Node | null;
      if (keyNode && isAlias(keyNode)) keyNode = deref(ctx, keyNode, path) ?? null;
      if (ctx.stop) return null;
      let key: string;
      if (keyNode === null || isScalar(keyNode)) {
        const text = keyNode ? String(keyNode.value ?? '') : '';
        const plain = !keyNode || (keyNode.type === 'PLAIN' && keyNode.tag === undefined);
        const mergeTag = keyNode?.tag === `${TAG}merge` && text === '<<';
        const r = plain ? resolvePlain(text) : { tag: 'str' as const, value: text };
        if (r.tag === 'merge' || mergeTag) {
          merge(ctx, out, item.value as Node | null, path, depth);
          continue;
        }
        const k = jsonKey(r, text);
        if ('error' in k) {
          fail(ctx, { type: 'Type mismatch', path, message: k.error, hint: `kubectl reads the key \`${text}\` as ${describeValue(r.value)}; quote it: "${text}"` });
          continue;
        }
        key = k.key;
      } else {
        fail(ctx, { type: 'Type mismatch', path, message: 'invalid map key: a mapping or a list cannot be a key' });
        continue;
      }
      const p = child(path, key);
      if (seen.has(key)) {
        ctx.problems.push({ type: 'Duplicate field', path: p, message: `duplicate field "${p}"`,
          hint: `"${key}" appears twice in this mapping; kubectl would silently keep the last one`, offset: (item.key as Node | null)?.range?.[0] });
      }
      seen.add(key);
      setKey(out, key, toValue(ctx, item.value as Node | null, p, depth + 1));
    }
    return out;
  }
  return null;
}

/** go-yaml v2 merge keys: a mapping, an alias of one, or a list of them (earlier ones win). */
function merge(ctx: Ctx, out: Record<string, unknown>, node: Node | null, path: string, depth: number): void {
  const wantMap = () => fail(ctx, { type: 'Type mismatch', path, message: 'map merge requires map or sequence of maps as the value' });
  const one = (n: Node | null) => {
    const target = n && isAlias(n) ? deref(ctx, n, path) ?? null : n;
    if (!target || !isMap(target)) return wantMap();
    const v = toValue(ctx, target, path, depth + 1) as Record<string, unknown> | null;
    if (v) for (const [k, x] of Object.entries(v)) setKey(out, k, x);
    return undefined;
  };
  if (node && isSeq(node)) {
    for (let i = node.items.length - 1; i >= 0; i--) one(node.items[i] as Node);
  } else {
    one(node);
  }
}

function makeOrigin(file: string, document: number, doc: () => Document, source: string, lines: Lines): DocumentOrigin {
  let spans: Spans | undefined;
  const get = (): Spans => (spans ??= buildSpans(doc()));
  const fallback = () => lines.pos(doc().range?.[0] ?? 0);
  const range = (r: [number, number, number] | null | undefined): Position | undefined => {
    if (!r) return undefined;
    const s = lines.pos(r[0]);
    const e = lines.pos(r[1]);
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  };
  return {
    file,
    document,
    locate(path: string): Position {
      // Nearest existing ancestor: strip the last segment until a span is found.
      const s = get();
      let p = path;
      for (;;) {
        const hit = s.key.get(p) ?? s.node.get(p);
        if (hit) return range(hit) ?? fallback();
        if (p === '') return fallback();
        const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
        p = cut <= 0 ? '' : p.slice(0, cut);
      }
    },
    locateKey(path: string, key: string): Position | undefined {
      return range(get().key.get(`${path}\u0000${key}`));
    },
    sourceText(path: string): string | undefined {
      const r = get().node.get(path);
      return r ? source.slice(r[0], r[1]) : undefined;
    },
  };
}

type Range = [number, number, number];
interface Spans {
  node: Map<string, Range>;
  key: Map<string, Range>;
}

/** Field path -> offsets of the node and of its key; built once, on the first position asked. */
function buildSpans(doc: Document): Spans {
  const spans: Spans = { node: new Map(), key: new Map() };
  const walk = (node: Node | null, path: string, depth: number): void => {
    if (!node || depth > 200) return;
    if (node.range && !spans.node.has(path)) spans.node.set(path, node.range);
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const keyNode = item.key as Node | null;
        let key = '';
        if (isScalar(keyNode)) {
          const text = String(keyNode.value ?? '');
          const r = keyNode.type === 'PLAIN' && keyNode.tag === undefined ? resolvePlain(text) : { tag: 'str' as const, value: text };
          const k = jsonKey(r, text);
          key = 'key' in k ? k.key : text;
        }
        const p = child(path, key);
        if (keyNode?.range && !spans.key.has(p)) {
          spans.key.set(p, keyNode.range);
          spans.key.set(`${path}\u0000${key}`, keyNode.range);
        }
        walk(item.value as Node | null, p, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item as Node, index(path, i), depth + 1));
    }
  };
  walk(doc.contents as Node | null, '', 0);
  return spans;
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

/**
 * Standard base64 -> the string JSON carries: Go keeps the bytes, and encoding/json writes each
 * byte that is not valid UTF-8 as U+FFFD. (No atob or TextDecoder in the core's lib.)
 */
function base64(s: string): string | undefined {
  const bytes = base64Bytes(s);
  return bytes && utf8Lossy(bytes);
}

function utf8Lossy(b: number[]): string {
  let out = '';
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    let cp = need === 0 ? c : need === 1 ? c & 0x1f : need === 2 ? c & 0x0f : c & 0x07;
    let ok = need >= 0;
    for (let k = 1; ok && k <= need; k++) {
      const x = b[i + k];
      if (x === undefined || (x & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (x & 0x3f);
    }
    const min = [0, 0x80, 0x800, 0x10000][Math.max(need, 0)]!;
    if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) { out += '\ufffd'; i += 1; continue; }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

function base64Bytes(s: string): number[] | undefined {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return undefined;
  const out: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const c of s.replace(/=+$/, '')) {
    acc = ((acc << 6) | alphabet.indexOf(c)) & 0xffffff;
    bits += 6;
    if (bits >= 8) { bits -= 8; out.push((acc >> bits) & 0xff); }
  }
  return out;
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
