// go-yaml v2 (a port of libyaml) does not check indentation inside quoted scalars and flow
// collections: `key: "one\ntwo\n"` with the closing quote at the key's column, or a flow list
// continued on a tab-indented line, are read by kubectl. The `yaml` library refuses both. This
// pass indents such continuation lines (with spaces) just enough, which changes no value: a
// quoted scalar folds leading white space away, and flow collections ignore it. Used only as a
// retry after a parse error; columns on the lines it touched are given back through `pads`.

export interface Lenient {
  text: string;
  /** 1-based line -> characters added at its start. */
  pads: Map<number, number>;
}

/** Column of a line's content, past indentation and `- ` sequence indicators. */
function contentColumn(line: string): number {
  let i = 0;
  for (;;) {
    while (line[i] === ' ') i++;
    if (line[i] === '-' && (line[i + 1] === ' ' || line[i + 1] === '\t')) { i += 2; continue; }
    return i;
  }
}

export function lenientText(text: string): Lenient | undefined {
  const lines = text.split('\n');
  const pads = new Map<number, number>();
  let quote: '"' | "'" | undefined;
  let depth = 0; // flow collection nesting
  let ownerCol = 0; // content column of the line that opened the quote or flow collection
  let blockCol = -1; // inside a block scalar whose owner line has this content column
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!;
    const lead = /^[ \t]*/.exec(line)![0];
    if (blockCol >= 0) {
      if (line.trim() === '' || (lead.length > blockCol && !lead.includes('\t'))) continue;
      blockCol = -1;
    }
    const continued = quote !== undefined || depth > 0;
    if (continued && !/^(---|\.\.\.)(\s|$)/.test(line)) {
      const want = Math.max(ownerCol + 1, lead.length);
      if (want !== lead.length || lead.includes('\t')) {
        line = ' '.repeat(want) + line.slice(lead.length);
        lines[n] = line;
        pads.set(n + 1, want - lead.length);
      }
    }
    if (!continued) ownerCol = contentColumn(line);
    let token = true; // at a place where a quoted scalar or a flow collection may start
    for (let i = lead.length; i < line.length; i++) {
      const c = line[i]!;
      if (quote === '"') {
        if (c === '\\') i++;
        else if (c === '"') { quote = undefined; token = false; }
        continue;
      }
      if (quote === "'") {
        if (c === "'" && line[i + 1] === "'") i++;
        else if (c === "'") { quote = undefined; token = false; }
        continue;
      }
      if (c === ' ' || c === '\t') continue;
      if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) break;
      if (token && (c === '"' || c === "'")) { quote = c; continue; }
      if ((c === '[' || c === '{') && (token || depth > 0)) { depth++; token = true; continue; }
      if ((c === ']' || c === '}') && depth > 0) { depth--; token = false; continue; }
      if (c === ',' && depth > 0) { token = true; continue; }
      const next = line[i + 1];
      const spaced = next === undefined || next === ' ' || next === '\t';
      if ((c === ':' || c === '-' || c === '?') && spaced) { token = true; continue; }
      if (token && depth === 0 && (c === '|' || c === '>') && /^[|>][-+0-9]*\s*(#.*)?$/.test(line.slice(i))) {
        blockCol = contentColumn(line);
        break;
      }
      token = false;
    }
  }
  return pads.size > 0 ? { text: lines.join('\n'), pads } : undefined;
}
