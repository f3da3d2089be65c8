// Checks a connectivity list against the readable Evaluator (and, where asked, the naive reference):
// every pod pair behind every pair of ends, every probe port (the policies' port boundaries, the
// declared ports and the edges of every reported range), every address edge of every external end.
import assert from 'node:assert/strict';
import { Evaluator, type Endpoint } from '../../src/evaluate/evaluate.js';
import type { ConnectionList, ListEnd, PortRanges } from '../../src/analysis/list/list.js';
import type { IpBlockPods } from '../../src/match/peer.js';
import { formatIp, parseIp } from '../../src/net/ip.js';
import { PROTOCOLS, type Cluster, type Pod, type Protocol } from '../../src/model/types.js';
import { referenceAllowed } from '../oracle/reference.js';

const key = (e: ListEnd) => JSON.stringify(e.id);

export function inRanges(r: readonly [number, number][], port: number): boolean {
  return r.some(([a, b]) => a <= port && port <= b);
}

/** Ports worth probing per protocol, from the policies and pods (not from the engine's atoms). */
export function probePorts(cluster: Cluster, extra: readonly PortRanges[] = []): Record<Protocol, number[]> {
  const out: Record<Protocol, Set<number>> = { TCP: new Set([1, 65535]), UDP: new Set([1, 65535]), SCTP: new Set([1, 65535]) };
  const add = (p: Protocol, n: number) => { if (n >= 1 && n <= 65535) out[p].add(n); };
  for (const pol of [...cluster.policies, ...(cluster.clusterPolicies ?? [])]) {
    for (const r of [...pol.ingress, ...pol.egress]) {
      for (const pp of r.ports) {
        if (typeof pp.port !== 'number') continue;
        const end = pp.endPort ?? pp.port;
        for (const n of [pp.port - 1, pp.port, end, end + 1]) add(pp.protocol, n);
      }
    }
  }
  for (const pod of cluster.pods) for (const c of pod.ports) for (const n of [c.containerPort - 1, c.containerPort, c.containerPort + 1]) add(c.protocol, n);
  for (const r of extra) for (const p of PROTOCOLS) for (const [a, b] of r[p]) for (const n of [a - 1, a, b, b + 1]) add(p, n);
  return { TCP: [...out.TCP].sort((a, b) => a - b), UDP: [...out.UDP].sort((a, b) => a - b), SCTP: [...out.SCTP].sort((a, b) => a - b) };
}

export interface CheckOptions {
  mode: IpBlockPods;
  /** Also compare with the naive reference (modes match and ignore only). */
  reference?: boolean;
  /** More addresses to probe; each must fall in exactly one external end. */
  externalIps?: readonly string[];
}

export interface CheckTally { probes: number; allowed: number }

/** Fails on the first disagreement; returns how many probes were made and how many were allowed. */
export function checkList(cluster: Cluster, list: ConnectionList, opts: CheckOptions): CheckTally {
  const ev = new Evaluator(cluster, { ipBlockPods: opts.mode });
  const byPair = new Map<string, PortRanges>();
  for (const c of list.connections) {
    const k = `${key(c.from)} ${key(c.to)}`;
    assert.ok(!byPair.has(k), `pair listed twice: ${k}`);
    for (const p of PROTOCOLS) for (const [a, b] of c.allowed[p]) assert.ok(a >= 1 && a <= b && b <= 65535, `bad range ${a}-${b}`);
    byPair.set(k, c.allowed);
  }
  const probes = probePorts(cluster, list.connections.map((c) => c.allowed));
  const tally: CheckTally = { probes: 0, allowed: 0 };
  const refMode = opts.mode === 'depends' ? undefined : opts.mode;
  const ask = (from: Endpoint, to: Endpoint, port: number, protocol: Protocol, expect: boolean, what: string) => {
    tally.probes++;
    if (expect) tally.allowed++;
    const got = ev.allowed({ from, to, port, protocol });
    assert.equal(expect, got, `${what} ${protocol}/${port}: list says ${expect ? 'allowed' : 'denied'}, the Evaluator ${got ? 'allows' : 'denies'}`);
    if (opts.reference && refMode) {
      const r = (e: Endpoint) => (e.kind === 'pod' ? e.pod : { ip: e.ip });
      assert.equal(expect, referenceAllowed(cluster, r(from), r(to), port, protocol, { ipBlockPods: refMode }), `${what} ${protocol}/${port}: reference disagrees`);
    }
  };
  const units = list.ends.filter((e) => e.kind !== 'external');
  const externals = list.ends.filter((e) => e.kind === 'external');
  const pe = (pod: Pod): Endpoint => ({ kind: 'pod', pod });
  for (const a of units) {
    for (const b of units) {
      const allowed = byPair.get(`${key(a)} ${key(b)}`);
      if (a === b && a.pods.length < 2) assert.equal(allowed, undefined, `${a.label} -> itself is listed, but it is a single pod`);
      if (allowed) assert.ok(PROTOCOLS.some((p) => allowed[p].length), 'an empty pair is listed');
      for (const p of a.pods) for (const q of b.pods) {
        if (p === q) continue;
        for (const proto of PROTOCOLS) for (const port of probes[proto]) {
          ask(pe(p), pe(q), port, proto, !!allowed && inRanges(allowed[proto], port), `${p.namespace}/${p.name} -> ${q.namespace}/${q.name} (${a.label} -> ${b.label})`);
        }
      }
    }
  }
  // Addresses: both edges of every range of every external end, and the extra ones.
  const addrs = new Map<ListEnd, string[]>(externals.map((e) => [e, e.ranges.flatMap((r) => [formatIp({ family: r.family, value: r.first }), formatIp({ family: r.family, value: r.last })])]));
  for (const ip of opts.externalIps ?? []) {
    const a = parseIp(ip)!;
    const hits = externals.filter((e) => e.ranges.some((r) => r.family === a.family && r.first <= a.value && a.value <= r.last));
    assert.equal(hits.length, 1, `${ip} is in ${hits.length} external ends`);
    addrs.get(hits[0]!)!.push(ip);
  }
  for (const e of externals) {
    for (const ip of addrs.get(e)!) {
      const x: Endpoint = { kind: 'ip', ip };
      for (const u of units) {
        const out = byPair.get(`${key(u)} ${key(e)}`), inn = byPair.get(`${key(e)} ${key(u)}`);
        for (const p of u.pods) for (const proto of PROTOCOLS) for (const port of probes[proto]) {
          ask(pe(p), x, port, proto, !!out && inRanges(out[proto], port), `${p.namespace}/${p.name} -> ${ip} (${u.label} -> ${e.label})`);
          ask(x, pe(p), port, proto, !!inn && inRanges(inn[proto], port), `${ip} -> ${p.namespace}/${p.name} (${e.label} -> ${u.label})`);
        }
      }
    }
  }
  return tally;
}

/** The external ends partition each family's address space: disjoint, and nothing left out. */
export function checkPartition(list: ConnectionList): void {
  for (const f of [4, 6] as const) {
    const ranges = list.ends.filter((e) => e.kind === 'external').flatMap((e) => e.ranges).filter((r) => r.family === f).sort((a, b) => (a.first < b.first ? -1 : 1));
    let next = 0n;
    for (const r of ranges) {
      assert.equal(r.first, next, `IPv${f} external ends leave a gap or overlap at ${next}`);
      next = r.last + 1n;
    }
    assert.equal(next, f === 4 ? 2n ** 32n : 2n ** 128n, `IPv${f} external ends do not reach the end of the space`);
  }
}
