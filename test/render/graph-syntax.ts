// Independent syntax checks for the graph exports (written from the DOT and Mermaid grammars,
// not from src/render): a DOT parser (the pinned `dotparser`), a grammar for the Mermaid
// flowchart subset netpol writes, and an XML validator (the pinned `fast-xml-parser`).
import dotparser from 'dotparser';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface ParsedGraph {
  /** Node id → label (as the renderer meant it: escapes undone). */
  nodes: Map<string, string>;
  edges: { from: string; to: string; label: string }[];
  /** Group labels (DOT clusters, Mermaid subgraphs). */
  groups: string[];
}

/** Graphviz reads `\\` in a label as one backslash; any other `\x` would be an escape sequence. */
function dotLabel(raw: string): string {
  if (/(^|[^\\])(\\\\)*\\[^\\]/.test(raw) || /(^|[^\\])(\\\\)*\\$/.test(raw)) throw new Error(`DOT label holds a live escape: ${raw}`);
  return raw.replace(/\\\\/g, '\\');
}

export function parseDot(text: string): ParsedGraph {
  const graphs = dotparser(text);
  if (graphs.length !== 1 || graphs[0]!.type !== 'digraph') throw new Error('expected one digraph');
  const out: ParsedGraph = { nodes: new Map(), edges: [], groups: [] };
  const label = (attrs: { id: string | number; eq: unknown }[]) => {
    const a = attrs.find((x) => x.id === 'label');
    if (!a || typeof a.eq !== 'string') throw new Error('missing or HTML label');
    return dotLabel(a.eq);
  };
  const walk = (stmts: any[]) => {
    for (const s of stmts) {
      if (s.type === 'node_stmt') out.nodes.set(String(s.node_id.id), label(s.attr_list));
      else if (s.type === 'edge_stmt') {
        if (s.edge_list.length !== 2) throw new Error('edge chains are not written');
        out.edges.push({ from: String(s.edge_list[0].id), to: String(s.edge_list[1].id), label: label(s.attr_list) });
      } else if (s.type === 'subgraph') {
        // `label="…";` inside a subgraph is a graph attribute statement.
        const a = s.children.filter((c: any) => c.type === 'attr_stmt' && c.target === 'graph').flatMap((c: any) => c.attr_list).find((x: any) => x.id === 'label');
        if (a) out.groups.push(dotLabel(String(a.eq)));
        walk(s.children);
      }
    }
  };
  walk(graphs[0]!.children);
  return out;
}

const ID = '([A-Za-z][A-Za-z0-9_]*)';
const TEXT = '"([^"]*)"';
const KEYWORDS = new Set(['end', 'subgraph', 'graph', 'flowchart', 'style', 'class', 'classDef', 'click', 'linkStyle', 'direction']);

/** Mermaid decodes `#NNN;` (and named `#quot;`-style) entity codes; the rest of a quoted label is literal. */
function mermaidLabel(raw: string): string {
  if (/[<>`]/.test(raw)) throw new Error(`Mermaid label holds markup: ${raw}`);
  if (/#(?![0-9]+;)/.test(raw)) throw new Error(`Mermaid label holds a bare #: ${raw}`);
  return raw.replace(/#([0-9]+);/g, (_, n) => String.fromCodePoint(Number(n)));
}

/** The flowchart subset netpol writes: header, subgraph/end, `id["…"]`, `id{{"…"}}`, `a -->|"…"| b`, `a -.->|"…"| b`. */
export function parseMermaid(text: string): ParsedGraph {
  const lines = text.split('\n');
  if (!/^flowchart (LR|RL|TB|TD|BT)$/.test(lines[0]!)) throw new Error(`bad header: ${lines[0]}`);
  const out: ParsedGraph = { nodes: new Map(), edges: [], groups: [] };
  let depth = 0;
  const checkId = (id: string) => {
    if (KEYWORDS.has(id)) throw new Error(`keyword as id: ${id}`);
    return id;
  };
  for (const line of lines.slice(1)) {
    const t = line.trim();
    let m: RegExpExecArray | null;
    if (t === '') continue; // blank lines are allowed
    if ((m = new RegExp(`^subgraph ${ID}\\[${TEXT}\\]$`).exec(t))) {
      checkId(m[1]!);
      out.groups.push(mermaidLabel(m[2]!));
      depth++;
    } else if (t === 'end') {
      if (--depth < 0) throw new Error('end without subgraph');
    } else if ((m = new RegExp(`^${ID}(?:\\[${TEXT}\\]|\\{\\{${TEXT}\\}\\})$`).exec(t))) {
      out.nodes.set(checkId(m[1]!), mermaidLabel(m[2] ?? m[3]!));
    } else if ((m = new RegExp(`^${ID} (?:-->|-\\.->)\\|${TEXT}\\| ${ID}$`).exec(t))) {
      out.edges.push({ from: checkId(m[1]!), to: checkId(m[3]!), label: mermaidLabel(m[2]!) });
    } else throw new Error(`not in the grammar: ${line}`);
  }
  if (depth !== 0) throw new Error('unclosed subgraph');
  for (const e of out.edges) if (!out.nodes.has(e.from) || !out.nodes.has(e.to)) throw new Error(`edge to an undeclared node: ${e.from} -> ${e.to}`);
  return out;
}

const SVG_ELEMENTS = new Set(['svg', 'title', 'defs', 'marker', 'path', 'rect', 'g', 'text']);

/** Well-formed XML with only the SVG elements netpol writes; returns every text node, entities decoded. */
export function parseSvg(text: string): { texts: string[]; elements: Set<string> } {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`invalid XML: ${JSON.stringify(valid.err)}`);
  const tree = new XMLParser({ preserveOrder: true, ignoreAttributes: false, processEntities: true, htmlEntities: false, trimValues: false }).parse(text);
  const texts: string[] = [];
  const elements = new Set<string>();
  const walk = (nodes: any[]) => {
    for (const n of nodes) {
      for (const [k, v] of Object.entries(n)) {
        if (k === ':@') continue;
        if (k === '#text') texts.push(String(v));
        else {
          elements.add(k);
          if (!SVG_ELEMENTS.has(k)) throw new Error(`unexpected element <${k}>`);
          walk(v as any[]);
        }
      }
    }
  };
  walk(tree);
  return { texts, elements };
}
