// What a lab is, as recorded on disk: enough for `probe`, `apply` and `down` (even after a crash
// of `up`, since the file is written before anything is created). It lives in the lab's
// root-only runtime folder (runtime.ts), never under the current folder.
import { join } from 'node:path';
import type { Cluster, Protocol } from '../model/types.js';
import { ensureLabDir, labDir, readSecure, removeLabDir, writeSecure } from './runtime.js';
import { LabError } from './system.js';

export { checkName, labDir, NAME_RE } from './runtime.js';

export interface PortSpec {
  port: number;
  protocol: Protocol;
}

/** One namespace that serves ports: a pod, or a host outside the cluster. */
export interface LabHost {
  /** `ns/name` of a pod, or the address of an outside host. */
  id: string;
  kind: 'pod' | 'external';
  netns: string;
  /** The veth end in the node namespace. */
  ifname: string;
  ip: string;
  ports: PortSpec[];
  sock: string;
  pid?: number;
}

export interface LabState {
  version: 2;
  name: string;
  /** The hash naming the lab's namespaces (runtime.ts). */
  id: string;
  nodeNs: string;
  /** The runtime folder: state, ruleset, agent script, agent log, control sockets. */
  dir: string;
  createdAt: string;
  hosts: LabHost[];
  /** The cluster as the lab runs it: pods with their lab IPs, current policies; no origins. */
  cluster: Cluster;
  notes: string[];
  /** Rulesets loaded so far; the conntrack zone of the current one (absent in older state files: 1). */
  generation?: number;
}

/** Every network namespace the lab created (its registry: `down` deletes exactly these). */
export const namespacesOf = (s: LabState): string[] => [s.nodeNs, ...s.hosts.map((h) => h.netns)];

export function readState(name: string): LabState | undefined {
  let text: string | undefined;
  try {
    text = readSecure(join(labDir(name), 'state.json'));
  } catch (e) {
    throw new LabError(`cannot read the state of lab "${name}": ${(e as Error).message}`);
  }
  if (text === undefined) return undefined;
  try {
    const s = JSON.parse(text) as LabState;
    return s.version === 2 && s.name === name ? s : undefined;
  } catch {
    return undefined;
  }
}

export function writeState(state: LabState): void {
  ensureLabDir(state.name);
  writeSecure(join(state.dir, 'state.json'), JSON.stringify(state, null, 1));
}

export function removeState(name: string): void {
  removeLabDir(name);
}

/** A JSON-safe copy of the cluster (origins hold functions and file positions). */
export function plainCluster(c: Cluster): Cluster {
  return JSON.parse(JSON.stringify(c, (k, v) => (k === 'origin' ? undefined : v))) as Cluster;
}
