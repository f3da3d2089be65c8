// The lab's life cycle: up, apply, down. Probing lives in probe/run.ts.
import { mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Cluster, NetworkPolicy } from '../model/types.js';
import { assignAddresses, externalHosts } from './addresses.js';
import { compileNftables, type NftRuleset } from './nft/compile.js';
import { createTopology, destroy, loadRuleset, startAgents } from './netns/topology.js';
import { checkName, labDir, plainCluster, prefixOf, readState, removeState, writeState, type LabHost, type LabState, type PortSpec } from './state.js';
import { LabError, preflight } from './system.js';

export const DEFAULT_LAB = 'default';
export const MAX_HOSTS = 1000;
export const TABLE = 'netpol';

export interface UpOptions {
  name?: string;
  /** Ports every pod listens on besides the union of declared ports. */
  ports?: PortSpec[];
  /** Simulate single-address ipBlocks as outside hosts (default true). */
  externals?: boolean;
}

export interface UpResult {
  state: LabState;
  ruleset: NftRuleset;
  replaced: boolean;
  ms: number;
}

const portKey = (p: PortSpec) => `${p.port}/${p.protocol}`;

function sockDir(name: string): string {
  // Unix socket paths are limited to 107 bytes: keep them short and out of the work tree.
  return join('/run/netpol-lab', name);
}

/** Create the lab. An existing lab of that name is replaced. */
export async function labUp(cluster: Cluster, options: UpOptions = {}): Promise<UpResult> {
  preflight();
  const t0 = Date.now();
  const name = checkName(options.name ?? DEFAULT_LAB);
  const prefix = prefixOf(name);
  const replaced = (await labDown(name)).removed.length > 0;
  let assigned;
  try {
    assigned = assignAddresses(cluster);
  } catch (e) {
    throw new LabError((e as Error).message);
  }
  const lab = plainCluster(assigned.cluster);
  if (lab.pods.length + 1 > MAX_HOSTS) throw new LabError(`the lab runs at most ${MAX_HOSTS - 1} pods (got ${lab.pods.length})`);
  // Every pod serves every declared port (as upstream's e2e pods serve 80/81 on every protocol), so
  // a numeric probe measures the policy, not whether a process happens to listen.
  const listen = new Map<string, PortSpec>();
  for (const p of lab.pods) for (const c of p.ports) listen.set(portKey({ port: c.containerPort, protocol: c.protocol }), { port: c.containerPort, protocol: c.protocol });
  for (const p of options.ports ?? []) listen.set(portKey(p), p);
  const ports = [...listen.values()].filter((p) => p.protocol !== 'SCTP').sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
  const dir = labDir(name);
  const socks = sockDir(name);
  const hosts: LabHost[] = lab.pods.map((p, i) => ({
    id: `${p.namespace}/${p.name}`, kind: 'pod', netns: `${prefix}p${i}`, ifname: `p${i}`,
    ip: assigned.ips.get(`${p.namespace}/${p.name}`)!, ports, sock: join(socks, `p${i}.sock`),
  }));
  const externals = options.externals === false ? [] : externalHosts(lab);
  externals.forEach((x, i) => hosts.push({
    id: x.ip, kind: 'external', netns: `${prefix}x${i}`, ifname: `x${i}`, ip: x.ip,
    ports: x.ports.filter((p) => p.protocol !== 'SCTP'), sock: join(socks, `x${i}.sock`),
  }));
  const state: LabState = {
    version: 1, name, prefix, nodeNs: `${prefix}node`, dir, sockDir: socks, createdAt: new Date().toISOString(),
    hosts, cluster: lab, notes: [...assigned.notes, ...(assigned.assigned.length ? [`${assigned.assigned.length} pod(s) without status.podIP got an address from 10.123.0.0/16`] : [])],
  };
  // Recorded before anything exists, so that `down` can clean up after a crash half-way.
  writeState(state);
  mkdirSync(socks, { recursive: true });
  const ruleset = compileNftables(lab, { table: TABLE });
  try {
    await createTopology(state);
    await loadRuleset(state, ruleset.text);
    await startAgents(state);
  } catch (e) {
    writeState(state); // keep the pids for down
    await labDown(name).catch(() => undefined);
    throw e instanceof LabError ? e : new LabError(`lab up failed, everything it created was removed: ${(e as Error).message}`);
  }
  writeState(state);
  return { state, ruleset, replaced, ms: Date.now() - t0 };
}

export function requireLab(name: string): LabState {
  const state = readState(checkName(name));
  if (!state) throw new LabError(`no lab named "${name}" is up (start one with \`netpol lab up <paths>\`${name === DEFAULT_LAB ? '' : ` --name ${name}`})`);
  return state;
}

/** Swap the lab's policies for `policies` in one nft transaction; pods and namespaces stay. */
export async function labApply(name: string, policies: readonly NetworkPolicy[], extraNamespaces: Cluster['namespaces'] = []): Promise<{ state: LabState; ruleset: NftRuleset; ms: number }> {
  preflight();
  const t0 = Date.now();
  const state = requireLab(name);
  const known = new Set(state.cluster.namespaces.map((n) => n.name));
  const cluster = plainCluster({
    namespaces: [...state.cluster.namespaces, ...extraNamespaces.filter((n) => !known.has(n.name) && !n.implicit)],
    pods: state.cluster.pods,
    policies,
  });
  const ruleset = compileNftables(cluster, { table: TABLE });
  await loadRuleset(state, ruleset.text);
  state.cluster = cluster;
  writeState(state);
  return { state, ruleset, ms: Date.now() - t0 };
}

/** Remove the lab; safe when nothing is up. */
export async function labDown(name: string = DEFAULT_LAB): Promise<{ removed: string[] }> {
  preflight();
  checkName(name);
  const state = readState(name);
  const removed = await destroy(prefixOf(name), state);
  const socks = state?.sockDir ?? sockDir(name);
  rmSync(socks, { recursive: true, force: true });
  try { rmdirSync(dirname(socks)); } catch { /* other labs still up */ }
  removeState(name);
  return { removed };
}
