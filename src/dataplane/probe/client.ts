// Talking to a pod's agent over its unix socket: one JSON line each way.
import { connect } from 'node:net';
import type { Protocol } from '../../model/types.js';

export type Outcome = 'established' | 'refused' | 'timeout' | 'skipped' | `error:${string}`;

export interface ProbeRequest {
  ip: string;
  port: number;
  protocol: Protocol;
}

export function ask<T>(sock: string, request: object, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const c = connect(sock);
    let buf = '';
    const timer = setTimeout(() => { c.destroy(); reject(new Error(`agent at ${sock} did not answer within ${timeoutMs} ms`)); }, timeoutMs);
    c.on('connect', () => c.write(`${JSON.stringify(request)}\n`));
    c.on('data', (d) => (buf += d));
    c.on('error', (e) => { clearTimeout(timer); reject(e); });
    c.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(buf) as T);
      } catch {
        reject(new Error(`agent at ${sock} sent a bad answer`));
      }
    });
  });
}

/** Wait until the agent answers a ping (it binds its ports first). */
export async function waitReady(sock: string, deadlineMs: number): Promise<number> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    try {
      const r = await ask<{ ok: boolean; pid: number }>(sock, { op: 'ping' }, 1000);
      if (r.ok) return r.pid;
    } catch (e) {
      if (Date.now() > end) throw e;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function probeFrom(sock: string, probes: ProbeRequest[], timeoutMs: number, concurrency: number): Promise<{ r: Outcome; ms: number }[]> {
  if (probes.length === 0) return [];
  // The agent runs ceil(n / concurrency) rounds of at most one timeout each; allow for that.
  const budget = Math.ceil(probes.length / concurrency) * (timeoutMs + 200) + 5000;
  const res = await ask<{ results: { r: Outcome; ms: number }[] }>(sock, { op: 'probe', probes, timeoutMs, concurrency }, budget);
  return res.results;
}
