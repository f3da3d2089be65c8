// `list --by class` read back: its JSON, expanded to pods by the rules the JSON states (`to`, or
// every end but `toAllExcept`; a pod never pairs with itself), must give exactly
// `list --by pod` — every pair, every port range, both directions with the external ranges —
// and its depends exactly list --by pod's depends ranges, on generated clusters (the list tests'
// generators), the examples and a B2 cluster; with filters, every mode, and once broken on purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { certainOnly, listConnections, listDepends, parseEndFilter, parsePortFilter, type EndFilter, type PortFilter, type PortRanges } from '../../src/index.js';
import { listClasses, type ClassListOptions } from '../../src/analysis/list/class-list.js';
import { classListToJson, renderClassListCsv, renderClassListMarkdown, renderClassListText } from '../../src/render/class-list.js';
import { PROTOCOLS, type Cluster, type Pod } from '../../src/model/types.js';
import { generateCluster } from '../oracle/generate.js';
import { replicaCluster } from '../matrix/helpers.js';
import { b2 } from '../../bench/workloads.js';
import { load } from './helpers.js';
import { expand, union, type Json } from './class-list-helpers.js';

const idOf = (e: { pods: readonly Pod[]; cidrs: readonly string[]; kind: string }) => (e.kind === 'external' ? e.cidrs.join(' ') : `${e.pods[0]!.namespace}/${e.pods[0]!.name}`);

/** `list --by pod` (under 'depends': its certain allows) and its depends, keyed like expand(). */
function byPod(cluster: Cluster, o: ClassListOptions): { allowed: Map<string, PortRanges>; depends: Map<string, PortRanges> } {
  const opts = { ipBlockPods: o.ipBlockPods, from: o.from, to: o.to, ports: o.ports, by: 'pod' as const };
  const list = listConnections(cluster, opts);
  const deps = listDepends(cluster, list, opts);
  const shown = o.ipBlockPods === 'depends' ? certainOnly(list, deps) : list;
  const allowed = new Map(shown.connections.map((c) => [`${idOf(c.from)} > ${idOf(c.to)}`, c.allowed]));
  const ids = new Map(list.ends.map((e) => [JSON.stringify(e.id), idOf(e)]));
  const depends = new Map<string, PortRanges>();
  for (const d of deps) {
    const k = `${ids.get(JSON.stringify(d.from))} > ${ids.get(JSON.stringify(d.to))}`;
    depends.set(k, union(depends.get(k), d.ports));
  }
  return { allowed, depends };
}

function mapDiff(what: string, got: Map<string, PortRanges>, want: Map<string, PortRanges>): string[] {
  const out: string[] = [];
  for (const [k, v] of want) if (JSON.stringify(got.get(k)) !== JSON.stringify(v)) out.push(`${what} ${k}: class list ${JSON.stringify(got.get(k))}, by pod ${JSON.stringify(v)}`);
  for (const k of got.keys()) if (!want.has(k)) out.push(`${what} ${k}: only in the class list`);
  return out;
}

function differences(cluster: Cluster, o: ClassListOptions, j = classListToJson(listClasses(cluster, o)) as Json): string[] {
  const got = expand(j), want = byPod(cluster, o);
  return [...mapDiff('allowed', got.allowed, want.allowed), ...mapDiff('depends', got.depends, want.depends)];
}

function check(cluster: Cluster, o: ClassListOptions, what: string): { pairs: number; ends: number; pods: number } {
  const j = classListToJson(listClasses(cluster, o)) as Json;
  const d = differences(cluster, o, j);
  assert.deepEqual(d.slice(0, 5), [], `${what}: ${d.length} differences`);
  return { pairs: expand(j).allowed.size, ends: j.ends.length, pods: cluster.pods.length };
}

const end = (t: string) => parseEndFilter(t) as EndFilter;
const port = (t: string) => parsePortFilter(t) as PortFilter;

