// The real lab: network namespaces, nftables, real connections. Needs Linux, root, `ip` and `nft`.
// Skipped with the reason elsewhere; under CI=true (which runs as root with both installed by
// .ci/run) a missing prerequisite is a failure, never a skip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { declaredProbes, type Matrix, type NetworkPolicy } from '../../src/index.js';
import { labApply, labDown, labUp, requireLab } from '../../src/dataplane/lab.js';
import { runProbes, externalDisagreements, type ProbeReport } from '../../src/dataplane/probe/run.js';
import { listNetns } from '../../src/dataplane/netns/topology.js';
import { DB_EXAMPLE, ROOT, XYZ, labUnavailable, loadDir } from './helpers.js';

const why = labUnavailable();
const NAME = `t${process.pid % 100000}`;
const PREFIX = `np-${NAME}-`;

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.status}\n${r.stdout}${r.stderr}`;
}

/** What the lab must never change in the host's own namespace. */
function hostSnapshot(): Record<string, string> {
  return {
    ruleset: sh('nft', ['list', 'ruleset']),
    routes: sh('ip', ['route', 'show', 'table', 'all']),
    routes6: sh('ip', ['-6', 'route', 'show', 'table', 'all']),
    rules: sh('ip', ['rule']),
    links: sh('ip', ['-o', 'link']).replace(/\\.*$/gm, ''),
    addrs: sh('ip', ['-o', 'addr']),
    netns: sh('ip', ['netns', 'list']),
    forwarding: readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8'),
  };
}

/** Off the diagonal, observed must equal the engine, cell for cell. */
function assertAgrees(r: ProbeReport): void {
  assert.deepEqual(r.disagreements.map((c) => `${c.from} -> ${c.to} ${c.port}/${c.protocol}: engine ${c.engine}, observed ${c.outcome}`), []);
  assert.deepEqual(externalDisagreements(r).map((c) => `${c.from} -> ${c.to} ${c.port}: engine ${c.engine}, observed ${c.outcome}`), []);
  assert.deepEqual(r.observed, r.engine);
}

function cell(m: Matrix, from: string, to: string, port: number | string): string {
  const p = m.probes.find((x) => x.port === port)!;
  return p.rows[m.pods.indexOf(from)]![m.pods.indexOf(to)]!;
}

if (why && process.env.CI === 'true') {
  test('the real lab can run in CI', () => assert.fail(`CI=true but the lab cannot run: ${why}`));
} else {
  const skip = why ? `real lab skipped: ${why}` : false;
  let snapshot: Record<string, string> = {};
  let dir = '';
  before(() => {
    if (skip) return;
    dir = mkdtempSync(join(tmpdir(), 'netpol-lab-'));
    process.env.NETPOL_LAB_DIR = dir;
    snapshot = hostSnapshot();
  });
  after(async () => {
    if (skip) return;
    await labDown(NAME).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  test('down with nothing up is safe', { skip }, async () => {
    assert.deepEqual((await labDown(NAME)).removed, []);
  });

  test('web/API/DB: only prod API reaches the DB on 3306; the DB reaches the backup host on 80', { skip }, async () => {
    const cluster = loadDir(DB_EXAMPLE);
    const up = await labUp(cluster, { name: NAME });
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

  test('apply swaps the policies in place (pods, addresses and agents stay)', { skip }, async () => {
    const before = requireLab(NAME);
    const kept = before.cluster.policies as NetworkPolicy[];
    const open = await labApply(NAME, []);
    assert.deepEqual(open.state.hosts, before.hosts);
    const r1 = await runProbes(open.state, [{ port: 3306, protocol: 'TCP' }]);
    assertAgrees(r1);
    assert.equal(cell(r1.observed, 'staging/api-0', 'prod/db-0', 3306), '1', 'no policy: everything is allowed');
    const back = await labApply(NAME, kept);
    const r2 = await runProbes(back.state, [{ port: 3306, protocol: 'TCP' }]);
    assertAgrees(r2);
    assert.equal(cell(r2.observed, 'staging/api-0', 'prod/db-0', 3306), '0');
  });

  test('up twice replaces the lab instead of stacking a second one', { skip }, async () => {
    const again = await labUp(loadDir(DB_EXAMPLE), { name: NAME });
    assert.equal(again.replaced, true);
    assert.deepEqual(await listNetns(PREFIX), [...again.state.hosts.map((h) => h.netns), again.state.nodeNs].sort());
    await labDown(NAME);
    assert.deepEqual(await listNetns(PREFIX), []);
  });

  test('x/y/z model: a dozen upstream-style policies, observed = engine on every port', { skip }, async () => {
    const up = await labUp(loadDir(XYZ), { name: NAME });
    assert.deepEqual(up.state.hosts.map((h) => h.ip), ['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.1.10', '10.0.1.11', '10.0.1.12', '10.0.2.10', '10.0.2.11', '10.0.2.12']);
    const r = await runProbes(up.state, declaredProbes(up.state.cluster));
    assertAgrees(r);
    assert.deepEqual(r.observed.probes.map((p) => `${p.port}/${p.protocol}`), ['80/TCP', '80/UDP', '81/TCP', '81/UDP']);
    if (!readFileSync('/proc/net/protocols', 'utf8').includes('SCTP')) {
      assert.deepEqual(r.skipped.map((s) => `${s.port}/${s.protocol}`), ['80/SCTP'], 'SCTP is skipped, not passed');
      assert.match(r.skipped[0]!.reason, /SCTP/);
    }
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

  test('down cleans up after a crash that lost the state file', { skip }, async () => {
    const state = requireLab(NAME);
    const pids = state.hosts.map((h) => h.pid!);
    unlinkSync(join(state.dir, 'state.json'));
    const { removed } = await labDown(NAME);
    assert.equal(removed.length, state.hosts.length + 1);
    assert.deepEqual(await listNetns(PREFIX), []);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(pids.filter((pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z')), [], 'no agent survives');
  });

  test('CLI contract: `lab probe --format json` has the shape of `matrix --format json`', { skip }, () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env } });
    const up = cli('lab', 'up', XYZ, '--name', NAME);
    assert.equal(up.status, 0, up.stderr);
    assert.match(up.stdout, /9 pods, 0 outside hosts, 13 NetworkPolicies/);
    const probe = cli('lab', 'probe', '--name', NAME, '--port', '80', '--port', '81/UDP', '--format', 'json');
    assert.equal(probe.status, 0, probe.stderr);
    const matrix = cli('matrix', XYZ, '--port', '80', '--port', '81/UDP', '--format', 'json');
    assert.deepEqual(JSON.parse(probe.stdout), JSON.parse(matrix.stdout));
    const text = cli('lab', 'probe', '--name', NAME, '--port', '80');
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /observed\s+engine/);
    assert.match(text.stdout, /observed = engine on every pair/);
    const down = cli('lab', 'down', '--name', NAME);
    assert.equal(down.status, 0, down.stderr);
    assert.match(down.stdout, /removed 10 network namespaces/);
  });

  test("the host's ruleset, routes, links and namespaces are unchanged", { skip }, () => {
    assert.deepEqual(hostSnapshot(), snapshot);
  });
}
