// Unrendered templates (Helm charts, Go templates): `{{ … }}` where YAML structure goes — at the
// start of a line (`{{- if .Values.x }}`, `- {{ include … }}`) or as an unquoted value
// (`containerPort: {{ index .Ports 0 }}`). Such a file gives hundreds of YAML errors that all
// mean "render me first", so it is reported once. `{{` inside quoted text or a block scalar
// (alert descriptions, Alertmanager templates in a ConfigMap) is data and is left alone.

export interface TemplateHit {
  line: number;
  column: number;
  /** The `{{ … }}` action as written, shortened. */
  snippet: string;
}

const START = /^([ \t]*(?:-[ \t]+)*)\{\{/;
const VALUE = /^([ \t]*(?:-[ \t]+)*(?:[^\s#'"{][^#]*?|"[^"]*"|'[^']*'):[ \t]+)\{\{/;
const BLOCK_HEADER = /(?:^|[ \t])[|>][-+0-9]*[ \t]*(?:#.*)?$/;

export function findTemplate(text: string): TemplateHit | undefined {
  if (!text.includes('{{')) return undefined;
  const lines = text.split('\n');
  let blockIndent = -1; // inside a block scalar whose header line had this indentation
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const indent = /^ */.exec(line)![0].length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    const m = START.exec(line) ?? VALUE.exec(line);
    if (m) {
      const at = m[1]!.length;
      const end = line.indexOf('}}', at);
      const action = end < 0 ? line.slice(at) : line.slice(at, end + 2);
      return { line: n + 1, column: at + 1, snippet: action.length > 60 ? `${action.slice(0, 57)}...` : action };
    }
    if (BLOCK_HEADER.test(line.replace(/[ \t]+$/, ''))) blockIndent = indent;
  }
  return undefined;
}
