// Baseline vs. now: which connections an edit opened or closed, cell by cell of two matrices
// (pods and probes present in both; pods that appeared or vanished are listed apart).
import type { Matrix } from '../index';

export type Change = 'opened' | 'closed';

export interface Delta {
  from: string;
  to: string;
  probe: string; // `3306/TCP`
  change: Change;
}

export interface MatrixDiff {
  changes: Delta[];
  /** `${probe}|${from}|${to}` → change, for coloring cells. */
  byCell: Map<string, Change>;
  addedPods: string[];
  removedPods: string[];
}

export const probeKey = (p: { port: number | string; protocol: string }) => `${p.port}/${p.protocol}`;

export function diffMatrices(before: Matrix, after: Matrix): MatrixDiff {
  const changes: Delta[] = [];
  const byCell = new Map<string, Change>();
  const oldIndex = new Map(before.pods.map((p, i) => [p, i]));
  const newSet = new Set(after.pods);
  const common = after.pods.map((p, j) => [p, j, oldIndex.get(p)] as const).filter((x): x is readonly [string, number, number] => x[2] !== undefined);
  for (const probe of after.probes) {
    const key = probeKey(probe);
    const old = before.probes.find((p) => probeKey(p) === key);
    if (!old) continue;
    for (const [from, j, oi] of common) {
      const row = probe.rows[j]!;
      const oldRow = old.rows[oi]!;
      for (const [to, k, ok] of common) {
        const now = row[k];
        const was = oldRow[ok];
        if (now === was) continue;
        const change: Change = now === '1' ? 'opened' : 'closed';
        changes.push({ from, to, probe: key, change });
        byCell.set(`${key}|${from}|${to}`, change);
      }
    }
  }
  return {
    changes,
    byCell,
    addedPods: after.pods.filter((p) => !oldIndex.has(p)),
    removedPods: before.pods.filter((p) => !newSet.has(p)),
  };
}
