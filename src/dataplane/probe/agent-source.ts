// The per-pod agent, as the source of a standalone ES module that `up` writes next to the
// lab's state and starts with `ip netns exec <pod> node agent.mjs <config>`. Kept as text so it
// runs the same from dist/ and from the TypeScript sources, with no loader and no dependencies.
// It serves the pod's ports (TCP: accept and close; UDP: echo) and, on request over a unix
// socket in the filesystem (reachable from the host although the agent lives in the pod's
// network namespace), opens probe connections from inside the pod.
export const AGENT_SOURCE = String.raw`// netpol lab agent (generated; see src/dataplane/probe/agent-source.ts)
import net from 'node:net';
import dgram from 'node:dgram';
import fs from 'node:fs';

const cfg = JSON.parse(process.argv[2]);
const closers = [];
const fail = (what) => (e) => { process.stderr.write('netpol agent: ' + what + ': ' + e.message + '\n'); process.exit(1); };

function serveTcp(port) {
  return new Promise((ok) => {
    const s = net.createServer((c) => { c.on('error', () => {}); c.end(); });
    s.on('error', fail('listen TCP ' + port));
    s.listen({ port, host: '0.0.0.0', backlog: 1024 }, ok);
    closers.push(() => s.close());
  });
}

function serveUdp(port) {
  return new Promise((ok) => {
    const s = dgram.createSocket('udp4');
    s.on('message', (msg, r) => s.send(msg, r.port, r.address, () => {}));
    s.on('error', fail('bind UDP ' + port));
    s.bind(port, '0.0.0.0', ok);
    closers.push(() => s.close());
  });
}

function probeTcp(p, timeoutMs) {
  return new Promise((done) => {
    const t0 = Date.now();
    const c = net.connect({ host: p.ip, port: p.port });
    const finish = (r) => { clearTimeout(timer); c.destroy(); done({ r, ms: Date.now() - t0 }); };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    c.on('connect', () => finish('established'));
    c.on('error', (e) => finish(e.code === 'ECONNREFUSED' ? 'refused' : 'error:' + (e.code || e.message)));
  });
}

function probeUdp(p, timeoutMs) {
  return new Promise((done) => {
    const t0 = Date.now();
    const s = dgram.createSocket('udp4');
    let over = false;
    const finish = (r) => { if (over) return; over = true; clearTimeout(timer); try { s.close(); } catch {} done({ r, ms: Date.now() - t0 }); };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    s.on('message', () => finish('established'));
    s.on('error', (e) => finish(e.code === 'ECONNREFUSED' ? 'refused' : 'error:' + (e.code || e.message)));
    s.connect(p.port, p.ip, (e) => {
      if (e) return finish('error:' + (e.code || e.message));
      s.send('netpol-probe', (e2) => { if (e2) finish('error:' + (e2.code || e2.message)); });
    });
  });
}

async function runProbes(req) {
  const timeoutMs = Math.min(Math.max(Number(req.timeoutMs) || 300, 10), 10000);
  const limit = Math.min(Math.max(Number(req.concurrency) || 32, 1), 256);
  const probes = req.probes.slice(0, 100000);
  const out = new Array(probes.length);
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const i = next++;
      const p = probes[i];
      out[i] = p.protocol === 'UDP' ? await probeUdp(p, timeoutMs) : p.protocol === 'TCP' ? await probeTcp(p, timeoutMs) : { r: 'skipped', ms: 0 };
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, probes.length) }, worker));
  return out;
}

function control() {
  try { fs.unlinkSync(cfg.sock); } catch {}
  const s = net.createServer((c) => {
    let buf = '';
    c.on('error', () => {});
    c.on('data', async (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const line = buf.slice(0, nl);
      buf = '';
      let req;
      try { req = JSON.parse(line); } catch { c.end('{"error":"bad request"}\n'); return; }
      if (req.op === 'ping') c.end(JSON.stringify({ ok: true, pid: process.pid }) + '\n');
      else if (req.op === 'probe') c.end(JSON.stringify({ results: await runProbes(req) }) + '\n');
      else c.end('{"error":"unknown op"}\n');
    });
  });
  s.on('error', fail('control socket'));
  s.listen(cfg.sock);
  closers.push(() => s.close());
}

const stop = () => { for (const f of closers) { try { f(); } catch {} } try { fs.unlinkSync(cfg.sock); } catch {} process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
Promise.all(cfg.ports.map((p) => (p.protocol === 'TCP' ? serveTcp(p.port) : p.protocol === 'UDP' ? serveUdp(p.port) : null))).then(control);
`;
