// What a lab is, as recorded on disk: enough for `probe`, `apply` and `down` (even after a crash
// of `up`, since the file is written before anything is created).
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Cluster, Protocol } from '../model/types.js';
import { LabError } from './system.js';

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
  version: 1;
  name: string;
  prefix: string;
  nodeNs: string;
  dir: string;
  sockDir: string;
  createdAt: string;
  hosts: LabHost[];
  /** The cluster as the lab runs it: pods with their lab IPs, current policies; no origins. */
  cluster: Cluster;
  notes: string[];
}

export const NAME_RE = /^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/;

export function checkName(name: string): string {
  if (!NAME_RE.test(name)) throw new LabError(`--name "${name}": use 1-16 lowercase letters, digits or '-' (it prefixes the lab's namespaces)`);
  return name;
}

/** `$NETPOL_LAB_DIR/<name>` or `./.lab/<name>`. */
export function labDir(name: string): string {
  return resolve(process.env.NETPOL_LAB_DIR ?? join(process.cwd(), '.lab'), name);
}

export const prefixOf = (name: string) => `np-${name}-`;

export function readState(name: string): LabState | undefined {
  try {
    return JSON.parse(readFileSync(join(labDir(name), 'state.json'), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

export function writeState(state: LabState): void {
  mkdirSync(state.dir, { recursive: true });
  const file = join(state.dir, 'state.json');
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 1));
  renameSync(`${file}.tmp`, file);
}

export function removeState(name: string): void {
  rmSync(labDir(name), { recursive: true, force: true });
}

/** A JSON-safe copy of the cluster (origins hold functions and file positions). */
export function plainCluster(c: Cluster): Cluster {
  return JSON.parse(JSON.stringify(c, (k, v) => (k === 'origin' ? undefined : v))) as Cluster;
}
