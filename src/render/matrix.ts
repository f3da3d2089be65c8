// Matrix renderers: a readable table per probe, CSV and Markdown.
import type { Matrix } from '../matrix/matrix.js';

function probeTitle(p: Matrix['probes'][number]): string {
  return `${p.port}/${p.protocol}`;
}

export function renderMatrixTable(m: Matrix): string {
  if (m.pods.length === 0) return 'no pods';
  const idx = m.pods.map((_, i) => String(i + 1));
  const w = Math.max(...idx.map((s) => s.length));
  const nameW = Math.max(...m.pods.map((p) => p.length));
  const out: string[] = [];
  for (const probe of m.probes) {
    out.push(`port ${probeTitle(probe)}  (row = from, column = to; X = allowed, . = denied)`);
    out.push(`${' '.repeat(w + nameW + 3)}${idx.map((s) => s.padStart(w)).join(' ')}`);
    probe.rows.forEach((row, i) => {
      const cells = [...row].map((c) => (c === '1' ? 'X' : '.').padStart(w)).join(' ');
      out.push(`${idx[i]!.padStart(w)} ${m.pods[i]!.padEnd(nameW)}  ${cells}`);
    });
    out.push('');
  }
  return out.join('\n').trimEnd();
}

export function renderMatrixCsv(m: Matrix): string {
  const lines = ['port,protocol,from,to,allowed'];
  for (const p of m.probes) {
    p.rows.forEach((row, i) => [...row].forEach((c, j) => lines.push(`${p.port},${p.protocol},${m.pods[i]},${m.pods[j]},${c === '1'}`)));
  }
  return lines.join('\n');
}

export function renderMatrixMarkdown(m: Matrix): string {
  const out: string[] = [];
  for (const p of m.probes) {
    out.push(`### ${probeTitle(p)}`, '', `| from \\ to | ${m.pods.join(' | ')} |`, `|---|${m.pods.map(() => ':-:').join('|')}|`);
    p.rows.forEach((row, i) => out.push(`| ${m.pods[i]} | ${[...row].map((c) => (c === '1' ? '✔' : '✘')).join(' | ')} |`));
    out.push('');
  }
  return out.join('\n').trimEnd();
}
