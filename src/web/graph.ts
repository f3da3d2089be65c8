// The reachability graph: namespaces as groups, workloads (or bare pods) as nodes, external
// ipBlocks as nodes, and an edge where some pod of one may open a connection to some pod of
// the other on the chosen port (or any port). Isolated workloads are outlined.
import cytoscape from 'cytoscape';
import type { Analysis } from './engine';
import { probeKey } from './diff';

export const MAX_EDGES = 1500;

export interface GraphEdge {
  from: string; // endpoint text for a query: pod id or IP
  to: string;
  source: string; // node ids
  target: string;
  ports: string[];
}

export interface GraphModel {
  elements: cytoscape.ElementDefinition[];
  edges: GraphEdge[];
  truncated: number;
}

/** Pure: analysis → nodes and edges (probe -1 = any port). */
export function graphModel(a: Analysis, probe: number): GraphModel {
  const elements: cytoscape.ElementDefinition[] = [];
  const groups = new Map<string, number[]>(); // node id → pod indexes
  a.pods.forEach((p, i) => {
    const id = `w:${p.namespace}/${p.workload}`;
    groups.set(id, [...(groups.get(id) ?? []), i]);
  });
  for (const ns of a.namespaces) {
    if (a.pods.some((p) => p.namespace === ns)) elements.push({ group: 'nodes', data: { id: `ns:${ns}`, label: ns }, classes: 'ns' });
  }
  const at = positions(a, [...groups.keys()]);
  for (const [id, members] of groups) {
    const p = a.pods[members[0]!]!;
    const iso = [members.some((i) => a.pods[i]!.isolatedIngress) ? 'in' : '', members.some((i) => a.pods[i]!.isolatedEgress) ? 'out' : ''].filter(Boolean);
    const name = p.workload.includes('/') ? p.workload.split('/')[1]! : p.name;
    const label = `${name}${members.length > 1 ? ` ×${members.length}` : ''}${iso.length ? `\nisolated: ${iso.join('+')}` : ''}`;
    elements.push({ group: 'nodes', data: { id, parent: `ns:${p.namespace}`, label }, position: at.get(id), classes: ['workload', ...iso.map((d) => `iso-${d}`)].join(' ') });
  }
  for (const b of a.blocks) elements.push({ group: 'nodes', data: { id: `b:${b.id}`, label: b.except.length ? `${b.cidr}\nexcept ${b.except.join(', ')}` : b.cidr }, position: at.get(`b:${b.id}`), classes: 'block' });

  const probes = probe < 0 ? a.matrix.probes.map((_, k) => k) : [probe];
  const edges: GraphEdge[] = [];
  const ids = [...groups.keys()];
  for (const s of ids) {
    for (const t of ids) {
      if (s === t) continue;
      const ports = probes.filter((k) => {
        const rows = a.matrix.probes[k]!.rows;
        return groups.get(s)!.some((i) => groups.get(t)!.some((j) => rows[i]![j] === '1'));
      }).map((k) => probeKey(a.matrix.probes[k]!));
      if (ports.length) edges.push({ source: s, target: t, ports, from: a.pods[groups.get(s)![0]!]!.id, to: a.pods[groups.get(t)![0]!]!.id });
    }
  }
  for (const b of a.blocks) {
    const out = b.out.map((l) => new Set(l));
    const inn = b.in.map((l) => new Set(l));
    for (const [s, members] of groups) {
      const outPorts = probes.filter((k) => members.some((i) => out[k]!.has(i))).map((k) => probeKey(a.probes[k]!));
      if (outPorts.length) edges.push({ source: s, target: `b:${b.id}`, ports: outPorts, from: a.pods[members[0]!]!.id, to: b.sample });
      const inPorts = probes.filter((k) => members.some((i) => inn[k]!.has(i))).map((k) => probeKey(a.probes[k]!));
      if (inPorts.length) edges.push({ source: `b:${b.id}`, target: s, ports: inPorts, from: b.sample, to: a.pods[members[0]!]!.id });
    }
  }
  const kept = edges.slice(0, MAX_EDGES);
  // Port labels on every edge of a dense graph only overlap: then they show on hover/selection.
  const dense = kept.length > 10;
  kept.forEach((e, k) => elements.push({ group: 'edges', data: { id: `e${k}`, source: e.source, target: e.target, label: e.ports.map((p) => p.replace('/TCP', '')).join(', ') }, classes: dense ? 'quiet' : '' }));
  return { elements, edges: kept, truncated: edges.length - kept.length };
}

