// The reachability graph in levels: the namespace overview (one node per namespace and per
// external range, edges gathering every pair with counts and ports), a namespace's workloads,
// a workload's pods on request. Built from the list graph (src/render/list-graph.ts, the same
// the CLI exports), laid out by dagre (cytoscape-dagre). Focus fades everything but one node's
// neighbours; a policy layer marks what it isolates and what it admits.
import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import type { GraphInput, ListGraph, Probe } from '../index';
import { edgeLabel, listGraph, nodeLabel } from '../render/list-graph';
import type { GraphLayout } from '../render/list-graph-svg';

cytoscape.use(dagre);

export interface GraphState {
  level: 'namespace' | 'end';
  /** End level: the namespace drilled into. */
  namespace?: string;
  /** A workload shown as its pods (engine `expand`), replacing the workload list. */
  expanded?: { id: string; input: GraphInput };
  /** Probe to show (edges allowing it), or undefined for any port. */
  probe?: Probe;
  /** Node id in focus. */
  focus?: string;
  /** Ends (indexes into the base input) to mark: a policy's subjects/peers, a search hit. */
  marks?: { subjects: Set<number>; peers: Set<number>; hits: Set<number> };
}

/** Only connections that allow the probe (named probes are not offered here). */
function byProbe(input: GraphInput, probe?: Probe): GraphInput {
  if (!probe || typeof probe.port !== 'number') return input;
  const port = probe.port;
  const has = (r: [number, number][]) => r.some(([a, b]) => a <= port && port <= b);
  return {
    ...input,
    connections: input.connections.filter((c) => has(c.allowed[probe.protocol])),
    depends: input.depends.filter((d) => has(d.ports[probe.protocol])),
  };
}

export function buildGraph(base: GraphInput, s: GraphState): ListGraph {
  const input = byProbe(s.expanded?.input ?? base, s.probe);
  // Drilled into a namespace: its workloads, and the other namespaces it talks with as one node each.
  return listGraph(input, { level: s.level, namespaces: s.level === 'end' && s.namespace ? [s.namespace] : undefined, others: 'namespace' });
}

/** Node ids of the focus node and its direct neighbours; edge indexes touching it. */
export function neighbourhood(g: ListGraph, focus: string): { nodes: Set<string>; edges: Set<number> } {
  const nodes = new Set([focus]);
  const edges = new Set<number>();
  g.edges.forEach((e, k) => {
    if (e.from === focus || e.to === focus) {
      edges.add(k);
      nodes.add(e.from);
      nodes.add(e.to);
    }
  });
  return { nodes, edges };
}

