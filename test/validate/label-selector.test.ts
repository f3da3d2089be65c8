// Reference 5.2/5.3: label selectors (ValidateLabelSelector and friends).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL_KEY_SLASHES_MSG, LABEL_VALUE_MSG, NAME_PART_MSG, SUBDOMAIN_MSG, checkSpec, checkSpecYaml, lines, only } from './helpers.js';

const pod = (podSelector: Record<string, unknown>) => checkSpec({ podSelector });
const expr = (...matchExpressions: Record<string, unknown>[]) => pod({ matchExpressions });

describe('matchLabels keys', () => {
  it('accepts prefixed keys with upper case in the name only', () => {
    assert.deepEqual(pod({ matchLabels: { 'example.com/App': 'x', 'kubernetes.io/metadata.name': 'prod', a_b: '' } }), []);
  });
  it('prefix must be a lower-case subdomain; empty prefix; empty name', () => {
    const ds = pod({ matchLabels: { 'Example.com/app': 'x', '/app': 'x', 'example.com/': 'x' } });
    assert.deepEqual(lines(ds), [
      `spec.podSelector.matchLabels: Invalid value: "Example.com/app": prefix part ${SUBDOMAIN_MSG}`,
      'spec.podSelector.matchLabels: Invalid value: "/app": prefix part must be non-empty',
      'spec.podSelector.matchLabels: Invalid value: "example.com/": name part must be non-empty',
      `spec.podSelector.matchLabels: Invalid value: "example.com/": ${NAME_PART_MSG}`,
    ]);
  });
  it('two slashes: one error; name over 63 bytes', () => {
    const long = 'k'.repeat(64);
    const ds = pod({ matchLabels: { 'a/b/c': 'x', [long]: 'x' } });
    assert.deepEqual(lines(ds), [
      `spec.podSelector.matchLabels: Invalid value: "a/b/c": ${LABEL_KEY_SLASHES_MSG}`,
      `spec.podSelector.matchLabels: Invalid value: "${long}": name part must be no more than 63 bytes`,
    ]);
  });
  it('prefix over 253 bytes', () => {
    const prefix = `${'a'.repeat(250)}.com`;
    only(pod({ matchLabels: { [`${prefix}/x`]: 'v' } }), 'Invalid value', 'spec.podSelector.matchLabels',
      `Invalid value: "${prefix}/x": prefix part must be no more than 253 bytes`);
  });
});

describe('matchLabels values', () => {
  it('bad characters and length; the position is the entry key', () => {
    const ds = checkSpecYaml(`podSelector:
  matchLabels:
    app: "db server"
    tier: ${'v'.repeat(64)}
`);
    assert.deepEqual(lines(ds), [
      `spec.podSelector.matchLabels: Invalid value: "db server": ${LABEL_VALUE_MSG}`,
      `spec.podSelector.matchLabels: Invalid value: "${'v'.repeat(64)}": must be no more than 63 bytes`,
    ]);
    assert.deepEqual(ds.map((d) => d.line), [9, 10]);
  });
});

describe('matchExpressions', () => {
  it('operator must be In, NotIn, Exists or DoesNotExist; key and values still checked', () => {
    const ds = expr({ key: 'app', operator: 'in', values: ['db server'] });
    assert.deepEqual(lines(ds), [
      'spec.podSelector.matchExpressions[0].operator: Invalid value: "in": not a valid selector operator',
      `spec.podSelector.matchExpressions[0].values[0]: Invalid value: "db server": ${LABEL_VALUE_MSG}`,
    ]);
    assert.equal(ds[0]!.hint, 'did you mean "In"? operators are case-sensitive');
  });
  it('Gt belongs to node selectors', () => {
    const d = only(expr({ key: 'n', operator: 'Gt', values: ['1'] }), 'Invalid value',
      'spec.podSelector.matchExpressions[0].operator', 'Invalid value: "Gt": not a valid selector operator');
    assert.match(d.hint!, /node selectors/);
  });
  it('In and NotIn need values', () => {
    const ds = expr({ key: 'a', operator: 'In' }, { key: 'a', operator: 'NotIn', values: [] });
    assert.deepEqual(lines(ds), [
      "spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.podSelector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]);
    assert.ok(ds.every((d) => d.type === 'Required value'));
  });
  it('Exists and DoesNotExist take no values', () => {
    const ds = expr({ key: 'a', operator: 'Exists', values: ['x'] }, { key: 'a', operator: 'DoesNotExist', values: ['x'] });
    assert.deepEqual(lines(ds), [
      "spec.podSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      "spec.podSelector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ]);
    assert.ok(ds.every((d) => d.type === 'Forbidden'));
  });
  it('an absent key fails twice; a bad key once', () => {
    const ds = expr({ operator: 'Exists' }, { key: 'my key', operator: 'Exists' });
    assert.deepEqual(lines(ds), [
      'spec.podSelector.matchExpressions[0].key: Invalid value: "": name part must be non-empty',
      `spec.podSelector.matchExpressions[0].key: Invalid value: "": ${NAME_PART_MSG}`,
      `spec.podSelector.matchExpressions[1].key: Invalid value: "my key": ${NAME_PART_MSG}`,
    ]);
  });
  it('values are label values, each at its index', () => {
    const ds = expr({ key: 'a', operator: 'In', values: ['ok', '-bad', ''] });
    only(ds, 'Invalid value', 'spec.podSelector.matchExpressions[0].values[1]', `Invalid value: "-bad": ${LABEL_VALUE_MSG}`);
  });
  it('order: operator/values rule, then key, then values', () => {
    const ds = expr({ key: '', operator: 'Exists', values: ['-x'] });
    assert.deepEqual(ds.map((d) => d.path), [
      'spec.podSelector.matchExpressions[0].values',
      'spec.podSelector.matchExpressions[0].key',
      'spec.podSelector.matchExpressions[0].key',
      'spec.podSelector.matchExpressions[0].values[0]',
    ]);
  });
});

describe('selectors in peers', () => {
  it('peer podSelector and namespaceSelector are validated at their paths', () => {
    const ds = checkSpec({ egress: [{ to: [{ podSelector: { matchLabels: { a: '-' } }, namespaceSelector: { matchExpressions: [{ key: 'k', operator: 'Foo' }] } }] }] });
    assert.deepEqual(lines(ds), [
      `spec.egress[0].to[0].podSelector.matchLabels: Invalid value: "-": ${LABEL_VALUE_MSG}`,
      'spec.egress[0].to[0].namespaceSelector.matchExpressions[0].operator: Invalid value: "Foo": not a valid selector operator',
    ]);
  });
});
