// Matrix renderers: a readable table per probe, CSV and Markdown.
// Pod names and named ports come from manifests: every one goes through an escape of its sink.
import type { Matrix } from '../matrix/matrix.js';
import { csvRow, markdownCell, terminalText } from './escape.js';

function probeTitle(p: Matrix['probes'][number]): string {
  return `${p.port}/${p.protocol}`;
}

export function renderMatrixTable(m: Matrix): string {
  if (m.pods.length === 0) return 'no pods';
  const idx = m.pods.map((_, i) => String(i + 1));
  const w = Math.max(...idx.map((s) => s.length));
  const pods = m.pods.map(terminalText);
  const nameW = Math.max(...pods.map((p) => p.length));
  const out: string[] = [];
  for (const probe of m.probes) {
    out.push(`port ${terminalText(probeTitle(probe))}  (row = from, column = to; X = allowed, . = denied)`);
    out.push(`${' '.repeat(w + nameW + 3)}${idx.map((s) => s.padStart(w)).join(' ')}`);
    probe.rows.forEach((row, i) => {
      const cells = [...row].map((c) => (c === '1' ? 'X' : '.').padStart(w)).join(' ');
      out.push(`${idx[i]!.padStart(w)} ${pods[i]!.padEnd(nameW)}  ${cells}`);
    });
    out.push('');
  }
  return out.join('\n').trimEnd();
}

export function renderMatrixCsv(m: Matrix): string {
  const lines = ['port,protocol,from,to,allowed'];
  for (const p of m.probes) {
    p.rows.forEach((row, i) => [...row].forEach((c, j) => lines.push(csvRow([p.port, p.protocol, m.pods[i]!, m.pods[j]!, c === '1']))));
  }
  return lines.join('\n');
}

export function renderMatrixMarkdown(m: Matrix): string {
  const out: string[] = [];
  const pods = m.pods.map(markdownCell);
  for (const p of m.probes) {
    out.push(`### ${markdownCell(probeTitle(p))}`, '', `| from \\ to | ${pods.join(' | ')} |`, `|---|${pods.map(() => ':-:').join('|')}|`);
    p.rows.forEach((row, i) => out.push(`| ${pods[i]} | ${[...row].map((c) => (c === '1' ? '✔' : '✘')).join(' | ')} |`));
    out.push('');
  }
  return out.join('\n').trimEnd();
}