const STYLE: cytoscape.StylesheetJson = [
  { selector: 'node', style: { label: 'data(label)', 'font-size': 12, 'text-outline-color': '#fff', 'text-outline-width': 2, 'text-wrap': 'wrap', 'text-max-width': '160px', color: '#1a1a1a', 'text-valign': 'bottom', 'text-margin-y': 4 } },
  { selector: 'node.group', style: { 'background-color': '#eef2f7', 'border-color': '#8a99ad', 'border-width': 1, shape: 'round-rectangle', 'text-valign': 'top', 'font-weight': 'bold', padding: '14px' } },
  { selector: 'node.namespace', style: { 'background-color': '#24527f', width: 44, height: 44, shape: 'round-rectangle' } },
  { selector: 'node.workload, node.pod', style: { 'background-color': '#2f6fb0', width: 28, height: 28, shape: 'round-rectangle' } },
  { selector: 'node.pod', style: { width: 20, height: 20, shape: 'ellipse' } },
  { selector: 'node.external', style: { 'background-color': '#6b4fa3', shape: 'hexagon', width: 34, height: 30 } },
  { selector: 'node.iso-in', style: { 'border-color': '#b45309', 'border-width': 4 } },
  { selector: 'node.iso-out', style: { 'border-color': '#b45309', 'border-width': 4, 'border-style': 'dashed' } },
  { selector: 'node.iso-in.iso-out', style: { 'border-style': 'double', 'border-width': 6 } },
  { selector: 'node.subject', style: { 'background-color': '#b45309', 'underlay-color': '#f59e0b', 'underlay-opacity': 0.35, 'underlay-padding': 6 } },
  { selector: 'node.peer', style: { 'underlay-color': '#15803d', 'underlay-opacity': 0.35, 'underlay-padding': 6 } },
  { selector: 'node.hit', style: { 'underlay-color': '#0b5cad', 'underlay-opacity': 0.4, 'underlay-padding': 8 } },
  { selector: 'node:selected, node.focus', style: { 'border-color': '#0b5cad', 'border-width': 4, 'border-style': 'solid' } },
  { selector: 'edge', style: { width: 'mapData(pairs, 1, 50, 1.4, 6)', 'line-color': '#5f6b7a', 'target-arrow-color': '#5f6b7a', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier', 'control-point-step-size': 40, label: 'data(label)', 'font-size': 10, color: '#333', 'text-background-color': '#fff', 'text-background-opacity': 0.85, 'text-rotation': 'autorotate' } },
  { selector: 'edge.depends-only', style: { 'line-style': 'dashed', 'line-color': '#8a4b00', 'target-arrow-color': '#8a4b00' } },
  { selector: 'edge.quiet', style: { label: '', opacity: 0.45 } },
  // Thousands of edges (a large overview): straight, unlabelled, no arrows until focused or selected.
  { selector: 'edge.mass', style: { 'curve-style': 'haystack', 'haystack-radius': 0, 'target-arrow-shape': 'none', width: 1, opacity: 1, 'line-color': '#c5ccd6' } },
  { selector: 'edge.mass.focus, edge.mass:selected', style: { 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', label: 'data(label)', opacity: 1, width: 2 } },
  { selector: 'edge.allowed-by', style: { 'line-color': '#15803d', 'target-arrow-color': '#15803d', width: 3 } },
  { selector: 'edge.hover, edge:selected, edge.focus', style: { label: 'data(label)', 'z-index': 10 } },
  { selector: 'edge:selected', style: { width: 3, 'line-color': '#0b5cad', 'target-arrow-color': '#0b5cad' } },
  { selector: '.faded', style: { opacity: 0.12, 'text-opacity': 0 } },
];

/**
 * The overview is dense (every namespace may talk to every other): namespaces on a ring, external
 * ranges on an outer ring, so every edge can be followed; levels below are layered left to right
 * by dagre, namespaces as frames.
 */
function layoutFor(g: ListGraph): cytoscape.LayoutOptions {
  if (g.level === 'namespace') {
    return { name: 'concentric', concentric: (n: cytoscape.NodeSingular) => (n.hasClass('external') ? 1 : 2), levelWidth: () => 1, minNodeSpacing: 60, padding: 30, fit: true, animate: false } as cytoscape.LayoutOptions;
  }
  return { name: 'dagre', rankDir: 'LR', nodeSep: 30, rankSep: 90, edgeSep: 12, padding: 20, fit: true, animate: false } as cytoscape.LayoutOptions;
}

/** An edge's element id: stable across edits (one edge per ordered pair of nodes), unlike its index. */
function edgeId(e: { from: string; to: string }): string {
  return `edge:${e.from}\u0000${e.to}`;
}

function layoutPadding(g: ListGraph): number {
  return g.level === 'namespace' ? 30 : 20;
}

/** The Cytoscape elements of one picture: nodes (with namespace frames below the overview) and edges, with their classes. */
export function graphElements(g: ListGraph, s: GraphState, ends: readonly ({ isolatedIngress: boolean; isolatedEgress: boolean } | undefined)[]): cytoscape.ElementDefinition[] {
  const els: cytoscape.ElementDefinition[] = [];
  if (g.level === 'end') {
    for (const ns of new Set(g.nodes.filter((n) => n.namespace !== undefined && n.kind !== 'namespace').map((n) => n.namespace!))) {
      els.push({ group: 'nodes', data: { id: `group:${ns}`, label: ns }, classes: 'group' });
    }
  }
  const focus = s.focus ? neighbourhood(g, s.focus) : undefined;
  for (const n of g.nodes) {
    const cls: string[] = [n.kind];
    const expandedBase = s.expanded && n.kind === 'pod';
    if (!expandedBase && n.kind !== 'namespace' && n.kind !== 'external') {
      const iso = n.ends.map((i) => ends[i]).filter(Boolean);
      if (iso.some((x) => x!.isolatedIngress)) cls.push('iso-in');
      if (iso.some((x) => x!.isolatedEgress)) cls.push('iso-out');
    }
    if (s.marks && !s.expanded) {
      if (n.ends.some((i) => s.marks!.subjects.has(i))) cls.push('subject');
      if (n.ends.some((i) => s.marks!.peers.has(i))) cls.push('peer');
      if (n.ends.some((i) => s.marks!.hits.has(i))) cls.push('hit');
    }
    if (focus && !focus.nodes.has(n.id)) cls.push('faded');
    if (s.focus === n.id) cls.push('focus');
    const parent = g.level === 'end' && n.namespace !== undefined && n.kind !== 'namespace' ? `group:${n.namespace}` : undefined;
    const label = n.kind === 'namespace' ? `${n.label}\n${n.ends.length} workload${n.ends.length === 1 ? '' : 's'} · ${n.pods} pod${n.pods === 1 ? '' : 's'}` : nodeLabel(n);
    els.push({ group: 'nodes', data: { id: n.id, label, parent }, classes: cls.join(' ') });
  }
  const dense = g.edges.length > 12;
  const mass = g.edges.length > 600;
  g.edges.forEach((e, k) => {
    const cls: string[] = mass ? ['mass'] : [];
    if (dense && !(focus?.edges.has(k))) cls.push('quiet');
    if (focus && !focus.edges.has(k)) cls.push('faded');
    if (focus?.edges.has(k)) cls.push('focus');
    if (!Object.values(e.ports).some((r) => r.length)) cls.push('depends-only');
    if (s.marks && !s.expanded && s.marks.subjects.size) {
      const from = g.nodes.find((n) => n.id === e.from)!, to = g.nodes.find((n) => n.id === e.to)!;
      const sub = (n: typeof from) => n.ends.some((i) => s.marks!.subjects.has(i));
      const peer = (n: typeof from) => n.ends.some((i) => s.marks!.peers.has(i));
      if ((sub(to) && peer(from)) || (sub(from) && peer(to))) cls.push('allowed-by');
    }
    els.push({ group: 'edges', data: { id: edgeId(e), k, source: e.from, target: e.to, label: edgeLabel(e), pairs: e.pairs }, classes: cls.join(' ') });
  });
  return els;
}

/**
 * Turn what `cy` shows into `els` in one batch: remove what is gone, add what is new, update the
 * data and classes of the rest. `relayout` says whether the nodes (or their frames) changed, so
 * the positions must be computed again; an edit that only changes edges keeps every node in place.
 */
export function patchElements(cy: cytoscape.Core, els: readonly cytoscape.ElementDefinition[], shown?: readonly cytoscape.ElementDefinition[]): { added: number; removed: number; relayout: boolean } {
  const want = new Map(els.map((e) => [String(e.data.id), e]));
  // `shown`: the definitions `cy` holds exactly (the last patch's `els`), when the caller keeps
  // them: then what did not change is found without asking Cytoscape (thousands of edges).
  const before = shown ? new Map(shown.map((e) => [String(e.data.id), e])) : undefined;
  let added = 0, removed = 0, relayout = false;
  cy.batch(() => {
    // A node whose frame changed cannot be moved in place: take it out and put it back.
    const moved = (isNode: boolean, data: (k: string) => unknown, w: cytoscape.ElementDefinition) =>
      isNode ? (data('parent') ?? undefined) !== (w.data.parent ?? undefined) : data('source') !== w.data.source || data('target') !== w.data.target;
    const gone = before
      ? [...before].filter(([id, p]) => !want.has(id) || moved(p.group === 'nodes', (k) => p.data[k], want.get(id)!)).reduce((c, [id]) => c.merge(cy.getElementById(id)), cy.collection())
      : cy.elements().filter((x) => !want.has(x.id()) || moved(x.isNode(), (k) => x.data(k), want.get(x.id())!));
    if (gone.nodes().length) relayout = true;
    removed = gone.length;
    cy.remove(gone);
    // A removed node takes its edges and children along: then nothing may be skipped.
    const kept = gone.nodes().empty() ? before : undefined;
    const fresh: cytoscape.ElementDefinition[] = [];
    for (const [id, e] of want) {
      const p = kept?.get(id);
      if (p && sameElement(p, e)) continue;
      const x = cy.getElementById(id);
      if (x.empty()) { fresh.push(e); continue; }
      for (const [k, v] of Object.entries(e.data)) if (k !== 'id' && k !== 'parent' && k !== 'source' && k !== 'target' && x.data(k) !== v) x.data(k, v);
      x.classes(e.classes ?? '');
    }
    // Frames before their children, nodes before edges.
    fresh.sort((a, b) => rank(a) - rank(b));
    if (fresh.some((e) => e.group === 'nodes')) relayout = true;
    added = fresh.length;
    if (fresh.length) cy.add(fresh);
  });
  return { added, removed, relayout };
}

function sameElement(a: cytoscape.ElementDefinition, b: cytoscape.ElementDefinition): boolean {
  if (a.group !== b.group || (a.classes ?? '') !== (b.classes ?? '')) return false;
  const ka = Object.keys(a.data), kb = Object.keys(b.data);
  return ka.length === kb.length && kb.every((k) => a.data[k] === b.data[k]);
}

function rank(e: cytoscape.ElementDefinition): number {
  return e.group === 'edges' ? 2 : e.data.parent === undefined ? 0 : 1;
}

export interface GraphHandlers {
  onNode: (id: string) => void;
  onNodeOpen: (id: string) => void;
  onEdge: (k: number) => void;
  onBackground: () => void;
}

export class GraphView {
  private cy?: cytoscape.Core;
  graph?: ListGraph;
  private order: string[] = [];
  private cursor = -1;

  constructor(private container: HTMLElement, private h: GraphHandlers) {
    // Keyboard: arrows move between nodes (left to right, top to bottom), Enter selects, Space opens, Escape clears.
    container.tabIndex = 0;
    container.addEventListener('keydown', (e) => {
      if (!this.cy || this.order.length === 0) return;
      const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
      if (step) {
        e.preventDefault();
        this.cursor = (this.cursor + step + this.order.length) % this.order.length;
        this.cy.nodes().unselect();
        const n = this.cy.getElementById(this.order[this.cursor]!);
        n.select();
        this.container.setAttribute('aria-label', `Graph: ${n.data('label')} selected; Enter to focus, Space to open, Escape to clear`);
      } else if (e.key === 'Enter' && this.cursor >= 0) {
        e.preventDefault();
        this.h.onNode(this.order[this.cursor]!);
      } else if (e.key === ' ' && this.cursor >= 0) {
        e.preventDefault();
        this.h.onNodeOpen(this.order[this.cursor]!);
      } else if (e.key === 'Escape') {
        this.h.onBackground();
      }
    });
  }

  /** Whether the last picture was focused on a node (then leaving it fits the whole again). */
  private focused = false;
  /** The element definitions `cy` shows, for patchElements. */
  private shown: cytoscape.ElementDefinition[] = [];

  /** Edges held back from the first picture, added once it is painted. */
  private rest?: { els: cytoscape.ElementDefinition[]; timer: ReturnType<typeof setTimeout> | undefined };

  /** Adds the held-back edges now: after the first frame, or before anything reads the picture. */
  private flushRest(): void {
    const r = this.rest;
    if (!r || !this.cy) return;
    this.rest = undefined;
    clearTimeout(r.timer);
    const cy = this.cy;
    cy.batch(() => cy.add(r.els));
    this.shown = [...this.shown, ...r.els];
    this.finish();
  }

  /** Callers waiting for the whole picture to be painted (afterPicture). */
  private waiting: (() => void)[] = [];
  private painting = false;

  /** Marks the frame that paints the whole picture, then lets the waiting callers go. */
  private finish(): void {
    requestAnimationFrame(() => {
      document.body.dataset.pictureCompleteMs = String(Math.round(performance.now()));
      performance.mark('netpol:complete');
      this.painting = false;
      for (const done of this.waiting.splice(0)) setTimeout(done, 0);
    });
  }

  /** Resolves after the frame that paints the whole picture (held-back edges too), or the next frame if none is pending. */
  afterPicture(): Promise<void> {
    return new Promise((done) => {
      if (this.painting) this.waiting.push(done);
      else requestAnimationFrame(() => setTimeout(done, 0));
    });
  }

  render(g: ListGraph, s: GraphState, ends: { isolatedIngress: boolean; isolatedEgress: boolean }[]): void {
    // A redraw before the held-back edges came in: the patch below adds whatever is missing.
    if (this.rest) { clearTimeout(this.rest.timer); this.rest = undefined; this.finish(); }
    this.graph = g;
    const els = graphElements(g, s, ends);
    const focus = s.focus ? neighbourhood(g, s.focus) : undefined;
    if (this.cy) {
      // An edit or a focus: change the elements in place; lay out again only if the nodes changed.
      const { relayout, added, removed } = patchElements(this.cy, els, this.shown);
      this.shown = els;
      if (relayout) this.cy.layout(layoutFor(g)).run();
      // Fitting measures every element (edges and their labels: thousands): only when the
      // picture's extent may have changed, or a focus was left.
      else if (!focus && (added || removed || this.focused)) this.cy.fit(undefined, layoutPadding(g));
      this.focused = !!focus;
      this.afterRender(g, s, focus);
      return;
    }
    this.cy = cytoscape({
      container: this.container,
      style: STYLE,
      wheelSensitivity: 0.3,
      maxZoom: 2,
      boxSelectionEnabled: false,
    });
    // Added in one batch: elements given to the constructor each queue a style update, and
    // the queue's merge makes thousands of edges quadratic (most of the first picture's time).
    // A large overview paints its namespace pairs first and adds the namespace ↔ range edges
    // right after that frame (the concentric layout places nodes without reading edges).
    const cy = this.cy;
    const external = new Set(g.nodes.filter((n) => n.kind === 'external').map((n) => n.id));
    const later = g.level === 'namespace' && g.edges.length > 600
      ? els.filter((e) => e.group === 'edges' && (external.has(String(e.data.source)) || external.has(String(e.data.target))))
      : [];
    const held = new Set(later);
    const now = later.length ? els.filter((e) => !held.has(e)) : els;
    cy.batch(() => cy.add(now));
    this.shown = now;
    cy.layout(layoutFor(g)).run();
    this.painting = true;
    requestAnimationFrame(() => {
      document.body.dataset.pictureMs = String(Math.round(performance.now()));
      performance.mark('netpol:picture');
      if (this.rest?.els === later) this.rest.timer = setTimeout(() => this.flushRest(), 0);
      else if (!this.rest) {
        document.body.dataset.pictureCompleteMs = document.body.dataset.pictureMs;
        performance.mark('netpol:complete');
        this.painting = false;
        for (const done of this.waiting.splice(0)) setTimeout(done, 0);
      }
    });
    if (later.length) this.rest = { els: later, timer: undefined };
    cy.on('mouseover', 'edge', (evt) => evt.target.addClass('hover'));
    cy.on('mouseout', 'edge', (evt) => evt.target.removeClass('hover'));
    cy.on('tap', 'node', (evt) => { if (!evt.target.hasClass('group')) this.h.onNode(evt.target.id()); });
    cy.on('dbltap', 'node', (evt) => { if (!evt.target.hasClass('group')) this.h.onNodeOpen(evt.target.id()); });
    cy.on('tap', 'edge', (evt) => this.h.onEdge(Number(evt.target.data('k'))));
    cy.on('tap', (evt) => { if (evt.target === cy) this.h.onBackground(); });
    this.afterRender(g, s, focus);
  }

  private afterRender(g: ListGraph, s: GraphState, focus: ReturnType<typeof neighbourhood> | undefined): void {
    const cy = this.cy!;
    // A focus zooms onto the node and its neighbours.
    if (focus) cy.fit(cy.nodes().filter((n) => focus.nodes.has(n.id())), 40);
    const pos = (id: string) => cy.getElementById(id).position();
    this.order = g.nodes.map((n) => n.id).sort((a, b) => pos(a).x - pos(b).x || pos(a).y - pos(b).y);
    this.cursor = s.focus ? this.order.indexOf(s.focus) : -1;
  }

  resize(): void {
    this.cy?.resize();
    this.cy?.fit(undefined, 20);
  }

  png(): Blob | undefined {
    this.flushRest();
    return this.cy?.png({ output: 'blob', bg: '#ffffff', full: true, scale: 2 }) as Blob | undefined;
  }

  /** Where the picture put things, for the SVG export of exactly this view. */
  layout(): GraphLayout | undefined {
    this.flushRest();
    const cy = this.cy;
    const g = this.graph;
    if (!cy || !g) return undefined;
    const box = (el: cytoscape.NodeSingular, minWidth = 60) => {
      const b = el.boundingBox({ includeLabels: false });
      return { x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2, width: Math.max(b.w, minWidth), height: Math.max(b.h, 30) };
    };
    // The SVG writes a label inside its box: as wide as the label (about 7 px a character).
    const nodes = new Map(g.nodes.map((n) => [n.id, box(cy.getElementById(n.id), nodeLabel(n).length * 7 + 20)]));
    const groups = new Map<string, ReturnType<typeof box>>();
    cy.nodes('.group').forEach((n) => { groups.set(String(n.data('label')), box(n)); });
    const edges = g.edges.map((e, k) => {
      const el = cy.getElementById(edgeId(e));
      if (e.from === e.to) {
        const b = nodes.get(e.from)!;
        return [{ x: b.x - 10, y: b.y - b.height / 2 }, { x: b.x, y: b.y - b.height / 2 - 26 }, { x: b.x + 10, y: b.y - b.height / 2 }];
      }
      const s = el.sourceEndpoint(), t = el.targetEndpoint(), m = el.midpoint();
      return [s, m, t].map((p) => ({ x: p.x, y: p.y }));
    });
    // Shift everything into positive coordinates with a margin.
    const all = [...nodes.values(), ...groups.values()];
    const minX = Math.min(...all.map((b) => b.x - b.width / 2)) - 20, minY = Math.min(...all.map((b) => b.y - b.height / 2)) - 40;
    const maxX = Math.max(...all.map((b) => b.x + b.width / 2)) + 20, maxY = Math.max(...all.map((b) => b.y + b.height / 2)) + 20;
    const shift = <T extends { x: number; y: number }>(p: T): T => ({ ...p, x: p.x - minX, y: p.y - minY });
    return {
      nodes: new Map([...nodes].map(([k, b]) => [k, shift(b)])),
      groups: new Map([...groups].map(([k, b]) => [k, shift(b)])),
      edges: edges.map((pts) => pts.map(shift)),
      width: maxX - minX,
      height: maxY - minY,
    };
  }
}
