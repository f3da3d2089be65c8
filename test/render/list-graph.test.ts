// The list graph (namespace and end levels) and its exports: DOT, Mermaid and SVG parse, and
// hostile names come back as the text they were (never as syntax).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSources } from '../../src/load/load.js';
import { listConnections } from '../../src/analysis/list/list.js';
import { listDepends } from '../../src/analysis/list/depends.js';
import { terminalText } from '../../src/render/escape.js';
import { graphInput, listGraph, nodeLabel, edgeLabel, renderListDot, renderListMermaid, type GraphInput } from '../../src/render/list-graph.js';
import { renderListSvg } from '../../src/render/list-graph-svg.js';
import { generateCluster } from '../../src/web/generate.js';
import { HOSTILE } from './hostile.js';
import { parseDot, parseMermaid, parseSvg } from './graph-syntax.js';

const dir = 'examples/db-protection';
const example = readdirSync(dir).map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));

function inputOf(sources: { file: string; text: string }[]): GraphInput {
  const { cluster } = loadSources(sources);
  const list = listConnections(cluster, { by: 'workload' });
  return graphInput(list, listDepends(cluster, list, { by: 'workload' }));
}

const TCP = (a: number, b = a) => ({ TCP: [[a, b]] as [number, number][], UDP: [], SCTP: [] });

/** Hostile names in every place a name can reach: namespace, workload, external range, edge ports. */
function hostileInput(): GraphInput {
  const ends: GraphInput['ends'] = [];
  HOSTILE.forEach((h, i) => {
    ends.push({ kind: 'workload', id: `ns${i}/${h}`, label: `${h}/${h}[Deployment]`, namespace: h, pods: [`${h}/p-0`, `${h}/p-1`] });
  });
  ends.push({ kind: 'external', id: '10.0.0.0/8', label: '10.0.0.0/8 "]}}<x>', pods: [] });
  const connections = ends.slice(1).map((_, k) => ({ from: k, to: k + 1, allowed: TCP(80 + k) }));
  return { ends, connections, depends: [{ from: 0, to: ends.length - 1, ports: TCP(53), reason: 'x' }] };
}

describe('listGraph', () => {
  it('namespace level: one node per namespace and per external range, edges gather the pairs', () => {
    const input = inputOf(example);
    const g = listGraph(input, { level: 'namespace' });
    const namespaces = new Set(input.ends.filter((e) => e.kind !== 'external').map((e) => e.namespace));
    const externals = input.ends.filter((e) => e.kind === 'external').length;
    assert.equal(g.nodes.filter((n) => n.kind === 'namespace').length, namespaces.size);
    assert.equal(g.nodes.filter((n) => n.kind === 'external').length, externals);
    assert.ok(g.edges.length <= g.nodes.length ** 2);
    assert.equal(g.edges.reduce((s, e) => s + e.pairs, 0), input.connections.length, 'every pair counted once');
    // prod -> prod holds api -> db on 3306 (and more); staging -> prod never reaches the db port.
    const prod = g.edges.find((e) => e.from === 'ns:prod' && e.to === 'ns:prod')!;
    assert.ok(prod.ports.TCP.some(([a, b]) => a <= 3306 && 3306 <= b));
  });

  it('500-pod example: 10 namespace nodes and at most 100 namespace edges', () => {
    const g = listGraph(inputOf(generateCluster()), { level: 'namespace' });
    assert.equal(g.nodes.filter((n) => n.kind === 'namespace').length, 10);
    assert.ok(g.edges.filter((e) => e.from.startsWith('ns:') && e.to.startsWith('ns:')).length <= 100);
    assert.equal(g.nodes.find((n) => n.id === 'ns:team-00')!.pods, 50);
  });

  it('end level, drilled into one namespace: its ends and the ends they connect with', () => {
    const input = inputOf(example);
    const g = listGraph(input, { level: 'end', namespaces: ['staging'] });
    assert.ok(g.edges.every((e) => e.from.startsWith('e:staging/') || e.to.startsWith('e:staging/')));
    assert.ok(g.nodes.some((n) => n.id.startsWith('e:staging/api')));
    // The db accepts 3306 only from prod's api: the edge to it from staging exists only as depends.
    const toDb = g.edges.find((e) => e.from.startsWith('e:staging/api') && e.to.startsWith('e:prod/db'));
    assert.ok(!toDb || toDb.ports.TCP.every(([a, b]) => b < 3306 || a > 3306));
  });

  it("end level with others: 'namespace': one namespace's workloads, every other namespace gathered", () => {
    const input = inputOf(example);
    const g = listGraph(input, { level: 'end', namespaces: ['prod'], others: 'namespace' });
    assert.deepEqual(g.nodes.filter((n) => n.kind !== 'external').map((n) => n.id).sort(), ['e:prod/api[Deployment]', 'e:prod/db[StatefulSet]', 'e:prod/web[Deployment]', 'ns:staging']);
    assert.ok(g.edges.every((e) => e.from.startsWith('e:prod/') || e.to.startsWith('e:prod/')), 'only edges touching the namespace');
    const staging = g.nodes.find((n) => n.id === 'ns:staging')!;
    assert.equal(nodeLabel(staging), 'staging (1 workload, 1 pod)');
    // Every pair touching prod is counted once, whichever node it lands on.
    const touching = input.connections.filter((c) => input.ends[c.from]!.namespace === 'prod' || input.ends[c.to]!.namespace === 'prod').length;
    assert.equal(g.edges.reduce((s, e) => s + e.pairs, 0), touching);
  });
});

