// `netpol serve`'s server on loopback: the API, the Host check, malformed and hostile request
// targets (answered 400/404/414, never a crash: the server must still answer afterwards), and
// the CLI's input size limit applied to the manifests it serves.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request, type Server } from 'node:http';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS } from '../../src/index.js';
import { MAX_URL, serveCommand, startServer } from '../../src/cli/commands/serve.js';
import { CliError } from '../../src/cli/shared.js';
import { InputError, readSources } from '../../src/node/read-sources.js';

const exampleDir = 'examples/db-protection';
const example = ['db-policy.yaml', 'namespaces.yaml', 'workloads.yaml'].map((f) => ({ file: join(exampleDir, f), text: readFileSync(join(exampleDir, f), 'utf8') }));
// Any folder with an index.html stands in for the built page; src/web has one in every checkout.
const ROOT = 'src/web';
const REPO = fileURLToPath(new URL('../../', import.meta.url));

let server: Server;
let base: URL;

before(async () => {
  let url: string;
  ({ server, url } = await startServer({ root: ROOT, sources: example, host: '127.0.0.1', port: 0 }));
  base = new URL(url);
});
after(() => new Promise((r) => server.close(r)));

interface Reply { status: number; body: string }

/** One request with the target sent verbatim (fetch would normalize `..` and percent signs). */
function raw(target: string, opts: { method?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((done, fail) => {
    const req = request({
      host: base.hostname, port: base.port, path: target, method: opts.method ?? 'GET', agent: false,
      headers: { host: opts.host ?? base.host },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => done({ status: res.statusCode!, body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error(`no answer to ${target.slice(0, 80)}`)));
    req.on('error', fail);
    req.end();
  });
}

async function stillAnswers(after: string): Promise<void> {
  const r = await raw('/api/sources');
  assert.equal(r.status, 200, `the server stopped answering after ${after.slice(0, 80)}`);
  assert.deepEqual((JSON.parse(r.body) as { file: string }[]).map((x) => x.file), example.map((x) => x.file));
}

test('serves the page and the manifests', async () => {
  const index = await raw('/');
  assert.equal(index.status, 200);
  assert.equal(index.body, readFileSync(join(ROOT, 'index.html'), 'utf8'));
  assert.equal((await raw('/index.html?x=%#y')).status, 200, 'the query string is not decoded');
  assert.equal((await raw('/index%2Ehtml')).status, 200, 'percent-encoded names are decoded');
  assert.equal((await raw('/', { method: 'HEAD' })).body, '');
  assert.equal((await raw('/', { method: 'POST' })).status, 405);
  assert.equal((await raw('/nope.js')).status, 404);
  await stillAnswers('/');
});

test('a request naming another host (DNS rebinding) is refused', async () => {
  assert.equal((await raw('/api/sources', { host: 'evil.example' })).status, 403);
  assert.equal((await raw('/api/sources', { host: `evil.example:${base.port}` })).status, 403);
  await stillAnswers('a foreign Host');
});

test('malformed targets get 400 and the server keeps answering', async () => {
  for (const target of ['/%', '/%E0%A4%A', '/%E0%A4', '/%ZZ', '/a%', '/%C0%AF', '/index.html%00', '/%00', 'http://127.0.0.1/', '*']) {
    const r = await raw(target);
    assert.equal(r.status, 400, `${target}: ${r.status} ${r.body}`);
    await stillAnswers(target);
  }
});

test('path traversal, plain and encoded, never leaves the page folder', async () => {
  for (const target of ['/../../etc/passwd', '/../package.json', '/assets/../../package.json', '/..%2F..%2Fpackage.json', '/%2e%2e/%2e%2e/etc/passwd',
    '/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd', '/..%5C..%5Cpackage.json', '/..\\..\\package.json', '/.%2e/package.json']) {
    const r = await raw(target);
    assert.equal(r.status, 400, `${target}: ${r.status} ${r.body}`);
    assert.doesNotMatch(r.body, /root:|"name"/);
    await stillAnswers(target);
  }
  // Double encoding is a literal file name that does not exist.
  assert.equal((await raw('/%252e%252e/%252e%252e/package.json')).status, 404);
  await stillAnswers('double encoding');
});

test('very long targets: 414 up to Node\'s header limit, 431 beyond it; the server survives both', async () => {
  const long = `/${'a'.repeat(MAX_URL + 10)}`;
  assert.equal((await raw(long)).status, 414);
  await stillAnswers(long);
  const huge = `/${'%'.repeat(40_000)}`;
  assert.equal((await raw(huge)).status, 431);
  await stillAnswers(huge);
});

/** The real CLI; a server that starts instead of refusing is killed at the timeout (and the test fails). */
function serveCli(args: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', ...args], {
    cwd: REPO, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL',
  });
  return { code: r.status, stderr: r.stderr };
}

test('serve applies the default input size limit (and --max-bytes) to the manifests it reads', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-serve-'));
  try {
    // A sparse file one byte over the default limit: refused before it is read or served.
    const big = join(dir, 'big.yaml');
    writeFileSync(big, '');
    truncateSync(big, DEFAULT_LIMITS.maxBytes + 1);
    let r = serveCli([big]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `netpol: ${big}: file is ${DEFAULT_LIMITS.maxBytes + 1} bytes, more than the limit of ${DEFAULT_LIMITS.maxBytes} bytes (raise it with --max-bytes)\n`);
    r = serveCli([exampleDir, '--max-bytes', '100']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^netpol: examples\/db-protection\/db-policy\.yaml: file is \d+ bytes, more than the limit of 100 bytes/);
    r = serveCli([exampleDir, '--max-bytes', 'lots']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--max-bytes must be a positive number/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inputs without a size up front (a device, stdin) are cut at the limit while read', () => {
  return Promise.all([
    assert.rejects(readSources(['/dev/zero'], 1000), (e: unknown) =>
      e instanceof InputError && e.message === '/dev/zero: input is more than the limit of 1000 bytes (raise it with --max-bytes)'),
    (async () => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'check', '-', '--max-bytes', '1000'], {
        cwd: REPO, encoding: 'utf8', timeout: 20_000, input: `# ${'x'.repeat(5000)}\n`,
      });
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr, 'netpol: <stdin>: input is more than the limit of 1000 bytes (raise it with --max-bytes)\n');
    })(),
  ]);
});

test('a clear error when the page is not built', async () => {
  await assert.rejects(serveCommand([], { port: '0', host: '127.0.0.1' }, resolve('test-output/no-such-web')), (e: unknown) =>
    e instanceof CliError && e.code === 2 && /the web page is not built .*run `npm run build:web` first/.test(e.message));
});
