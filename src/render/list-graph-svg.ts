// The list graph (list-graph.ts) as a standalone SVG picture: a layered layout by dagre (the
// CLI's `--format svg`), or the positions the page's graph shows (its SVG export). Every name
// reaches the SVG as escaped text (xmlText), never as markup or an attribute name. Browser-safe.
import dagre from '@dagrejs/dagre';
import { xmlText } from './escape.js';
import { edgeLabel, nodeLabel, type ListGraph } from './list-graph.js';

export interface Box { x: number; y: number; width: number; height: number }

export interface GraphLayout {
  /** Centres and sizes, by node id. */
  nodes: Map<string, Box>;
  /** Namespace frames (end level), by namespace. */
  groups: Map<string, Box>;
  /** Polyline points per edge, in `g.edges` order. */
  edges: { x: number; y: number }[][];
  width: number;
  height: number;
}

const CHAR = 7; // px per character at 12px sans-serif: enough to size boxes, not to typeset
const textWidth = (s: string) => Math.max(...s.split('\n').map((l) => l.length)) * CHAR;

/** Left-to-right layered layout; namespaces are compound nodes, so their members stay together. */
export function layoutListGraph(g: ListGraph): GraphLayout {
  const d = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  d.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 90, marginx: 16, marginy: 16 });
  d.setDefaultEdgeLabel(() => ({}));
  const groupId = (ns: string) => `group\u0000${ns}`;
  for (const n of g.nodes) {
    d.setNode(n.id, { width: Math.max(60, textWidth(nodeLabel(n)) + 20), height: 34 });
    if (g.level === 'end' && n.namespace !== undefined && n.kind !== 'namespace') {
      if (!d.hasNode(groupId(n.namespace))) d.setNode(groupId(n.namespace), { paddingTop: 24 });
      d.setParent(n.id, groupId(n.namespace));
    }
  }
  for (const e of g.edges) if (e.from !== e.to) d.setEdge(e.from, e.to, { width: Math.min(220, textWidth(edgeLabel(e))), height: 14, labelpos: 'c' });
  dagre.layout(d);
  const nodes = new Map<string, Box>();
  for (const n of g.nodes) {
    const v = d.node(n.id);
    nodes.set(n.id, { x: v.x, y: v.y, width: v.width, height: v.height });
  }
  const groups = new Map<string, Box>();
  for (const n of g.nodes) {
    if (n.namespace === undefined || n.kind === 'namespace' || g.level !== 'end' || groups.has(n.namespace)) continue;
    const v = d.node(groupId(n.namespace));
    groups.set(n.namespace, { x: v.x, y: v.y, width: v.width, height: v.height + 16 });
  }
  const edges = g.edges.map((e) => {
    if (e.from === e.to) {
      const b = nodes.get(e.from)!; // a loop above the node: traffic inside one namespace or workload
      return [{ x: b.x - 10, y: b.y - b.height / 2 }, { x: b.x, y: b.y - b.height / 2 - 26 }, { x: b.x + 10, y: b.y - b.height / 2 }];
    }
    return (d.edge(e.from, e.to).points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y }));
  });
  const gr = d.graph();
  return { nodes, groups, edges, width: Math.ceil(gr.width ?? 0) + 40, height: Math.ceil(gr.height ?? 0) + 40 };
}

const f = (n: number) => (Math.round(n * 10) / 10).toString();

/** A standalone SVG document; `layout` defaults to dagre's. */
export function renderListSvg(g: ListGraph, layout: GraphLayout = layoutListGraph(g)): string {
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${f(layout.width)}" height="${f(layout.height)}" viewBox="0 0 ${f(layout.width)} ${f(layout.height)}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push('<title>netpol: allowed connections</title>');
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#5f6b7a"/></marker></defs>');
  out.push('<rect width="100%" height="100%" fill="#ffffff"/>');
  for (const [ns, b] of layout.groups) {
    out.push(`<g class="namespace"><rect x="${f(b.x - b.width / 2)}" y="${f(b.y - b.height / 2)}" width="${f(b.width)}" height="${f(b.height)}" rx="8" fill="#eef2f7" stroke="#8a99ad"/>`);
    out.push(`<text x="${f(b.x - b.width / 2 + 8)}" y="${f(b.y - b.height / 2 + 16)}" font-weight="bold" fill="#1a1a1a">${xmlText(ns)}</text></g>`);
  }
  g.edges.forEach((e, k) => {
    const pts = layout.edges[k] ?? [];
    if (pts.length < 2) return;
    const d = e.from === e.to
      ? `M${f(pts[0]!.x)},${f(pts[0]!.y)}C${f(pts[0]!.x - 20)},${f(pts[1]!.y)} ${f(pts[2]!.x + 20)},${f(pts[1]!.y)} ${f(pts[2]!.x)},${f(pts[2]!.y)}`
      : `M${pts.map((p) => `${f(p.x)},${f(p.y)}`).join('L')}`;
    const dashed = e.depends && !Object.values(e.ports).some((r) => r.length) ? ' stroke-dasharray="5 4"' : '';
    const mid = pts[Math.floor(pts.length / 2)]!;
    out.push(`<g class="edge"><path d="${d}" fill="none" stroke="#5f6b7a" stroke-width="1.4" marker-end="url(#arrow)"${dashed}/>`);
    out.push(`<text x="${f(mid.x)}" y="${f(mid.y - 4)}" text-anchor="middle" font-size="10" fill="#333" stroke="#fff" stroke-width="3" paint-order="stroke">${xmlText(edgeLabel(e))}</text></g>`);
  });
  for (const n of g.nodes) {
    const b = layout.nodes.get(n.id);
    if (!b) continue;
    const fill = n.kind === 'external' ? '#6b4fa3' : n.kind === 'namespace' ? '#24527f' : '#2f6fb0';
    out.push(`<g class="node ${n.kind}"><rect x="${f(b.x - b.width / 2)}" y="${f(b.y - b.height / 2)}" width="${f(b.width)}" height="${f(b.height)}" rx="6" fill="${fill}"/>`);
    out.push(`<text x="${f(b.x)}" y="${f(b.y + 4)}" text-anchor="middle" fill="#ffffff">${xmlText(nodeLabel(n))}</text></g>`);
  }
  out.push('</svg>');
  return out.join('\n');
}
