// YAML as kubectl decodes it: sigs.k8s.io/yaml over go-yaml v2, then JSON.
//
// Most snippets are transcribed from go-yaml v2's own tests (decode_test.go: unmarshalTests,
// decoderTests, unmarshalErrorTests, mergeTests), https://github.com/go-yaml/yaml branch v2,
// Copyright (c) 2011-2019 Canonical Ltd, licensed under the Apache License 2.0 (and MIT for the
// parts ported from libyaml). The expected values are not go-yaml's Go values but what kubectl
// gets from them: go-yaml v2 decodes into interface{} (timestamps stay text there), then
// sigs.k8s.io/yaml turns map keys into strings (ints in decimal, bools as true/false, floats
// with FormatFloat(f, 'g', -1, 32)), refuses null keys, and encoding/json refuses NaN and ±Inf
// values and writes invalid UTF-8 bytes as U+FFFD. Big integers are what JSON.parse makes of
// the exact JSON number kubectl writes. Go-typed entries (struct fields, map[string]int…) are
// given with the interface{} result. The resolve() table (every bool, null, inf and nan word)
// and the cases of issue 10 follow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlText } from '../../src/load/parse-yaml.js';

const ERR = Symbol('kubectl refuses this document');
type Expect = unknown;

/** [yaml, value of the first document (or ERR), values of further documents] */
type Row = [string, Expect] | [string, Expect, Expect[]];

const MAX_INT64 = 9223372036854775807; // as JSON.parse reads 9223372036854775807
const ones = (n: number) => '1'.repeat(n);

