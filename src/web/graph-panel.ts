// The graph tab: levels (crumbs), focus, opening a node, a policy layer, Find, the side panel
// and an edge's path; the Cytoscape view itself is graph.ts.
import type { Probe } from '../index';
import { nodeLabel, portSummary } from '../render/list-graph';
import { endQuery } from './diff';
import { $, button, el } from './dom';
import { client } from './early';
import { jump } from './files';
import { GraphView, buildGraph, neighbourhood } from './graph';
import { explain, firstPort } from './query';
import { page, unsupportedNote } from './state';

export const graph = new GraphView($('graph'), {
  onNode: (id) => focusNode(id),
  onNodeOpen: (id) => void openNode(id),
  onEdge: (k) => showPath(k),
  onBackground: () => { if (page.gs.focus) { page.gs = { ...page.gs, focus: undefined }; renderGraph(); } },
});

function probeOf(sel: string): Probe | undefined {
  const k = Number(sel);
  return Number.isInteger(k) && k >= 0 ? page.analysis?.probes[k] : undefined;
}

function renderCrumbs(): void {
  const nav = $('crumbs');
  nav.replaceChildren();
  const parts: [string, (() => void) | undefined][] = [['Cluster: namespaces', page.gs.level === 'namespace' ? undefined : () => { page.gs = { level: 'namespace', probe: page.gs.probe }; renderGraph(); }]];
  if (page.gs.level === 'end' && page.gs.namespace) parts.push([`${page.gs.namespace}: workloads`, page.gs.expanded ? () => { page.gs = { ...page.gs, expanded: undefined, focus: undefined }; renderGraph(); } : undefined]);
  if (page.gs.expanded) parts.push([`${page.gs.expanded.id}: pods`, undefined]);
  parts.forEach(([text, go], i) => {
    if (i) nav.append(' › ');
    if (go) nav.append(button(text, go, ''));
    else nav.append(Object.assign(el('span', undefined, text), { ariaCurrent: 'page' }));
  });
}

export function renderGraph(): void {
  const a = page.analysis;
  if (!a) return;
  page.gs.probe = probeOf($<HTMLSelectElement>('graph-port').value);
  page.gs.marks = { subjects: new Set(page.layer?.layer.subjects ?? []), peers: new Set([...(page.layer?.layer.ingressPeers ?? []), ...(page.layer?.layer.egressPeers ?? [])]), hits: page.hits };
  const t0 = performance.now();
  const g = buildGraph(a.graph, page.gs);
  if (page.gs.focus && !g.nodes.some((n) => n.id === page.gs.focus)) page.gs.focus = undefined;
  renderCrumbs();
  const t1 = performance.now();
  if (!$('view-graph').hidden) graph.render(g, page.gs, a.ends);
  else page.graphStale = true;
  document.body.dataset.graphMs = `${Math.round(t1 - t0)},${Math.round(performance.now() - t1)}`;
  $('graph-note').textContent = g.nodes.length === 0 ? (a.unsupported ? unsupportedNote(a.unsupported) : 'No pods or external ranges to draw.') : `${g.nodes.length} nodes, ${g.edges.length} connections${page.gs.level === 'namespace' ? ' (each gathers every pair between two namespaces); open a namespace to see its workloads' : ''}.`;
  const focus = page.gs.focus ? neighbourhood(g, page.gs.focus) : undefined;
  $('graph-nodes').replaceChildren(...g.nodes.map((n) => {
    const li = el('li');
    li.dataset.node = n.id;
    if (focus && !focus.nodes.has(n.id)) li.className = 'faded';
    li.append(button(`${n.kind} ${n.label}${n.pods ? ` (${n.pods} pod${n.pods === 1 ? '' : 's'})` : ''}`, () => focusNode(n.id)));
    if (n.kind === 'namespace' || n.kind === 'workload') li.append(' ', button(n.kind === 'namespace' ? 'open' : 'pods', () => openNode(n.id), ''));
    return li;
  }));
  const shownEdges = g.edges.map((e, k) => [e, k] as const).filter(([, k]) => !focus || focus.edges.has(k));
  const name = (id: string) => g.nodes.find((n) => n.id === id)!.label;
  $('graph-list').replaceChildren(...shownEdges.slice(0, 500).map(([e, k]) => {
    const li = el('li');
    li.append(button(`${name(e.from)} → ${name(e.to)}: ${Object.values(e.ports).some((r) => r.length) ? portSummary(e.ports, 6) : 'none'}${e.pairs > 1 ? ` (${e.pairs} pairs)` : ''}${e.depends ? `; depends: ${portSummary(e.depends)}` : ''}`, () => showPath(k)));
    return li;
  }));
  renderSide();
}

