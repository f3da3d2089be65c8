// Shared helpers for the validation tests: run checkNetworkPolicy on YAML text (real positions)
// or on a plain object (positions not asserted).
import assert from 'node:assert/strict';
import type { Diagnostic, DocumentOrigin } from '../../src/diagnostics/diagnostic.js';
import { parseYamlText } from '../../src/load/parse-yaml.js';
import { checkNetworkPolicy } from '../../src/validate/index.js';

export const HEADER = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: np
  namespace: prod
`;

/** Check one YAML document; the YAML itself must parse cleanly. */
export function checkYaml(text: string): Diagnostic[] {
  const parsed = parseYamlText('np.yaml', text);
  assert.deepEqual(parsed.diagnostics, [], 'test YAML must parse');
  assert.equal(parsed.documents.length, 1);
  const doc = parsed.documents[0]!;
  return checkNetworkPolicy(doc.value, doc.origin);
}

/** Check a policy whose spec is the given YAML block (written at column 1). */
export function checkSpecYaml(spec: string): Diagnostic[] {
  const body = spec.replace(/\n$/, '').split('\n').map((l) => `  ${l}`).join('\n');
  return checkYaml(`${HEADER}spec:\n${body}\n`);
}

const nowhere: DocumentOrigin = { file: 'obj', document: 0, locate: () => ({ line: 1, column: 1 }) };

/** Check a plain object; apiVersion, kind and metadata are filled in unless given. */
export function checkObject(doc: Record<string, unknown>): Diagnostic[] {
  return checkNetworkPolicy(
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: 'prod' }, ...doc },
    nowhere,
  );
}

export function checkSpec(spec: Record<string, unknown>): Diagnostic[] {
  return checkObject({ spec });
}

/** `path: message` lines, as kubectl prints them. */
export function lines(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => `${d.path}: ${d.message}`);
}

/** Exactly one diagnostic, with this type, path and message. */
export function only(ds: readonly Diagnostic[], type: string, path: string, message: string): Diagnostic {
  assert.deepEqual(ds.map((d) => [d.type, d.path, d.message]), [[type, path, message]]);
  assert.equal(ds[0]!.severity, 'error');
  return ds[0]!;
}

export const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
export const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
export const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
export const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
export const LABEL_KEY_SLASHES_MSG =
  "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
export const INVALID_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
