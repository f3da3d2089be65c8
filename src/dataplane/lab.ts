// The lab's life cycle: up, apply, down. Probing lives in probe/run.ts. Every entry point holds
// the lab's lock (runtime.ts) for its whole run.
import { join } from 'node:path';
import type { Cluster, ClusterPolicy, NetworkPolicy, Node } from '../model/types.js';
import { formatIp, parseIp } from '../net/ip.js';
import { assignAddresses, externalHosts, nodeHosts } from './addresses.js';
import { compileNftables, type NftRuleset } from './nft/compile.js';
import type { Undecided } from './nft/tiers.js';
import { createTopology, destroy, loadRuleset, startAgents } from './netns/topology.js';
import { checkName, labDir, labId, listLabNames, netnsName, withLock } from './runtime.js';
import { plainCluster, readState, removeState, writeState, type LabHost, type LabState, type PortSpec } from './state.js';
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
  /** Equal-priority tier overlaps and domainNames peers: refuse (default) or compile the engine's assumption. */
  undecided?: Undecided;
}

/** The compiler's refusals are the user's to fix, as LabErrors (no stack trace). */
function compile(cluster: Cluster, undecided: Undecided | undefined, generation: number): NftRuleset {
  try {
    return compileNftables(cluster, { table: TABLE, undecided, ctZone: generation });
  } catch (e) {
    if (e instanceof Error && e.name === 'CompileError') throw new LabError(e.message);
    throw e;
  }
}

export interface UpResult {
  state: LabState;
  ruleset: NftRuleset;
  replaced: boolean;
  ms: number;
}

const portKey = (p: PortSpec) => `${p.port}/${p.protocol}`;

/** Other labs (with a runtime folder) whose names hash to the same id; they must not be touched. */
function sharingId(name: string, id: string): string[] {
  return listLabNames().filter((n) => n !== name && labId(n) === id);
}

/** Create the lab. An existing lab of that name is replaced. */
export async function labUp(cluster: Cluster, options: UpOptions = {}): Promise<UpResult> {
  preflight();
  const name = checkName(options.name ?? DEFAULT_LAB);
  return withLock(name, 'lab up', () => up(name, cluster, options));
}

