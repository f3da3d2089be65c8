// Text reports show every severity: problems in full, infos one line each, many alike folded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { INFO_GROUP, renderReportText } from '../../src/render/diagnostics.js';

const d = (severity: Diagnostic['severity'], file: string, line: number, message: string, rule?: string): Diagnostic =>
  ({ severity, type: rule ? 'Lint' : 'No kind match', path: 'kind', file, document: 0, line, column: 1, message, ...(rule ? { rule } : {}) });

test('infos are shown one line each, without code frames, after the problems', () => {
  const src = new Map([['a.yaml', 'kind: Service\nkind: Pod\n']]);
  const out = renderReportText([d('info', 'a.yaml', 1, 'kind "Service" skipped'), d('error', 'a.yaml', 2, 'broken')], src);
  assert.equal(out, [
    'a.yaml:2:1: error: kind: broken', '  1 | kind: Service', '> 2 | kind: Pod', '    | ^', '  3 | ',
    '', 'a.yaml:1:1: info: kind: kind "Service" skipped',
  ].join('\n'));
});

test(`more than ${INFO_GROUP} infos of one type or rule fold into one line with the count and the first locations`, () => {
  const many = Array.from({ length: 40 }, (_, i) => d('info', `f${i}.yaml`, i + 1, `kind "K${i}" skipped`));
  const few = [d('info', 'r.yaml', 7, 'a note', 'some-rule'), d('info', 'r.yaml', 9, 'another note', 'some-rule')];
  const warn = Array.from({ length: 5 }, (_, i) => d('warning', 'w.yaml', i + 1, `warning ${i}`, 'w-rule'));
  const out = renderReportText([...many, ...warn, ...few], new Map());
  const lines = out.split('\n');
  // Warnings are never folded.
  for (let i = 0; i < 5; i++) assert.ok(lines.includes(`w.yaml:${i + 1}:1: warning [w-rule]: kind: warning ${i}`), out);
  const folded = lines.filter((l) => l.startsWith('info [No kind match]'));
  assert.equal(folded.length, 1, out);
  assert.equal(folded[0], `info [No kind match] ×40 at f0.yaml:1:1, f1.yaml:2:1, f2.yaml:3:1 and 37 more (--format json lists each); the first: kind "K0" skipped`);
  assert.ok(!out.includes('f3.yaml'));
  assert.ok(lines.includes('r.yaml:7:1: info [some-rule]: kind: a note'));
  assert.ok(lines.includes('r.yaml:9:1: info [some-rule]: kind: another note'));
  // Exactly INFO_GROUP of a kind are still listed one by one.
  const edge = renderReportText(many.slice(0, INFO_GROUP), new Map()).split('\n');
  assert.equal(edge.length, INFO_GROUP);
});
