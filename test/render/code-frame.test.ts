// Code frames: exact for short lines; long lines clipped around the column, caret still under it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeFrame, FRAME_RADIUS } from '../../src/render/code-frame.js';
import { renderDiagnosticsText } from '../../src/render/diagnostics.js';
import { loadSources } from '../../src/load/load.js';

/** The character the caret points at, read back from the rendered frame. */
function underCaret(frame: string): string {
  const rows = frame.split('\n');
  const at = rows.findIndex((r) => r.startsWith('>'));
  const caret = rows[at + 1]!.indexOf('^');
  return rows[at]![caret]!;
}

test('short lines are printed whole with their neighbours', () => {
  assert.equal(codeFrame('a: 1\nbb: 2\nc: 3\n', 2, 5), '  1 | a: 1\n> 2 | bb: 2\n    |     ^\n  3 | c: 3');
});

test('a long line is clipped to a window around the column, with … where text was cut', () => {
  const long = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
  for (const column of [1, 30, 61, 62, 2500, 4990, 5000]) {
    const frame = codeFrame(`short\n${long}\nx`, 2, column);
    const row = frame.split('\n').find((r) => r.startsWith('>'))!;
    const body = row.slice(row.indexOf('| ') + 2);
    assert.ok(body.length <= 2 * FRAME_RADIUS + 3, `column ${column}: ${body.length} characters`);
    assert.equal(body.startsWith('…'), column - 1 > FRAME_RADIUS, `column ${column}: leading …`);
    assert.equal(body.endsWith('…'), column + FRAME_RADIUS < long.length, `column ${column}: trailing …`);
    assert.equal(underCaret(frame), long[column - 1], `column ${column}: caret`);
    assert.ok(body.includes(long.slice(Math.max(0, column - 1 - FRAME_RADIUS), column + FRAME_RADIUS)), 'the window itself is intact');
  }
});

test('neighbour lines get the same window, so columns stay aligned', () => {
  const a = 'A'.repeat(300), b = `${'-'.repeat(199)}X${'-'.repeat(100)}`;
  const frame = codeFrame(`${a}\n${b}\n${a}`, 2, 200);
  const rows = frame.split('\n');
  assert.equal(rows.length, 4);
  assert.equal(underCaret(frame), 'X');
  for (const r of rows) assert.ok(r.length < 140, r);
  assert.equal(rows[0]!.length, rows[1]!.length);
});

test('a minified 400 KB JSON manifest is never printed whole', () => {
  const pods = Array.from({ length: 4000 }, (_, i) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}`, namespace: 'ns', labels: { app: `app-${i}` } } }));
  const bad = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: 'ns' }, spec: { podSelector: {}, ingress: [{ form: [] }] } };
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...pods, bad] });
  assert.ok(text.length > 400_000 && !text.includes('\n'));
  const r = loadSources([{ file: 'min.json', text }]);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  const out = renderDiagnosticsText(errors, r.sources);
  assert.ok(out.length < 1000, `${out.length} characters`);
  assert.match(out, /"form"/);
  assert.match(out, /> 1 \| …/);
});
