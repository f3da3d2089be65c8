// The page: files in the editor → engine (worker) → graph levels, matrix, changes and traces.
import { nodeLabel, renderListDot, renderListMermaid, portSummary, type Diagnostic, type GraphInput, type Matrix, type Probe, type Source } from '../index';
import { renderListSvg } from '../render/list-graph-svg';
import { Editor } from './editor';
import { EngineClient } from './engine-client';
import type { Analysis, PolicyLayer } from './engine';
import { cellChange, diffLists, endQuery, probeKey, type ListDiff } from './diff';
import { MAX_MATRIX_ROWS, renderMatrix, type MatrixAxis } from './matrix-view';
import { renderTrace } from './trace-view';
import { el } from './dom';
import { GraphView, buildGraph, neighbourhood, type GraphState } from './graph';
import { EXAMPLE, EXAMPLE_INTENT, TIERS_EXAMPLE } from './examples';
import { renderPolicyOrder, renderSubjects } from './tiers-view';
import { generatePanel } from './generate-panel';
import { generateCluster } from './generate';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const STORE = 'netpol.files.v1';
const client = new EngineClient();

let files: Source[] = [];
let analysis: Analysis | undefined;
let baseline: GraphInput | undefined;
let baselineNext = true; // take the next analysis as the baseline
let diff: ListDiff | undefined;
let lintFindings: Diagnostic[] = [];
let seq = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let gs: GraphState = { level: 'namespace' };
let layer: { policy: string; layer: PolicyLayer } | undefined;
let hits = new Set<number>();
let podMatrix: { namespace: string; matrix: Matrix } | undefined;
let autoDependsNext = false;
const DEPENDS_AUTO_PODS = 600;

