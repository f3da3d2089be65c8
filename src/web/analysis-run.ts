// An analysis round: the files to the engine (only what changed since the last), then every view
// drawn from the answer; lint findings and `depends` marks follow as the engine gives them.
import { probeKey, diffLists, endQuery } from './diff';
import { $ } from './dom';
import { client, takeFirst } from './early';
import type { Analysis } from './engine';
import { renderProblems, renderTabs } from './files';
import { graph, renderGraph, renderSide, searchItems, selectLayer } from './graph-panel';
import { renderDiff } from './changes-panel';
import { MAX_MATRIX_ROWS } from './matrix-view';
import { renderMatrixView } from './matrix-panel';
import { renderTiers } from './tiers-panel';
import { DEPENDS_AUTO_PODS, STORE, editor, page } from './state';

let timer: ReturnType<typeof setTimeout> | undefined;

export function schedule(ms: number): void {
  clearTimeout(timer);
  timer = setTimeout(() => void runAnalysis(), ms);
}

async function runAnalysis(): Promise<void> {
  const mine = ++page.seq;
  $('status').textContent = 'Analyzing…';
  const t0 = performance.now();
  let a: Analysis;
  try {
    a = await analyzeEdit(mine);
  } catch (err) {
    if (mine === page.seq) $('status').textContent = `The engine failed: ${String((err as Error)?.message ?? err)}`;
    void editor.load().catch(() => undefined); // the files can still be edited
    return;
  }
  if (mine !== page.seq) return; // a newer edit is already being analyzed
  const t1 = performance.now();
  performance.mark('netpol:analysis');
  page.analysis = a;
  if (page.autoDependsNext) {
    page.autoDependsNext = false;
    $<HTMLInputElement>('matrix-depends').checked = a.pods <= DEPENDS_AUTO_PODS;
  }
  if (page.baselineNext || !page.baseline) {
    page.baseline = a.graph;
    page.baselineNext = false;
  }
  page.diff = diffLists(page.baseline, a.graph);
  page.podMatrix = undefined;
  // A workload expanded to pods, the layer and the search hits belong to the old analysis.
  if (page.gs.expanded) page.gs = { ...page.gs, expanded: undefined, level: 'end' };
  if (page.gs.level === 'end' && page.gs.namespace && !a.namespaces.includes(page.gs.namespace)) page.gs = { level: 'namespace' };
  page.hits = new Set();
  try {
    localStorage.setItem(STORE, JSON.stringify(page.files));
  } catch { /* storage full or disabled: nothing to keep */ }
  renderAll();
  // CodeMirror is not needed for the first picture: it loads once the picture is painted.
  void graph.afterPicture().then(() => editor.load()).catch(() => undefined);
  // Timings for the bench and the curious: analysis → first picture, in this browser.
  document.body.dataset.renderedMs = String(Math.round(performance.now() - t0));
  document.body.dataset.engineMs = String(Math.round(t1 - t0));
  document.body.dataset.analysis = String(mine);
  if (page.layer) void selectLayer(page.layer.policy);
  if (a.unsupported) { page.lintFindings = []; renderProblems(); return; } // no workload list: lint and depends need the class engine
  // Lint and the `depends` ranges keep the worker busy for a while at 2,000 pods: asked once the
  // picture is painted, so they do not compete with drawing it for the CPU.
  void graph.afterPicture().then(() => {
    if (mine !== page.seq) return;
    void client.call('lint').then((l) => { if (mine === page.seq) { page.lintFindings = l; renderProblems(); renderSide(); } });
    if ($<HTMLInputElement>('matrix-depends').checked) void loadDepends(mine);
  });
}

// What the engine holds (version, file → text): an edit sends only the files that differ.
let held: { version: number; files: Map<string, string> } | undefined;

async function analyzeEdit(version: number): Promise<Analysis> {
  // The served manifests' first analysis, asked by the page's entry while this module loaded.
  const early = held ? undefined : await takeFirst(version, page.files);
  const now = new Map(page.files.map((f) => [f.file, f.text]));
  const before = held;
  held = { version, files: now };
  if (before) {
    // Kept files keep their place and new ones go last, as the engine appends them.
    const kept = [...before.files.keys()].filter((f) => now.has(f));
    if (kept.every((f, i) => page.files[i]?.file === f)) {
      const changed = page.files.filter((f) => before.files.get(f.file) !== f.text).map((f) => ({ ...f }));
      const removed = [...before.files.keys()].filter((f) => !now.has(f));
      const r = await client.call('update', version, before.version, changed, removed);
      if (!('stale' in r)) return r;
    }
  }
  if (early) return early;
  return client.call('analyze', page.files.map((f) => ({ ...f })), version);
}

export async function loadDepends(mine = page.seq): Promise<void> {
  if (!page.analysis) return;
  $('status').dataset.depends = 'computing';
  const d = await client.call('depends');
  if (mine !== page.seq || !page.analysis) return;
  page.analysis.graph.depends = d;
  $('status').dataset.depends = 'done';
  renderMatrixView();
  renderGraph();
}

function fillSelect(sel: HTMLSelectElement, options: [string, string][], prefer?: string): void {
  const keep = sel.value;
  sel.replaceChildren(...options.map(([value, label]) => new Option(label, value)));
  const want = options.some(([v]) => v === keep) ? keep : prefer;
  if (want !== undefined && options.some(([v]) => v === want)) sel.value = want;
}

function renderAll(): void {
  const a = page.analysis!;
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
    if (page.analysis !== a) return;
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

