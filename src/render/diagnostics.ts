// Diagnostics as text (with code frames), JSON, and GitHub Actions annotation lines.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from './code-frame.js';
import { terminalBlock, terminalText } from './escape.js';

/** `file:line:column`; an object read from a cluster has no line (0) and is named alone. */
const whereOf = (d: Diagnostic) => (d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file);

export function diagnosticLine(d: Diagnostic): string {
  const where = whereOf(d);
  // Decoder messages already quote the path (`unknown field "spec.x"`): don't say it twice.
  const path = d.path && !d.message.includes(`"${d.path}"`) ? `${d.path}: ` : '';
  const rule = d.rule ? ` [${d.rule}]` : '';
  // File names, paths and messages can carry manifest text: one line, no control characters.
  return terminalText(`${where}: ${d.severity}${rule}: ${path}${d.message}`);
}

export function renderDiagnosticsText(diags: readonly Diagnostic[], sources: ReadonlyMap<string, string>, opts: { frames?: boolean } = {}): string {
  const split = new Map<string, string[]>(); // each file split into lines once, not once per diagnostic
  const linesOf = (file: string, text: string) => split.get(file) ?? split.set(file, text.split(/\r?\n/)).get(file)!;
  const blocks = diags.map((d) => {
    const parts = [diagnosticLine(d)];
    const text = sources.get(d.file);
    if (opts.frames !== false && text !== undefined && d.line > 0) parts.push(terminalBlock(codeFrame(linesOf(d.file, text), d.line, d.column)));
    if (d.hint) parts.push(`  hint: ${terminalText(d.hint)}`);
    return parts.join('\n');
  });
  return blocks.join('\n\n');
}

/** Infos of one rule (or type) beyond this many are folded into one line. */
export const INFO_GROUP = 3;

/**
 * A whole report for a terminal: errors and warnings in full, then infos (notes, not problems)
 * one line each; more than INFO_GROUP infos of one rule or type fold into one line with the
 * count and the first locations. JSON and SARIF keep every diagnostic.
 */
export function renderReportText(diags: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  const problems = diags.filter((d) => d.severity !== 'info');
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diags) {
    if (d.severity !== 'info') continue;
    const list = groups.get(d.rule ?? d.type);
    if (list) list.push(d);
    else groups.set(d.rule ?? d.type, [d]);
  }
  const notes = [...groups].flatMap(([key, list]) => {
    if (list.length <= INFO_GROUP) return list.map((d) => `${diagnosticLine(d)}${d.hint ? `\n  hint: ${terminalText(d.hint)}` : ''}`);
    const at = list.slice(0, INFO_GROUP).map(whereOf).join(', ');
    return [terminalText(`info [${key}] ×${list.length} at ${at} and ${list.length - INFO_GROUP} more (--format json lists each); the first: ${list[0]!.message}`)];
  });
  return [...(problems.length ? [renderDiagnosticsText(problems, sources)] : []), ...(notes.length ? [notes.join('\n')] : [])].join('\n\n');
}

export function summarize(diags: readonly Diagnostic[]): string {
  const count = (s: string) => diags.filter((d) => d.severity === s).length;
  return `${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=x.yaml,line=3,col=5,title=...::message` lines for GitHub Actions. */
export function renderGithubAnnotations(diags: readonly Diagnostic[]): string {
  return diags
    .map((d) => {
      const level = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
      const title = d.rule ?? d.type;
      const msg = terminalText(`${d.path ? `${d.path}: ` : ''}${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`);
      return `::${level} file=${escapeProperty(terminalText(d.file))},line=${d.line},col=${d.column},title=${escapeProperty(title)}::${escapeData(msg)}`;
    })
    .join('\n');
}
