// The real lab: network namespaces, nftables, real connections. Needs Linux, root, `ip` and `nft`.
// Skipped with the reason elsewhere; under CI=true (which runs as root with both installed by
// .ci/run) a missing prerequisite is a failure, never a skip.
// Every test builds and removes its own labs (names unique to this process and test), and checks
// the host before vs after, so each passes alone (`--test-name-pattern`) and in any order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { declaredProbes, type Matrix, type NetworkPolicy } from '../../src/index.js';
import { labApply, labDown, labUp, requireLab } from '../../src/dataplane/lab.js';
import type { LabState } from '../../src/dataplane/state.js';
import { labDir, labId, listLabNames, lockLab, parseNetns, RUNTIME_ROOT } from '../../src/dataplane/runtime.js';
import { runProbes, externalDisagreements, type ProbeReport } from '../../src/dataplane/probe/run.js';
import { listNetns } from '../../src/dataplane/netns/topology.js';
import { DB_EXAMPLE, ROOT, XYZ, labUnavailable, loadDir } from './helpers.js';

const why = labUnavailable();
const BASE = `t${process.pid % 100000}`;
/** This file's lab names: `<base>-<test>`; prefix-sharing ones on purpose in one test. */
const OURS = new Set<string>();
const labName = (suffix: string) => {
  const n = suffix ? `${BASE}-${suffix}` : BASE;
  OURS.add(n);
  return n;
};

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.status}\n${r.stdout}${r.stderr}`;
}

const readOr = (file: string, absent: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return absent;
  }
};

/**
 * What the lab must never change on the host. Namespaces of labs that other processes have up
 * (registered in the runtime folder under a name this file does not use) are left out of the list,
 * so a concurrent run elsewhere cannot fail this one; ours, and every non-lab namespace, count.
 */
function hostSnapshot(): Record<string, string> {
  const others = new Set(listLabNames().filter((n) => !OURS.has(n)).map(labId));
  const netns = sh('ip', ['netns', 'list']).split('\n').filter((l) => !others.has(parseNetns(l.split(' ')[0]!)?.id ?? '')).join('\n');
  return {
    netns,
    modules: readOr('/proc/modules', 'no /proc/modules'),
    protocols: readOr('/proc/net/protocols', '').split('\n').map((l) => l.split(' ')[0]).join(' '),
    dotLab: String(existsSync(join(process.cwd(), '.lab'))),
    ruleset: sh('nft', ['list', 'ruleset']),
    routes: sh('ip', ['route', 'show', 'table', 'all']),
    routes6: sh('ip', ['-6', 'route', 'show', 'table', 'all']),
    rules: sh('ip', ['rule']),
    links: sh('ip', ['-o', 'link']).replace(/\\.*$/gm, ''),
    addrs: sh('ip', ['-o', 'addr']),
    forwarding: readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8'),
  };
}

/** Off the diagonal, observed must equal the engine, cell for cell. */
function assertAgrees(r: ProbeReport): void {
  assert.deepEqual(r.disagreements.map((c) => `${c.from} -> ${c.to} ${c.port}/${c.protocol}: engine ${c.engine}, observed ${c.outcome}`), []);
  assert.deepEqual(externalDisagreements(r).map((c) => `${c.from} -> ${c.to} ${c.port}: engine ${c.engine}, observed ${c.outcome}`), []);
  // The cells; the engine's `depends` list names what the lab's nftables decide one way (ipBlocks match pod IPs).
  assert.deepEqual({ pods: r.observed.pods, probes: r.observed.probes }, { pods: r.engine.pods, probes: r.engine.probes });
}

function cell(m: Matrix, from: string, to: string, port: number | string): string {
  const p = m.probes.find((x) => x.port === port)!;
  return p.rows[m.pods.indexOf(from)]![m.pods.indexOf(to)]!;
}

/** One lab as the kernel and its folder have it: namespaces, veths, routes, rules, state, live agents. */
async function inside(state: LabState) {
  const node = state.nodeNs;
  return {
    netns: await listNetns(state.id),
    links: sh('ip', ['-n', node, '-o', 'link']).replace(/\\.*$/gm, ''),
    routes: sh('ip', ['-n', node, 'route']),
    ruleset: sh('ip', ['netns', 'exec', node, 'nft', 'list', 'ruleset']),
    state: readFileSync(join(state.dir, 'state.json'), 'utf8'),
    agents: state.hosts.map((h) => existsSync(`/proc/${h.pid}`)).join(','),
  };
}

/**
 * Run `fn` with the labs `names`, then take them down (also when `fn` fails) and check that the
 * host is as before and that nothing of the labs is left: namespaces, runtime folders, locks.
 */
async function isolated(names: string[], fn: () => Promise<void>): Promise<void> {
  const before = hostSnapshot();
  try {
    await fn();
  } finally {
    for (const n of names) await labDown(n).catch(() => undefined);
  }
  assert.deepEqual(hostSnapshot(), before, "the host's ruleset, routes, links, namespaces and modules are unchanged");
  for (const n of names) {
    assert.deepEqual(await listNetns(labId(n)), [], `no namespace of ${n} is left`);
    assert.equal(existsSync(labDir(n)), false, `the runtime folder of ${n} is gone`);
    assert.equal(existsSync(`${labDir(n)}.lock`), false, `the lock of ${n} is released`);
  }
}

if (why && process.env.CI === 'true') {
  test('the real lab can run in CI', () => assert.fail(`CI=true but the lab cannot run: ${why}`));
} else {
  const skip = why ? `real lab skipped: ${why}` : false;

  test('down with nothing up is safe', { skip }, async () => {
    const name = labName('none');
    await isolated([name], async () => {
      assert.deepEqual((await labDown(name)).removed, []);
    });
  });

  test('web/API/DB: only prod API reaches the DB on 3306; the DB reaches the backup host on 80', { skip }, async () => {
    const name = labName('db');
    await isolated([name], async () => {
      const up = await labUp(loadDir(DB_EXAMPLE), { name });
      // State, ruleset, agent and sockets live in the root-only runtime folder, never under the cwd.
      assert.equal(up.state.dir, join(RUNTIME_ROOT, name));
      for (const p of ['/run/netpol', RUNTIME_ROOT, up.state.dir]) {
        const st = lstatSync(p);
        assert.ok(st.isDirectory() && !st.isSymbolicLink() && st.uid === 0 && (st.mode & 0o7777) === 0o700, `${p} is a root-only folder`);
      }
      for (const f of ['state.json', 'ruleset.nft', 'agent.mjs', 'agents.log']) assert.equal(lstatSync(join(up.state.dir, f)).mode & 0o777, 0o600, f);
      assert.ok(up.state.hosts.every((h) => h.sock.startsWith(`${up.state.dir}/`)));
      assert.deepEqual(await listNetns(up.state.id), [up.state.nodeNs, ...up.state.hosts.map((h) => h.netns)].sort());
      assert.equal(up.state.hosts.filter((h) => h.kind === 'pod').length, 4);
      assert.deepEqual(up.state.hosts.filter((h) => h.kind === 'external').map((h) => h.ip), ['192.168.5.10']);
      const r = await runProbes(up.state, declaredProbes(up.state.cluster));
      assertAgrees(r);
      const m = r.observed;
      assert.equal(cell(m, 'prod/api-0', 'prod/db-0', 3306), '1');
      assert.equal(cell(m, 'staging/api-0', 'prod/db-0', 3306), '0', 'staging API has the same labels but the wrong namespace');
      assert.equal(cell(m, 'prod/web-0', 'prod/db-0', 3306), '0');
      assert.equal(cell(m, 'prod/api-0', 'prod/db-0', 5000), '0', 'only 3306 is open on the DB');
      assert.equal(cell(m, 'prod/db-0', 'prod/api-0', 5000), '0', 'the DB is egress-isolated');
      assert.ok((r.counts.timeout ?? 0) > 0 && !r.counts.refused, 'denied connections are dropped (timeouts), never refused');
      const ext = (from: string, to: string, port: number) => r.externals.find((c) => c.from === from && c.to === to && c.target === port)!.outcome;
      assert.equal(ext('prod/db-0', '192.168.5.10', 80), 'established');
      assert.equal(ext('192.168.5.10', 'prod/db-0', 3306), 'established', 'the backup host is the second `from` peer');
      assert.equal(ext('192.168.5.10', 'prod/db-0', 5000), 'timeout');
    });
  });

  test('two labs whose names share a prefix (a, a-b) coexist; down of one leaves the other intact', { skip }, async () => {
    const a = labName('');
    const ab = labName('b'); // `${a}-b`: the old `np-<name>-` prefix of `a` matched every namespace of `a-b`
    assert.equal(ab, `${a}-b`);
    await isolated([a, ab], async () => {
      const upAb = await labUp(loadDir(DB_EXAMPLE), { name: ab });
      // `up a` first takes down any lab named `a`: it must not take `a-b` with it.
      const upA = await labUp(loadDir(XYZ), { name: a });
      assert.equal(upA.replaced, false, '`a` had nothing to replace');
      const nsA = await listNetns(upA.state.id);
      const nsAb = await listNetns(upAb.state.id);
      assert.equal(nsA.length, 10);
      assert.equal(nsAb.length, 6);
      assert.deepEqual(nsA.filter((n) => nsAb.includes(n)), []);
      const before = await inside(upAb.state);
      assert.match(before.links, /\bp0@/, 'the veths of a-b are in its node namespace');
      assert.match(before.ruleset, /table inet netpol/);
      assert.equal(before.agents, upAb.state.hosts.map(() => 'true').join(','));
      const down = await labDown(a);
      assert.deepEqual(down.removed.sort(), nsA);
      assert.deepEqual(await inside(upAb.state), before);
      assert.deepEqual(await listNetns(upA.state.id), []);
      assert.equal(existsSync(upA.state.dir), false);
      assert.ok(existsSync(upAb.state.dir));
      // a-b still works end to end.
      const r = await runProbes(requireLab(ab), [{ port: 3306, protocol: 'TCP' }]);
      assertAgrees(r);
      assert.equal(cell(r.observed, 'prod/api-0', 'prod/db-0', 3306), '1');
      // And the other way round: a fresh `a`, then down a-b.
      const again = await labUp(loadDir(DB_EXAMPLE), { name: a });
      const beforeA = await inside(again.state);
      await labDown(ab);
      assert.deepEqual(await inside(again.state), beforeA);
      assert.deepEqual(beforeA.netns, [again.state.nodeNs, ...again.state.hosts.map((h) => h.netns)].sort());
      assertAgrees(await runProbes(requireLab(a), [{ port: 3306, protocol: 'TCP' }]));
    });
  });

  test('a lab whose lock is held is busy; other names are not', { skip }, async () => {
    const name = labName('lock');
    await isolated([name], async () => {
      const lock = lockLab(name, 'test holds it');
      try {
        await assert.rejects(labDown(name), new RegExp(`lab "${name}" is busy: pid ${process.pid} holds its lock \\(test holds it\\)`));
        await assert.rejects(labUp(loadDir(DB_EXAMPLE), { name }), /is busy/);
      } finally {
        lock.release();
      }
      assert.deepEqual((await labDown(name)).removed, []);
    });
  });

  test('apply swaps the policies in place (pods, addresses and agents stay)', { skip }, async () => {
    const name = labName('apply');
    await isolated([name], async () => {
      const first = await labUp(loadDir(DB_EXAMPLE), { name });
      const kept = first.state.cluster.policies as NetworkPolicy[];
      const open = await labApply(name, []);
      assert.deepEqual(open.state.hosts, first.state.hosts);
      const r1 = await runProbes(open.state, [{ port: 3306, protocol: 'TCP' }]);
      assertAgrees(r1);
      assert.equal(cell(r1.observed, 'staging/api-0', 'prod/db-0', 3306), '1', 'no policy: everything is allowed');
      const back = await labApply(name, kept);
      const r2 = await runProbes(back.state, [{ port: 3306, protocol: 'TCP' }]);
      assertAgrees(r2);
      assert.equal(cell(r2.observed, 'staging/api-0', 'prod/db-0', 3306), '0');
    });
  });

  test('up twice replaces the lab instead of stacking a second one', { skip }, async () => {
    const name = labName('twice');
    await isolated([name], async () => {
      const first = await labUp(loadDir(DB_EXAMPLE), { name });
      assert.equal(first.replaced, false);
      const again = await labUp(loadDir(DB_EXAMPLE), { name });
      assert.equal(again.replaced, true);
      assert.deepEqual(await listNetns(again.state.id), [...again.state.hosts.map((h) => h.netns), again.state.nodeNs].sort());
    });
  });

  test('x/y/z model: a dozen upstream-style policies, observed = engine on every port', { skip }, async () => {
    const name = labName('xyz');
    await isolated([name], async () => {
      const up = await labUp(loadDir(XYZ), { name });
      assert.deepEqual(up.state.hosts.map((h) => h.ip), ['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.1.10', '10.0.1.11', '10.0.1.12', '10.0.2.10', '10.0.2.11', '10.0.2.12']);
      const r = await runProbes(up.state, declaredProbes(up.state.cluster));
      assertAgrees(r);
      assert.deepEqual(r.observed.probes.map((p) => `${p.port}/${p.protocol}`), ['80/TCP', '80/UDP', '81/TCP', '81/UDP']);
      // SCTP is skipped with the reason, never passed: without SCTP in the kernel (which the lab
      // never loads) and with it (Node.js has no SCTP sockets).
      assert.deepEqual(r.skipped.map((s) => `${s.port}/${s.protocol}`), ['80/SCTP'], 'SCTP is skipped, not passed');
      assert.match(r.skipped[0]!.reason, readFileSync('/proc/net/protocols', 'utf8').includes('SCTP') ? /Node\.js sockets/ : /no SCTP loaded/);
      const m = r.observed;
      assert.equal(cell(m, 'y/a', 'x/a', 80), '1', 'allow from namespace y');
      assert.equal(cell(m, 'z/c', 'x/b', 80), '1', 'AND: pod c in namespace z');
      assert.equal(cell(m, 'z/a', 'x/b', 80), '0', 'AND: pod a in namespace z is not enough');
      assert.equal(cell(m, 'x/b', 'x/c', 80), '1', 'OR: pod b of x');
      assert.equal(cell(m, 'z/b', 'y/a', 81), '0', 'egress: z/b may send UDP only');
      assert.equal(m.probes.find((p) => p.port === 81 && p.protocol === 'UDP')!.rows[m.pods.indexOf('z/b')]![m.pods.indexOf('y/a')], '1', 'egress UDP to 10.0.1.0/24');
      assert.equal(cell(m, 'x/a', 'z/a', 80), '0', 'egress NotIn z');
      assert.equal(cell(m, 'x/b', 'z/a', 80), '1', 'ipBlock 10.0.0.0/16 covers x (10.0.0.11)');
      assert.equal(cell(m, 'y/b', 'z/a', 80), '0', 'ipBlock except 10.0.1.0/24 removes y (10.0.1.11)');
      const named = await runProbes(up.state, [{ port: 'web', protocol: 'TCP' }, { port: 'serve-81-tcp', protocol: 'TCP' }]);
      assertAgrees(named);
      assert.equal(cell(named.observed, 'y/c', 'x/c', 'web'), '1', 'web is 81 on x/c');
      assert.equal(cell(named.observed, 'y/c', 'z/c', 'web'), '1', 'web is 80 on z/c');
      assert.equal(cell(named.observed, 'y/c', 'z/a', 'web'), '0', 'z/a names no port web');
    });
  });

  test('down cleans up after a crash that lost the state file', { skip }, async () => {
    const name = labName('crash');
    await isolated([name], async () => {
      const { state } = await labUp(loadDir(DB_EXAMPLE), { name });
      const pids = state.hosts.map((h) => h.pid!);
      unlinkSync(join(state.dir, 'state.json'));
      const { removed } = await labDown(name);
      assert.equal(removed.length, state.hosts.length + 1);
      assert.deepEqual(await listNetns(state.id), []);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(pids.filter((pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z')), [], 'no agent survives');
    });
  });

  test('CLI contract: `lab probe --format json` has the shape of `matrix --format json`', { skip }, async () => {
    const name = labName('cli');
    await isolated([name], async () => {
      const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env } });
      const up = cli('lab', 'up', XYZ, '--name', name);
      assert.equal(up.status, 0, up.stderr);
      assert.match(up.stdout, /9 pods, 0 outside hosts, 13 NetworkPolicies/);
      assert.ok(up.stdout.includes(`state: ${join(RUNTIME_ROOT, name)} (namespaces np-${labId(name)}-*)`), up.stdout);
      const probe = cli('lab', 'probe', '--name', name, '--port', '80', '--port', '81/UDP', '--format', 'json');
      assert.equal(probe.status, 0, probe.stderr);
      const matrix = cli('matrix', XYZ, '--port', '80', '--port', '81/UDP', '--format', 'json');
      // Same shape and cells; what was observed is certain, so its `depends` is empty.
      const observed = JSON.parse(probe.stdout), engine = JSON.parse(matrix.stdout);
      assert.deepEqual(Object.keys(observed).sort(), Object.keys(engine).sort());
      assert.deepEqual({ pods: observed.pods, probes: observed.probes }, { pods: engine.pods, probes: engine.probes });
      assert.deepEqual(observed.depends, []);
      const text = cli('lab', 'probe', '--name', name, '--port', '80');
      assert.equal(text.status, 0, text.stderr);
      assert.match(text.stdout, /observed\s+engine/);
      assert.match(text.stdout, /observed = engine on every pair/);
      const down = cli('lab', 'down', '--name', name);
      assert.equal(down.status, 0, down.stderr);
      assert.match(down.stdout, /removed 10 network namespaces/);
      const bad = cli('lab', 'down', '--name', 'a/../../etc');
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /--name "a\/..\/..\/etc": use 1-63 lowercase letters/);
    });
  });
}