function button(text: string, onClick: () => void, cls = 'link'): HTMLButtonElement {
  const b = el('button', cls, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

const editor = new Editor($('editor'), (file, text) => {
  const f = files.find((x) => x.file === file);
  if (f) f.text = text;
  schedule(300);
});
const graph = new GraphView($('graph'), {
  onNode: (id) => focusNode(id),
  onNodeOpen: (id) => openNode(id),
  onEdge: (k) => showPath(k),
  onBackground: () => { if (gs.focus) { gs = { ...gs, focus: undefined }; renderGraph(); } },
});

function schedule(ms: number): void {
  clearTimeout(timer);
  timer = setTimeout(() => void runAnalysis(), ms);
}

async function runAnalysis(): Promise<void> {
  const mine = ++seq;
  $('status').textContent = 'Analyzing…';
  const t0 = performance.now();
  const a = await analyzeEdit(mine);
  if (mine !== seq) return; // a newer edit is already being analyzed
  const t1 = performance.now();
  analysis = a;
  if (autoDependsNext) {
    autoDependsNext = false;
    $<HTMLInputElement>('matrix-depends').checked = a.pods <= DEPENDS_AUTO_PODS;
  }
  if (baselineNext || !baseline) {
    baseline = a.graph;
    baselineNext = false;
  }
  diff = diffLists(baseline, a.graph);
  podMatrix = undefined;
  // A workload expanded to pods, the layer and the search hits belong to the old analysis.
  if (gs.expanded) gs = { ...gs, expanded: undefined, level: 'end' };
  if (gs.level === 'end' && gs.namespace && !a.namespaces.includes(gs.namespace)) gs = { level: 'namespace' };
  hits = new Set();
  try {
    localStorage.setItem(STORE, JSON.stringify(files));
  } catch { /* storage full or disabled: nothing to keep */ }
  renderAll();
  // Timings for the bench and the curious: analysis → first picture, in this browser.
  document.body.dataset.renderedMs = String(Math.round(performance.now() - t0));
  document.body.dataset.engineMs = String(Math.round(t1 - t0));
  document.body.dataset.analysis = String(mine);
  if (layer) void selectLayer(layer.policy);
  if (a.unsupported) { lintFindings = []; renderProblems(); return; } // no workload list: lint and depends need the class engine
  void client.call('lint').then((l) => { if (mine === seq) { lintFindings = l; renderProblems(); renderSide(); } });
  if ($<HTMLInputElement>('matrix-depends').checked) void loadDepends(mine);
}

// What the engine holds (version, file → text): an edit sends only the files that differ.
let held: { version: number; files: Map<string, string> } | undefined;

async function analyzeEdit(version: number): Promise<Analysis> {
  const now = new Map(files.map((f) => [f.file, f.text]));
  const before = held;
  held = { version, files: now };
  if (before) {
    // Kept files keep their place and new ones go last, as the engine appends them.
    const kept = [...before.files.keys()].filter((f) => now.has(f));
    if (kept.every((f, i) => files[i]?.file === f)) {
      const changed = files.filter((f) => before.files.get(f.file) !== f.text).map((f) => ({ ...f }));
      const removed = [...before.files.keys()].filter((f) => !now.has(f));
      const r = await client.call('update', version, before.version, changed, removed);
      if (!('stale' in r)) return r;
    }
  }
  return client.call('analyze', files.map((f) => ({ ...f })), version);
}

async function loadDepends(mine = seq): Promise<void> {
  if (!analysis) return;
  $('status').dataset.depends = 'computing';
  const d = await client.call('depends');
  if (mine !== seq || !analysis) return;
  analysis.graph.depends = d;
  $('status').dataset.depends = 'done';
  renderMatrixView();
  renderGraph();
}

function setFiles(sources: Source[], newBaseline: boolean): void {
  for (const f of files) editor.forget(f.file);
  files = sources.map((s) => ({ ...s }));
  baselineNext ||= newBaseline;
  gs = { level: 'namespace' };
  layer = undefined;
  openFile(files[0]?.file ?? '');
  schedule(0);
}

function addFiles(sources: Source[]): void {
  for (const s of sources) {
    const old = files.find((f) => f.file === s.file);
    editor.forget(s.file);
    if (old) old.text = s.text;
    else files.push({ ...s });
  }
  if (sources[0]) openFile(sources[0].file);
  schedule(0);
}

function openFile(file: string): void {
  const f = files.find((x) => x.file === file);
  if (f) editor.open(f.file, f.text);
  renderTabs();
  if (analysis) editor.setDiagnostics(analysis.diagnostics);
}

function jump(file: string, line: number): void {
  if (editor.file !== file) openFile(file);
  editor.jumpTo(line);
}

function renderTabs(): void {
  const ul = $('file-tabs');
  ul.replaceChildren();
  for (const f of files) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    const n = analysis?.diagnostics.filter((d) => d.file === f.file && d.severity !== 'info').length ?? 0;
    b.textContent = f.file.split('/').pop()!;
    if (n) b.append(Object.assign(document.createElement('span'), { className: 'count bad', textContent: String(n) }));
    b.title = f.file;
    if (f.file === editor.file) b.setAttribute('aria-current', 'true');
    b.setAttribute('aria-label', `${f.file}${n ? `, ${n} problems` : ''}`);
    b.addEventListener('click', () => openFile(f.file));
    li.append(b);
    ul.append(li);
  }
}

function renderProblems(): void {
  const diags = analysis?.diagnostics ?? [];
  const shown = diags.filter((d) => d.severity !== 'info');
  $('problem-count').textContent = shown.length ? String(shown.length) : 'none';
  if (lintFindings.length) $('problem-count').textContent += `, ${lintFindings.length} lint finding${lintFindings.length === 1 ? '' : 's'}`;
  const ul = $('problems');
  ul.replaceChildren();
  // Load and validation problems first, then lint findings (rule and fix).
  for (const d of [...shown.slice(0, 200), ...lintFindings.slice(0, 100)]) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `problem ${d.severity}`;
    b.textContent = `${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule ?? d.type}${d.path ? ` ${d.path}` : ''}: ${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`;
    b.addEventListener('click', () => {
      if (editor.file !== d.file) openFile(d.file);
      editor.jumpTo(d.line, d.column);
    });
    li.append(b);
    ul.append(li);
  }
}

