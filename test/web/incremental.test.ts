// The page's edit path: the engine keeps the last files and their parses and takes only the
// changed files (engine `update`), and the graph is patched in place (graph.ts patchElements).
// Both must give exactly what a fresh analysis and a fresh drawing give, after every edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import cytoscape from 'cytoscape';
import { analyze, depends, forget, lint, parseCount, update, type Analysis } from '../../src/web/engine.js';
import { buildGraph, graphElements, patchElements, type GraphState } from '../../src/web/graph.js';
import { generateCluster } from '../../src/web/generate.js';
import type { Source } from '../../src/index.js';

const sans = (a: Analysis | { stale: true }) => {
  assert.ok(!('stale' in a), 'the engine refused an edit against the set it holds');
  return structuredClone({ ...a, ms: 0 });
};

function replaceOnce(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `the generated manifests no longer contain ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

// A sequence of edits as the page makes them: each step is the whole file set after the edit,
// plus what changed and what was removed.
function edits(): { files: Source[]; changed: Source[]; removed: string[] }[] {
  let files = generateCluster(4, 3);
  const steps: { files: Source[]; changed: Source[]; removed: string[] }[] = [];
  const edit = (file: string, f: (t: string) => string) => {
    files = files.map((s) => (s.file === file ? { file, text: f(s.text) } : s));
    steps.push({ files, changed: files.filter((s) => s.file === file), removed: [] });
  };
  // A policy edit: team-00's front opens 800 instead of 80.
  edit('generated/policies.yaml', (t) => replaceOnce(t, 'ports: [{port: 80}]', 'ports: [{port: 800}]'));
  // A pod label edit: team-00's cache pods become app=api (the api policies now select them).
  edit('generated/workloads.yaml', (t) => replaceOnce(t, 'selector: {matchLabels: {app: cache}}\n  template:\n    metadata: {labels: {app: cache}}', 'selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}'));
  // A new file, then a removed one (the namespaces: their labels go, namespace selectors change).
  files = [...files, { file: 'extra.yaml', text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db-from-all, namespace: team-01}\nspec:\n  podSelector: {matchLabels: {app: db}}\n  ingress: [{}]\n' }];
  steps.push({ files, changed: files.slice(-1), removed: [] });
  files = files.filter((s) => s.file !== 'generated/namespaces.yaml');
  steps.push({ files, changed: [], removed: ['generated/namespaces.yaml'] });
  // An edit that changes nothing.
  steps.push({ files, changed: [files[0]!], removed: [] });
  return steps;
}

test('engine update after a policy edit, a pod label edit, a new file and a removed file = a fresh analysis', () => {
  forget();
  const steps = edits();
  const first = generateCluster(4, 3);
  const results: Analysis[] = [sans(analyze(first, 1))];
  let version = 1, prev = new Map(first.map((f) => [f.file, f.text]));
  for (const s of steps) {
    const before = parseCount();
    results.push(sans(update(version + 1, version, s.changed, s.removed)));
    version++;
    // Only the files whose text changed are parsed again.
    assert.equal(parseCount() - before, s.changed.filter((c) => prev.get(c.file) !== c.text).length);
    prev = new Map(s.files.map((f) => [f.file, f.text]));
  }
  const lintAfter = lint(), dependsAfter = depends();
  // Each step changed what the engine answers (else the comparison below proves little).
  for (let i = 1; i < results.length - 1; i++) assert.notDeepEqual(results[i]!.graph, results[i - 1]!.graph, `edit ${i} changed nothing`);
  assert.deepEqual(results.at(-1), results.at(-2), 'an edit that changes nothing gives the same answer');
  // A stale base is refused, not applied to the wrong files.
  assert.deepEqual(update(99, 42, [], []), { stale: true });
  steps.forEach((s, i) => {
    forget();
    assert.deepEqual(results[i + 1], sans(analyze(s.files)), `after edit ${i + 1}`);
  });
  assert.deepEqual(lintAfter, lint());
  assert.deepEqual(dependsAfter, depends());
});

// What a Cytoscape instance shows, comparable: ids, data and classes (positions aside).
function shown(cy: cytoscape.Core) {
  return cy.elements().map((x) => ({ id: x.id(), group: x.group(), data: x.data(), classes: [...x.classes()].sort() })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

test('the graph patched in place after each edit = the graph drawn afresh, at every level', () => {
  forget();
  const steps = edits();
  const analyses = [analyze(generateCluster(4, 3)), ...steps.map((s) => analyze(s.files))];
  const states: GraphState[] = [
    { level: 'namespace' },
    { level: 'end', namespace: 'team-00' },
    { level: 'namespace', focus: 'ns:team-01' },
  ];
  for (const s of states) {
    const cy = cytoscape({ headless: true, elements: graphElements(buildGraph(analyses[0]!.graph, s), s, analyses[0]!.ends) });
    for (const a of analyses.slice(1)) {
      const els = graphElements(buildGraph(a.graph, s), s, a.ends);
      patchElements(cy, els);
      const fresh = cytoscape({ headless: true, elements: els });
      assert.deepEqual(shown(cy), shown(fresh), `level ${s.level} ${s.namespace ?? ''}`);
      fresh.destroy();
    }
    cy.destroy();
  }
  // Focus, marks and levels change on one analysis: each patch gives the fresh picture.
  const last = analyses.at(-1)!;
  const walk: GraphState[] = [
    { level: 'namespace' },
    { level: 'namespace', focus: 'ns:team-01' },
    { level: 'namespace', marks: { subjects: new Set([0]), peers: new Set([1, 2]), hits: new Set([3]) } },
    { level: 'end', namespace: 'team-02' },
    { level: 'end', namespace: 'team-02', focus: `e:${last.graph.ends.find((e) => e.namespace === 'team-02')!.id}` },
    { level: 'namespace' },
  ];
  const live = cytoscape({ headless: true, elements: [] });
  for (const s of walk) {
    const els = graphElements(buildGraph(last.graph, s), s, last.ends);
    patchElements(live, els);
    const fresh = cytoscape({ headless: true, elements: els });
    assert.deepEqual(shown(live), shown(fresh), JSON.stringify({ ...s, marks: undefined }));
    fresh.destroy();
  }
  live.destroy();
  // From one level to another (nodes change): a relayout is asked for.
  const a = analyses[0]!;
  const cy = cytoscape({ headless: true, elements: graphElements(buildGraph(a.graph, states[0]!), states[0]!, a.ends) });
  const r = patchElements(cy, graphElements(buildGraph(a.graph, states[1]!), states[1]!, a.ends));
  assert.ok(r.relayout && r.added > 0 && r.removed > 0);
  assert.equal(patchElements(cy, graphElements(buildGraph(a.graph, states[1]!), states[1]!, a.ends)).relayout, false, 'the same picture again: nothing to lay out');
});
