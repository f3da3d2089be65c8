// Baseline vs. now, on the workload-level list: per pair of ends, the port ranges an edit opened
// and closed (exact, not sampled at a few ports). Ends are matched by id; ends that appeared or
// vanished are listed apart.
import type { GraphInput, PortRanges } from '../index';
import { PROTOCOLS } from '../model/types';
import { hasAny } from '../analysis/list/list';
import { subtractRanges } from '../analysis/list/depends';

export type Change = 'opened' | 'closed';

export interface Delta {
  from: string;
  to: string;
  fromQuery: string;
  toQuery: string;
  change: Change;
  ports: PortRanges;
}

export interface ListDiff {
  changes: Delta[];
  /** `${from}>${to}` → ranges opened / closed. */
  byPair: Map<string, { opened?: PortRanges; closed?: PortRanges }>;
  addedEnds: string[];
  removedEnds: string[];
}

export const probeKey = (p: { port: number | string; protocol: string }) => `${p.port}/${p.protocol}`;

type End = GraphInput['ends'][number];

/**
 * Text the query box and the Evaluator understand: a pod of the end (its first: a workload whose
 * pods answer differently is split into several ends, so `ns/name` could name a pod of another),
 * or an address of the range.
 */
export function endQuery(e: End): string {
  if (e.kind === 'external') return e.id.split(',')[0]!.split('/')[0]!;
  return e.pods[0] ?? e.id;
}

function pairs(g: GraphInput): Map<string, { from: End; to: End; allowed: PortRanges }> {
  return new Map(g.connections.map((c) => [`${g.ends[c.from]!.id}>${g.ends[c.to]!.id}`, { from: g.ends[c.from]!, to: g.ends[c.to]!, allowed: c.allowed }]));
}

const minus = (a: PortRanges, b: PortRanges): PortRanges => {
  const out: PortRanges = { TCP: [], UDP: [], SCTP: [] };
  for (const p of PROTOCOLS) out[p] = subtractRanges(a[p], b[p]);
  return out;
};
const none = (): PortRanges => ({ TCP: [], UDP: [], SCTP: [] });

const sameRanges = (a: PortRanges, b: PortRanges) =>
  PROTOCOLS.every((p) => a[p].length === b[p].length && a[p].every(([x, y], i) => x === b[p][i]![0] && y === b[p][i]![1]));

export function diffLists(before: GraphInput, after: GraphInput): ListDiff {
  // The first load is its own baseline: nothing to compare (18k pairs at 2,000 pods).
  if (before === after) return { changes: [], byPair: new Map(), addedEnds: [], removedEnds: [] };
  const was = pairs(before), now = pairs(after);
  const beforeIds = new Set(before.ends.map((e) => e.id)), afterIds = new Set(after.ends.map((e) => e.id));
  const changes: Delta[] = [];
  const byPair: ListDiff['byPair'] = new Map();
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(key), b = now.get(key);
    const x = (b ?? a)!;
    if (a && b && sameRanges(a.allowed, b.allowed)) continue; // most pairs after an edit: no subtraction
    // Only ends present on both sides: a new or removed workload is not an opened or closed connection.
    if (!beforeIds.has(x.from.id) || !beforeIds.has(x.to.id) || !afterIds.has(x.from.id) || !afterIds.has(x.to.id)) continue;
    const opened = minus(b?.allowed ?? none(), a?.allowed ?? none());
    const closed = minus(a?.allowed ?? none(), b?.allowed ?? none());
    const entry: { opened?: PortRanges; closed?: PortRanges } = {};
    for (const [change, ports] of [['closed', closed], ['opened', opened]] as const) {
      if (!hasAny(ports)) continue;
      entry[change] = ports;
      changes.push({ from: x.from.id, to: x.to.id, fromQuery: endQuery(x.from), toQuery: endQuery(x.to), change, ports });
    }
    if (entry.opened || entry.closed) byPair.set(key, entry);
  }
  return {
    changes,
    byPair,
    addedEnds: [...afterIds].filter((id) => !beforeIds.has(id)),
    removedEnds: [...beforeIds].filter((id) => !afterIds.has(id)),
  };
}

const has = (r: PortRanges | undefined, port: number, protocol: keyof PortRanges) => !!r && r[protocol].some(([a, b]) => a <= port && port <= b);

/** The change of one cell (a pair on one port), if any. */
export function cellChange(d: ListDiff | undefined, from: string, to: string, port: number, protocol: keyof PortRanges): Change | undefined {
  const x = d?.byPair.get(`${from}>${to}`);
  if (!x) return undefined;
  return has(x.opened, port, protocol) ? 'opened' : has(x.closed, port, protocol) ? 'closed' : undefined;
}
