// The graph patched with the definitions it shows (patchElements' `shown`, as GraphView keeps
// them) skips what did not change without asking Cytoscape, and still gives the fresh picture
// after edits, level changes and focus changes (nodes removed take their edges along).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import cytoscape from 'cytoscape';
import { analyze, forget } from '../../src/web/engine.js';
import { buildGraph, graphElements, patchElements, type GraphState } from '../../src/web/graph.js';
import { generateCluster } from '../../src/web/generate.js';

function shown(cy: cytoscape.Core) {
  return cy.elements().map((x) => ({ id: x.id(), group: x.group(), data: x.data(), classes: [...x.classes()].sort() })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

test('patching with the shown definitions = the fresh picture, and unchanged elements are not looked up', () => {
  forget();
  const base = generateCluster(4, 3);
  const edit = (f: (t: string) => string, file: string) => base.map((s) => (s.file === file ? { ...s, text: f(s.text) } : s));
  const analyses = [
    base,
    edit((t) => t.replace('ports: [{port: 80}]', 'ports: [{port: 800}]'), 'generated/policies.yaml'),
    edit((t) => t.replace('name: cache, namespace: team-01', 'name: cache2, namespace: team-01'), 'generated/workloads.yaml'),
    base,
  ].map((files) => analyze(files));
  const states: GraphState[] = [
    { level: 'namespace' },
    { level: 'end', namespace: 'team-01' },
    { level: 'namespace', focus: 'ns:team-01' },
    { level: 'end', namespace: 'team-02' },
  ];
  const cy = cytoscape({ headless: true, elements: [] });
  let lookups = 0;
  const get = cy.getElementById.bind(cy);
  cy.getElementById = ((id: string) => (lookups++, get(id))) as typeof cy.getElementById;
  let last: cytoscape.ElementDefinition[] = [];
  let small = 0;
  for (const s of states) for (const a of analyses) {
    const els = graphElements(buildGraph(a.graph, s), s, a.ends);
    const was = new Map(last.map((e) => [String(e.data.id), JSON.stringify(e)]));
    const now = new Set(els.map((e) => String(e.data.id)));
    const changed = els.filter((e) => was.get(String(e.data.id)) !== JSON.stringify(e)).length;
    const goneNodes = last.filter((e) => e.group === 'nodes' && (!now.has(String(e.data.id)) || was.get(String(e.data.id)) !== JSON.stringify(els.find((x) => x.data.id === e.data.id)))).length;
    const gone = [...was.keys()].filter((id) => !now.has(id)).length;
    lookups = 0;
    patchElements(cy, els, last);
    // Cytoscape is asked only about what changed, unless a node went (it takes its edges along).
    if (goneNodes === 0) {
      // (Cytoscape itself looks up an added edge's two ends.)
      assert.ok(lookups <= 3 * changed + gone, `${lookups} lookups for ${changed} changed and ${gone} gone`);
      if (changed < els.length / 2) small++;
    }
    last = els;
    const fresh = cytoscape({ headless: true, elements: els });
    assert.deepEqual(shown(cy), shown(fresh), `${s.level} ${s.namespace ?? ''} ${s.focus ?? ''}`);
    fresh.destroy();
  }
  assert.ok(small >= 3, 'edits that change a few elements were patched');
  lookups = 0;
  patchElements(cy, last, last);
  assert.equal(lookups, 0, 'the same picture again: Cytoscape not asked');
  cy.destroy();
});

test('a node put back under another frame brings its unchanged edges back', () => {
  const node = (id: string, parent?: string) => ({ group: 'nodes' as const, data: { id, label: id, ...(parent ? { parent } : {}) }, classes: 'workload' });
  const edge = { group: 'edges' as const, data: { id: 'a>b', source: 'a', target: 'b', label: '80/TCP' }, classes: '' };
  const one = [{ group: 'nodes' as const, data: { id: 'g1' }, classes: 'group' }, node('a', 'g1'), node('b'), edge];
  const two = [{ group: 'nodes' as const, data: { id: 'g2' }, classes: 'group' }, node('a', 'g2'), node('b'), edge];
  const cy = cytoscape({ headless: true, elements: one });
  patchElements(cy, two, one);
  const fresh = cytoscape({ headless: true, elements: two });
  assert.deepEqual(shown(cy), shown(fresh));
  cy.destroy();
  fresh.destroy();
});
