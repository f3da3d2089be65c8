// The expectations file (`netpol test --expect`): YAML for humans, checked with file:line.
//
//   kind: NetpolExpectations  # optional; lets the file sit among manifests (loaders skip the kind)
//   ipBlockPods: match        # optional: match (default) | ignore | depends
//   expect:
//     - prod/api -> prod/db:3306/TCP allow
//     - name: staging never reaches the DB
//       assert: staging/* -> prod/db:* deny
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { parseYamlText } from '../../load/parse-yaml.js';
import { parseAssertion, type AssertionSpec } from './grammar.js';

export interface Expectation {
  spec: AssertionSpec;
  name?: string;
  file: string;
  line: number;
  path: string;
}

export interface ExpectationsFile {
  expectations: Expectation[];
  ipBlockPods?: 'match' | 'ignore' | 'depends';
  diagnostics: Diagnostic[];
}

const TOP = ['apiVersion', 'kind', 'expect', 'ipBlockPods'];
export const EXPECTATIONS_KIND = 'NetpolExpectations';
const ITEM = ['assert', 'name'];

export function parseExpectations(file: string, text: string): ExpectationsFile {
  const parsed = parseYamlText(file, text);
  const diagnostics = [...parsed.diagnostics];
  const out: ExpectationsFile = { expectations: [], diagnostics };
  const doc = parsed.documents[0];
  if (!doc) {
    if (diagnostics.length === 0) diagnostics.push({ severity: 'error', type: 'Required value', path: 'expect', file, document: 0, line: 1, column: 1, message: 'the file has no expectations', hint: 'add `expect:` with a list of `from -> to:port allow|deny` lines' });
    return out;
  }
  const o = doc.origin;
  const err = (path: string, type: Diagnostic['type'], message: string, hint?: string) => diagnostics.push(diagnostic(o, 'error', type, path, message, { hint }));
  let list: unknown = doc.value;
  let base = '';
  if (list && typeof list === 'object' && !Array.isArray(list)) {
    const top = list as Record<string, unknown>;
    for (const k of Object.keys(top)) if (!TOP.includes(k)) err(k, 'Unknown field', `unknown field "${k}"`, `known fields: ${TOP.join(', ')}`);
    if (top.kind !== undefined && top.kind !== EXPECTATIONS_KIND) {
      err('kind', 'Unsupported value', `Unsupported value: ${JSON.stringify(top.kind)}: supported values: "${EXPECTATIONS_KIND}"`, 'this looks like a Kubernetes manifest, not an expectations file');
    }
    if (top.ipBlockPods !== undefined) {
      if (top.ipBlockPods === 'match' || top.ipBlockPods === 'ignore' || top.ipBlockPods === 'depends') out.ipBlockPods = top.ipBlockPods;
      else err('ipBlockPods', 'Unsupported value', `Unsupported value: ${JSON.stringify(top.ipBlockPods)}: supported values: "depends", "ignore", "match"`);
    }
    list = top.expect;
    base = 'expect';
    if (list === undefined) err('', 'Required value', 'Required value: expect', 'add `expect:` with a list of assertions');
  }
  if (list === undefined) return out;
  if (!Array.isArray(list)) {
    err(base, 'Type mismatch', 'expect must be a list of assertions');
    return out;
  }
  list.forEach((item, i) => {
    const path = base ? `${base}[${i}]` : `[${i}]`;
    let text: unknown = item;
    let name: string | undefined;
    let textPath = path;
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const rec = item as Record<string, unknown>;
      for (const k of Object.keys(rec)) if (!ITEM.includes(k)) err(`${path}.${k}`, 'Unknown field', `unknown field "${k}"`, `an item is a string, or has ${ITEM.join(' and ')}`);
      if (typeof rec.name === 'string') name = rec.name;
      text = rec.assert;
      textPath = `${path}.assert`;
      if (text === undefined) return err(path, 'Required value', 'Required value: assert');
    }
    if (typeof text !== 'string') return err(textPath, 'Type mismatch', 'an assertion must be a string like `prod/api -> prod/db:3306 allow`');
    const r = parseAssertion(text);
    if (!r.ok) return err(textPath, 'Invalid value', r.message, r.hint);
    const e: Expectation = { spec: r.spec, file, line: o.locate(textPath).line, path: textPath };
    if (name) e.name = name;
    out.expectations.push(e);
  });
  if (parsed.documents.length > 1) err('', 'Not supported', 'only the first YAML document is read', 'put every assertion under one `expect:`');
  return out;
}