function fillSelect(sel: HTMLSelectElement, options: [string, string][], prefer?: string): void {
  const keep = sel.value;
  sel.replaceChildren(...options.map(([value, label]) => new Option(label, value)));
  const want = options.some(([v]) => v === keep) ? keep : prefer;
  if (want !== undefined && options.some(([v]) => v === want)) sel.value = want;
}

function probeOf(sel: string): Probe | undefined {
  const k = Number(sel);
  return Number.isInteger(k) && k >= 0 ? analysis?.probes[k] : undefined;
}

function renderAll(): void {
  const a = analysis!;
  const problems = a.diagnostics.filter((d) => d.severity !== 'info');
  editor.setDiagnostics(a.diagnostics);
  renderTabs();
  renderProblems();
  const probes: [string, string][] = a.probes.map((p, k) => [String(k), probeKey(p)]);
  fillSelect($('matrix-port'), probes, '0');
  fillSelect($('graph-port'), [['-1', 'all ports'], ...probes], '-1');
  fillSelect($('graph-layer'), [['', 'none'], ...a.policies.map((p): [string, string] => [p.id, `policy ${p.id}`])], '');
  const ns = $<HTMLSelectElement>('matrix-ns');
  const workloads = a.graph.ends.filter((e) => e.kind !== 'external');
  fillSelect(ns, [['', 'all namespaces'], ...a.namespaces.map((n): [string, string] => [n, n])], workloads.length > MAX_MATRIX_ROWS ? a.namespaces[0] : '');
  // Suggestions for the query and search boxes: after the first picture.
  setTimeout(() => {
    if (analysis !== a) return;
    $('endpoints').replaceChildren(...a.graph.ends.map((e) => new Option(endQuery(e))), ...a.services.map((s) => new Option(`svc:${s.id}`)));
    $('search-items').replaceChildren(...searchItems().map((s) => new Option(s)));
  }, 0);
  const t = [performance.now()];
  void renderMatrixView();
  t.push(performance.now());
  renderDiff();
  t.push(performance.now());
  renderGraph();
  t.push(performance.now());
  // Where the drawing time goes (matrix, changes, graph), for bench/page.ts.
  document.body.dataset.drawMs = t.slice(1).map((x, i) => Math.round(x - t[i]!)).join(',');
  $('status').textContent = `${a.pods} pods, ${a.policies.length} polic${a.policies.length === 1 ? 'y' : 'ies'}${a.rejectedPolicies ? ` (${a.rejectedPolicies} rejected)` : ''} in ${a.namespaces.length} namespaces; ${problems.length ? `${problems.length} problems` : 'no problems'}; analyzed in ${a.ms} ms`;
  renderTiers(a);
}

// ---- Tiers: the policies in evaluation order, and the note while the class engine cannot read them ----

const unsupportedNote = (why: string) => `Graph, matrix and changes are not available for this cluster: ${why}. Use Query (or the Policies tab) meanwhile.`;

