// `netpol list --format dot|mermaid|svg [--by namespace]`: the same graph as the page's exports,
// parsed by independent checkers; --by namespace refuses the text formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from './run-cli.js';
import { parseDot, parseMermaid, parseSvg } from '../render/graph-syntax.js';

test('list --format dot: workloads inside namespace clusters; the api reaches the db on 3306', () => {
  const r = cli(['list', 'examples/db-protection', '--format', 'dot']);
  assert.equal(r.code, 0, r.stderr);
  const g = parseDot(r.stdout);
  assert.deepEqual(g.groups.sort(), ['prod', 'staging']);
  const id = (label: string) => [...g.nodes].find(([, l]) => l === label)?.[0];
  const api = id('api[Deployment]'), db = id('db[StatefulSet]');
  assert.ok(api && db, [...g.nodes.values()].join(', '));
  assert.ok(g.edges.some((e) => e.from === api && e.to === db && e.label === '3306'));
});

test('list --format mermaid --by namespace: one node per namespace and external range', () => {
  const r = cli(['list', 'examples/db-protection', '--format', 'mermaid', '--by', 'namespace']);
  assert.equal(r.code, 0, r.stderr);
  const g = parseMermaid(r.stdout);
  const labels = [...g.nodes.values()];
  assert.equal(labels.filter((l) => /^(prod|staging) \(/.test(l)).length, 2, labels.join('\n'));
  assert.ok(g.edges.length <= g.nodes.size ** 2);
});

test('list --format svg --by pod: well-formed SVG naming every pod', () => {
  const r = cli(['list', 'examples/db-protection', '--format', 'svg', '--by', 'pod']);
  assert.equal(r.code, 0, r.stderr);
  const { texts } = parseSvg(r.stdout);
  for (const p of ['api-0', 'db-0', 'web-0']) assert.ok(texts.includes(p), texts.join(', '));
});

test('list --by namespace without a graph format is a usage error', () => {
  const r = cli(['list', 'examples/db-protection', '--by', 'namespace']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--by namespace draws a graph/);
});
