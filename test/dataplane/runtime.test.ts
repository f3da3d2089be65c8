// The lab's runtime folder, lock and names, without building a lab: folders made root-only and
// never through symlinks, files never written through symlinks, one lock per name with stale-lock
// recovery, and namespace names that belong to exactly one lab. Uses throwaway folders under the
// system temp folder; the owner checks need root (the lab itself does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkName, labId, lockFile, lockLab, netnsName, parseNetns, processStart, readSecure, RUNTIME_ROOT, secureDir, writeSecure,
} from '../../src/dataplane/runtime.js';
import { LabError } from '../../src/dataplane/system.js';
import { sctpSupport } from '../../src/dataplane/system.js';

test('namespace names: `a` and `a-b` never claim each other\'s', () => {
  const a = labId('a');
  const ab = labId('a-b');
  assert.notEqual(a, ab);
  assert.match(a, /^[0-9a-f]{10}$/);
  for (const role of ['node', 'p0', 'p12', 'x3']) {
    assert.deepEqual(parseNetns(netnsName(ab, role)), { id: ab, role });
    assert.notEqual(parseNetns(netnsName(ab, role))!.id, a);
  }
  // Near misses are nobody's: extra suffixes, other prefixes, the old `np-<name>-` scheme.
  for (const n of [`np-${a}-node-x`, `np-${a}-p01`, `np-${a}-q1`, `xnp-${a}-node`, `np-${a}x-node`, 'np-a-node', 'np-a-b-p0', `np-${a}-node `]) assert.equal(parseNetns(n), undefined, n);
  // Interface names are p<i>/x<i> in the node namespace: at most 7 characters for the largest lab.
  assert.ok('p999999'.length <= 15);
});

test('lab names: DNS labels only (no dots, slashes, spaces, control characters)', () => {
  for (const ok of ['a', 'a-b', 'default', 'x'.repeat(63)]) assert.equal(checkName(ok), ok);
  for (const bad of ['', 'A', '-a', 'a-', 'a.lock', '../x', 'a/b', 'a b', 'a\nb', 'x'.repeat(64)]) assert.throws(() => checkName(bad), LabError, JSON.stringify(bad));
  assert.equal(RUNTIME_ROOT, '/run/netpol/labs');
});

test('SCTP is reported as skipped with the reason; nothing is loaded to find out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-proto-'));
  try {
    writeFileSync(join(dir, 'none'), 'protocol  size sockets\nTCP 1 1\nUDP 1 1\n');
    writeFileSync(join(dir, 'sctp'), 'protocol  size sockets\nSCTP 1 1\nTCP 1 1\n');
    assert.deepEqual(sctpSupport(join(dir, 'none')), { ok: false, reason: 'the kernel has no SCTP loaded (the lab never loads kernel modules)' });
    assert.deepEqual(sctpSupport(join(dir, 'sctp')), { ok: false, reason: 'the lab probes with Node.js sockets, which have no SCTP' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // And no code path of the lab (or CI) runs modprobe.
  const src = spawnSync('grep', ['-rlE', "(exec|must|spawn[A-Za-z]*)\\(['\"\\`][^'\"\\`]*(modprobe|insmod)|^[^#]*modprobe ", 'src', '.ci'], { encoding: 'utf8' });
  assert.equal(src.stdout, '', `modprobe in ${src.stdout}`);
});

const why = process.getuid?.() === 0 ? undefined : 'needs root (the runtime folder must be root-owned)';
const skip = why && process.env.CI !== 'true' ? `runtime folder checks skipped: ${why}` : false;

function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'netpol-rt-'));
  chmodSync(d, 0o755);
  return d;
}

