// A code frame: the offending line with its neighbours and a caret under the column.
// Long lines (a minified JSON manifest is one line of hundreds of KB) are clipped to a window
// around the column, with … where text was cut, so a frame stays a few lines of a terminal.

/** Characters kept on each side of the column. */
export const FRAME_RADIUS = 60;

/**
 * `text` may be the lines already split (callers framing many diagnostics of one file split it
 * once). `column` is 1-based; the same window is applied to every line so they stay aligned.
 */
export function codeFrame(text: string | readonly string[], line: number, column: number, context = 1, radius = FRAME_RADIUS): string {
  const lines = typeof text === 'string' ? text.split(/\r?\n/) : text;
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const col = Math.max(0, column - 1);
  const start = Math.max(0, col - radius);
  const end = col + radius + 1;
  const clip = (s: string) => `${start > 0 && s.length > 0 ? '…' : ''}${s.slice(start, end)}${s.length > end ? '…' : ''}`;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const mark = n === line ? '>' : ' ';
    out.push(`${mark} ${String(n).padStart(width)} | ${clip(lines[n - 1] ?? '')}`);
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(col - start + (start > 0 ? 1 : 0))}^`);
  }
  return out.join('\n');
}
