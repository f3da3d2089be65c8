// Matrix renderers: a readable table per probe, CSV and Markdown. Cells whose verdict depends
// on the plugin (Matrix.depends) carry a `?` beside their binary mark, with the reasons below.
import type { Matrix } from '../matrix/matrix.js';

function probeTitle(p: Matrix['probes'][number]): string {
  return `${p.port}/${p.protocol}`;
}

/** Reason per depends cell, keyed by probe index, from index and to index. */
function dependsLookup(m: Matrix): (pi: number, i: number, j: number) => string | undefined {
  if (m.depends.length === 0) return () => undefined;
  const podIndex = new Map(m.pods.map((p, i) => [p, i]));
  const probeIndex = new Map(m.probes.map((p, i) => [`${p.port}/${p.protocol}`, i]));
  const cells = new Map<string, string>();
  for (const d of m.depends) cells.set(`${probeIndex.get(`${d.port}/${d.protocol}`)}:${podIndex.get(d.from)}:${podIndex.get(d.to)}`, d.reason);
  return (pi, i, j) => cells.get(`${pi}:${i}:${j}`);
}

/** At most this many depends cells are spelled out in text and Markdown; JSON and CSV carry all. */
const LISTED = 50;

function dependsLines(m: Matrix): string[] {
  if (m.depends.length === 0) return [];
  const out = [`? = the verdict depends on what the API leaves to the network plugin (${m.depends.length} cell${m.depends.length === 1 ? '' : 's'}):`];
  for (const d of m.depends.slice(0, LISTED)) out.push(`  ${d.from} -> ${d.to} ${d.port}/${d.protocol}: ${d.reason}`);
  if (m.depends.length > LISTED) out.push(`  … and ${m.depends.length - LISTED} more (--format json or csv lists every one)`);
  return out;
}

export function renderMatrixTable(m: Matrix): string {
  if (m.pods.length === 0) return 'no pods';
  const dep = dependsLookup(m);
  const idx = m.pods.map((_, i) => String(i + 1));
  const w = Math.max(...idx.map((s) => s.length), m.depends.length ? 2 : 1);
  const nameW = Math.max(...m.pods.map((p) => p.length));
  const out: string[] = [];
  m.probes.forEach((probe, pi) => {
    out.push(`port ${probeTitle(probe)}  (row = from, column = to; X = allowed, . = denied${m.depends.length ? ', ? = depends' : ''})`);
    out.push(`${' '.repeat(w + nameW + 3)}${idx.map((s) => s.padStart(w)).join(' ')}`);
    probe.rows.forEach((row, i) => {
      const cells = [...row].map((c, j) => `${c === '1' ? 'X' : '.'}${dep(pi, i, j) ? '?' : ''}`.padStart(w)).join(' ');
      out.push(`${idx[i]!.padStart(w)} ${m.pods[i]!.padEnd(nameW)}  ${cells}`);
    });
    out.push('');
  });
  out.push(...dependsLines(m));
  return out.join('\n').trimEnd();
}

export function renderMatrixCsv(m: Matrix): string {
  const dep = dependsLookup(m);
  const lines = ['port,protocol,from,to,allowed,depends'];
  m.probes.forEach((p, pi) => {
    p.rows.forEach((row, i) => [...row].forEach((c, j) => {
      const why = dep(pi, i, j);
      lines.push(`${p.port},${p.protocol},${m.pods[i]},${m.pods[j]},${c === '1'},${why === undefined ? '' : `"${why.replace(/"/g, '""')}"`}`);
    }));
  });
  return lines.join('\n');
}

export function renderMatrixMarkdown(m: Matrix): string {
  const dep = dependsLookup(m);
  const out: string[] = [];
  m.probes.forEach((p, pi) => {
    out.push(`### ${probeTitle(p)}`, '', `| from \\ to | ${m.pods.join(' | ')} |`, `|---|${m.pods.map(() => ':-:').join('|')}|`);
    p.rows.forEach((row, i) => out.push(`| ${m.pods[i]} | ${[...row].map((c, j) => `${c === '1' ? '✔' : '✘'}${dep(pi, i, j) ? '?' : ''}`).join(' | ')} |`));
    out.push('');
  });
  const lines = dependsLines(m);
  if (lines.length) out.push(lines[0]!, '', ...lines.slice(1).map((l) => `- ${l.trim()}`));
  return out.join('\n').trimEnd();
}
