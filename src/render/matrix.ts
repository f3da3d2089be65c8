// Matrix renderers: a readable table per probe, CSV and Markdown. Cells whose verdict depends
// on the plugin (Matrix.depends) carry a `?` beside their binary mark, with the reasons below.
// Pod names and named ports come from manifests: every one goes through an escape of its sink.
import type { Matrix } from '../matrix/matrix.js';
import { csvRow, markdownCell, terminalText } from './escape.js';

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

/** Plain lines (unescaped): the caller escapes them for its sink. */
function dependsLines(m: Matrix): { head: string; items: string[] } | undefined {
  if (m.depends.length === 0) return undefined;
  const head = `? = the verdict depends on what the manifests do not state or the API leaves to the network plugin (${m.depends.length} cell${m.depends.length === 1 ? '' : 's'}):`;
  const items = m.depends.slice(0, LISTED).map((d) => `${d.from} -> ${d.to} ${d.port}/${d.protocol}: ${d.reason}`);
  if (m.depends.length > LISTED) items.push(`… and ${m.depends.length - LISTED} more (--format json or csv lists every one)`);
  return { head, items };
}

/** `--services`: a pod's name with the Services that front it, `prod/db-0 (svc:prod/db)`. */
const podLabel = (services?: Readonly<Record<string, readonly string[]>>) => (p: string) =>
  (services?.[p]?.length ? `${p} (${services[p]!.join(', ')})` : p);

export function renderMatrixTable(m: Matrix, services?: Readonly<Record<string, readonly string[]>>): string {
  if (m.pods.length === 0) return 'no pods';
  const dep = dependsLookup(m);
  const idx = m.pods.map((_, i) => String(i + 1));
  const w = Math.max(...idx.map((s) => s.length), m.depends.length ? 2 : 1);
  const pods = m.pods.map(podLabel(services)).map(terminalText);
  const nameW = Math.max(...pods.map((p) => p.length));
  const out: string[] = [];
  m.probes.forEach((probe, pi) => {
    out.push(`port ${terminalText(probeTitle(probe))}  (row = from, column = to; X = allowed, . = denied${m.depends.length ? ', ? = depends' : ''})`);
    out.push(`${' '.repeat(w + nameW + 3)}${idx.map((s) => s.padStart(w)).join(' ')}`);
    probe.rows.forEach((row, i) => {
      const cells = [...row].map((c, j) => `${c === '1' ? 'X' : '.'}${dep(pi, i, j) ? '?' : ''}`.padStart(w)).join(' ');
      out.push(`${idx[i]!.padStart(w)} ${pods[i]!.padEnd(nameW)}  ${cells}`);
    });
    out.push('');
  });
  const d = dependsLines(m);
  if (d) out.push(d.head, ...d.items.map((l) => `  ${terminalText(l)}`));
  return out.join('\n').trimEnd();
}

export function renderMatrixCsv(m: Matrix): string {
  const dep = dependsLookup(m);
  const lines = ['port,protocol,from,to,allowed,depends'];
  m.probes.forEach((p, pi) => {
    p.rows.forEach((row, i) => [...row].forEach((c, j) => lines.push(csvRow([p.port, p.protocol, m.pods[i]!, m.pods[j]!, c === '1', dep(pi, i, j) ?? '']))));
  });
  return lines.join('\n');
}

export function renderMatrixMarkdown(m: Matrix, services?: Readonly<Record<string, readonly string[]>>): string {
  const dep = dependsLookup(m);
  const out: string[] = [];
  const pods = m.pods.map(podLabel(services)).map(markdownCell);
  m.probes.forEach((p, pi) => {
    out.push(`### ${markdownCell(probeTitle(p))}`, '', `| from \\ to | ${pods.join(' | ')} |`, `|---|${pods.map(() => ':-:').join('|')}|`);
    p.rows.forEach((row, i) => out.push(`| ${pods[i]} | ${[...row].map((c, j) => `${c === '1' ? '✔' : '✘'}${dep(pi, i, j) ? '?' : ''}`).join(' | ')} |`));
    out.push('');
  });
  const d = dependsLines(m);
  if (d) {
    out.push(markdownCell(d.head), '');
    for (const x of m.depends.slice(0, LISTED)) out.push(`- ${markdownCell(x.from)} → ${markdownCell(x.to)} ${markdownCell(`${x.port}/${x.protocol}`)}: ${markdownCell(x.reason)}`);
    if (m.depends.length > LISTED) out.push(`- … and ${m.depends.length - LISTED} more (--format json or csv lists every one)`);
  }
  return out.join('\n').trimEnd();
}