test('secureDir makes root-only folders and refuses symlinks, foreign owners and loose modes', { skip }, () => {
  const base = scratch();
  try {
    const made = secureDir(base, ['netpol', 'labs', 'a']);
    assert.equal(made, join(base, 'netpol', 'labs', 'a'));
    for (const p of ['netpol', 'netpol/labs', 'netpol/labs/a']) {
      const st = lstatSync(join(base, p));
      assert.equal(st.mode & 0o7777, 0o700, p);
      assert.equal(st.uid, 0);
    }
    assert.equal(secureDir(base, ['netpol', 'labs', 'a']), made, 'idempotent');
    // A symlink where a folder of ours should be, pointing somewhere harmless.
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, join(base, 'netpol', 'labs', 'b'));
    assert.throws(() => secureDir(base, ['netpol', 'labs', 'b', 'c']), /is a symlink/);
    assert.equal(existsSync(join(elsewhere, 'c')), false, 'nothing created through the link');
    // A symlink in the base path.
    symlinkSync(base, join(base, 'link'));
    assert.throws(() => secureDir(join(base, 'link'), ['x']), /is a symlink/);
    // Owned by someone else, or too open.
    mkdirSync(join(base, 'netpol', 'labs', 'foreign'), { mode: 0o700 });
    chownSync(join(base, 'netpol', 'labs', 'foreign'), 65534, 65534);
    assert.throws(() => secureDir(base, ['netpol', 'labs', 'foreign']), /owned by uid 65534/);
    mkdirSync(join(base, 'netpol', 'labs', 'open'), { mode: 0o700 });
    chmodSync(join(base, 'netpol', 'labs', 'open'), 0o755);
    assert.throws(() => secureDir(base, ['netpol', 'labs', 'open']), /mode 755/);
    mkdirSync(join(base, 'gw'));
    chmodSync(join(base, 'gw'), 0o777);
    assert.throws(() => secureDir(join(base, 'gw'), ['x']), /writable by other users/);
    chmodSync(join(base, 'gw'), 0o1777); // sticky, like /tmp and /run/lock
    assert.ok(secureDir(join(base, 'gw'), ['x']));
    assert.throws(() => secureDir(base, ['..']), /not a plain name/);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('files are never written or read through a symlink', { skip }, () => {
  const base = scratch();
  try {
    const dir = secureDir(base, ['lab']);
    const victim = join(base, 'victim');
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, join(dir, 'state.json'));
    symlinkSync(victim, join(dir, 'state.json.tmp'));
    writeSecure(join(dir, 'state.json'), '{"ok":1}');
    assert.equal(readFileSync(victim, 'utf8'), 'untouched');
    assert.ok(lstatSync(join(dir, 'state.json')).isFile());
    assert.equal(lstatSync(join(dir, 'state.json')).mode & 0o777, 0o600);
    assert.equal(readSecure(join(dir, 'state.json')), '{"ok":1}');
    symlinkSync(victim, join(dir, 'other.json'));
    assert.throws(() => readSecure(join(dir, 'other.json')), /ELOOP/);
    assert.equal(readSecure(join(dir, 'missing.json')), undefined);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('one lock per lab name: busy while held, free after release, stale locks taken over', { skip }, () => {
  const root = secureDir(scratch(), ['labs']);
  try {
    const l1 = lockLab('a', 'test', root);
    const held = JSON.parse(readFileSync(lockFile('a', root), 'utf8')) as { pid: number; start: string };
    assert.equal(held.pid, process.pid);
    assert.equal(held.start, processStart(process.pid));
    assert.throws(() => lockLab('a', 'second', root), new RegExp(`lab "a" is busy: pid ${process.pid} holds its lock \\(test\\)`));
    const l2 = lockLab('a-b', 'test', root); // a prefix-sharing name has its own lock
    l2.release();
    l1.release();
    assert.equal(existsSync(lockFile('a', root)), false);
    lockLab('a', 'again', root).release();
    // Stale: a process that has exited.
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    writeFileSync(lockFile('a', root), JSON.stringify({ pid: Number(gone.stdout.trim()), start: '1', what: 'crashed' }));
    const l3 = lockLab('a', 'after crash', root);
    assert.match(readFileSync(lockFile('a', root), 'utf8'), /after crash/);
    l3.release();
    // Stale: our own pid but another start time (the pid was reused).
    writeFileSync(lockFile('a', root), JSON.stringify({ pid: process.pid, start: '0', what: 'old' }));
    lockLab('a', 'reused pid', root).release();
    // Garbage is stale too; a symlink is refused.
    writeFileSync(lockFile('a', root), 'garbage');
    lockLab('a', 'garbage', root).release();
    symlinkSync('/etc/hostname', lockFile('a', root));
    assert.throws(() => lockLab('a', 'x', root), /symlink/);
  } finally {
    rmSync(join(root, '..'), { recursive: true, force: true });
  }
});