test('generated clusters (oracle generator): expanded, the class list is list --by pod, in every mode', () => {
  let pairs = 0;
  for (let seed = 7000; seed < 7030; seed++) {
    const { cluster } = generateCluster(seed);
    for (const mode of ['match', 'ignore', 'depends'] as const) pairs += check(cluster, { ipBlockPods: mode }, `seed ${seed} ${mode}`).pairs;
  }
  assert.ok(pairs > 1000, `${pairs} pairs compared`);
});

test('replica clusters (hostNetwork, pods with and without IPs, ipBlocks): connections and depends, in every mode', () => {
  let grouped = 0, dependsSeen = 0, pairs = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const cluster = replicaCluster(seed);
    for (const mode of ['match', 'ignore', 'depends'] as const) {
      const list = listClasses(cluster, { ipBlockPods: mode });
      if (list.ends.filter((e) => e.kind === 'class').length < cluster.pods.length) grouped++;
      dependsSeen += list.depends.length;
      pairs += check(cluster, { ipBlockPods: mode }, `replica ${seed} ${mode}`).pairs;
    }
  }
  assert.ok(grouped >= 60, `pods shared ends in ${grouped} of 90 lists`);
  assert.ok(dependsSeen > 0 && pairs > 10_000, `${dependsSeen} depends entries, ${pairs} pairs`);
});

test('filters: --from, --to (namespace, pod, label, address, Service pods), --port (number, range, name)', () => {
  const filters: [string, ClassListOptions][] = [
    ['from a', { from: [end('a')] }],
    ['to b', { to: [end('b')] }],
    ['to label', { to: [end('a/app=web'), end('b/app=web')] }],
    ['from pod to address', { from: [end('a/p1'), end('b/p2')], to: [end('10.0.0.0/8'), end('192.168.0.1')] }],
    ['port 80', { ports: [port('80')] }],
    ['named port', { ports: [port('http'), port('53/UDP')] }],
    ['from address, named port', { from: [end('0.0.0.0/0')], ports: [port('metrics')] }],
  ];
  let pairs = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const cluster = replicaCluster(seed);
    const some = cluster.pods[seed % cluster.pods.length]!;
    const all: [string, ClassListOptions][] = [...filters, ['pods set', { to: [{ kind: 'pods', text: 'svc', pods: new Set([some, cluster.pods[0]!]) }] }]];
    for (const [what, o] of all) {
      for (const mode of ['match', 'depends'] as const) pairs += check(cluster, { ...o, ipBlockPods: mode }, `replica ${seed} ${what} ${mode}`).pairs;
    }
  }
  assert.ok(pairs > 1000, `${pairs} pairs`);
});

test('the examples (tiers, Services, db-protection, multi-team): expanded, the class list is list --by pod', () => {
  for (const ex of ['db-protection', 'multi-team', 'services', 'tiers', 'page-tiers']) {
    const { cluster } = load(`examples/${ex}`);
    for (const mode of ['match', 'ignore', 'depends'] as const) check(cluster, { ipBlockPods: mode }, `${ex} ${mode}`);
  }
  const { cluster } = load('examples/db-protection');
  check(cluster, { to: [end('prod/db')], ports: [port('mysql')] }, 'db-protection filtered');
});

test('B2, 1,500 pods without owners: few ends and entries; expanded, it is list --by pod', () => {
  const cluster = b2(1500);
  const list = listClasses(cluster);
  const pods = list.ends.filter((e) => e.kind === 'class').length;
  // Every row reaches almost every class: an entry per source (group) is `toAllExcept` a few.
  const sizes = list.connections.map((c) => ('to' in c.dests ? c.dests.to.length : c.dests.toAllExcept.length));
  assert.ok(list.connections.length <= 3 * list.ends.length, `${list.connections.length} entries for ${list.ends.length} ends`);
  const ids = sizes.reduce((a, b) => a + b, 0);
  assert.ok(ids < (1500 * 1500) / 50, `${ids} end ids written, against 2.25 M pod pairs`);
  assert.ok(list.connections.some((c) => 'toAllExcept' in c.dests), 'toAllExcept is used');
  const t = check(cluster, {}, 'b2 1500');
  assert.ok(t.pairs > 500_000, `${t.pairs} pairs, ${pods} pod ends`);
});