function renderTiers(a: Analysis): void {
  if (a.unsupported) {
    // No workload list: say so where the graph, matrix and changes would be; queries still work.
    const msg = unsupportedNote(a.unsupported);
    for (const id of ['graph-note', 'diff-summary']) $(id).textContent = msg;
    $('matrix').replaceChildren(el('p', 'note unsupported', msg));
    $('status').textContent += ' (tier policies: query only)';
    // The query's endpoint list comes from the workload list; without it, offer the namespaces' pods by name.
    if (!a.graph.ends.length) $('endpoints').replaceChildren(...a.namespaces.map((n) => new Option(`${n}/`)));
  }
  const mine = seq;
  void client.call('policyOrder').then((list) => {
    if (mine !== seq) return;
    $('tab-policies').textContent = `Policies (${list.length})`;
    renderPolicyOrder($('policy-order'), list, jump, (p) => {
      if (p.tier === 'NetworkPolicy') {
        $('policy-subjects').replaceChildren(el('p', 'note', `${p.id}: its layer is drawn on the graph (Policy layer).`));
        void selectLayer(p.id);
        return;
      }
      void client.call('tierSubjects', p.id).then((r) => {
        if (mine !== seq) return;
        renderSubjects($('policy-subjects'), p, 'error' in r ? r : r.pods);
        // Mark the workloads holding a subject pod on the graph, as Find marks its matches.
        if (!('error' in r) && analysis) {
          const pods = new Set(r.pods);
          hits = new Set(analysis.graph.ends.map((e, i) => (e.pods.some((x) => pods.has(x)) ? i : -1)).filter((i) => i >= 0));
          renderGraph();
        }
      });
    });
  });
}

// ---- Graph: levels, focus, layers, path ----

function renderCrumbs(): void {
  const nav = $('crumbs');
  nav.replaceChildren();
  const parts: [string, (() => void) | undefined][] = [['Cluster: namespaces', gs.level === 'namespace' ? undefined : () => { gs = { level: 'namespace', probe: gs.probe }; renderGraph(); }]];
  if (gs.level === 'end' && gs.namespace) parts.push([`${gs.namespace}: workloads`, gs.expanded ? () => { gs = { ...gs, expanded: undefined, focus: undefined }; renderGraph(); } : undefined]);
  if (gs.expanded) parts.push([`${gs.expanded.id}: pods`, undefined]);
  parts.forEach(([text, go], i) => {
    if (i) nav.append(' › ');
    if (go) nav.append(button(text, go, ''));
    else nav.append(Object.assign(el('span', undefined, text), { ariaCurrent: 'page' }));
  });
}

