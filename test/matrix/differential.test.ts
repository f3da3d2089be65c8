// The fast class engine (src/matrix/engine.ts) against the readable Evaluator: identical
// matrices on hundreds of generated clusters, in every ipBlock mode, and proof the fast path ran.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMatrix } from '../../src/matrix/matrix.js';
import type { EngineStats } from '../../src/matrix/engine.js';
import { generateCluster } from '../oracle/generate.js';
import { referenceRows } from '../oracle/reference.js';
import { dependsKeys, evaluatorMatrix, matrixDiff, replicaCluster, TEST_PROBES } from './helpers.js';

const MODES = ['match', 'ignore', 'depends'] as const;

test('fast matrix equals the Evaluator matrix on 300 generated clusters (test/oracle/generate.ts), every mode', () => {
  let cells = 0, ones = 0, rows = 0, dependsCells = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const { cluster } = generateCluster(5000 + seed);
    for (const mode of MODES) {
      let stats: EngineStats | undefined;
      const fast = computeMatrix(cluster, TEST_PROBES, { ipBlockPods: mode, onStats: (s) => { stats = s; } });
      const slow = evaluatorMatrix(cluster, TEST_PROBES, mode);
      assert.deepEqual(matrixDiff(fast, slow), [], `seed ${5000 + seed} mode ${mode}`);
      assert.deepEqual({ pods: fast.pods, probes: fast.probes }, { pods: slow.pods, probes: slow.probes });
      assert.deepEqual(dependsKeys(fast), dependsKeys(slow), `depends cells, seed ${5000 + seed} mode ${mode}`);
      dependsCells += fast.depends.length;
      assert.ok(stats && stats.rowsComputed > 0 && stats.rowsComputed === stats.classes, 'one row per class, on the fast path');
      rows += stats.rowsComputed;
      for (const p of fast.probes) for (const r of p.rows) { cells += r.length; for (const ch of r) if (ch === '1') ones++; }
    }
  }
  // Not vacuous: plenty of cells, and both answers occur often.
  assert.ok(cells > 100_000, `cells ${cells}`);
  assert.ok(ones > cells * 0.1 && ones < cells * 0.9, `allowed ${ones} of ${cells}`);
  assert.ok(rows > 1000);
  assert.ok(dependsCells > 1000 && dependsCells < cells * 0.5, `depends cells ${dependsCells} of ${cells}`);
});

test('fast matrix equals the naive reference (test/oracle/reference.ts) on numeric probes', () => {
  let compared = 0;
  for (let seed = 1; seed <= 150; seed++) {
    const { cluster } = generateCluster(9000 + seed);
    for (const mode of ['match', 'ignore'] as const) {
      const probes = TEST_PROBES.filter((p) => typeof p.port === 'number');
      const fast = computeMatrix(cluster, probes, { ipBlockPods: mode });
      probes.forEach((p, i) => {
        assert.deepEqual(fast.probes[i]!.rows, referenceRows(cluster, cluster.pods, p.port as number, p.protocol, { ipBlockPods: mode }), `seed ${9000 + seed} ${mode} ${p.port}/${p.protocol}`);
        compared++;
      });
    }
  }
  assert.equal(compared, 150 * 2 * 24);
});

test('replica clusters collapse into classes and still match the Evaluator (endPort, named ports, hostNetwork)', () => {
  let pods = 0, classes = 0, hostNet = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const cluster = replicaCluster(seed);
    hostNet += cluster.pods.filter((p) => p.hostNetwork).length;
    for (const mode of MODES) {
      let stats: EngineStats | undefined;
      const fast = computeMatrix(cluster, TEST_PROBES, { ipBlockPods: mode, onStats: (s) => { stats = s; } });
      const slow = evaluatorMatrix(cluster, TEST_PROBES, mode);
      assert.deepEqual(matrixDiff(fast, slow), [], `replica seed ${seed} ${mode}`);
      assert.deepEqual(dependsKeys(fast), dependsKeys(slow), `depends cells, replica seed ${seed} ${mode}`);
      pods += stats!.pods;
      classes += stats!.classes;
    }
  }
  assert.ok(hostNet > 0, 'some hostNetwork pods were generated');
  assert.ok(classes < pods * 0.8, `classes ${classes} should be well under pods ${pods}`);
});

test('namespace filter: rows only for the chosen namespaces, same answers', () => {
  const cluster = replicaCluster(7);
  const ns = cluster.namespaces[0]!.name;
  const fast = computeMatrix(cluster, TEST_PROBES, { namespaces: [ns] });
  const sub = { ...cluster, pods: cluster.pods.filter((p) => p.namespace === ns) };
  assert.ok(fast.pods.length > 0 && fast.pods.length < cluster.pods.length);
  const slow = evaluatorMatrix(sub, TEST_PROBES, 'match');
  assert.deepEqual({ pods: fast.pods, probes: fast.probes }, { pods: slow.pods, probes: slow.probes });
  assert.deepEqual(dependsKeys(fast), dependsKeys(slow));
});
