// The page's engine (src/web/engine.ts) and its pure helpers (diff.ts, graph.ts), in Node: the
// example and the generated 500-pod cluster must give the expected answers at every level.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, depends, expand, explain, layer, lint, podMatrix } from '../../src/web/engine.js';
import { cellChange, diffLists, endQuery } from '../../src/web/diff.js';
import { generateCluster } from '../../src/web/generate.js';
import { listGraph, type GraphInput } from '../../src/render/list-graph.js';

const dir = 'examples/db-protection';
const example = readdirSync(dir).sort().map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
const API = 'prod/api[Deployment]', DB = 'prod/db[StatefulSet]', WEB = 'prod/web[Deployment]', STAGING = 'staging/api[Deployment]', BACKUP = '192.168.5.10/32';

function ranges(g: GraphInput, from: string, to: string) {
  const i = g.ends.findIndex((e) => e.id === from), j = g.ends.findIndex((e) => e.id === to);
  assert.ok(i >= 0 && j >= 0, `${from} or ${to} missing`);
  return g.connections.find((c) => c.from === i && c.to === j)?.allowed ?? { TCP: [], UDP: [], SCTP: [] };
}
const allows = (g: GraphInput, from: string, to: string, port: number) => ranges(g, from, to).TCP.some(([a, b]) => a <= port && port <= b);

test('the example: workload ends, exact ports, the external backup host, and traces naming the rule line', () => {
  const a = analyze(example);
  assert.equal(a.pods, 4);
  assert.deepEqual(a.graph.ends.filter((e) => e.kind === 'workload').map((e) => e.id), [API, DB, WEB, STAGING]);
  assert.ok(allows(a.graph, API, DB, 3306));
  assert.ok(!allows(a.graph, STAGING, DB, 3306));
  assert.deepEqual(ranges(a.graph, DB, BACKUP).TCP, [[80, 80]], 'db egress: only the backup host on 80');
  assert.deepEqual(ranges(a.graph, BACKUP, DB).TCP, [[3306, 3306]]);
  assert.deepEqual(a.ends[a.graph.ends.findIndex((e) => e.id === DB)], { isolatedIngress: true, isolatedEgress: true, labels: { role: 'db' } });
  assert.equal(endQuery(a.graph.ends.find((e) => e.id === DB)!), 'prod/db-0');
  assert.equal(endQuery(a.graph.ends.find((e) => e.id === BACKUP)!), '192.168.5.10');
  const e = explain('staging/api', 'prod/db', '3306');
  assert.ok('verdict' in e);
  assert.equal(e.verdict.verdict, 'deny');
  assert.equal(e.verdict.ingress.policies[0]!.rules[0]!.line, 16);
  assert.deepEqual(explain('prod/api', 'prod/nope', '3306'), { error: 'to prod/nope: no pod or workload "nope" in namespace "prod" (pods there: api-0, db-0, web-0)' });
});

test('depends, a policy layer, lint findings, pods of a namespace, a workload expanded', () => {
  const a = analyze(example);
  const d = depends();
  const at = (id: string) => a.graph.ends.findIndex((e) => e.id === id);
  const sd = d.find((x) => x.from === at(STAGING) && x.to === at(DB));
  assert.ok(sd && sd.ports.TCP.some(([x, y]) => x <= 3306 && 3306 <= y), 'staging/api -> db on 3306 hinges on its unknown IP');
  assert.match(sd.reason, /no IP is known for staging\/api-0/);
  const l = layer('prod/db-policy');
  assert.ok(!('error' in l));
  assert.deepEqual(l.subjects, [at(DB)]);
  assert.deepEqual(l.ingressPeers, [at(API)]);
  assert.deepEqual(l.egressPeers, [], 'its egress peer is an ipBlock: no pod');
  assert.deepEqual(layer('prod/nope'), { error: 'no policy prod/nope' });
  assert.ok(lint().some((f) => f.rule === 'egress-blocks-dns' && f.hint));
  const m = podMatrix(['prod']);
  assert.ok(!('error' in m));
  assert.deepEqual(m.pods, ['prod/api-0', 'prod/db-0', 'prod/web-0']);
  const x = expand(API);
  assert.ok(!('error' in x));
  assert.deepEqual(x.ends.filter((e) => e.kind === 'pod').map((e) => e.id), ['prod/api-0']);
  assert.ok(allows(x, 'prod/api-0', DB, 3306), 'the pod keeps its workload neighbours');
  assert.ok(!x.ends.some((e) => e.id === API), 'the expanded workload is replaced by its pods');
  assert.deepEqual(expand(BACKUP), { error: `${BACKUP} is not a workload` });
});

test('diff against the baseline: an edit that moves the DB rule from api to web, exact per port', () => {
  const before = analyze(example).graph;
  const edited = example.map((s) => (s.file.endsWith('db-policy.yaml') ? { ...s, text: s.text.replace('app: api', 'app: web') } : s));
  const after = analyze(edited).graph;
  const d = diffLists(before, after);
  assert.deepEqual(d.changes.map((c) => [c.change, c.from, c.to, c.ports.TCP]).sort(), [
    ['closed', API, DB, [[3306, 3306]]],
    ['opened', WEB, DB, [[3306, 3306]]],
  ].sort());
  assert.equal(cellChange(d, WEB, DB, 3306, 'TCP'), 'opened');
  assert.equal(cellChange(d, API, DB, 3306, 'TCP'), 'closed');
  assert.equal(cellChange(d, API, DB, 80, 'TCP'), undefined);
  assert.deepEqual(diffLists(before, before).changes, []);
});

test('generated 500-pod cluster: tier rules hold; the overview has one node per namespace', () => {
  const a = analyze(generateCluster());
  assert.equal(a.pods, 500);
  assert.equal(a.diagnostics.filter((d) => d.severity !== 'info').length, 0);
  assert.deepEqual(a.probes.map((p) => p.port), [80, 3306, 5000, 6379, 9000]);
  const w = (ns: number, app: string) => `team-${String(ns).padStart(2, '0')}/${app}[Deployment]`;
  assert.ok(allows(a.graph, w(0, 'api'), w(0, 'db'), 3306));
  assert.ok(!allows(a.graph, w(0, 'front'), w(0, 'db'), 3306));
  assert.ok(!allows(a.graph, w(1, 'api'), w(0, 'db'), 3306));
  assert.ok(allows(a.graph, w(5, 'api'), w(0, 'front'), 80));
  assert.ok(!allows(a.graph, w(5, 'db'), w(0, 'front'), 80), 'db egress is limited to its 10.x block');
  assert.ok(allows(a.graph, w(2, 'worker'), w(0, 'cache'), 6379), 'both prod (even) namespaces');
  assert.ok(!allows(a.graph, w(1, 'worker'), w(0, 'cache'), 6379), 'staging to prod');
  const g = listGraph(a.graph, { level: 'namespace' });
  assert.equal(g.nodes.filter((n) => n.kind === 'namespace').length, 10);
  assert.ok(g.edges.filter((e) => e.from.startsWith('ns:') && e.to.startsWith('ns:')).length <= 100);
  console.log(`# 500-pod analysis took ${a.ms} ms`);
});
