// `netpol list --by class` through the real CLI: its JSON, expanded to pods, is `list --by pod -o
// json` (connections and depends ranges) on the examples, with filters and Services; formats;
// what it refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from './run-cli.js';
import { expand } from '../analysis/class-list-helpers.js';
import type { PortRanges } from '../../src/index.js';

type Pair = { from: string | string[]; to: string | string[] };
const id = (x: string | string[]) => (Array.isArray(x) ? x.join(' ') : x);

function byPod(args: string[]): { allowed: Map<string, PortRanges>; depends: Map<string, string> } {
  const r = cli(['list', ...args, '--by', 'pod', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { connections: (Pair & { allowed: PortRanges })[]; depends: (Pair & { ports: PortRanges })[] };
  return {
    allowed: new Map(j.connections.map((c) => [`${id(c.from)} > ${id(c.to)}`, c.allowed])),
    depends: new Map(j.depends.map((d) => [`${id(d.from)} > ${id(d.to)}`, JSON.stringify(d.ports)])),
  };
}

function byClass(args: string[]) {
  const r = cli(['list', ...args, '--by', 'class', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j), ['ends', 'connections', 'depends']);
  const x = expand(j);
  return { json: j, allowed: x.allowed, depends: new Map([...x.depends].map(([k, v]) => [k, JSON.stringify(v)])) };
}

test('netpol list --by class -o json, expanded, is list --by pod -o json (examples, filters, Services)', () => {
  const cases = [
    ['examples/db-protection'], ['examples/multi-team'], ['examples/services'], ['examples/tiers'],
    ['examples/db-protection', '--ipblock-pods', 'depends'],
    ['examples/db-protection', '--from', 'prod', '--to', 'prod/db', '--to', '192.168.5.0/24', '-p', 'mysql', '-p', '80'],
    ['examples/services', '--to', 'svc:shop/api'],
  ];
  for (const args of cases) {
    const want = byPod(args), got = byClass(args);
    assert.deepEqual([...got.allowed].sort(), [...want.allowed].sort(), args.join(' '));
    assert.deepEqual([...got.depends].sort(), [...want.depends].sort(), args.join(' '));
  }
});

test('netpol list --by class: text, csv, md; --services names the Services per end', () => {
  const t = cli(['list', 'examples/db-protection', '--by', 'class']);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /^ends \(4 groups .*\n {2}#1 {2}prod\/api-0\n/);
  assert.match(t.stdout, /\n {2}#1 -> all but #2 {2}all\n/);
  const csv = cli(['list', 'examples/db-protection', '--by', 'class', '-o', 'csv']);
  assert.equal(csv.stdout.split('\n')[0], 'record,from,to,protocol,first_port,last_port,detail');
  const md = cli(['list', 'examples/db-protection', '--by', 'class', '-o', 'md']);
  assert.equal(md.stdout.split('\n')[0], '| end | pods or addresses |');
  const s = cli(['list', 'examples/services', '--by', 'class', '--services', '-o', 'json']);
  assert.equal(s.code, 0, s.stderr);
  const ends = JSON.parse(s.stdout).ends as { pods?: string[]; services?: string[] }[];
  assert.ok(ends.some((e) => e.services?.length), 'some end is fronted by a Service');
  assert.ok(ends.every((e) => !e.pods || Array.isArray(e.services)), 'every pod end says which Services front it');
});

test('netpol list --by class refuses graphs and reports filters that match nothing', () => {
  const g = cli(['list', 'examples/db-protection', '--by', 'class', '-o', 'dot']);
  assert.equal(g.code, 2);
  assert.match(g.stderr, /--by class has no graph form/);
  assert.equal(g.stdout, '');
  const none = cli(['list', 'examples/db-protection', '--by', 'class', '--from', 'prod/nope']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no pod, namespace or external range matches "prod\/nope"/);
});
