// The lab's wiring: a "node" namespace that routes between one namespace per pod (and per
// outside host). Each pod has eth0 with its /32 address and a default route via 169.254.1.1
// (an address of the node namespace, as Calico does); the node has a /32 route per pod on the
// pod's veth and forwards between them, so every pod-to-pod packet crosses its nftables forward
// hook exactly once. Nothing is created in, or routed to, the host's own namespace.
import { closeSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { exec, must, pool, which } from '../system.js';
import { namespacesOf, type LabHost, type LabState } from '../state.js';
import { openAppendSecure, parseNetns, writeSecure } from '../runtime.js';
import { AGENT_SOURCE } from '../probe/agent-source.js';
import { waitReady } from '../probe/client.js';

export const GATEWAY = '169.254.1.1';

/** Every network namespace on the machine (`ip netns list`), sorted. */
export async function listAllNetns(): Promise<string[]> {
  const r = await exec('ip', ['netns', 'list']);
  return r.stdout.split('\n').map((l) => l.split(' ')[0]!).filter(Boolean).sort();
}

/** The namespaces that parse exactly as the lab `id`'s (never a prefix match). */
export async function listNetns(id: string): Promise<string[]> {
  return (await listAllNetns()).filter((n) => parseNetns(n)?.id === id);
}

export async function createTopology(state: LabState): Promise<void> {
  const all = [state.nodeNs, ...state.hosts.map((h) => h.netns)];
  await must('ip', ['-batch', '-'], all.map((n) => `netns add ${n}\n`).join(''));
  const node = [`link set lo up`, `addr add ${GATEWAY}/32 dev lo`];
  for (const h of state.hosts) {
    node.push(`link add ${h.ifname} type veth peer name eth0 netns ${h.netns}`, `link set ${h.ifname} up`, `route add ${h.ip}/32 dev ${h.ifname}`);
  }
  await must('ip', ['-n', state.nodeNs, '-batch', '-'], `${node.join('\n')}\n`);
  await must('ip', ['netns', 'exec', state.nodeNs, 'sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward']);
  await pool(state.hosts, 16, (h) =>
    must('ip', ['-n', h.netns, '-batch', '-'], [
      'link set lo up', 'link set eth0 up', `addr add ${h.ip}/32 dev eth0`,
      `route add ${GATEWAY} dev eth0 scope link`, `route add default via ${GATEWAY} dev eth0`,
    ].join('\n') + '\n'));
}

/** Replace the lab's table in one `nft -f` transaction. */
export async function loadRuleset(state: LabState, text: string): Promise<void> {
  const file = join(state.dir, 'ruleset.nft');
  writeSecure(file, text);
  await must('ip', ['netns', 'exec', state.nodeNs, 'nft', '-f', file]);
}

/** Start every host's agent, detached, and wait until each serves its ports. */
export async function startAgents(state: LabState): Promise<void> {
  const script = join(state.dir, 'agent.mjs');
  writeSecure(script, AGENT_SOURCE);
  const log = openAppendSecure(join(state.dir, 'agents.log'));
  try {
    for (const h of state.hosts) {
      const child = spawn(which('ip') ?? 'ip', ['netns', 'exec', h.netns, process.execPath, script, JSON.stringify({ ports: h.ports, sock: h.sock })], {
        detached: true, stdio: ['ignore', log, log],
      });
      child.unref();
      h.pid = child.pid;
    }
  } finally {
    closeSync(log);
  }
  await pool(state.hosts, 32, async (h) => {
    try {
      await waitReady(h.sock, 15000);
    } catch {
      throw new Error(`the agent of ${h.id} (netns ${h.netns}) did not start; see ${join(state.dir, 'agents.log')}`);
    }
  });
}

/** Whether `pid` is an agent started from this script (its argv names the exact path). */
function isOurAgent(pid: number, script: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(script);
  } catch {
    return false;
  }
}

/**
 * Remove everything of a lab: its agents (by recorded pid, checked against their command line),
 * any process left in its namespaces, then the namespaces (which takes their veths and the
 * ruleset with them). The namespaces are those the state records plus, when `scan` is set (no
 * other lab shares the id), every namespace that parses exactly with the lab's id: so `down`
 * also works after a crash that lost the state file, and never touches another lab's.
 */
export async function destroy(id: string, state: LabState | undefined, scan: boolean): Promise<string[]> {
  for (const h of state?.hosts ?? []) {
    if (h.pid && isOurAgent(h.pid, join(state!.dir, 'agent.mjs'))) {
      try { process.kill(h.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  }
  const mine = (n: string) => parseNetns(n)?.id === id;
  const recorded = new Set(state ? namespacesOf(state).filter(mine) : []);
  const names = (await listAllNetns()).filter((n) => recorded.has(n) || (scan && mine(n)));
  for (const n of names) {
    const pids = (await exec('ip', ['netns', 'pids', n])).stdout.split(/\s+/).filter(Boolean).map(Number);
    for (const pid of pids) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }
  if (names.length) await exec('ip', ['-force', '-batch', '-'], names.map((n) => `netns del ${n}\n`).join(''));
  const gone = new Set(names);
  const left = (await listAllNetns()).filter((n) => gone.has(n));
  if (left.length) throw new Error(`could not remove network namespaces ${left.join(', ')}`);
  return names;
}
