// Running ip/nft and checking what the machine offers. Every failure becomes a LabError whose
// message says what to do (install which Debian package, run as root, …).
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export class LabError extends Error {}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

const SBIN = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

/** Full path of a program, looking in PATH and the sbin folders (sudo's PATH may lack them). */
export function which(cmd: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN];
  for (const d of dirs) {
    try {
      accessSync(join(d, cmd), constants.X_OK);
      return join(d, cmd);
    } catch { /* next */ }
  }
  return undefined;
}

export function exec(cmd: string, args: readonly string[], input?: string): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(which(cmd) ?? cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => resolve({ code: 127, stdout, stderr: stderr + e.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** Run and require success; the error quotes the command and its stderr. */
export async function must(cmd: string, args: readonly string[], input?: string): Promise<string> {
  const r = await exec(cmd, args, input);
  if (r.code !== 0) {
    const shown = input && input.length < 2000 ? `\n${input.trimEnd()}` : '';
    throw new LabError(`${cmd} ${args.join(' ')} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}${shown ? `\ninput:${shown}` : ''}`);
  }
  return r.stdout;
}

/** Root, iproute2 and nftables: what every lab command needs. */
export function preflight(): void {
  const missing = [['ip', 'iproute2'], ['nft', 'nftables']].filter(([cmd]) => !which(cmd!));
  if (missing.length) {
    throw new LabError(`netpol lab needs ${missing.map(([c, p]) => `\`${c}\` (Debian package ${p})`).join(' and ')}: ` +
      `install with \`apt-get install ${missing.map(([, p]) => p).join(' ')}\``);
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new LabError('creating network namespaces and nftables rules needs root: run it with sudo');
  }
}

/**
 * Whether SCTP can be probed, and why not. Never loads a kernel module: the lab changes nothing
 * on the host, so a kernel without SCTP loaded stays that way and SCTP probes are skipped.
 */
export function sctpSupport(protocols = '/proc/net/protocols'): { ok: boolean; reason: string } {
  let has = false;
  try {
    has = /^SCTP\b/m.test(readFileSync(protocols, 'utf8'));
  } catch { /* no procfs: treat as absent */ }
  if (!has) return { ok: false, reason: 'the kernel has no SCTP loaded (the lab never loads kernel modules)' };
  return { ok: false, reason: 'the lab probes with Node.js sockets, which have no SCTP' };
}

/** Run `fn` over items with at most `limit` at a time, keeping order. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
