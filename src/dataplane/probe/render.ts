// Text report of a probe: observed matrix beside the engine's, then every disagreement.
import type { ProbeReport, Cell } from './run.js';
import { externalDisagreements } from './run.js';

const cell = (c: string) => (c === '1' ? 'X' : '.');

/** Names from manifests on a terminal: control characters (C0, DEL, C1) and bidi controls become '?'. */
export const shown = (s: string): string => s.replace(/[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, '?');

function describe(c: Cell): string {
  const port = c.target !== undefined && c.target !== c.port ? `${c.port}/${c.protocol} (=${c.target})` : `${c.port}/${c.protocol}`;
  return `${shown(c.from)} -> ${shown(c.to)} ${shown(port)}: engine ${c.engine ? 'allows' : 'denies'}, observed ${c.outcome}`;
}

export function renderProbeText(r: ProbeReport, title: string): string {
  const out: string[] = [title];
  const { pods } = r.observed;
  const idx = pods.map((_, i) => String(i + 1));
  const w = Math.max(1, ...idx.map((s) => s.length));
  const names = pods.map(shown);
  const nameW = Math.max(4, ...names.map((p) => p.length));
  const grid = (row: string) => [...row].map((c) => cell(c).padStart(w)).join(' ');
  r.observed.probes.forEach((probe, k) => {
    const eng = r.engine.probes[k]!;
    const gw = pods.length * (w + 1) - 1;
    out.push('', `port ${probe.port}/${probe.protocol}  (row = from, column = to; X = connected / allowed, . = not; ! = disagreement)`);
    out.push(`${' '.repeat(w + nameW + 3)}${'observed'.padEnd(gw)}   engine`);
    const head = idx.map((s) => s.padStart(w)).join(' ');
    out.push(`${' '.repeat(w + nameW + 3)}${head}   ${head}`);
    probe.rows.forEach((row, i) => {
      const differs = row !== eng.rows[i];
      out.push(`${idx[i]!.padStart(w)} ${names[i]!.padEnd(nameW)}  ${grid(row)}   ${grid(eng.rows[i]!)}${differs ? '  !' : ''}`);
    });
  });
  if (r.externals.length) {
    out.push('', 'outside hosts (namespaces with the ipBlock addresses, outside the cluster):');
    // Long labs have many of these; the disagreements are listed in full below anyway.
    const shown = r.externals.slice(0, 24);
    for (const c of shown) out.push(`  ${(c.outcome === 'established') === c.engine ? ' ' : '!'} ${describe(c)}`);
    if (r.externals.length > shown.length) out.push(`  … ${r.externals.length - shown.length} more`);
  }
  for (const s of r.skipped) out.push('', `skipped ${shown(String(s.port))}/${s.protocol}: ${s.reason}`);
  for (const n of r.notes) out.push('', `note: ${shown(n)}`);
  const bad = [...r.disagreements, ...externalDisagreements(r)];
  const counts = Object.entries(r.counts).map(([k, v]) => `${v} ${k}`).join(', ');
  out.push('', `${Object.values(r.counts).reduce((a, b) => a + b, 0)} connections in ${(r.ms / 1000).toFixed(1)} s: ${counts || 'none'}`);
  if (bad.length === 0) out.push('observed = engine on every pair (the diagonal is not probed: a pod always reaches itself)');
  else {
    out.push(`${bad.length} disagreement(s) between the dataplane and the engine:`);
    for (const c of bad) out.push(`  ${describe(c)}`);
  }
  return out.join('\n');
}
