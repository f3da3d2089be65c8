// The lab's wiring: a "node" namespace that routes between one namespace per pod (and per
// outside host). Each pod has eth0 with its /32 address and a default route via 169.254.1.1
// (an address of the node namespace, as Calico does); the node has a /32 route per pod on the
// pod's veth and forwards between them, so every pod-to-pod packet crosses its nftables forward
// hook exactly once. Nothing is created in, or routed to, the host's own namespace.
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { exec, must, pool, which } from '../system.js';
import type { LabHost, LabState } from '../state.js';
import { AGENT_SOURCE } from '../probe/agent-source.js';
import { waitReady } from '../probe/client.js';

export const GATEWAY = '169.254.1.1';

export async function listNetns(prefix: string): Promise<string[]> {
  const r = await exec('ip', ['netns', 'list']);
  return r.stdout.split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(prefix)).sort();
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
  writeFileSync(file, text);
  await must('ip', ['netns', 'exec', state.nodeNs, 'nft', '-f', file]);
}

/** Start every host's agent, detached, and wait until each serves its ports. */
export async function startAgents(state: LabState): Promise<void> {
  const script = join(state.dir, 'agent.mjs');
  writeFileSync(script, AGENT_SOURCE);
  const log = openSync(join(state.dir, 'agents.log'), 'a');
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

function isOurAgent(pid: number, dir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(join(dir, 'agent.mjs'));
  } catch {
    return false;
  }
}

/**
 * Remove everything of a lab: its agents (by recorded pid, checked against their command line),
 * any process left in its namespaces, then the namespaces (which takes their veths and the
 * ruleset with them). Works from the state file, or from the name prefix when there is none.
 */
export async function destroy(prefix: string, state: LabState | undefined): Promise<string[]> {
  for (const h of state?.hosts ?? []) {
    if (h.pid && isOurAgent(h.pid, state!.dir)) {
      try { process.kill(h.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  }
  const names = await listNetns(prefix);
  for (const n of names) {
    const pids = (await exec('ip', ['netns', 'pids', n])).stdout.split(/\s+/).filter(Boolean).map(Number);
    for (const pid of pids) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }
  if (names.length) await exec('ip', ['-force', '-batch', '-'], names.map((n) => `netns del ${n}\n`).join(''));
  const left = await listNetns(prefix);
  if (left.length) throw new Error(`could not remove network namespaces ${left.join(', ')}`);
  return names;
}
