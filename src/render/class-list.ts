// Renderers for `netpol list --by class` (analysis/list/class-list.ts): the ends (groups of pods
// and external ranges) once, then per source the ends it reaches — a `to` list, or "every end
// but" these (`toAllExcept`) when most ends get the same ports. Names are untrusted: every sink
// goes through escape.ts.
import type { ClassDests, ClassEnd, ClassList } from '../analysis/list/class-list.js';
import { PROTOCOLS } from '../model/types.js';
import { csvRow, markdownCell, safeJson, terminalText } from './escape.js';
import { formatPortRanges } from './list.js';

const members = (e: ClassEnd): string[] => (e.kind === 'class' ? e.pods.map((p) => `${p.namespace}/${p.name}`) : [...e.cidrs]);
const refs = (ids: readonly number[]) => ids.map((i) => `#${i + 1}`).join(', ');
const destText = (d: ClassDests) => ('to' in d ? refs(d.to) : d.toAllExcept.length ? `all but ${refs(d.toAllExcept)}` : 'all');

/**
 * The JSON shape: `{"ends":[{"pods":["ns/name",…]} | {"external":["cidr",…]}],
 * "connections":[{"from":[i,…],"to":[j,…] | "toAllExcept":[j,…],"allowed":{"TCP":[[a,b]],"UDP":[],"SCTP":[]}}],
 * "depends":[{"from","to" | "toAllExcept","ports","reason"}]}`. Ends are named by index; a pair
 * (i, j) is allowed the `allowed` ranges of the entry whose `from` holds i and whose `to` holds j
 * (or whose `toAllExcept` does not), for every pod or address of i and of j but a pod with itself.
 */
export function classListToJson(list: ClassList): unknown {
  return {
    ends: list.ends.map((e) => (e.kind === 'class' ? { pods: members(e), ...(e.services ? { services: e.services } : {}) } : { external: members(e) })),
    connections: list.connections.map((c) => ({ from: c.from, ...c.dests, allowed: c.allowed })),
    depends: list.depends.map((d) => ({ from: d.from, ...d.dests, ports: d.ports, reason: d.reason })),
  };
}

/** One end, connection or depends entry per line (still one JSON value). */
export function renderClassListJson(list: ClassList): string {
  const j = classListToJson(list) as { ends: unknown[]; connections: unknown[]; depends: unknown[] };
  const items = (xs: unknown[]) => (xs.length ? `[\n${xs.map((x) => safeJson(x)).join(',\n')}\n]` : '[]');
  return `{"ends":${items(j.ends)},"connections":${items(j.connections)},"depends":${items(j.depends)}}`;
}

function endLine(e: ClassEnd): string {
  if (e.kind === 'external') return `${e.label} (external)`;
  return `${members(e).join(', ')}${e.services?.length ? ` (${e.services.join(', ')})` : ''}`;
}

const dependsHead = (n: number) => `depends: these ports hinge on what the manifests do not state or the API leaves to the network plugin (${n} entr${n === 1 ? 'y' : 'ies'}):`;

export function renderClassListText(list: ClassList): string {
  const out = [`ends (${list.ends.filter((e) => e.kind === 'class').length} groups of pods that every answer treats alike, then external ranges):`];
  for (const e of list.ends) out.push(`  #${e.index + 1}  ${terminalText(endLine(e))}`);
  out.push('');
  if (list.connections.length === 0) out.push('no allowed connections');
  else {
    out.push('connections (from -> to  ports; "all" counts the external ranges, "all but" names the ends left out; a pod never pairs with itself):');
    for (const c of list.connections) out.push(`  ${refs(c.from)} -> ${destText(c.dests)}  ${formatPortRanges(c.allowed)}`);
  }
  if (list.depends.length) {
    out.push('', dependsHead(list.depends.length));
    for (const d of list.depends) out.push(`  ${refs(d.from)} -> ${destText(d.dests)}  ${formatPortRanges(d.ports)}: ${terminalText(d.reason)}`);
  }
  return out.join('\n');
}

/**
 * `record,from,to,protocol,first_port,last_port,detail`: `end` rows (from: `#n`, detail: its pods
 * or CIDRs, space-separated), then one row per allowed range: `allow` (to: the ends) or
 * `allow-all-except` (to: the ends left out), and `depends` / `depends-all-except` (detail: why).
 */
export function renderClassListCsv(list: ClassList): string {
  const ids = (xs: readonly number[]) => xs.map((i) => `#${i + 1}`).join(' ');
  const lines = ['record,from,to,protocol,first_port,last_port,detail'];
  for (const e of list.ends) lines.push(csvRow(['end', `#${e.index + 1}`, '', '', '', '', members(e).join(' ')]));
  const rows = (kind: string, from: number[], d: ClassDests, r: ClassList['connections'][number]['allowed'], detail: string) => {
    const [k, to] = 'to' in d ? [kind, d.to] : [`${kind}-all-except`, d.toAllExcept];
    for (const p of PROTOCOLS) for (const [a, b] of r[p]) lines.push(csvRow([k, ids(from), ids(to), p, a, b, detail]));
  };
  for (const c of list.connections) rows('allow', c.from, c.dests, c.allowed, '');
  for (const d of list.depends) rows('depends', d.from, d.dests, d.ports, d.reason);
  return lines.join('\n');
}

export function renderClassListMarkdown(list: ClassList): string {
  const out = ['| end | pods or addresses |', '|---|---|'];
  for (const e of list.ends) out.push(`| #${e.index + 1} | ${markdownCell(endLine(e))} |`);
  out.push('', '| from | to | allowed |', '|---|---|---|');
  for (const c of list.connections) out.push(`| ${refs(c.from)} | ${destText(c.dests)} | ${formatPortRanges(c.allowed)} |`);
  if (list.connections.length === 0) out.push('| | | no allowed connections |');
  if (list.depends.length) {
    out.push('', markdownCell(dependsHead(list.depends.length)), '');
    for (const d of list.depends) out.push(`- ${refs(d.from)} → ${destText(d.dests)} ${formatPortRanges(d.ports)}: ${markdownCell(d.reason)}`);
  }
  return out.join('\n');
}