function renderGraph(): void {
  const a = analysis;
  if (!a) return;
  gs.probe = probeOf($<HTMLSelectElement>('graph-port').value);
  gs.marks = { subjects: new Set(layer?.layer.subjects ?? []), peers: new Set([...(layer?.layer.ingressPeers ?? []), ...(layer?.layer.egressPeers ?? [])]), hits };
  const t0 = performance.now();
  const g = buildGraph(a.graph, gs);
  if (gs.focus && !g.nodes.some((n) => n.id === gs.focus)) gs.focus = undefined;
  renderCrumbs();
  const t1 = performance.now();
  if (!$('view-graph').hidden) graph.render(g, gs, a.ends);
  else graphStale = true;
  document.body.dataset.graphMs = `${Math.round(t1 - t0)},${Math.round(performance.now() - t1)}`;
  $('graph-note').textContent = g.nodes.length === 0 ? (a.unsupported ? unsupportedNote(a.unsupported) : 'No pods or external ranges to draw.') : `${g.nodes.length} nodes, ${g.edges.length} connections${gs.level === 'namespace' ? ' (each gathers every pair between two namespaces); open a namespace to see its workloads' : ''}.`;
  const focus = gs.focus ? neighbourhood(g, gs.focus) : undefined;
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
let graphStale = false;
let matrixStale = false;

function focusNode(id: string): void {
  gs = { ...gs, focus: gs.focus === id ? undefined : id };
  renderGraph();
}

/** Down a level: a namespace into its workloads, a workload into its pods. */
async function openNode(id: string): Promise<void> {
  if (id.startsWith('ns:')) {
    gs = { level: 'end', namespace: id.slice(3), probe: gs.probe };
    renderGraph();
    return;
  }
  const g = graph.graph;
  const n = g?.nodes.find((x) => x.id === id);
  if (!n || n.kind !== 'workload' || !analysis) return;
  const end = analysis.graph.ends[n.ends[0]!]!;
  const mine = seq;
  const input = await client.call('expand', end.id);
  if (mine !== seq || 'error' in input) return;
  gs = { level: 'end', namespace: end.namespace, expanded: { id: end.id, input }, probe: gs.probe };
  renderGraph();
}

function renderSide(): void {
  const side = $('side');
  side.replaceChildren();
  const g = graph.graph;
  if (layer && analysis) {
    const p = analysis.policies.find((x) => x.id === layer!.policy);
    if (p) {
      const sec = el('section', 'layer');
      const h = el('h3', undefined, `Policy ${p.id}`);
      if (p.file && p.line) h.append(' ', button(`${p.file.split('/').pop()}:${p.line}`, () => jump(p.file!, p.line!), 'jump'));
      const names = (ix: number[]) => ix.map((i) => analysis!.graph.ends[i]!.label);
      sec.append(h,
        el('p', undefined, `Isolates (${p.policyTypes.join(' and ').toLowerCase()}): ${names(layer.layer.subjects).join(', ') || 'nothing: its podSelector matches no pod'}`),
        el('p', undefined, `Admits${p.policyTypes.includes('Ingress') ? ` from: ${names(layer.layer.ingressPeers).join(', ') || 'no pod'}` : ''}${p.policyTypes.includes('Egress') ? `${p.policyTypes.includes('Ingress') ? ';' : ''} to: ${names(layer.layer.egressPeers).join(', ') || 'no pod'}` : ''}`));
      const findings = lintFindings.filter((d) => d.file === p.file && d.document === p.document);
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
  if (g && gs.focus) {
    const n = g.nodes.find((x) => x.id === gs.focus);
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
  const a = analysis;
  if (!g || !a) return;
  const e = g.edges[k];
  if (!e) return;
  const input = gs.expanded?.input ?? a.graph;
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

function firstPort(r?: { TCP: [number, number][]; UDP: [number, number][]; SCTP: [number, number][] }): string | undefined {
  if (!r) return undefined;
  for (const p of ['TCP', 'UDP', 'SCTP'] as const) if (r[p].length) return `${r[p][0]![0]}/${p}`;
  return undefined;
}

async function selectLayer(policy: string): Promise<void> {
  if (!policy) {
    layer = undefined;
    renderGraph();
    return;
  }
  const mine = seq;
  const l = await client.call('layer', policy);
  if (mine !== seq || 'error' in l) return;
  layer = { policy, layer: l };
  $<HTMLSelectElement>('graph-layer').value = policy;
  renderGraph();
}

function searchItems(): string[] {
  const a = analysis!;
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
function search(text: string): void {
  const a = analysis;
  const t = text.trim();
  if (!a || !t) { hits = new Set(); renderGraph(); return; }
  const endIx = a.graph.ends.findIndex((e) => e.id === t || e.id.replace(/\[[^\]]*\](#\d+)?$/, '') === t);
  if (endIx >= 0) {
    const e = a.graph.ends[endIx]!;
    hits = new Set([endIx]);
    gs = e.kind === 'external' ? { level: 'namespace', focus: `x:${e.id}` } : { level: 'end', namespace: e.namespace, focus: `e:${e.id}` };
    renderGraph();
    return;
  }
  if (t.startsWith('policy ')) { void selectLayer(t.slice(7)); return; }
  const svc = t.startsWith('service ') ? a.services.find((s) => s.id === t.slice(8)) : undefined;
  if (svc) {
    hits = new Set(svc.ends);
    const ns = svc.id.split('/')[0]!;
    gs = { level: 'end', namespace: ns, focus: svc.ends.length === 1 ? `e:${a.graph.ends[svc.ends[0]!]!.id}` : undefined };
    renderGraph();
    return;
  }
  const label = t.startsWith('label ') ? t.slice(6) : t.includes('=') ? t : undefined;
  if (label) {
    const [k, v] = [label.slice(0, label.indexOf('=')), label.slice(label.indexOf('=') + 1)];
    hits = new Set(a.ends.map((e, i) => (e.labels[k] === v ? i : -1)).filter((i) => i >= 0));
  } else {
    hits = new Set(a.graph.ends.map((e, i) => (e.id.includes(t) ? i : -1)).filter((i) => i >= 0));
  }
  renderGraph();
  $('graph-note').textContent = `${hits.size} match${hits.size === 1 ? '' : 'es'} for "${t}" (marked); ${$('graph-note').textContent}`;
}

// ---- Exports of the current view ----

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function exportAs(kind: 'svg' | 'png' | 'dot' | 'mermaid'): void {
  const g = graph.graph;
  if (!g) return;
  // The view as drawn: with a focus, only the focused node and its neighbours.
  const focus = gs.focus ? neighbourhood(g, gs.focus) : undefined;
  const view = focus ? { ...g, nodes: g.nodes.filter((n) => focus.nodes.has(n.id)), edges: g.edges.filter((_, k) => focus.edges.has(k)) } : g;
  if (kind === 'png') {
    const png = graph.png();
    if (png) download('netpol-graph.png', png);
    return;
  }
  let text: string;
  if (kind === 'svg') {
    const layout = graph.layout();
    if (layout && focus) layout.edges = layout.edges.filter((_, k) => focus.edges.has(k));
    text = renderListSvg(view, layout);
  } else text = kind === 'dot' ? renderListDot(view) : renderListMermaid(view);
  $<HTMLTextAreaElement>('export-text').value = text;
  $('export-box').hidden = false;
  download(`netpol-graph.${kind === 'mermaid' ? 'mmd' : kind}`, new Blob([text], { type: kind === 'svg' ? 'image/svg+xml' : 'text/plain' }));
}

// ---- Matrix ----

async function renderMatrixView(): Promise<void> {
  const a = analysis;
  if (!a) return;
  if (a.unsupported) { $('matrix').replaceChildren(el('p', 'note unsupported', unsupportedNote(a.unsupported))); return; }
  // Thousands of cell buttons: drawn when the matrix is shown, not behind the first picture.
  if ($('view-matrix').hidden) { matrixStale = true; return; }
  matrixStale = false;
  const probe = a.probes[Number($<HTMLSelectElement>('matrix-port').value || 0)];
  if (!probe || typeof probe.port !== 'number') return;
  const port = probe.port, protocol = probe.protocol;
  const ns = $<HTMLSelectElement>('matrix-ns').value;
  const showDepends = $<HTMLInputElement>('matrix-depends').checked;
  const onCell = (f: MatrixAxis, t: MatrixAxis) => void explain(f.query, t.query, probeKey(probe));
  if ($<HTMLSelectElement>('matrix-by').value === 'pod') {
    const namespace = ns || a.namespaces[0] || '';
    if (!ns) $<HTMLSelectElement>('matrix-ns').value = namespace;
    if (podMatrix?.namespace !== namespace) {
      const mine = seq;
      const m = await client.call('podMatrix', [namespace]);
      if (mine !== seq || 'error' in m) return;
      podMatrix = { namespace, matrix: m };
    }
    const m = podMatrix.matrix;
    const k = m.probes.findIndex((p) => p.port === port && p.protocol === protocol);
    if (k < 0) return;
    const rows = m.probes[k]!.rows;
    const deps = new Map(m.depends.filter((d) => d.port === port && d.protocol === protocol).map((d) => [`${d.from}|${d.to}`, d.reason]));
    const axis: MatrixAxis[] = m.pods.slice(0, MAX_MATRIX_ROWS).map((id) => ({ id, query: id, label: id.slice(id.indexOf('/') + 1), group: id.slice(0, id.indexOf('/')) }));
    renderMatrix($('matrix'), {
      axis, portKey: probeKey(probe), showDepends, onCell,
      note: `Pods of ${namespace}${m.pods.length > axis.length ? ` (first ${axis.length} of ${m.pods.length})` : ''}; changes since the baseline are marked on the workload rows.`,
      cell: (r, c) => ({ allowed: rows[r]![c] === '1', depends: deps.get(`${axis[r]!.id}|${axis[c]!.id}`) }),
    });
    return;
  }
  const ends = a.graph.ends.map((e, i) => ({ e, i })).filter(({ e }) => !ns || e.namespace === ns || e.kind === 'external');
  const all = ends.filter(({ e }) => e.kind !== 'external');
  const shown = all.slice(0, MAX_MATRIX_ROWS);
  const axis: MatrixAxis[] = shown.map(({ e }) => ({ id: e.id, query: endQuery(e), label: `${e.label.slice((e.namespace ?? '').length + 1)}${e.pods.length > 1 ? ` ×${e.pods.length}` : ''}`, group: e.namespace ?? '' }));
  const allowed = new Map(a.graph.connections.map((c) => [`${c.from}>${c.to}`, c.allowed]));
  const deps = new Map(a.graph.depends.map((d) => [`${d.from}>${d.to}`, d]));
  const inRange = (r: [number, number][] | undefined) => !!r && r.some(([x, y]) => x <= port && port <= y);
  renderMatrix($('matrix'), {
    axis, portKey: probeKey(probe), showDepends, onCell,
    note: shown.length < all.length ? `Showing the first ${shown.length} of ${all.length} workloads: choose a namespace to see the others.` : undefined,
    cell: (r, c) => {
      const i = shown[r]!.i, j = shown[c]!.i;
      const d = deps.get(`${i}>${j}`);
      return {
        allowed: inRange(allowed.get(`${i}>${j}`)?.[protocol]),
        depends: d && inRange(d.ports[protocol]) ? d.reason : undefined,
        change: cellChange(diff, axis[r]!.id, axis[c]!.id, port, protocol),
      };
    },
  });
}

function renderDiff(): void {
  const d = diff!;
  const opened = d.changes.filter((c) => c.change === 'opened').length;
  const closed = d.changes.length - opened;
  $('diff-count').textContent = d.changes.length ? `+${opened} −${closed}` : '';
  $('diff-summary').textContent = d.changes.length || d.addedEnds.length || d.removedEnds.length
    ? `Since the baseline: ${opened} connections opened, ${closed} closed (per pair of workloads, exact port ranges).${d.addedEnds.length ? ` New: ${d.addedEnds.join(', ')}.` : ''}${d.removedEnds.length ? ` Removed: ${d.removedEnds.join(', ')}.` : ''}`
    : 'No change since the baseline. Edit a policy to see which connections it opens or closes.';
  $('diff-list').replaceChildren(...d.changes.slice(0, 300).map((c) => {
    const li = document.createElement('li');
    const p = firstPort(c.ports)!;
    li.append(button(`${c.change === 'opened' ? '+ opened' : '− closed'}: ${c.from} → ${c.to} on ${portSummary(c.ports, 6)}`, () => void explain(c.fromQuery, c.toQuery, p), `link ${c.change}`));
    return li;
  }));
}

async function explain(from: string, to: string, port: string): Promise<void> {
  $<HTMLInputElement>('q-from').value = from;
  $<HTMLInputElement>('q-to').value = to;
  $<HTMLInputElement>('q-port').value = port;
  renderTrace($('trace'), await client.call('explain', from, to, port), jump);
}

function selectView(id: (typeof views)[number]): void {
  for (const v of views) {
    const tab = $(`tab-${v}`);
    tab.setAttribute('aria-selected', String(v === id));
    tab.tabIndex = v === id ? 0 : -1;
    $(`view-${v}`).hidden = v !== id;
  }
  if (id === 'matrix' && matrixStale) void renderMatrixView();
  if (id === 'graph' && graphStale) {
    graphStale = false;
    renderGraph();
  }
  if (id === 'graph') graph.resize();
}

async function readFiles(list: FileList | null): Promise<void> {
  const picked = [...(list ?? [])];
  if (picked.length) addFiles(await Promise.all(picked.map(async (f) => ({ file: f.name, text: await f.text() }))));
}

// Wiring.
const views = ['graph', 'matrix', 'diff', 'policies', 'generate'] as const;
views.forEach((v, i) => {
  const tab = $(`tab-${v}`);
  tab.addEventListener('click', () => selectView(v));
  tab.addEventListener('keydown', (e) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = views[(i + step + views.length) % views.length]!;
    selectView(next);
    $(`tab-${next}`).focus();
  });
});
for (const id of ['matrix-port', 'matrix-ns', 'matrix-by']) $(id).addEventListener('change', () => void renderMatrixView());
$('matrix-depends').addEventListener('change', () => {
  if ($<HTMLInputElement>('matrix-depends').checked && analysis && !$('status').dataset.depends) void loadDepends();
  void renderMatrixView();
});
$('graph-port').addEventListener('change', () => renderGraph());
$('graph-layer').addEventListener('change', () => void selectLayer($<HTMLSelectElement>('graph-layer').value));
$('search-form').addEventListener('submit', (e) => { e.preventDefault(); search($<HTMLInputElement>('graph-search').value); });
$('graph-search').addEventListener('change', () => search($<HTMLInputElement>('graph-search').value));
for (const kind of ['svg', 'png', 'dot', 'mermaid'] as const) $(`export-${kind}`).addEventListener('click', () => exportAs(kind));
$('query-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void explain($<HTMLInputElement>('q-from').value, $<HTMLInputElement>('q-to').value, $<HTMLInputElement>('q-port').value);
});
const loadSet = (sources: Source[]) => {
  autoDependsNext = true;
  delete $('status').dataset.depends;
  setFiles(sources, true);
};
$('load-example').addEventListener('click', () => loadSet(EXAMPLE));
$('load-large').addEventListener('click', () => loadSet(generateCluster()));
$('load-tiers').addEventListener('click', () => loadSet(TIERS_EXAMPLE));
generatePanel($('view-generate'), EXAMPLE_INTENT, (text, dns) => client.call('generate', text, dns));
$('new-file').addEventListener('click', () => {
  let n = 1;
  while (files.some((f) => f.file === `untitled-${n}.yaml`)) n++;
  addFiles([{ file: `untitled-${n}.yaml`, text: '' }]);
  editor.view.focus();
});
$('remove-file').addEventListener('click', () => {
  const gone = editor.file;
  editor.forget(gone);
  files = files.filter((f) => f.file !== gone);
  openFile(files[0]?.file ?? '');
  schedule(0);
});
$('set-baseline').addEventListener('click', () => {
  baselineNext = true;
  schedule(0);
});
$<HTMLInputElement>('file-input').addEventListener('change', (e) => void readFiles((e.target as HTMLInputElement).files));
document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('drop', (e) => {
  e.preventDefault();
  void readFiles(e.dataTransfer?.files ?? null);
});
window.addEventListener('resize', () => { if (!$('view-graph').hidden) graph.resize(); });

// First load: the manifests `netpol serve` was given, else the last session, else the example.
// `depends` marks are on by default for small clusters: they cost two pod-level passes, seconds
// at 2,000 pods, and the worker answers nothing else meanwhile.
function autoDepends(_sources: Source[]): void {
  autoDependsNext = true;
}
async function start(): Promise<void> {
  try {
    const r = await fetch('./api/sources');
    const served = r.ok ? ((await r.json()) as Source[]) : [];
    if (Array.isArray(served) && served.length) { autoDepends(served); return setFiles(served, true); }
  } catch { /* static build: no server */ }
  try {
    const kept = JSON.parse(localStorage.getItem(STORE) ?? 'null') as Source[] | null;
    if (Array.isArray(kept) && kept.length) { autoDepends(kept); return setFiles(kept, true); }
  } catch { /* unreadable storage: start fresh */ }
  autoDepends(EXAMPLE);
  setFiles(EXAMPLE, true);
}
void start();
