// `matrix --format classes-json` is the json matrix compressed by class: expanded back to pod
// rows it must give the json format's rows and depends cells exactly, in every ipBlock mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMatrix, computeMatrixClasses, type MatrixClasses } from '../../src/matrix/matrix.js';
import type { Cluster } from '../../src/model/types.js';
import { b2 } from '../../bench/workloads.js';
import { generateCluster } from '../oracle/generate.js';
import { replicaCluster, TEST_PROBES } from './helpers.js';

/** rows[probe][i] as the json format spells them, from the class form. */
function expand(m: MatrixClasses, mode: string): string[][] {
  const n = m.pods.length;
  const classOf = new Array<number>(n);
  m.classes.forEach((c, id) => { for (const i of c) classOf[i] = id; });
  return m.probes.map((p) => {
    const reach = new Map<number, (d: number) => boolean>();
    for (const r of p.rows) {
      const set = new Set('to' in r ? r.to : r.toAllExcept);
      const f = 'to' in r ? (d: number) => set.has(d) : (d: number) => !set.has(d);
      for (const c of r.from) { assert.ok(!reach.has(c), 'a class is in one row group per probe'); reach.set(c, f); }
    }
    const cleared = new Set(mode === 'depends' ? m.depends.filter((d) => d.port === p.port && d.protocol === p.protocol).map((d) => `${d.from} ${d.to}`) : []);
    return m.pods.map((from, i) => m.pods.map((to, j) => (i === j || (reach.get(classOf[i]!)!(classOf[j]!) && !cleared.has(`${from} ${to}`)) ? '1' : '0')).join(''));
  });
}

test('classes-json expands to the json matrix (rows and depends) on generated clusters, in every ipBlock mode', () => {
  let cells = 0, ones = 0, compressed = 0, excepts = 0;
  const clusters: Cluster[] = [b2(200, 7)];
  for (let seed = 1; seed <= 20; seed++) clusters.push(generateCluster(7000 + seed).cluster, replicaCluster(seed));
  for (const [ci, cluster] of clusters.entries()) {
    for (const mode of ['match', 'ignore', 'depends'] as const) {
      const json = computeMatrix(cluster, TEST_PROBES, { ipBlockPods: mode });
      const cls = computeMatrixClasses(cluster, TEST_PROBES, { ipBlockPods: mode });
      assert.deepEqual(cls.pods, json.pods);
      assert.deepEqual([...cls.classes.flat()].sort((a, b) => a - b), json.pods.map((_, i) => i), 'classes partition the pods');
      assert.deepEqual(expand(cls, mode), json.probes.map((p) => p.rows), `cluster ${ci} ${mode}`);
      assert.deepEqual(cls.depends, json.depends);
      for (const p of json.probes) for (const r of p.rows) { cells += r.length; for (const ch of r) if (ch === '1') ones++; }
      if (cls.classes.length < cls.pods.length) compressed++;
      excepts += cls.probes.reduce((s, p) => s + p.rows.filter((r) => 'toAllExcept' in r).length, 0);
    }
  }
  // Meaningful only with both verdicts, classes of several pods, and both spellings of a row.
  assert.ok(ones > cells / 20 && ones < cells - cells / 20 && compressed > 10 && excepts > 10, `${ones}/${cells} allowed, ${compressed} compressed, ${excepts} except rows`);
});
