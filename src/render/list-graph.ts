// The connectivity list (`netpol list`) as a graph, at two levels, and its text exports: DOT and
// Mermaid. Shared by the CLI (`netpol list --format dot|mermaid|svg`) and the page (levels,
// exports). The graph only regroups the list's answers, it never decides. Names come from
// manifests: node ids are generated (`n0`, `n1`, …) and every name reaches the output only
// inside a quoted label, escaped by src/render/escape.ts. Pure and browser-safe.
import type { ListDepends } from '../analysis/list/depends.js';
import { normalize, type ConnectionList, type PortRanges } from '../analysis/list/list.js';
import { PROTOCOLS } from '../model/types.js';
import { dotString, mermaidText } from './escape.js';
import { formatPortRanges } from './list.js';

/** A plain, cloneable copy of a list (what the worker sends the page). */
export interface GraphInput {
  ends: { kind: 'workload' | 'pod' | 'external'; id: string; label: string; namespace?: string; pods: string[] }[];
  /** Indexes into `ends`. */
  connections: { from: number; to: number; allowed: PortRanges }[];
  depends: { from: number; to: number; ports: PortRanges; reason: string }[];
}

const idKey = (id: string | string[]) => (Array.isArray(id) ? id.join(',') : id);

export function graphInput(list: ConnectionList, depends: readonly ListDepends[] = []): GraphInput {
  const index = new Map(list.ends.map((e, i) => [e, i]));
  const byId = new Map(list.ends.map((e, i) => [idKey(e.id), i]));
  return {
    ends: list.ends.map((e) => ({ kind: e.kind, id: idKey(e.id), label: e.label, namespace: e.namespace, pods: e.pods.map((p) => `${p.namespace}/${p.name}`) })),
    connections: list.connections.map((c) => ({ from: index.get(c.from)!, to: index.get(c.to)!, allowed: c.allowed })),
    depends: depends.flatMap((d) => {
      const from = byId.get(idKey(d.from)), to = byId.get(idKey(d.to));
      return from === undefined || to === undefined ? [] : [{ from, to, ports: d.ports, reason: d.reason }];
    }),
  };
}

export type GraphLevel = 'namespace' | 'end';

export interface GraphNode {
  id: string;
  kind: 'namespace' | 'workload' | 'pod' | 'external';
  label: string;
  /** The namespace an end belongs to (its group); a namespace node's own name. */
  namespace?: string;
  pods: number;
  /** Indexes of the input ends this node stands for. */
  ends: number[];
}

export interface GraphEdge {
  from: string;
  to: string;
  ports: PortRanges;
  /** How many (end, end) pairs of the list this edge gathers. */
  pairs: number;
  /** Ports whose verdict hinges on the plugin or on what the manifests do not state. */
  depends?: PortRanges;
}