test('broken on purpose: a dropped exception, a pod moved between ends, a lost depends range are all caught', () => {
  const cluster = replicaCluster(3);
  const o: ClassListOptions = { ipBlockPods: 'match' };
  const j = classListToJson(listClasses(cluster, o)) as Json;
  assert.deepEqual(differences(cluster, o, j), []);
  const copy = (): Json => JSON.parse(JSON.stringify(j));
  // 1. An end left out of a `toAllExcept` (or, if none, out of a `to`) now reads as reached.
  const a = copy();
  const withExcept = a.connections.find((c) => 'toAllExcept' in c && c.toAllExcept.length);
  if (withExcept && 'toAllExcept' in withExcept) withExcept.toAllExcept.pop();
  else { const c = a.connections.find((x) => 'to' in x)!; if ('to' in c) c.to.pop(); }
  assert.ok(differences(cluster, o, a).length > 0, 'a dropped exception is caught');
  // 2. A pod left out of its end.
  const b = copy();
  const multi = b.ends.findIndex((e) => 'pods' in e && e.pods.length > 1);
  assert.ok(multi >= 0, 'some end holds several pods');
  (b.ends[multi] as { pods: string[] }).pods.pop();
  assert.ok(differences(cluster, o, b).length > 0, 'a lost pod is caught');
  // 3. A depends range dropped.
  const c = copy();
  assert.ok(c.depends.length > 0, 'this cluster has depends');
  c.depends.pop();
  assert.ok(differences(cluster, o, c).length > 0, 'a lost depends entry is caught');
});

test('formats: text, CSV and Markdown name ends once and keep hostile names as data', () => {
  const { cluster } = load('examples/db-protection');
  const list = listClasses(cluster);
  const text = renderClassListText(list);
  assert.match(text, /^ends \(4 groups/);
  assert.match(text, /\n {2}#1 {2}prod\/api-0\n/);
  assert.match(text, /\n {2}#1 -> all but #2 {2}all\n {2}#1 -> #2 {2}TCP 3306\n/);
  assert.match(text, /\n {2}#3, #4 -> all but #2 {2}all\n/);
  assert.match(text, /\n {2}#5 {2}0\.0\.0\.0\/0 except 192\.168\.5\.10\/32 \(external\)\n/);
  const csv = renderClassListCsv(list).split('\n');
  assert.equal(csv[0], 'record,from,to,protocol,first_port,last_port,detail');
  assert.ok(csv.includes('end,#1,,,,,prod/api-0'), csv.join('\n'));
  assert.ok(csv.includes('allow-all-except,#1,#2,TCP,1,65535,'), csv.join('\n'));
  assert.ok(csv.includes('allow,#1,#2,TCP,3306,3306,'), csv.join('\n'));
  assert.ok(csv.some((l) => l.startsWith('depends,#2,#1,TCP,80,80,')));
  const md = renderClassListMarkdown(list).split('\n');
  assert.equal(md[2], '| #1 | prod/api-0 |');
  assert.ok(md.includes('| #1 | all but #2 | all |'), md.join('\n'));
  const evil = 'a,b"c|d\ne\u001b[31m';
  const p = (name: string): Pod => ({ kind: 'Pod', name, namespace: 'p', labels: {}, ips: [], ports: [], hostNetwork: false });
  const hostile = listClasses({ namespaces: [{ kind: 'Namespace', name: 'p', labels: { 'kubernetes.io/metadata.name': 'p' }, implicit: false }], pods: [p(evil), p('x')], policies: [] });
  const t = renderClassListText(hostile);
  assert.ok(!/[\u0000-\u0009\u000b-\u001f]/.test(t) && t.includes('\\x1b') && t.includes('\\n'), t);
  const m = renderClassListMarkdown(hostile).split('\n');
  assert.equal(m[2]!.split(/(?<!\\)\|/).length, 4, m[2]);
  assert.ok(renderClassListCsv(hostile).includes('"p/a,b""c|d\ne\\x1b[31m p/x"'), renderClassListCsv(hostile));
});