describe('exports parse, and names stay text', () => {
  const example = inputOf([{ file: 'x.yaml', text: readFileSync(join(dir, 'workloads.yaml'), 'utf8') + '\n---\n' + readFileSync(join(dir, 'db-policy.yaml'), 'utf8') + '\n---\n' + readFileSync(join(dir, 'namespaces.yaml'), 'utf8') }]);
  for (const [name, input] of [['example', example], ['hostile names', hostileInput()]] as const) {
    for (const level of ['namespace', 'end'] as const) {
      const g = listGraph(input, { level });
      const labels = g.nodes.map((n) => terminalText(nodeLabel(n))).sort();
      const edgeLabels = g.edges.map((e) => terminalText(edgeLabel(e))).sort();

      it(`DOT (${name}, ${level})`, () => {
        const p = parseDot(renderListDot(g));
        assert.deepEqual([...p.nodes.values()].sort(), labels);
        assert.deepEqual(p.edges.map((e) => e.label).sort(), edgeLabels);
        assert.equal(p.edges.length, g.edges.length);
        if (level === 'end') assert.deepEqual(p.groups.sort(), [...new Set(g.nodes.filter((n) => n.kind !== 'external').map((n) => terminalText(n.namespace!)))].sort());
      });

      it(`Mermaid (${name}, ${level})`, () => {
        const p = parseMermaid(renderListMermaid(g));
        assert.deepEqual([...p.nodes.values()].sort(), labels);
        assert.deepEqual(p.edges.map((e) => e.label).sort(), edgeLabels);
      });

      it(`SVG (${name}, ${level})`, () => {
        const svg = renderListSvg(g);
        const p = parseSvg(svg);
        for (const l of [...labels, ...edgeLabels.filter(Boolean)]) assert.ok(p.texts.includes(l), `missing text ${JSON.stringify(l)}`);
      });
    }
  }

  it('the checkers catch what they are for (a raw quote, a live escape, markup)', () => {
    assert.throws(() => parseDot('digraph { n0 [label="a\\lb"]; }'), /live escape/);
    assert.throws(() => parseMermaid('flowchart LR\n  n0["a"b"]'), /not in the grammar/);
    assert.throws(() => parseMermaid('flowchart LR\n  n0["<b>x</b>"]'), /markup/);
    assert.throws(() => parseSvg('<svg><script>x</script></svg>'), /unexpected element/);
    assert.throws(() => parseSvg('<svg><text>a < b</text></svg>'), /invalid XML/);
  });
});