export interface ListGraph {
  level: GraphLevel;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

function merge(a: [number, number][], b: readonly [number, number][]): [number, number][] {
  // Most pairs an edge gathers allow what it already holds (`a` is merged): nothing to sort.
  if (b.every(([lo, hi]) => a.some(([x, y]) => x <= lo && hi <= y))) return a;
  return normalize([...a, ...b]);
}

const empty = (): PortRanges => ({ TCP: [], UDP: [], SCTP: [] });

export interface GraphOptions {
  /** 'namespace': one node per namespace and per external range; 'end': one per list end. */
  level: GraphLevel;
  /** With 'end': keep only ends of these namespaces, and the ends they connect with. */
  namespaces?: readonly string[];
  /** With `namespaces`: the ends they connect with in other namespaces, one by one ('ends', the default) or gathered into one node per namespace. */
  others?: 'ends' | 'namespace';
}

/** The list as nodes and edges; at namespace level edges gather every pair between two namespaces. */
export function listGraph(input: GraphInput, options: GraphOptions): ListGraph {
  const outside = (ns?: string) => options.level === 'end' && options.others === 'namespace' && !!options.namespaces?.length && !options.namespaces.includes(ns ?? '');
  const nodeOf = (i: number): string => {
    const e = input.ends[i]!;
    if (e.kind === 'external') return `x:${e.id}`;
    return options.level === 'namespace' || outside(e.namespace) ? `ns:${e.namespace}` : `e:${e.id}`;
  };
  const nodes = new Map<string, GraphNode>();
  input.ends.forEach((e, i) => {
    const id = nodeOf(i);
    let n = nodes.get(id);
    if (!n) {
      const kind = e.kind === 'external' ? 'external' : id.startsWith('ns:') ? 'namespace' : e.kind;
      n = { id, kind, label: kind === 'namespace' ? e.namespace! : e.label, namespace: e.namespace, pods: 0, ends: [] };
      nodes.set(id, n);
    }
    n.pods += e.pods.length;
    n.ends.push(i);
  });
  // Node of each end, and a numeric key per node pair: this runs once per connection.
  const ids = [...nodes.keys()];
  const num = new Map(ids.map((id, k) => [id, k]));
  const endNode = input.ends.map((_, i) => num.get(nodeOf(i))!);
  const edges = new Map<number, GraphEdge>();
  const edgeOf = (from: number, to: number) => {
    const na = endNode[from]!, nb = endNode[to]!;
    const a = ids[na]!, b = ids[nb]!;
    const key = na * ids.length + nb;
    let x = edges.get(key);
    if (!x) edges.set(key, (x = { from: a, to: b, ports: empty(), pairs: 0 }));
    return x;
  };
  for (const c of input.connections) {
    const x = edgeOf(c.from, c.to);
    x.pairs++;
    for (const p of PROTOCOLS) if (c.allowed[p].length) x.ports[p] = merge(x.ports[p], c.allowed[p]);
  }
  for (const d of input.depends) {
    const x = edgeOf(d.from, d.to);
    x.depends ??= empty();
    for (const p of PROTOCOLS) if (d.ports[p].length) x.depends[p] = merge(x.depends[p], d.ports[p]);
  }
  let nodeList = [...nodes.values()];
  let edgeList = [...edges.values()];
  if (options.level === 'end' && options.namespaces?.length) {
    const inside = new Set(nodeList.filter((n) => n.namespace !== undefined && options.namespaces!.includes(n.namespace)).map((n) => n.id));
    edgeList = edgeList.filter((e) => inside.has(e.from) || inside.has(e.to));
    const keep = new Set([...inside, ...edgeList.flatMap((e) => [e.from, e.to])]);
    nodeList = nodeList.filter((n) => keep.has(n.id));
  }
  return { level: options.level, nodes: nodeList, edges: edgeList };
}

/** A short port summary for a label: the first `max` ranges, then "+N more". */
export function portSummary(r: PortRanges, max = 3): string {
  const full = formatPortRanges(r);
  if (full === 'all') return 'all ports';
  const parts = PROTOCOLS.flatMap((p) => r[p].map(([a, b]) => `${a === b ? a : `${a}-${b}`}${p === 'TCP' ? '' : `/${p}`}`));
  return parts.length <= max ? parts.join(', ') : `${parts.slice(0, max).join(', ')} +${parts.length - max} more`;
}

/** What a node says: its name, and how many pods (or ends) it stands for. */
export function nodeLabel(n: GraphNode): string {
  if (n.kind === 'namespace') return `${n.label} (${n.ends.length} workload${n.ends.length === 1 ? '' : 's'}, ${n.pods} pod${n.pods === 1 ? '' : 's'})`;
  // Inside its namespace's frame an end needs no `ns/` prefix.
  const name = n.namespace !== undefined && n.label.startsWith(`${n.namespace}/`) ? n.label.slice(n.namespace.length + 1) : n.label;
  if (n.kind === 'workload' && n.pods > 1) return `${name} ×${n.pods}`;
  return name;
}

export function edgeLabel(e: GraphEdge): string {
  const ports = PROTOCOLS.some((p) => e.ports[p].length) ? portSummary(e.ports) : '';
  const dep = e.depends ? `depends: ${portSummary(e.depends)}` : '';
  const pairs = e.pairs > 1 ? `${e.pairs} pairs: ` : '';
  return [ports && `${pairs}${ports}`, dep].filter(Boolean).join('; ');
}

/** Nodes grouped by namespace (external ranges and namespace nodes stand alone), in order. */
function groups(g: ListGraph): { namespace?: string; nodes: number[] }[] {
  const out: { namespace?: string; nodes: number[] }[] = [];
  const at = new Map<string, number>();
  g.nodes.forEach((n, i) => {
    if (g.level === 'end' && n.namespace !== undefined && n.kind !== 'namespace') {
      let k = at.get(n.namespace);
      if (k === undefined) at.set(n.namespace, (k = out.push({ namespace: n.namespace, nodes: [] }) - 1));
      out[k]!.nodes.push(i);
    } else out.push({ nodes: [i] });
  });
  return out;
}

/** Graphviz DOT: namespaces as `cluster_N` subgraphs, generated ids, every name a quoted label. */
export function renderListDot(g: ListGraph): string {
  const ids = new Map(g.nodes.map((n, i) => [n.id, `n${i}`]));
  const node = (i: number) => {
    const n = g.nodes[i]!;
    const shape = n.kind === 'external' ? 'hexagon' : n.kind === 'namespace' ? 'folder' : 'box';
    return `${ids.get(n.id)} [label=${dotString(nodeLabel(n))}, shape=${shape}];`;
  };
  const out = ['digraph netpol {', '  rankdir=LR;', '  node [fontname="Helvetica", style=rounded];', '  edge [fontname="Helvetica", fontsize=10];'];
  groups(g).forEach((grp, k) => {
    if (grp.namespace === undefined) out.push(`  ${node(grp.nodes[0]!)}`);
    else out.push(`  subgraph cluster_${k} {`, `    label=${dotString(grp.namespace)};`, ...grp.nodes.map((i) => `    ${node(i)}`), '  }');
  });
  for (const e of g.edges) {
    const attrs = [`label=${dotString(edgeLabel(e))}`];
    if (e.depends && !PROTOCOLS.some((p) => e.ports[p].length)) attrs.push('style=dashed');
    out.push(`  ${ids.get(e.from)} -> ${ids.get(e.to)} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return out.join('\n');
}

/** Mermaid flowchart: namespaces as subgraphs, generated ids, labels as entity-coded quoted text. */
export function renderListMermaid(g: ListGraph): string {
  const ids = new Map(g.nodes.map((n, i) => [n.id, `n${i}`]));
  const node = (i: number) => {
    const n = g.nodes[i]!;
    const text = `"${mermaidText(nodeLabel(n))}"`;
    return `${ids.get(n.id)}${n.kind === 'external' ? `{{${text}}}` : `[${text}]`}`;
  };
  const out = ['flowchart LR'];
  groups(g).forEach((grp, k) => {
    if (grp.namespace === undefined) out.push(`  ${node(grp.nodes[0]!)}`);
    else out.push(`  subgraph g${k}["${mermaidText(grp.namespace)}"]`, ...grp.nodes.map((i) => `    ${node(i)}`), '  end');
  });
  for (const e of g.edges) {
    const arrow = e.depends && !PROTOCOLS.some((p) => e.ports[p].length) ? '-.->' : '-->';
    out.push(`  ${ids.get(e.from)} ${arrow}|"${mermaidText(edgeLabel(e))}"| ${ids.get(e.to)}`);
  }
  return out.join('\n');
}
