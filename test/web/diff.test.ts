// The page's "changes" (src/web/diff.ts) after edits that open, close, add and remove: equal to a
// naive reference written from the definition (string keys, every pair), order included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, forget } from '../../src/web/engine.js';
import { diffLists, endQuery, type Delta } from '../../src/web/diff.js';
import { generateCluster } from '../../src/web/generate.js';
import { PROTOCOLS, hasAny, subtractRanges, type GraphInput, type PortRanges } from '../../src/index.js';

function reference(before: GraphInput, after: GraphInput): { changes: Delta[]; addedEnds: string[]; removedEnds: string[] } {
  const pairs = (g: GraphInput) => new Map(g.connections.map((c) => [`${g.ends[c.from]!.id}>${g.ends[c.to]!.id}`, { from: g.ends[c.from]!, to: g.ends[c.to]!, allowed: c.allowed }]));
  const was = pairs(before), now = pairs(after);
  const b = new Set(before.ends.map((e) => e.id)), a = new Set(after.ends.map((e) => e.id));
  const none: PortRanges = { TCP: [], UDP: [], SCTP: [] };
  const minus = (x: PortRanges, y: PortRanges) => Object.fromEntries(PROTOCOLS.map((p) => [p, subtractRanges(x[p], y[p])])) as PortRanges;
  const changes: Delta[] = [];
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    const x = (now.get(key) ?? was.get(key))!;
    if (![x.from.id, x.to.id].every((id) => a.has(id) && b.has(id))) continue;
    const opened = minus(now.get(key)?.allowed ?? none, was.get(key)?.allowed ?? none);
    const closed = minus(was.get(key)?.allowed ?? none, now.get(key)?.allowed ?? none);
    for (const [change, ports] of [['closed', closed], ['opened', opened]] as const) {
      if (hasAny(ports)) changes.push({ from: x.from.id, to: x.to.id, fromQuery: endQuery(x.from), toQuery: endQuery(x.to), change, ports });
    }
  }
  return { changes, addedEnds: [...a].filter((id) => !b.has(id)), removedEnds: [...b].filter((id) => !a.has(id)) };
}

test('the diff after edits = the naive reference (opened, closed, new and removed ends)', () => {
  forget();
  const base = generateCluster(4, 3);
  const edit = (f: (t: string) => string, file = 'generated/policies.yaml') => base.map((s) => (s.file === file ? { ...s, text: f(s.text) } : s));
  const before = analyze(base).graph;
  const afters = [
    edit((t) => t.replace('ports: [{port: 80}]', 'ports: [{port: 800}]')),
    edit((t) => t.replace('ports: [{port: 5000}]', 'ports: [{port: 5000}, {port: 7000, endPort: 7100}]')),
    edit((t) => t.replace(/^  policyTypes: \[Ingress\]$/m, '  policyTypes: [Ingress, Egress]')),
    // Workloads renamed (ends removed and added) and relabelled.
    edit((t) => t.replace('name: cache, namespace: team-01', 'name: cache2, namespace: team-01').replace('{app: worker}}\n  template:\n    metadata: {labels: {app: worker}}', '{app: db}}\n  template:\n    metadata: {labels: {app: db}}'), 'generated/workloads.yaml'),
  ].map((files) => analyze(files).graph);
  let some = 0;
  for (const after of afters) {
    const d = diffLists(before, after), r = reference(before, after);
    assert.deepEqual({ changes: d.changes, addedEnds: d.addedEnds, removedEnds: d.removedEnds }, r);
    assert.deepEqual([...d.byPair.keys()].sort(), [...new Set(r.changes.map((c) => `${c.from}>${c.to}`))].sort());
    assert.deepEqual(diffLists(after, before).changes, reference(after, before).changes, 'and back');
    some += d.changes.length;
  }
  assert.ok(some > 20 && afters.some((g) => reference(before, g).removedEnds.length > 0), 'the edits opened, closed and removed something');
});
