// What `--skip-invalid` left out, for every output format: a header line for text, a comment
// line for CSV and nftables, a note for Markdown, a `skipped` array for JSON. Names and
// reasons come from the manifests: control and bidi characters never reach the output (escape.ts).
import type { SkippedObject } from '../load/load.js';
import { terminalText } from './escape.js';

/** One line, printable: control, bidi and line-separator characters become visible escapes. */
export const oneLine = terminalText;

function describe(s: SkippedObject): string {
  const what = s.kind ? `${s.kind} ${s.name || '(no name)'}` : 'unreadable document';
  return `${s.file}#${s.document} ${what}`;
}

const count = (n: number): string => `${n} invalid object${n === 1 ? '' : 's'}`;

/** The text header: one line, or '' when nothing was left out. */
export function skippedHeader(skipped: readonly SkippedObject[]): string {
  if (skipped.length === 0) return '';
  return oneLine(`netpol: --skip-invalid left out ${count(skipped.length)} (errors on stderr): ${skipped.map(describe).join('; ')}`);
}

/** A `# ...` comment line (CSV, nftables): no commas or quotes, so no spreadsheet cell splits. */
export function skippedComment(skipped: readonly SkippedObject[]): string {
  if (skipped.length === 0) return '';
  return `# ${skippedHeader(skipped).replace(/[,"'=+@|]/g, ' ').replace(/^netpol: /, '')}`;
}

/** A Markdown note; Markdown and HTML syntax in names is escaped. */
export function skippedMarkdown(skipped: readonly SkippedObject[]): string {
  if (skipped.length === 0) return '';
  const esc = (s: string): string => oneLine(s).replace(/[\\`*_{}[\]()<>#+\-.!|~&]/g, (c) => `\\${c}`);
  return `> **Note:** \`--skip-invalid\` left out ${count(skipped.length)} (errors on stderr): ${skipped.map((s) => esc(describe(s))).join('; ')}`;
}

/** JSON output: the payload with a top-level `skipped` array (only when --skip-invalid was given). */
export function withSkipped<T extends object>(payload: T, skipped: readonly SkippedObject[] | undefined): T | (T & { skipped: readonly SkippedObject[] }) {
  return skipped ? { ...payload, skipped } : payload;
}

/** Text output: the header line, a blank line, then the text. */
export function prependHeader(text: string, skipped: readonly SkippedObject[] | undefined, header = skippedHeader): string {
  const h = skipped ? header(skipped) : '';
  return h ? `${h}\n${text}` : text;
}

/** SARIF: one tool-execution notification per object left out, in `runs[0].invocations`. */
export function withSkippedSarif(sarif: object, skipped: readonly SkippedObject[] | undefined): object {
  if (!skipped) return sarif;
  const s = sarif as { runs: Record<string, unknown>[] };
  s.runs[0]!.invocations = [{
    executionSuccessful: true,
    toolExecutionNotifications: skipped.map((x) => ({
      level: 'warning',
      message: { text: `--skip-invalid left out ${describe(x)}: ${x.reason}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: x.file } } }],
    })),
  }];
  return s;
}
