// JSON text goes through JSON.parse (parse-json.ts) unless it holds something JSON.parse cannot
// read as kubectl's YAML reading does. Both paths must give the same objects and the same
// diagnostics (positions included): checked on every manifest of the repository converted to
// JSON, and on inputs that must fall back to the YAML parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSources } from '../../src/load/load.js';
import { parseYamlText } from '../../src/load/parse-yaml.js';
import { parseJsonFaithful } from '../../src/load/parse-json.js';
import { DEFAULT_LIMITS } from '../../src/load/limits.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function corpusFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : corpusFiles(p);
    return /\.(ya?ml|json)$/.test(e.name) ? [p] : [];
  });
}

/** Loads `text` by both paths and asserts they agree; returns whether the fast path applied. */
function agree(file: string, text: string): boolean {
  const fast = loadSources([{ file, text }]);
  const slow = loadSources([{ file, text }], { json: false });
  assert.deepStrictEqual(fast.diagnostics, slow.diagnostics, `${file}: diagnostics differ`);
  assert.equal(JSON.stringify(fast.cluster), JSON.stringify(slow.cluster), `${file}: objects differ`);
  assert.deepStrictEqual(fast.skipped, slow.skipped, `${file}: skipped objects differ`);
  assert.equal(fast.rejectedPolicies, slow.rejectedPolicies);
  // The parsed values themselves, with -0/+0 and key order compared exactly.
  const a = parseYamlText(file, text);
  const b = parseYamlText(file, text, DEFAULT_LIMITS, { json: false });
  assert.deepStrictEqual(a.documents.map((d) => d.value), b.documents.map((d) => d.value), `${file}: values differ`);
  assert.deepStrictEqual(a.diagnostics, b.diagnostics, `${file}: parse diagnostics differ`);
  return parseJsonFaithful(text, DEFAULT_LIMITS.maxDepth) !== undefined;
}

test('the whole corpus as JSON: the fast and the YAML path give the same objects and diagnostics', () => {
  const files = [...corpusFiles(join(ROOT, 'examples')), ...corpusFiles(join(ROOT, 'test'))];
  assert.ok(files.length > 20, `corpus too small: ${files.length} files`);
  let fastCount = 0;
  let texts = 0;
  for (const path of files) {
    const file = relative(ROOT, path);
    const text = readFileSync(path, 'utf8');
    if (file.endsWith('.json')) { agree(file, text); texts++; }
    const values = parseYamlText(file, text, DEFAULT_LIMITS, { json: false }).documents.map((d) => d.value);
    for (const [i, v] of values.entries()) {
      // One document per file, pretty-printed as kubectl writes it, and compact.
      if (agree(`${file}#${i}.json`, JSON.stringify(v, null, 2))) fastCount++;
      if (agree(`${file}#${i}.min.json`, JSON.stringify(v))) fastCount++;
      texts += 2;
    }
    // All of a file's documents as one `kubectl get -o json` List.
    if (values.length > 0 && agree(`${file}.list.json`, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: values }, null, 4))) fastCount++;
    texts++;
  }
  // The fast path must really have been taken (else this test would compare YAML with YAML).
  assert.ok(fastCount > texts / 2, `fast path applied to only ${fastCount} of ${texts} texts`);
});

const POD = (extra: string) => `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "labels": {"app": "x"}${extra}}}`;
const POLICY = (spec: string) => `{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "p", "namespace": "ns"}, "spec": ${spec}}`;

test('inputs the fast path must leave to the YAML parser, and inputs it takes: same results either way', () => {
  const fallback: [string, string][] = [
    ['duplicate key', POD(', "name": "b"')],
    ['duplicate label key', POD(', "annotations": {"k": "1", "k": "2"}')],
    ['duplicate key hidden by an escaped colon', `{"a": 1, "a": 2, "b": "\\u003a"}`],
    ['duplicate nested, values with colons', `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a:b", "name": "c:d"}}`],
    ['-0 (go-yaml reads the int 0)', POLICY(`{"podSelector": {}, "ingress": [{"ports": [{"port": -0}]}]}`)],
    ['overflowing number (text to YAML)', POD(', "annotations": {"n": 1e400}')],
    ['NaN', POD(', "annotations": {"n": NaN}')],
    ['tab indentation', `{\n\t"apiVersion": "v1",\n\t"kind": "Pod",\n\t"metadata": {"name": "a"}\n}`],
    ['comment after the JSON', `${POD('')}\n# trailing comment\n`],
    ['two documents', `${POD('')}\n---\n${POD('')}`],
    ['nesting deeper than the limit', `${'['.repeat(150)}${']'.repeat(150)}`],
    ['raw control character in a string', `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a\u0001b"}}`],
    ['trailing comma', `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"},}`],
  ];
  for (const [what, text] of fallback) {
    assert.equal(parseJsonFaithful(text, DEFAULT_LIMITS.maxDepth), undefined, `${what}: must fall back`);
    agree(`${what}.json`, text);
  }
  const taken: [string, string][] = [
    ['invalid policy (positions asked for)', POLICY(`{"podSelector": {"matchLabels": {"-bad": "x"}}, "policyTypes": ["Sideways"], "ingress": [{"ports": [{"port": 0}, {"port": "n@me"}]}]}`)],
    ['numbers of every JSON form', POD(', "annotations": {"a": 1}, "x": [0, -1, 1.5, 1e5, 1E+5, 2.5e-3, -0.5, 12345678901234567890, 1e-400]')],
    ['__proto__ and colon-bearing keys', POD(', "annotations": {"__proto__": "x", "a:b": "c:d", "e": ":"}')],
    ['escapes and surrogates', POD(', "annotations": {"s": "\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\ud83d\\ude00\\ud800 \u2028 \u0085 \u007f"}')],
    ['CRLF and blank lines', `\r\n\r\n${POD('').replace(/, /g, ',\r\n  ')}\r\n`],
    ['long key', POD(`, "annotations": {"${'k'.repeat(1500)}": "v"}`)],
    ['top-level list of objects', `[${POD('')}, ${POLICY('{"podSelector": {}}')}]`],
    ['a stray JSON file', `{"name": "not a manifest", "values": [1, 2]}`],
    ['wrong types', POLICY(`{"podSelector": [], "ingress": {"from": 1}}`)],
  ];
  for (const [what, text] of taken) {
    assert.notEqual(parseJsonFaithful(text, DEFAULT_LIMITS.maxDepth), undefined, `${what}: the fast path should take it`);
    agree(`${what}.json`, text);
  }
});
