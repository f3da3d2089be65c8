// Issue 9.1: every byte is delivered. Output sent through a real pipe must equal, byte for byte,
// the same command's output written to a file, in every format, at more than 1 MiB (far past
// the 64 KiB a pipe holds) — and the exit code must be the command's. A reader that closes
// early (`| head -c 100`) is not an error: no stack trace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rng } from '../oracle/generate.js';
import { ROOT } from './run-cli.js';

const MiB = 1 << 20;
let dir: string;

/**
 * A seeded cluster big enough for > 1 MiB in every format: 300 pods in 10 namespaces (matrix,
 * with enough probed ports), policies whose peers match no pod (one lint warning each, with a
 * code frame), and expectations that fail for most pairs (JUnit lists every failing pair).
 */
function generate(into: string): void {
  const r = rng(9);
  const docs: string[] = [];
  for (let i = 0; i < 300; i++) {
    docs.push(`apiVersion: v1
kind: Pod
metadata:
  name: pod-${i}
  namespace: ns-${i % 10}
  labels:
    app: app-${Math.floor(r() * 8)}
spec:
  containers:
  - name: c
    ports:
    - containerPort: 80
status:
  podIP: 10.1.${i >> 8}.${i & 255}
`);
  }
  for (let i = 0; i < 2600; i++) {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: policy-${i}
  namespace: ns-${i % 10}
spec:
  podSelector:
    matchLabels:
      app: app-${Math.floor(r() * 8)}
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: missing-${i}
`);
  }
  mkdirSync(join(into, 'cluster'));
  writeFileSync(join(into, 'cluster', 'cluster.yaml'), docs.join('---\n'));
  const expect = [0, 1, 2, 3, 4].map((n) => `  - "ns-${n}/* -> */*:80 allow"\n`).join('');
  writeFileSync(join(into, 'expect.yaml'), `kind: NetpolExpectations\nexpect:\n${expect}`);
  // Invalid policies (a label value may not start with '-'): `matrix` refuses and lists them on stderr.
  mkdirSync(join(into, 'invalid'));
  const bad = Array.from({ length: 3000 }, (_, i) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: bad-${i}
spec:
  podSelector:
    matchLabels:
      app: -bad-${i}
`);
  writeFileSync(join(into, 'invalid', 'bad.yaml'), bad.join('---\n'));
}

interface Out { code: number | null; signal: NodeJS.Signals | null; stdout: Buffer; stderr: Buffer }

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const ENV = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

/** Runs the CLI with stdout and stderr each a real pipe (read by this process) or files. */
function run(args: string[], to: 'pipe' | 'file', name = ''): Promise<Out> {
  const files = [join(dir, `${name}.out`), join(dir, `${name}.err`)];
  const fds = to === 'file' ? files.map((f) => openSync(f, 'w')) : [];
  return new Promise<Out>((done, fail) => {
    const stdio = to === 'pipe' ? (['ignore', 'pipe', 'pipe'] as const) : (['ignore', fds[0]!, fds[1]!] as const);
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env: ENV, stdio: [...stdio] });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      for (const fd of fds) closeSync(fd);
      if (to === 'file') done({ code, signal, stdout: readFileSync(files[0]!), stderr: readFileSync(files[1]!) });
      else done({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
    });
  });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-delivery-'));
  generate(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const ports = (n: number) => Array.from({ length: n }, (_, i) => ['-p', String(80 + i)]).flat();

const CASES: { name: string; args: () => string[]; code: number; stream?: 'stderr' }[] = [
  // Sizes grow with pods² × probed ports; each case probes enough ports to pass 1 MiB.
  { name: 'matrix json', args: () => ['matrix', join(dir, 'cluster'), '--format', 'json', ...ports(16)], code: 0 },
  { name: 'matrix text (table)', args: () => ['matrix', join(dir, 'cluster'), '--format', 'table', ...ports(4)], code: 0 },
  { name: 'matrix csv', args: () => ['matrix', join(dir, 'cluster'), '--format', 'csv'], code: 0 },
  { name: 'matrix md', args: () => ['matrix', join(dir, 'cluster'), '--format', 'md', ...ports(3)], code: 0 },
  // Warnings only: exit 1 with --fail-on warning, 0 without.
  { name: 'lint text', args: () => ['lint', join(dir, 'cluster'), '--fail-on', 'warning'], code: 1 },
  { name: 'lint json', args: () => ['lint', join(dir, 'cluster'), '--format', 'json'], code: 0 },
  { name: 'lint sarif', args: () => ['lint', join(dir, 'cluster'), '--format', 'sarif', '--fail-on', 'warning'], code: 1 },
  { name: 'test junit', args: () => ['test', join(dir, 'cluster'), '--expect', join(dir, 'expect.yaml'), '--format', 'junit'], code: 1 },
  // An error message is output too: the refused matrix lists every invalid policy on stderr.
  { name: 'matrix refusal on stderr', args: () => ['matrix', join(dir, 'invalid')], code: 1, stream: 'stderr' },
];

for (const c of CASES) {
  test(`${c.name}: > 1 MiB through a pipe equals the file output, same exit code`, async () => {
    const args = c.args();
    const [piped, filed] = await Promise.all([run(args, 'pipe'), run(args, 'file', c.name.replace(/\W+/g, '-'))]);
    const [main, other] = c.stream === 'stderr' ? ['stderr', 'stdout'] as const : ['stdout', 'stderr'] as const;
    assert.equal(filed.code, c.code, `exit code to a file; stderr: ${filed.stderr.subarray(0, 2000)}`);
    assert.equal(filed[other].length, 0, `nothing on ${other}`);
    assert.ok(filed[main].length > MiB, `the case must produce more than 1 MiB (got ${filed[main].length} bytes)`);
    assert.equal(piped.code, c.code, `exit code through a pipe; stderr: ${piped.stderr.subarray(0, 2000)}`);
    assert.equal(piped[other].length, 0, `nothing on ${other}`);
    assert.equal(piped[main].length, filed[main].length, `bytes through the pipe vs to the file`);
    assert.ok(piped[main].equals(filed[main]), 'same bytes through the pipe as to the file');
  });
}

test('a reader that closes early (| head -c 100) gets its bytes; no stack trace, the command\'s exit code', async () => {
  const child = spawn(process.execPath, [...CLI, 'matrix', join(dir, 'cluster'), '--format', 'csv'], { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const head = await new Promise<Buffer>((done) => {
    let got = Buffer.alloc(0);
    child.stdout.on('data', (c: Buffer) => {
      got = Buffer.concat([got, c]);
      if (got.length >= 100) {
        child.stdout.destroy(); // close the read end, as `head` does
        done(got.subarray(0, 100));
      }
    });
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('close', (c, s) => done([c, s])));
  assert.match(head.toString(), /^port,protocol,from,to,allowed,depends\n/);
  assert.equal(signal, null, 'ended by itself, not killed by SIGPIPE');
  assert.equal(code, 0);
  assert.equal(stderr, '', 'nothing on stderr: no EPIPE message, no stack trace');
});

test('a failed write (disk full: /dev/full) is exit 2 with a one-line message, not exit 0', { skip: !existsSync('/dev/full') && 'no /dev/full here' }, async () => {
  const fd = openSync('/dev/full', 'w');
  try {
    const r = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [...CLI, 'check', 'examples/db-protection'], { cwd: ROOT, env: ENV, stdio: ['ignore', fd, 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
      child.on('close', (code) => done({ code, stderr }));
    });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'netpol: cannot write the output: ENOSPC: no space left on device, write\n');
  } finally {
    closeSync(fd);
  }
});
