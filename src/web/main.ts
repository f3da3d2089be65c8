// The page: files in the editor → engine (worker) → matrix, graph, changes and traces.
import type { Diagnostic, Matrix, Source } from '../index';
import { Editor } from './editor';
import { EngineClient } from './engine-client';
import type { Analysis } from './engine';
import { diffMatrices, probeKey, type MatrixDiff } from './diff';
import { MAX_MATRIX_PODS, renderMatrix } from './matrix-view';
import { renderTrace } from './trace-view';
import { GraphView } from './graph';
import { EXAMPLE } from './examples';
import { generateCluster } from './generate';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const STORE = 'netpol.files.v1';
const client = new EngineClient();

let files: Source[] = [];
let analysis: Analysis | undefined;
let baseline: Matrix | undefined;
let baselineNext = true; // take the next analysis as the baseline
let diff: MatrixDiff | undefined;
let seq = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let graphDirty = true;

const editor = new Editor($('editor'), (file, text) => {
  const f = files.find((x) => x.file === file);
  if (f) f.text = text;
  schedule(300);
});
const graph = new GraphView($('graph'), (e) => explain(e.from, e.to, e.ports[0]!));

function schedule(ms: number): void {
  clearTimeout(timer);
  timer = setTimeout(() => void runAnalysis(), ms);
}

async function runAnalysis(): Promise<void> {
  const mine = ++seq;
  $('status').textContent = 'Analyzing…';
  const a = await client.analyze(files.map((f) => ({ ...f })));
  if (mine !== seq) return; // a newer edit is already being analyzed
  analysis = a;
  if (baselineNext || !baseline) {
    baseline = a.matrix;
    baselineNext = false;
  }
  diff = diffMatrices(baseline, a.matrix);
  try {
    localStorage.setItem(STORE, JSON.stringify(files));
  } catch { /* storage full or disabled: nothing to keep */ }
  renderAll();
}

