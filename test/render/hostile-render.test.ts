// Defence in depth: validation rejects hostile names, but every renderer must be safe on its
// own. The model here is built directly (bypassing the loader): the built-in example with one pod
// per hostile string and hostile policy names. Each render
// must hold no control character and keep the structure of the clean render (same lines,
// same CSV records and fields, same Markdown cells).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster, Pod } from '../../src/model/types.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { loadSources } from '../../src/load/load.js';
import { computeMatrix } from '../../src/matrix/matrix.js';
import { Evaluator } from '../../src/evaluate/evaluate.js';
import { explainCluster } from '../../src/analysis/explain/explain.js';
import { computeCoverage } from '../../src/analysis/coverage/coverage.js';
import type { TestReport } from '../../src/analysis/assert/run.js';
import type { DiffResult } from '../../src/analysis/diff/diff.js';
import { renderMatrixCsv, renderMatrixMarkdown, renderMatrixTable } from '../../src/render/matrix.js';
import { renderVerdictText } from '../../src/render/verdict.js';
import { renderExplainTable, renderExplainText } from '../../src/render/explain.js';
import { renderCoverageText } from '../../src/render/coverage.js';
import { renderDiffText } from '../../src/render/diff.js';
import { renderJunit, renderTestGithub, renderTestText } from '../../src/render/test-report.js';
import { renderDiagnosticsText, renderGithubAnnotations } from '../../src/render/diagnostics.js';
import { CONTROL_IN_BLOCK, HOSTILE, markdownCells, parseCsv } from './hostile.js';

const dir = join(import.meta.dirname, '../../examples/db-protection');
const example: Cluster = loadSources(readdirSync(dir).sort().map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }))).cluster;
const h = (i: number): string => `${HOSTILE[i % HOSTILE.length]}#${i}`;

/** One pod per hostile string (copies of the example's pods, so policies select them). */
function withNames(name: (i: number) => string, policyName: (i: number) => string): Cluster {
  return {
    ...example,
    pods: HOSTILE.map((_, i): Pod => ({ ...example.pods[i % example.pods.length]!, name: name(i) })),
    policies: example.policies.map((p, i) => ({ ...p, name: policyName(i) })),
  };
}
const clean = withNames((i) => `pod-${i}`, (i) => `policy-${i}`);
const hostile = withNames(h, (i) => h(i + 5));

const lines = (s: string): number => s.split('\n').length;
function safeBlock(s: string, what: string): void {
  assert.doesNotMatch(s, CONTROL_IN_BLOCK, `${what} holds a control character`);
}