function focusNode(id: string): void {
  page.gs = { ...page.gs, focus: page.gs.focus === id ? undefined : id };
  renderGraph();
}

/** Down a level: a namespace into its workloads, a workload into its pods. */
async function openNode(id: string): Promise<void> {
  if (id.startsWith('ns:')) {
    page.gs = { level: 'end', namespace: id.slice(3), probe: page.gs.probe };
    renderGraph();
    return;
  }
  const g = graph.graph;
  const n = g?.nodes.find((x) => x.id === id);
  if (!n || n.kind !== 'workload' || !page.analysis) return;
  const end = page.analysis.graph.ends[n.ends[0]!]!;
  const mine = page.seq;
  const input = await client.call('expand', end.id);
  if (mine !== page.seq || 'error' in input) return;
  page.gs = { level: 'end', namespace: end.namespace, expanded: { id: end.id, input }, probe: page.gs.probe };
  renderGraph();
}

export function renderSide(): void {
  const side = $('side');
  side.replaceChildren();
  const g = graph.graph;
  if (page.layer && page.analysis) {
    const p = page.analysis.policies.find((x) => x.id === page.layer!.policy);
    if (p) {
      const sec = el('section', 'layer');
      const h = el('h3', undefined, `Policy ${p.id}`);
      if (p.file && p.line) h.append(' ', button(`${p.file.split('/').pop()}:${p.line}`, () => jump(p.file!, p.line!), 'jump'));
      const names = (ix: number[]) => ix.map((i) => page.analysis!.graph.ends[i]!.label);
      sec.append(h,
        el('p', undefined, `Isolates (${p.policyTypes.join(' and ').toLowerCase()}): ${names(page.layer.layer.subjects).join(', ') || 'nothing: its podSelector matches no pod'}`),
        el('p', undefined, `Admits${p.policyTypes.includes('Ingress') ? ` from: ${names(page.layer.layer.ingressPeers).join(', ') || 'no pod'}` : ''}${p.policyTypes.includes('Egress') ? `${p.policyTypes.includes('Ingress') ? ';' : ''} to: ${names(page.layer.layer.egressPeers).join(', ') || 'no pod'}` : ''}`));
      const findings = page.lintFindings.filter((d) => d.file === p.file && d.document === p.document);
      if (findings.length) {
        sec.append(el('h3', undefined, `Lint findings (${findings.length})`));
        for (const d of findings) {
          const f = el('div', 'finding');
          f.append(el('strong', undefined, d.rule ?? d.type), ` ${d.message}`, d.hint ? el('div', 'why', `fix: ${d.hint}`) : '', ' ', button(`line ${d.line}`, () => jump(d.file, d.line), 'jump'));
          sec.append(f);
        }
      } else sec.append(el('p', 'note', 'No lint findings on this policy.'));
      side.append(sec);
    }
  }
  if (g && page.gs.focus) {
    const n = g.nodes.find((x) => x.id === page.gs.focus);
    if (n) {
      const sec = el('section', 'focus');
      sec.append(el('h3', undefined, `Focus: ${nodeLabel(n)}`));
      if (n.kind === 'namespace' || n.kind === 'workload') sec.append(button(n.kind === 'namespace' ? 'Open namespace' : 'Show its pods', () => void openNode(n.id), ''));
      for (const [title, mine] of [['Reached from', (e: (typeof g.edges)[number]) => e.to === n.id], ['Reaches', (e: (typeof g.edges)[number]) => e.from === n.id]] as const) {
        const list = g.edges.map((e, k) => [e, k] as const).filter(([e]) => mine(e));
        sec.append(el('h3', undefined, `${title} (${list.length})`));
        const ul = el('ul');
        for (const [e, k] of list) {
          const other = g.nodes.find((x) => x.id === (title === 'Reaches' ? e.to : e.from))!;
          const li = el('li');
          li.append(button(`${other.label}: ${Object.values(e.ports).some((r) => r.length) ? portSummary(e.ports) : 'depends only'}`, () => showPath(k)));
          ul.append(li);
        }
        sec.append(ul);
      }
      side.append(sec);
    }
  }
  if (!side.childElementCount) side.append(el('p', 'note', 'Select a node to see only its neighbours and their ports; select an edge for the path and the deciding rule; pick a policy layer to see what it isolates and admits.'));
}

