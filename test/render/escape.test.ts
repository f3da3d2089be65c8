// Unit tests of the sink escapes (src/render/escape.ts) with hostile names.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, csvRow, markdownCell, safeJson, terminalBlock, terminalText } from '../../src/render/escape.js';
import { CONTROL_ANY, CONTROL_IN_BLOCK, HOSTILE, markdownCells, parseCsv } from './hostile.js';

describe('terminalText', () => {
  it('turns every control character into a visible escape', () => {
    assert.equal(terminalText('a\nb'), 'a\\nb');
    assert.equal(terminalText('g\rh'), 'g\\rh');
    assert.equal(terminalText('tab\tz'), 'tab\\tz');
    assert.equal(terminalText('\x1b[31mred'), '\\x1b[31mred');
    assert.equal(terminalText('n\0ul'), 'n\\x00ul');
    assert.equal(terminalText('\u009b2J'), '\\x9b2J');
    assert.equal(terminalText('\x7f'), '\\x7f');
    assert.equal(terminalText('bidi\u202Eevil'), 'bidi\\u202eevil');
    assert.equal(terminalText('x\u2028y'), 'x\\u2028y');
  });
  it('leaves ordinary text, punctuation and non-Latin letters alone', () => {
    for (const s of ['prod/api-0', 'a|b,c"d', 'café', '名前', 'e\u0301', '✔ ✘ → …']) assert.equal(terminalText(s), s);
  });
  it('no code point below U+10000 survives raw if it is a control, format-direction mark or separator', () => {
    let all = '';
    for (let c = 0; c < 0x10000; c++) if (c < 0xd800 || c > 0xdfff) all += String.fromCharCode(c);
    assert.doesNotMatch(terminalText(all), CONTROL_ANY);
    assert.doesNotMatch(terminalBlock(all), CONTROL_IN_BLOCK);
  });
});

describe('terminalBlock', () => {
  it('keeps line feeds and tabs (the structure is ours) and escapes the rest, CR included', () => {
    assert.equal(terminalBlock('line 1\n\tline 2'), 'line 1\n\tline 2');
    assert.equal(terminalBlock('over\rwrite\x1b]0;title\x07'), 'over\\rwrite\\x1b]0;title\\x07');
  });
});

describe('csvField (RFC 4180)', () => {
  it('quotes a field holding a comma, a quote, CR or LF, and doubles quotes', () => {
    assert.equal(csvField('c,d'), '"c,d"');
    assert.equal(csvField('e"f'), '"e""f"');
    assert.equal(csvField('a\nb'), '"a\nb"');
    assert.equal(csvField('g\rh'), '"g\rh"');
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField(80), '80');
    assert.equal(csvField(true), 'true');
  });
  it('neutralises spreadsheet formulas with a leading apostrophe', () => {
    assert.equal(csvField('=HYPERLINK("http://x")'), '"\'=HYPERLINK(""http://x"")"');
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('-1'), "'-1");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('\tx'), "'\tx");
    assert.equal(csvField('a=b'), 'a=b');
    // Numbers are data, not text: left alone.
    assert.equal(csvField(-1), '-1');
  });
  it('escapes terminal controls other than CR, LF and TAB', () => {
    assert.equal(csvField('\x1b[31mred'), '\\x1b[31mred');
    assert.equal(csvField('bidi\u202Eevil'), 'bidi\\u202eevil');
    assert.equal(csvField('n\0ul'), 'n\\x00ul');
  });
  it('every hostile row parses back to the same number of fields, with its text', () => {
    const text = HOSTILE.map((h) => csvRow([1, h, 'x', true])).join('\n');
    const rows = parseCsv(text);
    assert.equal(rows.length, HOSTILE.length);
    rows.forEach((r, i) => {
      assert.equal(r.length, 4, `row ${i}`);
      assert.equal(r[1], csvField(HOSTILE[i]!).replace(/^"|"$/g, '').replace(/""/g, '"'));
      // The visible part of the name survives (after the formula prefix and escapes).
      assert.match(r[1]!, /^'?/);
      assert.doesNotMatch(r[1]!, /^[=+\-@]/);
    });
  });
});

describe('markdownCell', () => {
  it('escapes pipes, backslashes, code, emphasis, links and HTML', () => {
    assert.equal(markdownCell('p|q'), 'p\\|q');
    assert.equal(markdownCell('back\\slash'), 'back\\\\slash');
    assert.equal(markdownCell('`code`'), '\\`code\\`');
    assert.equal(markdownCell('<b>&amp;'), '&lt;b&gt;&amp;amp;');
    assert.equal(markdownCell('*em* _u_ [l](u) ~s~'), '\\*em\\* \\_u\\_ \\[l\\](u) \\~s\\~');
    assert.equal(markdownCell('prod/api-0'), 'prod/api-0');
  });
  it('a newline or control cannot end the row', () => {
    assert.equal(markdownCell('a\nb'), 'a\\\\nb');
    assert.equal(markdownCell('\x1b[31m'), '\\\\x1b\\[31m');
  });
  it('a row of hostile cells keeps its column count and stays on one line', () => {
    for (const h of HOSTILE) {
      const line = `| ${markdownCell(h)} | x |`;
      assert.doesNotMatch(line, CONTROL_ANY, JSON.stringify(h));
      assert.deepEqual(markdownCells(line).length, 2, JSON.stringify(h));
      assert.doesNotMatch(line, /<[a-z]/i);
    }
  });
});

describe('safeJson', () => {
  it('is the same JSON value, with DEL, C1, bidi marks and separators escaped', () => {
    const v = { names: [...HOSTILE], n: 1 };
    const s = safeJson(v, 2);
    assert.deepEqual(JSON.parse(s), v);
    assert.doesNotMatch(s.replace(/\n/g, ''), CONTROL_ANY);
    assert.match(s, /\\u202e/);
    assert.match(s, /\\u009b/);
    assert.equal(safeJson({ a: 'b' }), JSON.stringify({ a: 'b' }));
  });
});