function setFiles(sources: Source[], newBaseline: boolean): void {
  for (const f of files) editor.forget(f.file);
  files = sources.map((s) => ({ ...s }));
  baselineNext ||= newBaseline;
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

function renderProblems(diags: readonly Diagnostic[]): void {
  const shown = diags.filter((d) => d.severity !== 'info');
  $('problem-count').textContent = shown.length ? String(shown.length) : 'none';
  const ul = $('problems');
  ul.replaceChildren();
  for (const d of shown.slice(0, 200)) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `problem ${d.severity}`;
    b.textContent = `${d.file}:${d.line}:${d.column} ${d.severity} ${d.type}${d.path ? ` ${d.path}` : ''}: ${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`;
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

function renderAll(): void {
  const a = analysis!;
  const problems = a.diagnostics.filter((d) => d.severity !== 'info');
  editor.setDiagnostics(a.diagnostics);
  renderTabs();
  renderProblems(a.diagnostics);
  const probes: [string, string][] = a.probes.map((p, k) => [String(k), probeKey(p)]);
  fillSelect($('matrix-port'), probes, '0');
  fillSelect($('graph-port'), [['-1', 'all ports'], ...probes], '-1');
  const ns = $<HTMLSelectElement>('matrix-ns');
  fillSelect(ns, [['', 'all namespaces'], ...a.namespaces.map((n): [string, string] => [n, n])], '');
  if (a.pods.length > MAX_MATRIX_PODS && !ns.value) ns.value = a.pods[0]!.namespace; // a readable table, not 500 columns
  $('endpoints').replaceChildren(...a.pods.map((p) => new Option(p.id)), ...a.services.map((s) => new Option(s)));
  renderMatrixView();
  renderDiff();
  graphDirty = true;
  if (!$('view-graph').hidden) renderGraph();
  $('status').textContent = `${a.pods.length} pods, ${a.policies} polic${a.policies === 1 ? 'y' : 'ies'}${a.rejectedPolicies ? ` (${a.rejectedPolicies} rejected)` : ''} in ${a.namespaces.length} namespaces; ${problems.length ? `${problems.length} problems` : 'no problems'}; analyzed in ${a.ms} ms`;
}

function renderMatrixView(): void {
  if (!analysis) return;
  renderMatrix($('matrix'), {
    analysis, diff,
    probe: Number($<HTMLSelectElement>('matrix-port').value || 0),
    namespace: $<HTMLSelectElement>('matrix-ns').value,
    onCell: (from, to, probe) => explain(from, to, probe),
  });
}

function renderGraph(): void {
  if (!analysis || !graphDirty) return;
  graphDirty = false;
  const model = graph.render(analysis, Number($<HTMLSelectElement>('graph-port').value || -1));
  $('graph-note').textContent = model.truncated ? `${model.truncated} more connections are not drawn; choose a port.` : '';
  const ul = $('graph-list');
  ul.replaceChildren(...model.edges.slice(0, 500).map((e) => {
    const li = document.createElement('li');
    const b = Object.assign(document.createElement('button'), { type: 'button', className: 'link', textContent: `${e.from} → ${e.to}: ${e.ports.join(', ')}` });
    b.addEventListener('click', () => explain(e.from, e.to, e.ports[0]!));
    li.append(b);
    return li;
  }));
}

function renderDiff(): void {
  const d = diff!;
  const opened = d.changes.filter((c) => c.change === 'opened').length;
  const closed = d.changes.length - opened;
  $('diff-count').textContent = d.changes.length ? `+${opened} −${closed}` : '';
  $('diff-summary').textContent = d.changes.length || d.addedPods.length || d.removedPods.length
    ? `Since the baseline: ${opened} connections opened, ${closed} closed.${d.addedPods.length ? ` New pods: ${d.addedPods.join(', ')}.` : ''}${d.removedPods.length ? ` Removed pods: ${d.removedPods.join(', ')}.` : ''}`
    : 'No change since the baseline. Edit a policy to see which connections it opens or closes.';
  $('diff-list').replaceChildren(...d.changes.slice(0, 300).map((c) => {
    const li = document.createElement('li');
    const b = Object.assign(document.createElement('button'), { type: 'button', className: `link ${c.change}`, textContent: `${c.change === 'opened' ? '+ opened' : '− closed'}: ${c.from} → ${c.to} on ${c.probe}` });
    b.addEventListener('click', () => explain(c.from, c.to, c.probe));
    li.append(b);
    return li;
  }));
}

async function explain(from: string, to: string, port: string): Promise<void> {
  $<HTMLInputElement>('q-from').value = from;
  $<HTMLInputElement>('q-to').value = to;
  $<HTMLInputElement>('q-port').value = port;
  renderTrace($('trace'), await client.explain(from, to, port), jump);
}

function selectView(id: 'matrix' | 'graph' | 'diff'): void {
  for (const v of ['matrix', 'graph', 'diff']) {
    const tab = $(`tab-${v}`);
    tab.setAttribute('aria-selected', String(v === id));
    tab.tabIndex = v === id ? 0 : -1;
    $(`view-${v}`).hidden = v !== id;
  }
  if (id === 'graph') {
    renderGraph();
    graph.resize();
  }
}

async function readFiles(list: FileList | null): Promise<void> {
  const picked = [...(list ?? [])];
  if (picked.length) addFiles(await Promise.all(picked.map(async (f) => ({ file: f.name, text: await f.text() }))));
}

// Wiring.
const views = ['matrix', 'graph', 'diff'] as const;
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
$('matrix-port').addEventListener('change', renderMatrixView);
$('matrix-ns').addEventListener('change', renderMatrixView);
$('graph-port').addEventListener('change', () => { graphDirty = true; renderGraph(); });
$('query-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void explain($<HTMLInputElement>('q-from').value, $<HTMLInputElement>('q-to').value, $<HTMLInputElement>('q-port').value);
});
$('load-example').addEventListener('click', () => setFiles(EXAMPLE, true));
$('load-large').addEventListener('click', () => setFiles(generateCluster(), true));
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
async function start(): Promise<void> {
  try {
    const r = await fetch('./api/sources');
    const served = r.ok ? ((await r.json()) as Source[]) : [];
    if (Array.isArray(served) && served.length) return setFiles(served, true);
  } catch { /* static build: no server */ }
  try {
    const kept = JSON.parse(localStorage.getItem(STORE) ?? 'null') as Source[] | null;
    if (Array.isArray(kept) && kept.length) return setFiles(kept, true);
  } catch { /* unreadable storage: start fresh */ }
  setFiles(EXAMPLE, true);
}
void start();