/** An edge: its pairs (namespace level) or the path of its first allowed port, explained. */
function showPath(k: number): void {
  const g = graph.graph;
  const a = page.analysis;
  if (!g || !a) return;
  const e = g.edges[k];
  if (!e) return;
  const input = page.gs.expanded?.input ?? a.graph;
  const from = g.nodes.find((n) => n.id === e.from)!, to = g.nodes.find((n) => n.id === e.to)!;
  const side = $('side');
  side.replaceChildren();
  const sec = el('section', 'path');
  sec.append(el('h3', undefined, `Path: ${from.label} → ${to.label}`));
  const port = firstPort(e.ports) ?? firstPort(e.depends);
  // The pairs this edge gathers; each explains its own first port.
  const pairs = input.connections.filter((c) => from.ends.includes(c.from) && to.ends.includes(c.to));
  const ul = el('ul');
  for (const c of pairs.slice(0, 50)) {
    const li = el('li');
    const p = firstPort(c.allowed);
    li.append(button(`${input.ends[c.from]!.label} → ${input.ends[c.to]!.label}: ${portSummary(c.allowed)}`, () => { if (p) void explain(endQuery(input.ends[c.from]!), endQuery(input.ends[c.to]!), p); }));
    ul.append(li);
  }
  sec.append(el('p', undefined, `${e.pairs} pair${e.pairs === 1 ? '' : 's'}; allowed: ${Object.values(e.ports).some((r) => r.length) ? portSummary(e.ports, 8) : 'none'}${e.depends ? `; depends: ${portSummary(e.depends)}` : ''}`), ul);
  side.append(sec);
  if (pairs.length === 1 && port) void explain(endQuery(input.ends[pairs[0]!.from]!), endQuery(input.ends[pairs[0]!.to]!), port);
  else if (!pairs.length && port) {
    const d = input.depends.find((x) => from.ends.includes(x.from) && to.ends.includes(x.to));
    if (d) void explain(endQuery(input.ends[d.from]!), endQuery(input.ends[d.to]!), port);
  }
}

export async function selectLayer(policy: string): Promise<void> {
  if (!policy) {
    page.layer = undefined;
    renderGraph();
    return;
  }
  const mine = page.seq;
  const l = await client.call('layer', policy);
  if (mine !== page.seq || 'error' in l) return;
  page.layer = { policy, layer: l };
  $<HTMLSelectElement>('graph-layer').value = policy;
  renderGraph();
}

export function searchItems(): string[] {
  const a = page.analysis!;
  const labels = new Set<string>();
  for (const e of a.ends) for (const [k, v] of Object.entries(e.labels)) labels.add(`${k}=${v}`);
  return [
    ...a.graph.ends.filter((e) => e.kind !== 'external').map((e) => e.id),
    ...a.services.map((s) => `service ${s.id}`),
    ...a.policies.map((p) => `policy ${p.id}`),
    ...[...labels].sort().map((l) => `label ${l}`),
  ];
}

/** Find: a workload (focus it), a Service (its workloads), a policy (its layer), a label or any text (mark the matches). */
export function search(text: string): void {
  const a = page.analysis;
  const t = text.trim();
  if (!a || !t) { page.hits = new Set(); renderGraph(); return; }
  const endIx = a.graph.ends.findIndex((e) => e.id === t || e.id.replace(/\[[^\]]*\](#\d+)?$/, '') === t);
  if (endIx >= 0) {
    const e = a.graph.ends[endIx]!;
    page.hits = new Set([endIx]);
    page.gs = e.kind === 'external' ? { level: 'namespace', focus: `x:${e.id}` } : { level: 'end', namespace: e.namespace, focus: `e:${e.id}` };
    renderGraph();
    return;
  }
  if (t.startsWith('policy ')) { void selectLayer(t.slice(7)); return; }
  const svc = t.startsWith('service ') ? a.services.find((s) => s.id === t.slice(8)) : undefined;
  if (svc) {
    page.hits = new Set(svc.ends);
    const ns = svc.id.split('/')[0]!;
    page.gs = { level: 'end', namespace: ns, focus: svc.ends.length === 1 ? `e:${a.graph.ends[svc.ends[0]!]!.id}` : undefined };
    renderGraph();
    return;
  }
  const label = t.startsWith('label ') ? t.slice(6) : t.includes('=') ? t : undefined;
  if (label) {
    const [k, v] = [label.slice(0, label.indexOf('=')), label.slice(label.indexOf('=') + 1)];
    page.hits = new Set(a.ends.map((e, i) => (e.labels[k] === v ? i : -1)).filter((i) => i >= 0));
  } else {
    page.hits = new Set(a.graph.ends.map((e, i) => (e.id.includes(t) ? i : -1)).filter((i) => i >= 0));
  }
  renderGraph();
  $('graph-note').textContent = `${page.hits.size} match${page.hits.size === 1 ? '' : 'es'} for "${t}" (marked); ${$('graph-note').textContent}`;
}
