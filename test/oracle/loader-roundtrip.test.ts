// The generator's raw manifests, written as YAML and JSON and loaded, must give exactly the
// generator's model: API-server defaulting (policyTypes, protocol TCP), absent vs empty lists,
// implicit namespaces with kubernetes.io/metadata.name, status.podIP/podIPs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { loadSources } from '../../src/load/load.js';
import type { Cluster } from '../../src/model/types.js';
import { generateCluster } from './generate.js';

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') {
    // origin and written (how empty fields were spelt, for lint) are provenance, not model.
    return Object.fromEntries(Object.entries(v).filter(([k, x]) => k !== 'origin' && k !== 'written' && x !== undefined).map(([k, x]) => [k, strip(x)]));
  }
  return v;
}

function sorted(c: Cluster): unknown {
  const by = (a: { namespace?: string; name: string }, b: { namespace?: string; name: string }) =>
    (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);
  return strip({ namespaces: [...c.namespaces].sort(by), pods: [...c.pods].sort(by), policies: [...c.policies].sort(by) });
}

test('200 generated clusters load back to the generator model, from multi-document YAML and from a JSON List', () => {
  let objects = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const g = generateCluster(seed);
    objects += g.manifests.length;
    // YAML 1.1 output quotes names like `y` that kubectl (YAML 1.1) would read as booleans.
    const yamlText = g.manifests.map((m) => stringify(m, { version: '1.1' })).join('---\n');
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: g.manifests });
    for (const src of [{ file: `gen-${seed}.yaml`, text: yamlText }, { file: `gen-${seed}.json`, text: json }]) {
      const r = loadSources([src]);
      assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], `seed ${seed} ${src.file}`);
      assert.deepEqual(sorted(r.cluster), sorted(g.cluster), `seed ${seed} ${src.file}`);
    }
  }
  console.log(`loader round trip: ${objects} objects in 200 clusters, 0 differences`);
});
