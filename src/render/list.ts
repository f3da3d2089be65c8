// Renderers for `netpol list`: aligned text, the JSON contract, CSV and Markdown. Names come
// from manifests and are untrusted: each sink's escaping lives in one function below
// (textSafe, csvCell, mdCell) so a shared escaper (src/render/escape.ts) can replace them.
import type { ConnectionList, ListConnection, ListEnd, PortRanges } from '../analysis/list/list.js';
import { PROTOCOLS } from '../model/types.js';

/** The JSON contract: `{"connections":[{"from","to","allowed":{"TCP":[[a,b]],"UDP":[],"SCTP":[]}}],"depends":[…]}`. */
export interface ListJson {
  connections: { from: string | string[]; to: string | string[]; allowed: PortRanges }[];
  depends: unknown[];
}

/** `depends` is filled by the caller (the plugin-dependent verdict analysis); `[]` otherwise. */
export function listToJson(list: ConnectionList, depends: unknown[] = []): ListJson {
  return {
    connections: list.connections.map((c) => ({ from: c.from.id, to: c.to.id, allowed: c.allowed })),
    depends,
  };
}

/** The JSON contract as text, one connection per line (small diffs, still one JSON value). */
export function renderListJson(list: ConnectionList, depends: unknown[] = []): string {
  const j = listToJson(list, depends);
  const items = (xs: unknown[]) => (xs.length ? `[\n${xs.map((x) => JSON.stringify(x)).join(',\n')}\n]` : '[]');
  return `{"connections":${items(j.connections)},"depends":${items(j.depends)}}`;
}

/** Terminal text: control characters (C0, DEL, C1; newlines and ESC included) become visible escapes. */
export function textSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** RFC 4180: quote a field holding a comma, quote, CR or LF (or edge spaces); double inner quotes. */
export function csvCell(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A Markdown table cell: no line breaks, and the characters that would become syntax escaped. */
export function mdCell(s: string): string {
  return textSafe(s).replace(/[\\|`*_[\]<>]/g, (c) => `\\${c}`);
}

const FULL = (r: PortRanges) => PROTOCOLS.every((p) => r[p].length === 1 && r[p][0]![0] === 1 && r[p][0]![1] === 65535);

/** `all`, or per protocol `TCP 80, 8000-8080; UDP 53`. */
export function formatPortRanges(r: PortRanges): string {
  if (FULL(r)) return 'all';
  return PROTOCOLS.filter((p) => r[p].length)
    .map((p) => `${p} ${r[p].map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ')}`)
    .join('; ');
}

function endText(e: ListEnd): string {
  return textSafe(e.label);
}

export function renderListText(list: ConnectionList): string {
  if (list.connections.length === 0) return 'no allowed connections';
  const rows = list.connections.map((c: ListConnection) => [endText(c.from), endText(c.to), formatPortRanges(c.allowed)] as const);
  // Columns align up to 48 characters; a longer name (a long CIDR list) just runs over.
  const wf = Math.min(48, Math.max(...rows.map((r) => r[0].length)));
  const wt = Math.min(48, Math.max(...rows.map((r) => r[1].length)));
  return rows.map(([f, t, p]) => `${f.padEnd(wf)} -> ${t.padEnd(wt)}  ${p}`).join('\n');
}

/** One line per allowed range: `from,to,protocol,first_port,last_port`; an external end is its CIDRs, space-separated. */
export function renderListCsv(list: ConnectionList): string {
  const id = (e: ListEnd) => csvCell(Array.isArray(e.id) ? e.id.join(' ') : e.id);
  const lines = ['from,to,protocol,first_port,last_port'];
  for (const c of list.connections) {
    for (const p of PROTOCOLS) for (const [a, b] of c.allowed[p]) lines.push(`${id(c.from)},${id(c.to)},${p},${a},${b}`);
  }
  return lines.join('\n');
}

export function renderListMarkdown(list: ConnectionList): string {
  const out = ['| from | to | allowed |', '|---|---|---|'];
  for (const c of list.connections) out.push(`| ${mdCell(c.from.label)} | ${mdCell(c.to.label)} | ${formatPortRanges(c.allowed)} |`);
  if (list.connections.length === 0) out.push('| | | no allowed connections |');
  return out.join('\n');
}