const rows: Row[] = [
  // ---- go-yaml v2 decode_test.go: unmarshalTests -------------------------------------------
  ['{}', {}],
  ['v: hi', { v: 'hi' }],
  ['v: true', { v: true }],
  ['v: 10', { v: 10 }],
  ['v: 0b10', { v: 2 }],
  ['v: 0xA', { v: 10 }],
  ['v: 4294967296', { v: 4294967296 }],
  ['v: 0.1', { v: 0.1 }],
  ['v: .1', { v: 0.1 }],
  ['v: .Inf', ERR], // +Inf: json: unsupported value
  ['v: -.Inf', ERR],
  ['v: -10', { v: -10 }],
  ['v: -.1', { v: -0.1 }],
  ['123', 123],
  ['canonical: 6.8523e+5', { canonical: 685230 }],
  ['expo: 685.230_15e+03', { expo: 685230.15 }],
  ['fixed: 685_230.15', { fixed: 685230.15 }],
  ['neginf: -.inf', ERR],
  ['notanum: .NaN', ERR],
  ['canonical: y', { canonical: true }],
  ['answer: NO', { answer: false }],
  ['logical: True', { logical: true }],
  ['option: on', { option: true }],
  ['canonical: 685230', { canonical: 685230 }],
  ['decimal: +685_230', { decimal: 685230 }],
  ['octal: 02472256', { octal: 685230 }],
  ['hexa: 0x_0A_74_AE', { hexa: 685230 }],
  ['bin: 0b1010_0111_0100_1010_1110', { bin: 685230 }],
  ['bin: -0b101010', { bin: -42 }],
  [`bin: -0b1${'0'.repeat(63)}`, { bin: -9223372036854775808 }],
  ['sexa: 190:20:30', { sexa: '190:20:30' }], // base 60 is unsupported
  ['sexa: 190:20:30.15', { sexa: '190:20:30.15' }],
  ['empty:', { empty: null }],
  ['canonical: ~', { canonical: null }],
  ['english: null', { english: null }],
  ['~: null key', ERR], // unsupported map key of type: <nil>
  ['seq: [A,B]', { seq: ['A', 'B'] }],
  ['seq: [A,B,C,]', { seq: ['A', 'B', 'C'] }],
  ['seq: [A,1,C]', { seq: ['A', 1, 'C'] }],
  ['seq:\n - A\n - B', { seq: ['A', 'B'] }],
  ['seq:\n - A\n - B\n - C', { seq: ['A', 'B', 'C'] }],
  ['seq:\n - A\n - 1\n - C', { seq: ['A', 1, 'C'] }],
  ['scalar: | # Comment\n\n literal\n\n \ttext\n\n', { scalar: '\nliteral\n\n\ttext\n' }],
  ['scalar: > # Comment\n\n folded\n line\n \n next\n line\n  * one\n  * two\n\n last\n line\n\n', { scalar: '\nfolded line\nnext line\n * one\n * two\n\nlast line\n' }],
  ['a: {b: c}', { a: { b: 'c' } }],
  ['hello: world', { hello: 'world' }],
  ['a:', { a: null }],
  ['a: 1', { a: 1 }],
  ['a: 1.0', { a: 1 }],
  ['a: [1, 2]', { a: [1, 2] }],
  ['a: y', { a: true }],
  ['v: 42', { v: 42 }],
  ['v: -42', { v: -42 }],
  ['v: -4294967296', { v: -4294967296 }],
  ['int_max: 2147483647', { int_max: 2147483647 }],
  ['int_min: -2147483648', { int_min: -2147483648 }],
  ['int_overflow: 9223372036854775808', { int_overflow: 9223372036854775808 }], // a uint64
  ['int64_max: 9223372036854775807', { int64_max: MAX_INT64 }],
  [`int64_max_base2: 0b${ones(63)}`, { int64_max_base2: MAX_INT64 }],
  ['int64_min: -9223372036854775808', { int64_min: -9223372036854775808 }],
  [`int64_neg_base2: -0b${ones(63)}`, { int64_neg_base2: -MAX_INT64 }],
  ['uint_min: 0', { uint_min: 0 }],
  ['uint_max: 4294967295', { uint_max: 4294967295 }],
  ['uint_underflow: -1', { uint_underflow: -1 }],
  ['uint64_max: 18446744073709551615', { uint64_max: 18446744073709551615 }],
  [`uint64_max_base2: 0b${ones(64)}`, { uint64_max_base2: 18446744073709551615 }],
  ['float32_max: 3.40282346638528859811704183484516925440e+38', { float32_max: 3.4028234663852886e38 }],
  ['float32_nonzero: 1.401298464324817070923729583289916131280e-45', { float32_nonzero: 1.401298464324817e-45 }],
  ['float32_maxuint64+1: 18446744073709551616', { 'float32_maxuint64+1': 18446744073709551616 }], // a float64
  ['float64_max: 1.797693134862315708145274237317043567981e+308', { float64_max: Number.MAX_VALUE }],
  ['float64_nonzero: 4.940656458412465441765687928682213723651e-324', { float64_nonzero: 5e-324 }],
  ['v: 4294967297', { v: 4294967297 }],
  ['v: 128', { v: 128 }],
  ["'1': '\"2\"'", { 1: '"2"' }],
  ["v:\n- A\n- 'B\n\n  C'\n", { v: ['A', 'B\nC'] }],
  ["v: !!float '1.1'", { v: 1.1 }],
  ['v: !!float 0', { v: 0 }],
  ['v: !!float -1', { v: -1 }],
  ["v: !!null ''", { v: null }],
  ["%TAG !y! tag:yaml.org,2002:\n---\nv: !y!int '1'", { v: 1 }],
  ['v: ! test', { v: 'test' }],
  ['a: &x 1\nb: &y 2\nc: *x\nd: *y\n', { a: 1, b: 2, c: 1, d: 2 }],
  ['a: &a {c: 1}\nb: *a', { a: { c: 1 }, b: { c: 1 } }],
  ['a: &a [1, 2]\nb: *a', { a: [1, 2], b: [1, 2] }],
  ["foo: ''", { foo: '' }],
  ['foo: null', { foo: null }],
  ['foo: ~', { foo: null }],
  ['a: 1\nb: 2\n', { a: 1, b: 2 }],
  ['%YAML 1.1\n--- !!str\n"Generic line break (no glyph)\\n\\\n Generic line break (glyphed)\\n\\\n Line separator\\u2028\\\n Paragraph separator\\u2029"\n',
    'Generic line break (no glyph)\nGeneric line break (glyphed)\nLine separator\u2028Paragraph separator\u2029'],
  ['a: 1\nb: 2\nc: 3\n', { a: 1, b: 2, c: 3 }],
  ['a: -b_c', { a: '-b_c' }],
  ['a: +b_c', { a: '+b_c' }],
  ['a: 50cent_of_dollar', { a: '50cent_of_dollar' }],
  ['a: {b: https://github.com/go-yaml/yaml}', { a: { b: 'https://github.com/go-yaml/yaml' } }],
  ['a: [https://github.com/go-yaml/yaml]', { a: ['https://github.com/go-yaml/yaml'] }],
  ['a: 3s', { a: '3s' }],
  ['a: <foo>', { a: '<foo>' }],
  ['a: 1:1\n', { a: '1:1' }],
  ['a: !!binary gIGC\n', { a: '\ufffd\ufffd\ufffd' }], // bytes 80 81 82: not UTF-8
  [`a: !!binary |\n  ${'kJCQ'.repeat(17)}kJ\n  CQ\n`, { a: '\ufffd'.repeat(54) }],
  [`a: !!binary |\n  ${'A'.repeat(70)}\n  ==\n`, { a: '\u0000'.repeat(52) }],
  ['{b: 2, a: 1, d: 4, c: 3, sub: {e: 5}}', { b: 2, a: 1, d: 4, c: 3, sub: { e: 5 } }],
  ['a:\n b:\n  c: d\n', { a: { b: { c: 'd' } } }],
  ['a: 1.2.3.4\n', { a: '1.2.3.4' }],
  ['a: 2015-02-24T18:19:39Z\n', { a: '2015-02-24T18:19:39Z' }],
  ['a: 2015-01-01\n', { a: '2015-01-01' }], // timestamps stay text in interface{}
  ['a: 2015-02-24T18:19:39.12Z\n', { a: '2015-02-24T18:19:39.12Z' }],
  ['a: 2015-2-3T3:4:5Z', { a: '2015-2-3T3:4:5Z' }],
  ['a: 2015-02-24t18:19:39Z\n', { a: '2015-02-24t18:19:39Z' }],
  ['a: 2015-02-24 18:19:39\n', { a: '2015-02-24 18:19:39' }],
  ['a: 2001-12-14 21:59:43.10 -5', { a: '2001-12-14 21:59:43.10 -5' }],
  ['a: !!str 2015-01-01', { a: '2015-01-01' }],
  ['a: !!timestamp "2015-01-01"', { a: '2015-01-01' }],
  ['a: !!timestamp 2015-01-01', { a: '2015-01-01' }],
  ['a: "2015-01-01"', { a: '2015-01-01' }],
  ['a: 2015-01-01', { a: '2015-01-01' }],
  ['a: []', { a: [] }],
  ['a: 123456e1\n', { a: 1234560 }],
  ['a: 123456E1\n', { a: 1234560 }],
  ['First occurrence: &anchor Foo\nSecond occurrence: *anchor\nOverride anchor: &anchor Bar\nReuse anchor: *anchor\n',
    { 'First occurrence': 'Foo', 'Second occurrence': 'Foo', 'Override anchor': 'Bar', 'Reuse anchor': 'Bar' }],
  ['a: 5\n', { a: 5 }],
  ['a: 5.5\n', { a: 5.5 }],
  ['\na:\n  b\nb:\n  ? a\n  : a', { a: 'b', b: { a: 'a' } }],

  // ---- decoderTests (several documents) -----------------------------------------------------
  ['a: b', { a: 'b' }],
  ['---\na: b\n...\n', { a: 'b' }],
  ["---\n'hello'\n...\n---\ngoodbye\n...\n", 'hello', ['goodbye']],

  // ---- unmarshalErrorTests ------------------------------------------------------------------
  ["v: !!float 'error'", ERR],
  ['v: [A,', ERR],
  ['v:\n- [A,', ERR],
  ['a:\n- b: *,', ERR],
  ['a: *b\n', ERR],
  ['a: &a\n  b: *a\n', ERR],
  ['a: &x null\n<<:\n- *x\nb: &x {}\n', ERR],
  ['value: -', ERR],
  ['a: !!binary ==', ERR],
  ['{[.]}', ERR],
  ['{{.}}', ERR],
  ['b: *a\na: &a {c: 1}', ERR],
  ['a:\n  1:\nb\n  2:', ERR],
  [['a: &a [00,00,00,00,00,00,00,00,00]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]', 'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]', 'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]'].join('\n'), ERR],

  // ---- unmarshalerTests (the values of `_`) -------------------------------------------------
  ['_: {hi: there}', { _: { hi: 'there' } }],
  ['_: [1,A]', { _: [1, 'A'] }],
  ['_: 10', { _: 10 }],
  ['_: null', { _: null }],
  ['_: BAR!', { _: 'BAR!' }],
  ['_: "BAR!"', { _: 'BAR!' }],
  ["_: !!foo 'BAR!'", { _: 'BAR!' }],
  ['_: ""', { _: '' }],
];