async function up(name: string, cluster: Cluster, options: UpOptions): Promise<UpResult> {
  const t0 = Date.now();
  const id = labId(name);
  const clash = sharingId(name, id);
  if (clash.length) throw new LabError(`lab "${name}" would share the namespace id ${id} with lab "${clash[0]}": choose another name`);
  const replaced = (await down(name)).removed.length > 0;
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
  const ports = [...listen.values()]
    .filter((p) => p.protocol !== 'SCTP' && Number.isInteger(p.port) && p.port > 0 && p.port < 65536)
    .sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
  const dir = labDir(name);
  // Addresses go to `ip -batch`: written from their parsed value, never as given.
  const canonical = (ip: string) => {
    const a = parseIp(ip);
    if (a?.family !== 4) throw new LabError(`not an IPv4 address: ${JSON.stringify(ip)}`);
    return formatIp(a);
  };
  const hosts: LabHost[] = lab.pods.map((p, i) => ({
    id: `${p.namespace}/${p.name}`, kind: 'pod', netns: netnsName(id, `p${i}`), ifname: `p${i}`,
    ip: canonical(assigned.ips.get(`${p.namespace}/${p.name}`)!), ports, sock: join(dir, `p${i}.sock`),
  }));
  const externals = options.externals === false ? [] : externalHosts(lab);
  // Nodes (for `nodes` peers, and the hostNetwork pods on them) are outside hosts at the node's address.
  const nodes = nodeHosts(cluster, new Set([...hosts.map((h) => h.ip), ...externals.map((x) => x.ip)]));
  const nodeNotes = nodes.map((n) => `node ${n.node} is simulated at ${n.ip}${n.pods.length ? ` for its hostNetwork pods ${n.pods.join(', ')}` : ''}`);
  [...externals, ...nodes].forEach((x, i) => hosts.push({
    id: x.ip, kind: 'external', netns: netnsName(id, `x${i}`), ifname: `x${i}`, ip: canonical(x.ip),
    ports: x.ports.filter((p) => p.protocol !== 'SCTP'), sock: join(dir, `x${i}.sock`),
  }));
  const state: LabState = {
    version: 2, name, id, nodeNs: netnsName(id, 'node'), dir, createdAt: new Date().toISOString(),
    generation: 1, hosts, cluster: lab, notes: [...assigned.notes, ...nodeNotes, ...(assigned.assigned.length ? [`${assigned.assigned.length} pod(s) without status.podIP got an address from 10.123.0.0/16`] : [])],
  };
  // Compiled first: a refusal leaves nothing behind.
  const ruleset = compile(lab, options.undecided, 1);
  // Recorded before anything exists, so that `down` can clean up after a crash half-way.
  writeState(state);
  try {
    await createTopology(state);
    await loadRuleset(state, ruleset.text);
    await startAgents(state);
  } catch (e) {
    writeState(state); // keep the pids for down
    await down(name).catch(() => undefined);
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

/** Run `fn` on the lab's state while holding its lock (for probes). */
export async function withLab<T>(name: string, what: string, fn: (state: LabState) => Promise<T>): Promise<T> {
  preflight();
  return withLock(checkName(name), what, () => fn(requireLab(name)));
}

export interface ApplyTiers {
  /** Admin/Baseline tier policies to run (absent: none). */
  clusterPolicies?: readonly ClusterPolicy[];
  /** Nodes for `nodes` peers; absent or empty: keep the lab's. */
  nodes?: readonly Node[];
  undecided?: Undecided;
}

/**
 * Swap the lab's policies (NetworkPolicies and tier policies) in one nft transaction; pods stay.
 * Namespaces declared in the input replace the lab's of that name (their labels); others stay.
 */
export async function labApply(name: string, policies: readonly NetworkPolicy[], extraNamespaces: Cluster['namespaces'] = [], tiers: ApplyTiers = {}): Promise<{ state: LabState; ruleset: NftRuleset; ms: number }> {
  return withLab(name, 'lab apply', async (state) => {
    const t0 = Date.now();
    // Namespaces declared in the input replace the lab's of that name (labels change like
    // `kubectl label ns`); ones only referenced keep what the lab has.
    const declared = new Map(extraNamespaces.filter((n) => !n.implicit).map((n) => [n.name, n]));
    const known = new Set(state.cluster.namespaces.map((n) => n.name));
    const cluster = plainCluster({
      namespaces: [...state.cluster.namespaces.map((n) => declared.get(n.name) ?? n), ...[...declared.values()].filter((n) => !known.has(n.name))],
      pods: state.cluster.pods,
      policies,
      clusterPolicies: tiers.clusterPolicies ?? [],
      nodes: tiers.nodes?.length ? tiers.nodes : state.cluster.nodes ?? [],
    });
    // A new conntrack zone per load: no flow of the old ruleset answers for a new probe.
    const generation = ((state.generation ?? 1) % 65535) + 1;
    const ruleset = compile(cluster, tiers.undecided, generation);
    await loadRuleset(state, ruleset.text);
    state.cluster = cluster;
    state.generation = generation;
    writeState(state);
    return { state, ruleset, ms: Date.now() - t0 };
  });
}

/** Remove the lab; safe when nothing is up. */
export async function labDown(name: string = DEFAULT_LAB): Promise<{ removed: string[] }> {
  preflight();
  checkName(name);
  return withLock(name, 'lab down', () => down(name));
}

async function down(name: string): Promise<{ removed: string[] }> {
  const id = labId(name);
  const state = readState(name);
  const removed = await destroy(id, state, sharingId(name, id).length === 0);
  removeState(name);
  return { removed };
}