/**
 * A fixed layout (same picture every time, no overlapping groups): namespaces side by side,
 * up to four per row, each a small grid of its workloads; ipBlocks in a column on the right.
 */
function positions(a: Analysis, workloads: string[]): Map<string, { x: number; y: number }> {
  const at = new Map<string, { x: number; y: number }>();
  const byNs = new Map<string, string[]>();
  for (const w of workloads) {
    const ns = w.slice(2, w.indexOf('/'));
    byNs.set(ns, [...(byNs.get(ns) ?? []), w]);
  }
  const DX = 120, DY = 100, GAP = 70;
  let x0 = 0, y0 = 0, rowH = 0, maxX = 0, col = 0;
  for (const [, list] of byNs) {
    const cols = Math.ceil(Math.sqrt(list.length));
    // Alternate groups sit a little lower, so edges between them do not run through nodes.
    const dy = (col % 2) * 45;
    list.forEach((w, k) => at.set(w, { x: x0 + (k % cols) * DX, y: y0 + dy + Math.floor(k / cols) * DY + (k % cols) * 25 }));
    const rows = Math.ceil(list.length / cols);
    maxX = Math.max(maxX, x0 + (cols - 1) * DX);
    rowH = Math.max(rowH, (rows - 1) * DY);
    x0 += (cols - 1) * DX + DX + GAP;
    if (++col % 4 === 0) {
      x0 = 0;
      y0 += rowH + DY + GAP;
      rowH = 0;
    }
  }
  a.blocks.forEach((b, k) => at.set(`b:${b.id}`, { x: maxX + DX + GAP, y: 70 + k * DY }));
  return at;
}

const STYLE: cytoscape.StylesheetJson = [
  { selector: 'node', style: { label: 'data(label)', 'font-size': 12, 'text-outline-color': '#fff', 'text-outline-width': 2, 'text-wrap': 'wrap', color: '#1a1a1a', 'text-valign': 'bottom', 'text-margin-y': 4 } },
  { selector: 'node.ns', style: { 'background-color': '#eef2f7', 'border-color': '#8a99ad', 'border-width': 1, shape: 'round-rectangle', 'text-valign': 'top', 'font-weight': 'bold', padding: '18px' } },
  { selector: 'node.workload', style: { 'background-color': '#2f6fb0', width: 30, height: 30, shape: 'round-rectangle' } },
  { selector: 'node.iso-in', style: { 'border-color': '#b45309', 'border-width': 4 } },
  { selector: 'node.iso-out', style: { 'border-color': '#b45309', 'border-width': 4, 'border-style': 'dashed' } },
  { selector: 'node.iso-in.iso-out', style: { 'border-style': 'double', 'border-width': 6 } },
  { selector: 'node.block', style: { 'background-color': '#6b4fa3', shape: 'diamond', width: 28, height: 28 } },
  { selector: 'edge', style: { width: 1.5, 'control-point-step-size': 30, 'line-color': '#5f6b7a', 'target-arrow-color': '#5f6b7a', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier', label: 'data(label)', 'font-size': 9, color: '#333', 'text-background-color': '#fff', 'text-background-opacity': 0.8 } },
  { selector: 'edge.quiet', style: { 'text-opacity': 0 } },
  { selector: 'edge.hover, edge:selected', style: { 'text-opacity': 1, 'z-index': 10 } },
  { selector: 'edge:selected', style: { width: 3, 'line-color': '#0b5cad', 'target-arrow-color': '#0b5cad' } },
];

export class GraphView {
  private cy?: cytoscape.Core;

  constructor(private container: HTMLElement, private onEdge: (e: GraphEdge) => void) {}

  render(a: Analysis, probe: number): GraphModel {
    const model = graphModel(a, probe);
    this.cy?.destroy();
    this.cy = cytoscape({
      container: this.container,
      elements: model.elements,
      style: STYLE,
      layout: { name: 'preset', padding: 24, fit: true },
      wheelSensitivity: 0.3,
      maxZoom: 2,
    });
    this.cy.on('mouseover', 'edge', (evt) => evt.target.addClass('hover'));
    this.cy.on('mouseout', 'edge', (evt) => evt.target.removeClass('hover'));
    this.cy.on('tap', 'edge', (evt) => {
      const k = Number(String(evt.target.id()).slice(1));
      const e = model.edges[k];
      if (e) this.onEdge(e);
    });
    return model;
  }

  resize(): void {
    this.cy?.resize();
    this.cy?.fit(undefined, 20);
  }
}
