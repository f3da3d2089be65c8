// Reads `list --by class` JSON back to pod and address pairs by the rules the JSON states
// (render/class-list.ts): shared by test/analysis/class-list.test.ts and test/cli/list-class.test.ts.
import assert from 'node:assert/strict';
import type { PortRanges } from '../../src/index.js';
import { PROTOCOLS } from '../../src/model/types.js';

export interface Json {
  ends: ({ pods: string[]; services?: string[] } | { external: string[] })[];
  connections: ({ from: number[]; allowed: PortRanges } & ({ to: number[] } | { toAllExcept: number[] }))[];
  depends: ({ from: number[]; ports: PortRanges; reason: string } & ({ to: number[] } | { toAllExcept: number[] }))[];
}

export const union = (a: PortRanges | undefined, b: PortRanges): PortRanges => {
  const out = { TCP: [...(a?.TCP ?? [])], UDP: [...(a?.UDP ?? [])], SCTP: [...(a?.SCTP ?? [])] };
  for (const p of PROTOCOLS) {
    const s = [...out[p], ...b[p]].sort((x, y) => x[0] - y[0]);
    const m: [number, number][] = [];
    for (const [lo, hi] of s) { const l = m[m.length - 1]; if (l && lo <= l[1] + 1) l[1] = Math.max(l[1], hi); else m.push([lo, hi]); }
    out[p] = m;
  }
  return out;
};

/** Pod/address pairs from the JSON alone. Connections: each pair once; depends: ranges merged per pair. */
export function expand(j: Json): { allowed: Map<string, PortRanges>; depends: Map<string, PortRanges> } {
  const members = j.ends.map((e) => ('pods' in e ? e.pods : [e.external.join(' ')]));
  const isExternal = j.ends.map((e) => 'external' in e);
  const destsOf = (x: { to: number[] } | { toAllExcept: number[] }) => {
    if ('to' in x) return x.to;
    const except = new Set(x.toAllExcept);
    return j.ends.map((_, i) => i).filter((i) => !except.has(i));
  };
  const walk = (entries: Json['connections'] | Json['depends'], into: Map<string, PortRanges>, once: boolean) => {
    for (const c of entries) {
      const r = 'allowed' in c ? c.allowed : c.ports;
      assert.ok(PROTOCOLS.some((p) => r[p].length), 'an entry with no port');
      for (const i of c.from) for (const d of destsOf(c)) {
        assert.ok(!(isExternal[i] && isExternal[d]), `address #${i} -> address #${d} is listed`);
        for (const p of members[i]!) for (const q of members[d]!) {
          if (p === q) continue;
          const k = `${p} > ${q}`;
          if (once) assert.ok(!into.has(k), `pair listed twice: ${k}`);
          into.set(k, once ? r : union(into.get(k), r));
        }
      }
    }
  };
  const allowed = new Map<string, PortRanges>(), depends = new Map<string, PortRanges>();
  walk(j.connections, allowed, true);
  walk(j.depends, depends, false);
  return { allowed, depends };
}

