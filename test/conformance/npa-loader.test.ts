// The real loader and the test-only converter of the transcribed suite must read every upstream
// ClusterNetworkPolicy (as written, and as it stands after each in-test mutation) the same way:
// two independent readings of the same v1alpha2 types (network-policy-api @ 0eec1b0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { loadSources } from '../../src/load/load.js';
import type { ClusterPolicy } from '../../src/model/types.js';
import { npaData } from './npa/cases.js';
import { toClusterPolicy, type Obj } from './npa/convert.js';

/**
 * Drop provenance that the two readings place differently (origin, and a port's path: the loader
 * points at the protocols entry, the converter at the field inside it); keep everything that
 * decides verdicts, and the paths of rules and peers.
 */
function comparable(p: ClusterPolicy): unknown {
  const { origin: _origin, ...rest } = p;
  const strip = (rules: ClusterPolicy['ingress']) => rules.map((r) => ({ ...r, ports: r.ports.map(({ path: _p, ...port }) => port) }));
  return JSON.parse(JSON.stringify({ ...rest, ingress: strip(p.ingress), egress: strip(p.egress) }));
}

function rawPolicies(): Obj[] {
  const out: Obj[] = [];
  for (const t of npaData().tests) for (const s of t.subtests) for (const step of s.steps) for (const o of step.apply ?? []) {
    if (o.kind === 'ClusterNetworkPolicy') out.push(o);
  }
  return out;
}

test('every mutated upstream ClusterNetworkPolicy reads the same through the loader and the converter', () => {
  const raws = rawPolicies();
  assert.ok(raws.length >= 30, `expected the suite's in-test mutations, got ${raws.length}`);
  for (const raw of raws) {
    const name = String((raw.metadata as Obj).name);
    const r = loadSources([{ file: `${name}.yaml`, text: stringify(raw) }]);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors, [], name);
    const loaded = r.cluster.clusterPolicies ?? [];
    assert.equal(loaded.length, 1, name);
    assert.deepEqual(comparable(loaded[0]!), comparable(toClusterPolicy(raw)), name);
  }
});