// ---- mergeTests: every map equals {x: 1, y: 2, r: 10, label: center/big} ---------------------
const ANCHORS = 'anchors:\n  list:\n    - &CENTER { "x": 1, "y": 2 }\n    - &LEFT   { "x": 0, "y": 2 }\n    - &BIG    { "r": 10 }\n    - &SMALL  { "r": 1 }\n';
const MERGED = { x: 1, y: 2, r: 10, label: 'center/big' };
const mergeCases: Record<string, string> = {
  plain: '  "x": 1\n  "y": 2\n  "r": 10\n  label: center/big\n',
  mergeOne: '  << : *CENTER\n  "r": 10\n  label: center/big\n',
  mergeMultiple: '  << : [ *CENTER, *BIG ]\n  label: center/big\n',
  override: '  << : [ *BIG, *LEFT, *SMALL ]\n  "x": 1\n  label: center/big\n',
  shortTag: '  !!merge "<<" : [ *CENTER, *BIG ]\n  label: center/big\n',
  longTag: '  !<tag:yaml.org,2002:merge> "<<" : [ *CENTER, *BIG ]\n  label: center/big\n',
  inlineMap: '  << : {"x": 1, "y": 2, "r": 10}\n  label: center/big\n',
  inlineSequenceMap: '  << : [ *CENTER, {"r": 10} ]\n  label: center/big\n',
};
for (const [name, body] of Object.entries(mergeCases)) {
  rows.push([`${ANCHORS}${name}:\n${body}`, {
    anchors: { list: [{ x: 1, y: 2 }, { x: 0, y: 2 }, { r: 10 }, { r: 1 }] },
    [name]: MERGED,
  }]);
}

