// Shared by the dataplane tests: loading fixture folders, and deciding whether the real lab can run.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSources, type Cluster } from '../../src/index.js';
import { which } from '../../src/dataplane/system.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DB_EXAMPLE = join(ROOT, 'examples', 'db-protection');
export const XYZ = join(ROOT, 'test', 'dataplane', 'fixtures', 'xyz');

export function loadDir(dir: string): Cluster {
  return loadFiles(readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f)));
}

/** The hand-made tier case: the x/y/z namespaces and pods, with fixtures/tiers/policies.yaml. */
export const TIERS = [join(XYZ, 'namespaces.yaml'), join(XYZ, 'pods.yaml'), join(ROOT, 'test', 'dataplane', 'fixtures', 'tiers', 'policies.yaml')];

export function loadFiles(files: string[]): Cluster {
  const r = loadSources(files.map((f) => ({ file: f, text: readFileSync(f, 'utf8') })));
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`${errors.map((d) => d.file).join(', ')}: ${errors.map((d) => d.message).join('; ')}`);
  return r.cluster;
}

/** Why the real lab cannot run here, or undefined when it can. */
export function labUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'the lab needs Linux';
  if (process.getuid?.() !== 0) return 'the lab needs root (network namespaces, nftables)';
  if (!which('ip')) return '`ip` is missing (Debian package iproute2)';
  if (!which('nft')) return '`nft` is missing (Debian package nftables)';
  return undefined;
}

/** Why `nft` cannot be run in a throwaway network namespace here, or undefined when it can. */
export function nftUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (a network namespace of its own)';
  if (!which('nft')) return '`nft` is missing (Debian package nftables)';
  if (!which('unshare')) return '`unshare` is missing (Debian package util-linux)';
  return undefined;
}

/**
 * Run a command in a fresh, anonymous network namespace (`unshare --net`): whatever it loads
 * dies with it, the host's ruleset is never touched, and `ip netns list` never shows it.
 */
export function inThrowawayNetns(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(which('unshare')!, ['--net', '--', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
