// Renderers for `netpol list`: aligned text, the JSON contract, CSV and Markdown. Names come
// from manifests and are untrusted: every sink goes through src/render/escape.ts.
import type { ListDepends } from '../analysis/list/depends.js';
import type { ConnectionList, ListConnection, ListEnd, PortRanges } from '../analysis/list/list.js';
import { PROTOCOLS } from '../model/types.js';
import { csvRow, markdownCell, safeJson, terminalText } from './escape.js';

/** The JSON contract: `{"connections":[{"from","to","allowed":{"TCP":[[a,b]],"UDP":[],"SCTP":[]}}],"depends":[…]}`. */
export interface ListJson {
  connections: { from: string | string[]; to: string | string[]; allowed: PortRanges }[];
  depends: ListDepends[];
}

export function listToJson(list: ConnectionList, depends: readonly ListDepends[] = []): ListJson {
  return {
    connections: list.connections.map((c) => ({ from: c.from.id, to: c.to.id, allowed: c.allowed })),
    depends: [...depends],
  };
}

/** The JSON contract as text, one connection per line (small diffs, still one JSON value). */
export function renderListJson(list: ConnectionList, depends: readonly ListDepends[] = [], services?: Readonly<Record<string, string[]>>): string {
  const j = listToJson(list, depends);
  const items = (xs: unknown[]) => (xs.length ? `[\n${xs.map((x) => safeJson(x)).join(',\n')}\n]` : '[]');
  // `--services`: end id -> the Services whose backing pods it holds (only ends some Service fronts).
  return `{"connections":${items(j.connections)},"depends":${items(j.depends)}${services ? `,"services":${safeJson(services)}` : ''}}`;
}

/** `--services`: each workload or pod end's label with the Services that front its pods, e.g. `prod/db[StatefulSet] (svc:prod/db)`. */
export function withServiceLabels(list: ConnectionList, servicesOf: (e: ListEnd) => string[]): ConnectionList {
  const relabel = new Map<ListEnd, ListEnd>(list.ends.map((e) => {
    const s = servicesOf(e);
    return [e, s.length ? { ...e, label: `${e.label} (${s.join(', ')})` } : e];
  }));
  const get = (e: ListEnd) => relabel.get(e) ?? e;
  return { ...list, ends: list.ends.map(get), connections: list.connections.map((c) => ({ ...c, from: get(c.from), to: get(c.to) })) };
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
  return terminalText(e.label);
}

const idText = (id: string | string[]) => (Array.isArray(id) ? id.join(', ') : id);

/** Plain lines naming the hinging port ranges and why (the caller escapes for its sink). */
function dependsLines(depends: readonly ListDepends[]): string[] {
  return depends.map((d) => `${idText(d.from)} -> ${idText(d.to)}  ${formatPortRanges(d.ports)}: ${d.reason}`);
}

export function renderListText(list: ConnectionList, depends: readonly ListDepends[] = []): string {
  const dep = depends.length
    ? ['', `depends: these ports hinge on what the manifests do not state or the API leaves to the network plugin (${depends.length} pair${depends.length === 1 ? '' : 's'}):`, ...dependsLines(depends).map((l) => `  ${terminalText(l)}`)]
    : [];
  if (list.connections.length === 0) return ['no allowed connections', ...dep].join('\n');
  const rows = list.connections.map((c: ListConnection) => [endText(c.from), endText(c.to), formatPortRanges(c.allowed)] as const);
  // Columns align up to 48 characters; a longer name (a long CIDR list) just runs over.
  const wf = Math.min(48, Math.max(...rows.map((r) => r[0].length)));
  const wt = Math.min(48, Math.max(...rows.map((r) => r[1].length)));
  return [...rows.map(([f, t, p]) => `${f.padEnd(wf)} -> ${t.padEnd(wt)}  ${p}`), ...dep].join('\n');
}

/** One line per allowed range: `from,to,protocol,first_port,last_port`; an external end is its CIDRs, space-separated. */
export function renderListCsv(list: ConnectionList, depends: readonly ListDepends[] = []): string {
  const id = (x: string | string[]) => (Array.isArray(x) ? x.join(' ') : x);
  const lines = ['from,to,protocol,first_port,last_port,depends'];
  for (const c of list.connections) {
    for (const p of PROTOCOLS) for (const [a, b] of c.allowed[p]) lines.push(csvRow([id(c.from.id), id(c.to.id), p, a, b, '']));
  }
  // Hinging ranges are rows of their own, with the reason in the last column.
  for (const d of depends) {
    for (const p of PROTOCOLS) for (const [a, b] of d.ports[p]) lines.push(csvRow([id(d.from), id(d.to), p, a, b, d.reason]));
  }
  return lines.join('\n');
}

export function renderListMarkdown(list: ConnectionList, depends: readonly ListDepends[] = []): string {
  const out = ['| from | to | allowed |', '|---|---|---|'];
  for (const c of list.connections) out.push(`| ${markdownCell(c.from.label)} | ${markdownCell(c.to.label)} | ${formatPortRanges(c.allowed)} |`);
  if (list.connections.length === 0) out.push('| | | no allowed connections |');
  if (depends.length) out.push('', markdownCell(`depends: these ports hinge on what the manifests do not state or the API leaves to the network plugin (${depends.length} pair${depends.length === 1 ? '' : 's'}):`), '', ...depends.map((d) => `- ${markdownCell(idText(d.from))} → ${markdownCell(idText(d.to))} ${formatPortRanges(d.ports)}: ${markdownCell(d.reason)}`));
  return out.join('\n');
}