// ---- resolve.go's table: every word, as a value ---------------------------------------------
for (const w of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) rows.push([`v: ${w}`, { v: true }]);
for (const w of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) rows.push([`v: ${w}`, { v: false }]);
for (const w of ['~', 'null', 'Null', 'NULL']) rows.push([`v: ${w}`, { v: null }]);
for (const w of ['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF']) rows.push([`v: ${w}`, ERR]);
// Near misses are strings: the table is exact and case-sensitive.
for (const w of ['yES', 'tRUE', 'oN', 'oFF', 'nULL', 'NaN', 'nan', 'Inf', 'inf', 'infinity', '.NAn', '-.nan', '+.nan', 'yes!', 'Yes.', 'none', 'None', 'nil', 'True1']) {
  rows.push([`v: ${w}`, { v: w }]);
}
// Quoted, block and !!str scalars are never resolved.
for (const w of ['yes', 'n', 'on', 'null', '~', '0o17', '12', '1.5', '.inf']) {
  rows.push([`v: "${w}"`, { v: w }]);
  rows.push([`v: '${w}'`, { v: w }]);
  rows.push([`v: !!str ${w}`, { v: w }]);
}
rows.push(['v: |\n  yes\n', { v: 'yes\n' }], ['v: >-\n  on\n', { v: 'on' }]);

