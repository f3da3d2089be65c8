// The import graph of src/: no cycles, imports only along the layer table of
// docs/ARCHITECTURE.md (closed under "through"), `node:` only in cli/, node/ and dataplane/.
// Each check first proves on a synthetic graph that it can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  closeTable, findCycles, layerViolations, nodeImportViolations, readGraph, readLayerTable, specifiersOf, type Graph,
} from './graph.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const graph = readGraph(`${ROOT}src`);
const docs = readFileSync(`${ROOT}docs/ARCHITECTURE.md`, 'utf8');

const synthetic = (edges: Record<string, string[]>): Graph => new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));

test('specifiersOf reads every import form and ignores comments', () => {
  const text = [
    "import { a } from './a.js';",
    "import type { B } from '../b.js';",
    "import * as c from './c.js';",
    "import d, { e } from 'ipaddr.js';",
    "import './side-effect.js';",
    "export { f } from './f.js';",
    "export * from './g.js';",
    "const h = await import('./h.js');",
    "import {\n  i,\n  j,\n} from './ij.js';",
    "// import { no } from './comment.js';",
    "/* export * from './block.js'; */",
    "const s = 'not an import from \\'./x.js\\'';",
  ].join('\n');
  assert.deepEqual(specifiersOf(text), ['./a.js', '../b.js', './c.js', 'ipaddr.js', './side-effect.js', './f.js', './g.js', './h.js', './ij.js']);
});

test('cycle finder: finds a synthetic cycle and a self-import, passes a DAG', () => {
  assert.deepEqual(findCycles(synthetic({ 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['a.ts'], 'd.ts': ['a.ts'] })), [['a.ts', 'b.ts', 'c.ts']]);
  assert.deepEqual(findCycles(synthetic({ 'a.ts': ['a.ts'] })), [['a.ts']]);
  assert.deepEqual(findCycles(synthetic({ 'a.ts': ['b.ts', 'c.ts'], 'b.ts': ['c.ts'], 'c.ts': ['node:fs'] })), []);
});

test('no import cycles in src/', () => {
  assert.ok(graph.size > 50, 'the graph was read');
  assert.deepEqual(findCycles(graph), []);
});

test('layer table: read from the docs, closed, and checked on a synthetic graph', () => {
  const md = [
    '| folder | role | may import |', '|---|---|---|',
    '| `src/net/` | x | — |',
    '| `src/match/` | x | net |',
    '| `src/matrix/` | x | match (why, with, commas) |',
    '| `src/cli/` | x | everything |',
  ].join('\n');
  const { table, loops } = closeTable(readLayerTable(md));
  assert.deepEqual(loops, []);
  assert.deepEqual([...(table.get('matrix') as Set<string>)].sort(), ['match', 'net'], 'closed through match');
  const g = synthetic({ 'net/ip.ts': ['match/peer.ts'], 'match/peer.ts': ['net/ip.ts'], 'matrix/a.ts': ['net/ip.ts', 'cli/main.ts'], 'cli/main.ts': ['matrix/a.ts'], 'extra/x.ts': ['net/ip.ts'] });
  assert.deepEqual(layerViolations(g, table), [
    'extra/x.ts → net/ip.ts: src/extra/ has no row in the layout table',
    'matrix/a.ts → cli/main.ts: src/matrix/ may not import src/cli/',
    'net/ip.ts → match/peer.ts: src/net/ may not import src/match/',
  ]);
  assert.deepEqual(closeTable(readLayerTable(`${md}\n| \`src/net2/\` | x | match |`.replace('| `src/net/` | x | — |', '| `src/net/` | x | matrix |'))).loops, ['match', 'matrix', 'net']);
  assert.throws(() => readLayerTable('| `src/x/` | x | what? |'), /cannot read "what\?"/);
});

test('src/ follows the layer table of docs/ARCHITECTURE.md, which has a direction', () => {
  const raw = readLayerTable(docs);
  for (const layer of ['diagnostics', 'net', 'model', 'load', 'validate', 'match', 'evaluate', 'matrix', 'analysis', 'render', 'index', 'node', 'cli', 'dataplane', 'web']) {
    assert.ok(raw.has(layer), `docs/ARCHITECTURE.md has a row for src/${layer === 'index' ? 'index.ts' : `${layer}/`}`);
  }
  const { table, loops } = closeTable(raw);
  // index may import the core folders, and render "all of the above" includes nothing below it.
  assert.deepEqual(loops, []);
  assert.deepEqual(layerViolations(graph, table), []);
});

test('node: imports only in cli/, node/ and dataplane/', () => {
  assert.deepEqual(nodeImportViolations(synthetic({ 'match/peer.ts': ['node:fs'], 'cli/main.ts': ['node:fs'], 'web/vite.config.ts': ['node:url'] })), ['match/peer.ts imports node:fs']);
  assert.deepEqual(nodeImportViolations(graph), []);
});
