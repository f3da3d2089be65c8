// Where a lab keeps its state, agent script and sockets, and how its kernel objects are named.
//
// Runtime folder: /run/netpol/labs/<name>/, every folder we own root-owned and mode 0700, made
// and entered without following symlinks (the agent script in it runs as root). A lock file per
// lab name, /run/netpol/labs/<name>.lock, serialises up/apply/probe/down on that name.
//
// Names: a lab's network namespaces are `np-<id>-<role>` where <id> is 10 hex digits of
// SHA-256 of the lab name and <role> is `node`, `p<i>` or `x<i>`. A namespace belongs to a lab
// only when it parses exactly with that lab's id, so `a` and `a-b` never see each other's.
// Interfaces (`p<i>`/`x<i>` in the node namespace, `eth0` in a pod's) live only inside the lab's
// own namespaces, so they cannot collide with the host's or another lab's and stay within
// IFNAMSIZ (15 characters).
import { createHash } from 'node:crypto';
import {
  closeSync, constants, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { LabError } from './system.js';

export const RUNTIME_BASE = '/run';
export const RUNTIME_PARTS = ['netpol', 'labs'] as const;
export const RUNTIME_ROOT = join(RUNTIME_BASE, ...RUNTIME_PARTS);

/** A DNS label: it also keeps `<name>.lock` apart from every lab folder (no dots in names). */
export const NAME_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function checkName(name: string): string {
  if (!NAME_RE.test(name)) throw new LabError(`--name "${name.replace(/[^\x20-\x7e]/g, '?')}": use 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit`);
  return name;
}

/** 10 hex digits naming the lab in kernel object names. */
export const labId = (name: string): string => createHash('sha256').update(`netpol-lab\0${name}`).digest('hex').slice(0, 10);

export const netnsName = (id: string, role: string): string => `np-${id}-${role}`;

const NETNS_RE = /^np-([0-9a-f]{10})-(node|[px](?:0|[1-9][0-9]{0,5}))$/;

/** The lab id and role of a namespace name, or undefined when it is not a lab namespace. */
export function parseNetns(n: string): { id: string; role: string } | undefined {
  const m = NETNS_RE.exec(n);
  return m ? { id: m[1]!, role: m[2]! } : undefined;
}

export const labDir = (name: string, root = RUNTIME_ROOT): string => join(root, checkName(name));
export const lockFile = (name: string, root = RUNTIME_ROOT): string => join(root, `${checkName(name)}.lock`);

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Check `base` (every component: a real folder owned by root, not writable by group or others
 * unless sticky, as /run and /tmp are), then create or check `parts` below it one at a time: each
 * a real folder (never a symlink), owned by root, mode 0700. Returns the full path.
 */
export function secureDir(base: string, parts: readonly string[]): string {
  const refuse = (path: string, why: string) => new LabError(`refusing the lab's runtime folder: ${path} ${why}`);
  let path = '/';
  for (const c of base.split('/').filter(Boolean)) {
    path = join(path, c);
    const st = lstatOrUndefined(path);
    if (!st) throw refuse(path, 'does not exist');
    if (st.isSymbolicLink()) throw refuse(path, 'is a symlink');
    if (!st.isDirectory()) throw refuse(path, 'is not a folder');
    if (st.uid !== 0) throw refuse(path, `is owned by uid ${st.uid}, not root`);
    if ((st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0) throw refuse(path, 'is writable by other users');
  }
  for (const c of parts) {
    if (!c || c.includes('/') || c === '.' || c === '..') throw refuse(join(path, c), 'is not a plain name');
    path = join(path, c);
    if (!lstatOrUndefined(path)) {
      try {
        mkdirSync(path, { mode: 0o700 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    const st = lstatSync(path);
    if (st.isSymbolicLink()) throw refuse(path, 'is a symlink');
    if (!st.isDirectory()) throw refuse(path, 'is not a folder');
    if (st.uid !== 0) throw refuse(path, `is owned by uid ${st.uid}, not root`);
    if ((st.mode & 0o7777) !== 0o700) throw refuse(path, `has mode ${(st.mode & 0o7777).toString(8)}, not 700`);
  }
  return path;
}

/** The lab's folder, created root-only when missing. */
export function ensureLabDir(name: string): string {
  return secureDir(RUNTIME_BASE, [...RUNTIME_PARTS, checkName(name)]);
}

const NOFOLLOW_WRITE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Write a file in a checked folder: a fresh 0600 file (never through a symlink), renamed into place. */
export function writeSecure(file: string, data: string): void {
  const tmp = `${file}.tmp`;
  try { unlinkSync(tmp); } catch { /* none */ }
  const fd = openSync(tmp, NOFOLLOW_WRITE, 0o600);
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Open for appending, never through a symlink. */
export const openAppendSecure = (file: string): number =>
  openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);

/** Read a file without following a symlink; undefined when it does not exist. */
export function readSecure(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** Remove the lab's folder; refuses anything but a real root-owned folder. */
export function removeLabDir(name: string, root = RUNTIME_ROOT): void {
  const dir = labDir(name, root);
  const st = lstatOrUndefined(dir);
  if (!st) return;
  if (st.isSymbolicLink() || !st.isDirectory() || st.uid !== 0) throw new LabError(`refusing to remove ${dir}: not a root-owned folder`);
  rmSync(dir, { recursive: true, force: true }); // rm removes symlinks inside, never follows them
}

/** Names of the labs that have a folder under the runtime root. */
export function listLabNames(root = RUNTIME_ROOT): string[] {
  try {
    return readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && NAME_RE.test(d.name)).map((d) => d.name).sort();
  } catch {
    return [];
  }
}

// ---- the lock ----

interface Holder {
  pid: number;
  /** Start time of the process (clock ticks since boot), so a reused pid is not taken for it. */
  start: string;
  what: string;
}

/** Field 22 of /proc/<pid>/stat; undefined when there is no such process. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    const h = JSON.parse(readSecure(file) ?? '') as Holder;
    return Number.isInteger(h.pid) && typeof h.start === 'string' ? h : { pid: 0, start: '', what: 'unreadable lock' };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new LabError(`refusing the lock ${file}: it is a symlink`);
    return { pid: 0, start: '', what: 'unreadable lock' };
  }
}

const alive = (h: Holder) => h.pid > 0 && processStart(h.pid) === h.start;
const same = (a: Holder | undefined, b: Holder | undefined) => !!a && !!b && a.pid === b.pid && a.start === b.start;

export interface LabLock {
  file: string;
  release(): void;
}

/**
 * Take the lab's lock: an exclusive-create file holding our pid and its start time. A lock whose
 * process is gone (or whose pid now belongs to another process) is stale and taken over: renamed
 * aside, checked to still be the stale one, then removed. A live holder means the lab is busy.
 */
export function lockLab(name: string, what: string, root = RUNTIME_ROOT): LabLock {
  if (root === RUNTIME_ROOT) secureDir(RUNTIME_BASE, RUNTIME_PARTS);
  const file = lockFile(name, root);
  const me: Holder = { pid: process.pid, start: processStart(process.pid) ?? '', what };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(file, NOFOLLOW_WRITE, 0o600);
      try {
        writeSync(fd, JSON.stringify(me));
      } finally {
        closeSync(fd);
      }
      return {
        file,
        release: () => {
          if (same(readHolder(file), me)) unlinkSync(file);
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readHolder(file);
    if (holder && alive(holder)) throw busy(name, holder);
    const aside = `${file}.stale-${process.pid}-${attempt}`;
    try {
      renameSync(file, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // someone else cleared it
      throw e;
    }
    const moved = readHolder(aside);
    if (!same(moved, holder) && moved && alive(moved)) {
      // A live lock was taken between our read and the rename: put it back (link never overwrites).
      try { linkSync(aside, file); } catch { /* a third process holds it now */ }
      unlinkSync(aside);
      throw busy(name, moved);
    }
    unlinkSync(aside);
  }
  throw new LabError(`could not take the lock ${file}; try again`);
}

function busy(name: string, h: Holder): LabError {
  return new LabError(`lab "${name}" is busy: pid ${h.pid} holds its lock (${h.what}); wait for it to finish`);
}

/** Run `fn` holding the lab's lock. */
export async function withLock<T>(name: string, what: string, fn: () => Promise<T>): Promise<T> {
  const lock = lockLab(name, what);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