// ---- numbers: strconv.ParseInt(s, 0, 64) after removing `_`, then ParseUint, then floats -------
const numbers: [string, Expect][] = [
  ['0o17', 15], ['0O17', 15], ['-0o17', -15], ['017', 15], ['0777', 511], ['00', 0], ['0', 0], ['-0', 0],
  ['0x1F', 31], ['0X1f', 31], ['+0x10', 16], ['-0x10', -16], ['0B101', 5], ['-0b1', -1],
  ['08', 8], ['09', 9], ['080', 80], ['09.5', 9.5], // not octal: ParseInt fails, the float form does not
  ['0_17', 15], ['1_000', 1000], ['1__2', 12], ['1_', 1], ['+1', 1],
  ['1e3', 1000], ['1E3', 1000], ['1e+3', 1000], ['1.5e-3', 0.0015], ['1.', 1], ['-1.', -1], ['1.e2', 100],
  ['.5', 0.5], ['-.5', -0.5], ['+.5', 0.5], ['.5e1', 5], ['0.0', 0], ['-0.0', -0], ['3.0', 3], ['1.10', 1.1], ['1.20', 1.2],
  ['1e-400', 0], ['8080', 8080], ['0.5', 0.5],
  ['9223372036854775808', 9223372036854775808], ['0x8000000000000000', 9223372036854775808],
  ['18446744073709551616', 18446744073709551616], ['-9223372036854775809', -9223372036854775809],
  // Strings: no base 60, no Go-only forms, out-of-range floats and ints beyond uint64.
  ['12:30', '12:30'], ['1:20', '1:20'], ['-1:20', '-1:20'], ['1e400', '1e400'], ['.1e400', '.1e400'],
  ['0x', '0x'], ['0o', '0o'], ['0b2', '0b2'], ['0xG', '0xG'], ['0x-1', '0x-1'], ['_1', '_1'],
  ['--1', '--1'], ['+-1', '+-1'], ['+', '+'], ['1.2.3', '1.2.3'], ['1,000', '1,000'], ['1 000', '1 000'],
  ['0x10000000000000000', '0x10000000000000000'], ['-0x8000000000000001', '-0x8000000000000001'], [`0b1${ones(64)}`, `0b1${ones(64)}`],
  ['0x1p-2', '0x1p-2'], ['1_000.5', 1000.5], ['0.1_1', 0.11], ['1e', '1e'], ['1e+', '1e+'], ['.e1', '.e1'], ['.', '.'],
  // Issue 10: label values kubectl reads as strings.
  ['e0', 'e0'], ['E5', 'E5'], ['e10', 'e10'], ['e-1', 'e-1'], ['e2', 'e2'], ['.e1x', '.e1x'],
  ['v1', 'v1'], ['1Gi', '1Gi'], ['100m', '100m'], ['10.0.0.1', '10.0.0.1'], ['10.0.0.0/8', '10.0.0.0/8'], ['2001:db8::1', '2001:db8::1'],
];
for (const [w, v] of numbers) rows.push([`v: ${w}`, { v }]);

