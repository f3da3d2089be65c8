// Reference 5.1: metadata rules (ValidateObjectMetaAccessor, ValidateNetworkPolicyName).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL_MSG, LABEL_VALUE_MSG, NAME_PART_MSG, SUBDOMAIN_MSG, checkObject, checkYaml, lines, only } from './helpers.js';

const meta = (metadata: Record<string, unknown>) => checkObject({ metadata });

describe('metadata.name', () => {
  it('is required unless generateName is set', () => {
    only(meta({ namespace: 'prod' }), 'Required value', 'metadata.name', 'Required value: name or generateName is required');
    assert.deepEqual(meta({ generateName: 'np-' }), []);
  });
  it('must be a DNS-1123 subdomain (uppercase name)', () => {
    const ds = checkYaml('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: DB-Policy\n');
    const d = only(ds, 'Invalid value', 'metadata.name', `Invalid value: "DB-Policy": ${SUBDOMAIN_MSG}`);
    assert.equal(d.line, 4);
    assert.equal(d.hint, 'names are lower case: "db-policy"');
  });
  it('may hold dots but at most 253 characters', () => {
    assert.deepEqual(meta({ name: 'db.policy.v1' }), []);
    only(meta({ name: 'a'.repeat(254) }), 'Invalid value', 'metadata.name',
      `Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`);
  });
  it('generateName may end with a dash, and is checked as a subdomain', () => {
    assert.deepEqual(meta({ generateName: 'db-policy-' }), []);
    only(meta({ generateName: 'DB-' }), 'Invalid value', 'metadata.generateName', `Invalid value: "DB-": ${SUBDOMAIN_MSG}`);
  });
});

describe('metadata.namespace', () => {
  it('may be omitted (kubectl fills it in)', () => {
    assert.deepEqual(meta({ name: 'np' }), []);
  });
  it('with a dot: must not contain dots', () => {
    only(meta({ name: 'np', namespace: 'prod.eu' }), 'Invalid value', 'metadata.namespace', 'Invalid value: "prod.eu": must not contain dots');
  });
  it('with upper case and underscore: the DNS label text', () => {
    only(meta({ name: 'np', namespace: 'Prod_1' }), 'Invalid value', 'metadata.namespace', `Invalid value: "Prod_1": ${LABEL_MSG}`);
  });
  it('over 63 characters', () => {
    const ns = 'n'.repeat(64);
    only(meta({ name: 'np', namespace: ns }), 'Invalid value', 'metadata.namespace', `Invalid value: "${ns}": must be no more than 63 characters`);
  });
});

describe('metadata.labels and annotations', () => {
  it('labels: bad key and bad value, at the map path, pointing at the key', () => {
    const ds = checkYaml(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: np
  labels:
    team: ok
    -bad: x
    tier: "front end"
`);
    assert.deepEqual(lines(ds), [
      `metadata.labels: Invalid value: "-bad": ${NAME_PART_MSG}`,
      `metadata.labels: Invalid value: "front end": ${LABEL_VALUE_MSG}`,
    ]);
    assert.deepEqual(ds.map((d) => d.line), [7, 8]);
  });
  it('annotations: keys checked lower-cased, bad value is the original key', () => {
    assert.deepEqual(meta({ name: 'np', annotations: { 'Example.COM/Owner': 'me' } }), []);
    only(meta({ name: 'np', annotations: { 'a b': 'x' } }), 'Invalid value', 'metadata.annotations', `Invalid value: "a b": ${NAME_PART_MSG}`);
  });
  it('annotations: more than 256 KiB in total is Too long', () => {
    const ds = meta({ name: 'np', annotations: { a: 'x'.repeat(200 * 1024), b: 'y'.repeat(60 * 1024) } });
    only(ds, 'Too long', 'metadata.annotations', 'Too long: may not be more than 262144 bytes');
    assert.deepEqual(meta({ name: 'np', annotations: { a: 'x'.repeat(262143) } }), []);
  });
});