describe('hostile names through every renderer', () => {
  assert.ok(example.pods.length >= 4 && example.policies.length >= 1, 'the example loads');
  const probes = [{ port: 3306, protocol: 'TCP' as const }, { port: 80, protocol: 'TCP' as const }];
  const mClean = computeMatrix(clean, probes);
  const mHostile = computeMatrix(hostile, probes);

  it('the hostile model really carries hostile names', () => {
    assert.ok(mHostile.pods.some((p) => p.includes('\x1b')) && mHostile.pods.some((p) => p.includes('\n')));
  });

  it('matrix table: no control characters, same lines as the clean table', () => {
    const t = renderMatrixTable(mHostile);
    safeBlock(t, 'table');
    assert.equal(lines(t), lines(renderMatrixTable(mClean)));
    assert.match(t, /\\x1b\[31mred/);
  });

  it('matrix CSV: every record has 6 fields, one record per cell, no formula', () => {
    const csv = renderMatrixCsv(mHostile);
    safeBlock(csv.replace(/\r/g, ''), 'csv');
    const rows = parseCsv(csv);
    const n = mHostile.pods.length;
    assert.equal(rows.length, 1 + probes.length * n * n);
    for (const r of rows) assert.equal(r.length, 6, JSON.stringify(r));
    for (const r of rows.slice(1)) for (const f of [r[2]!, r[3]!]) assert.doesNotMatch(f, /^[=+\-@]/);
    // The names survive, readable: a comma and a quote come back as themselves.
    assert.ok(rows.some((r) => r[2]!.includes('/c,d#')));
    assert.ok(rows.some((r) => r[2]!.includes('/e"f#')));
  });

  it('matrix Markdown: every table row has n+1 cells, no raw HTML, no control characters', () => {
    const md = renderMatrixMarkdown(mHostile);
    safeBlock(md, 'markdown');
    assert.equal(lines(md), lines(renderMatrixMarkdown(mClean)));
    const n = mHostile.pods.length;
    for (const l of md.split('\n').filter((x) => x.startsWith('|'))) assert.equal(markdownCells(l).length, n + 1, l);
    assert.doesNotMatch(md, /<[a-z]/i);
  });

  it('query verdict text: same lines as for the clean names', () => {
    const conn = (c: Cluster) => ({ from: { kind: 'pod' as const, pod: c.pods[0]! }, to: { kind: 'pod' as const, pod: c.pods[1]! }, port: 3306, protocol: 'TCP' as const });
    const t = renderVerdictText(new Evaluator(hostile).evaluate(conn(hostile)));
    safeBlock(t, 'verdict');
    assert.equal(lines(t), lines(renderVerdictText(new Evaluator(clean).evaluate(conn(clean)))));
  });

  it('explain (text and table) and coverage: same lines as for the clean names', () => {
    for (const [name, render] of [
      ['explain', (c: Cluster) => renderExplainText(explainCluster(c))],
      ['explain table', (c: Cluster) => renderExplainTable(explainCluster(c))],
      ['coverage', (c: Cluster) => renderCoverageText(computeCoverage(c))],
    ] as const) {
      const t = render(hostile);
      safeBlock(t, name);
      assert.equal(lines(t), lines(render(clean)), name);
    }
  });

  it('diff text', () => {
    const d: DiffResult = {
      opened: HOSTILE.map((x, i) => ({ from: `${x}-0`, to: h(i), port: 80, protocol: 'TCP' })),
      closed: [],
      policies: { added: [...HOSTILE], removed: [], changed: [] },
    };
    const t = renderDiffText(d);
    safeBlock(t, 'diff');
    // header, one group per connection, closed header + none, policies header + one per policy
    assert.equal(lines(t), 1 + HOSTILE.length + 2 + 1 + HOSTILE.length);
  });

  it('test report: text, JUnit XML and GitHub annotations', () => {
    const trace = new Evaluator(hostile).evaluate({ from: { kind: 'pod', pod: hostile.pods[0]! }, to: { kind: 'pod', pod: hostile.pods[1]! }, port: 3306, protocol: 'TCP' });
    const report: TestReport = {
      passed: 0,
      failed: HOSTILE.length,
      results: HOSTILE.map((x, i) => ({
        assertion: `${x} -> ${h(i)} allow`, name: x, ok: false, file: `${x}.yaml`, line: i + 1, checked: 1,
        failures: [{ from: x, to: h(i), port: 80, protocol: 'TCP', verdict: 'deny' }], trace,
        // The depends lines carry names and reasons too.
        depends: [{ from: x, to: h(i), port: 80, protocol: 'TCP', verdict: 'deny', depends: [`pod ${x} has no IP`] }],
      })),
    };
    const text = renderTestText(report);
    safeBlock(text, 'test text');
    assert.equal(text.split('\n').filter((l) => /^(PASS|FAIL) {2}/.test(l)).length, HOSTILE.length);

    const xml = renderJunit(report);
    safeBlock(xml, 'junit');
    assert.equal(xml.match(/<testcase /g)!.length, HOSTILE.length);
    // Every `<` opens one of our tags: no markup from a name.
    for (const m of xml.matchAll(/<(\/?)([^\s>]*)/g)) assert.match(m[2]!, /^(\?xml|testsuites|testsuite|testcase|failure|system-out)$/, m[0]);

    const gh = renderTestGithub(report);
    safeBlock(gh, 'github');
    assert.equal(lines(gh), HOSTILE.length);
    for (const l of gh.split('\n')) assert.match(l, /^::error file=/);
  });

  it('diagnostics text with a code frame, and GitHub annotations', () => {
    const source = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "x"\x1b[2J\r# \u202Eevil\n';
    const diags: Diagnostic[] = HOSTILE.map((x) => ({
      severity: 'error', type: 'Invalid value', path: `metadata.${x}`, file: 'p.yaml', document: 0, line: 4, column: 3,
      message: `Pod ${x} is defined more than once`, hint: `rename ${x}`,
    }));
    const text = renderDiagnosticsText(diags, new Map([['p.yaml', source]]));
    safeBlock(text, 'diagnostics');
    // Per diagnostic: the message line, 3 frame lines + caret, the hint; blank line between.
    assert.equal(lines(text), HOSTILE.length * 6 + (HOSTILE.length - 1));
    assert.match(text, /name: "x"\\x1b\[2J\\r# \\u202eevil/);

    const hostileFile = diags.map((d) => ({ ...d, file: '\x1b]8;;http://x\x07link' }));
    const gh = renderGithubAnnotations(hostileFile);
    safeBlock(gh, 'annotations');
    assert.equal(lines(gh), HOSTILE.length);
  });
});