// ---- map keys become JSON strings (sigs.k8s.io/yaml) -----------------------------------------
const keys: [string, string | typeof ERR][] = [
  ['1', '1'], ['0x10', '16'], ['0o17', '15'], ['-3', '-3'], ['true', 'true'], ['yes', 'true'], ['on', 'true'], ['n', 'false'], ['Off', 'false'],
  ['1.5', '1.5'], ['1.0', '1'], ['0.1', '0.1'], ['1e6', '1e+06'], ['100000.0', '100000'], ['3.14159265358979', '3.1415927'], ['1e-5', '1e-05'],
  ['.inf', '.inf'], ['-.inf', '-.inf'], ['.nan', '.nan'], ['"null"', 'null'], ['2015-01-01', '2015-01-01'], ['12:30', '12:30'],
  ['null', ERR], ['~', ERR], ['9223372036854775808', ERR], ['[a]', ERR], ['{a: 1}', ERR],
];
for (const [k, v] of keys) rows.push([`${k.startsWith('[') || k.startsWith('{') ? `? ${k}\n:` : `${k}:`} x`, v === ERR ? ERR : { [v]: 'x' }]);

// ---- explicit tags ------------------------------------------------------------------------------
rows.push(
  ['v: !!bool "yes"', { v: true }],
  ['v: !!int "0o17"', { v: 15 }],
  ['v: !!int 1.5', ERR],
  ['v: !!float 2', { v: 2 }],
  ['v: !foo bar', { v: 'bar' }],
);

// ---- the parser's leniencies (go-yaml reads these; the yaml library alone does not) -----------
rows.push(
  ['key: "line one\n  line two\n"\nnext: 1\n', { key: 'line one line two ', next: 1 }],
  ["key: 'a\n  b\n'\nk: 2\n", { key: 'a b ', k: 2 }],
  ['m:\n  key: "one\ntwo"\n  k: 1\n', { m: { key: 'one two', k: 1 } }],
  ['- name: "x\n  y"\n  v: 1\n', [{ name: 'x y', v: 1 }]],
  ['a: [80,\n\t443]\n', { a: [80, 443] }],
  ['ports: [\n\t80,\n\t443\n]\n', { ports: [80, 443] }],
  ['a:\n  b: [1,\n\t2]\n', { a: { b: [1, 2] } }],
  ['a: {x: 1,\n\tz: 2}\n', { a: { x: 1, z: 2 } }],
  ['a: {x: 1,\n\ty: 2}\n', { a: { x: 1, true: 2 } }], // the key y is the boolean true
);

function decode(yaml: string): { first: unknown; rest: unknown[] } | typeof ERR {
  const r = parseYamlText('t.yaml', yaml);
  if (r.diagnostics.some((d) => d.severity === 'error')) return ERR;
  if (r.documents.length === 0) return { first: undefined, rest: [] };
  return { first: r.documents[0]!.value, rest: r.documents.slice(1).map((d) => d.value) };
}

test(`go-yaml v2 + sigs.k8s.io/yaml table: ${rows.length} snippets decode as kubectl decodes them`, () => {
  assert.ok(rows.length >= 200, `only ${rows.length} rows`);
  const failures: string[] = [];
  for (const [yaml, want, rest] of rows) {
    const got = decode(yaml);
    try {
      if (want === ERR) assert.equal(got, ERR);
      else {
        assert.notEqual(got, ERR);
        assert.deepStrictEqual((got as { first: unknown }).first, want);
        assert.deepStrictEqual((got as { rest: unknown[] }).rest, rest ?? []);
      }
    } catch {
      failures.push(`${JSON.stringify(yaml)}: want ${want === ERR ? 'an error' : JSON.stringify(want)}, got ${got === ERR ? 'an error' : JSON.stringify((got as { first: unknown }).first)}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('an empty input is no document at all (go-yaml: nothing to decode)', () => {
  assert.deepEqual(parseYamlText('t.yaml', '').documents, []);
  assert.deepEqual(parseYamlText('t.yaml', '# only a comment\n---\n').documents, []);
});
