// What a user gets from the packed tarball: `npm pack` on a clean copy of this checkout (so
// dist/ and dist-web/ must come from the package's own scripts, not from a local build), the
// tarball installed into an empty folder with production dependencies only, then the installed
// `netpol serve` on its own example, on loopback. Needs the npm registry (or npm's cache) for
// the three runtime dependencies; every step is bounded in time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const STEP = 240_000; // ms for one npm step (a cold npm cache on a slow link)
const tmp = mkdtempSync(join(tmpdir(), 'netpol-pack-'));
const checkout = join(tmp, 'checkout');
const consumer = join(tmp, 'consumer');
const installed = join(consumer, 'node_modules', 'netpol');

/** npm's environment without what `npm test` sets for this package (its prefix, its lifecycle). */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(cache|registry|userconfig|globalconfig|cafile|proxy|https_proxy|noproxy|strict_ssl)$/i;
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || keep.test(k)));
}

function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', timeout: STEP, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `npm ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}, signal ${r.signal}`}):\n${r.stderr}`);
  return r.stdout;
}

interface PackResult { filename: string; files: { path: string }[] }
let packed: PackResult;

before(() => {
  // A clean copy: the files git knows (tracked, or new and not ignored), none of the build output.
  const list = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: REPO, encoding: 'utf8' });
  assert.equal(list.status, 0, `git ls-files: ${list.stderr}`);
  for (const f of list.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(REPO, f))) continue; // deleted in the working tree
    mkdirSync(dirname(join(checkout, f)), { recursive: true });
    cpSync(join(REPO, f), join(checkout, f));
  }
  assert.ok(!existsSync(join(checkout, 'dist-web')) && !existsSync(join(checkout, 'dist')));
  symlinkSync(join(REPO, 'node_modules'), join(checkout, 'node_modules'), 'dir');

  // --json prints only the JSON on stdout: the build scripts must keep stdout clean.
  const out = npm(['pack', '--json', '--pack-destination', tmp], checkout);
  packed = (JSON.parse(out) as PackResult[])[0]!;

  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', join(tmp, packed.filename)], consumer);
}, { timeout: 3 * STEP });

after(() => rmSync(tmp, { recursive: true, force: true }));

test('the tarball ships the CLI, the built page and the examples, and no tests, benches or sources', () => {
  const files = packed.files.map((f) => f.path);
  for (const f of ['package.json', 'README.md', 'dist/cli/main.js', 'dist/index.js', 'dist/index.d.ts', 'dist-web/index.html',
    'examples/db-protection/db-policy.yaml', 'examples/db-protection/namespaces.yaml', 'examples/db-protection/workloads.yaml',
    'examples/db-protection-broken/2-typos.yaml', 'examples/expect/db-protection.yaml']) {
    assert.ok(files.includes(f), `${f} missing from the tarball`);
  }
  assert.ok(files.some((f) => /^dist-web\/assets\/index-[\w-]+\.js$/.test(f)), 'the page script');
  assert.ok(files.some((f) => /^dist-web\/assets\/worker-[\w-]+\.js$/.test(f)), 'the engine worker');
  const unwanted = files.filter((f) => /^(test|bench|src|scripts|docs|\.ci|test-output|node_modules)\//.test(f) || f.endsWith('.map') || f.startsWith('dist/web/'));
  assert.deepEqual(unwanted, []);
  // Every example file in the checkout is shipped.
  const walk = (d: string): string[] => readdirSync(join(REPO, d), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(`${d}/${e.name}`) : [`${d}/${e.name}`]));
  assert.deepEqual(files.filter((f) => f.startsWith('examples/')).sort(), walk('examples').sort());
});

test('installing the tarball brings production dependencies only', () => {
  assert.ok(existsSync(join(installed, 'dist-web', 'index.html')));
  assert.ok(existsSync(join(consumer, 'node_modules', '.bin', 'netpol')));
  for (const dep of ['commander', 'yaml', 'ipaddr.js']) assert.ok(existsSync(join(consumer, 'node_modules', dep)), dep);
  for (const dev of ['vite', 'typescript', 'tsx', 'codemirror', 'cytoscape', 'playwright-core']) {
    assert.ok(!existsSync(join(consumer, 'node_modules', dev)), `${dev} is a devDependency and must not be installed`);
  }
});

test('the installed netpol checks its example and runs the demo from its own folder', () => {
  const run = (args: string[]) => spawnSync(join(consumer, 'node_modules', '.bin', 'netpol'), args, { cwd: consumer, encoding: 'utf8', timeout: 30_000 });
  let r = run(['check', 'node_modules/netpol/examples/db-protection']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /\b4 pods\b/);
  r = run(['demo']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /prod\/db-0/);
});

/** Starts the installed `netpol serve … --port 0`; resolves with its URL from the first line it prints. */
function serve(args: string[]): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(join(consumer, 'node_modules', '.bin', 'netpol'), ['serve', ...args, '--port', '0'], { cwd: consumer, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((done, fail) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`serve did not start in 30 s:\n${out}${err}`)); }, 30_000);
    child.stderr!.on('data', (c: Buffer) => (err += c));
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) { clearTimeout(timer); done({ child, url: m[1]!, exited }); }
    });
    child.once('exit', (code) => { clearTimeout(timer); fail(new Error(`serve exited with ${code}:\n${out}${err}`)); });
  });
}

test('the installed `netpol serve` serves the page, its assets and the example on loopback', { timeout: 60_000 }, async () => {
  const { child, url, exited } = await serve(['node_modules/netpol/examples/db-protection']);
  try {
    const page = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    const html = await page.text();
    assert.equal(html, readFileSync(join(installed, 'dist-web', 'index.html'), 'utf8'));
    const script = /<script type="module"[^>]* src="\.\/(assets\/index-[\w-]+\.js)"/.exec(html);
    assert.ok(script, `no module script in the page:\n${html.slice(0, 500)}`);
    // The entry is small and loads the page's modules (static and dynamic imports, the worker):
    // follow every script it reaches, each served as JavaScript from a file in the tarball.
    const shipped = new Set(packed.files.map((f) => f.path));
    const reached = new Map<string, string>();
    const queue = [script[1]!];
    while (queue.length) {
      const path = queue.shift()!;
      if (reached.has(path)) continue;
      assert.ok(shipped.has(`dist-web/${path}`), `${path} is reached from the page but not in the tarball`);
      const js = await fetch(new URL(path, url), { signal: AbortSignal.timeout(10_000) });
      assert.equal(js.status, 200, path);
      assert.match(js.headers.get('content-type')!, /^text\/javascript/, path);
      const text = await js.text();
      assert.equal(text, readFileSync(join(installed, 'dist-web', path), 'utf8'), `${path} served as installed`);
      reached.set(path, text);
      // Module references in a built chunk are string literals of hashed names next to it: "./main-AbCd1234.js", `worker-…`.
      for (const m of text.matchAll(/["'`](?:\.\/)?([\w-]+-[\w-]{8}\.js)["'`]/g)) queue.push(`${dirname(path)}/${m[1]}`);
    }
    const scripts = [...reached.keys()];
    assert.ok(scripts.some((n) => /\/worker-[\w-]+\.js$/.test(n)), `the engine worker is reached: ${scripts.join(', ')}`);
    // The page's own module (it wires index.html's controls) and the graph library are reached.
    const all = [...reached.values()].join('\n');
    assert.ok(all.includes('load-example') && all.includes('file-tabs'), `the page's module is reached: ${scripts.join(', ')}`);
    assert.ok(all.length > 300_000, 'the page\'s bundles (Cytoscape, CodeMirror, the engine) are reached');

    const api = await fetch(new URL('api/sources', url), { signal: AbortSignal.timeout(10_000) });
    assert.equal(api.status, 200);
    const sources = (await api.json()) as { file: string; text: string }[];
    const names = ['db-policy.yaml', 'namespaces.yaml', 'service.yaml', 'workloads.yaml'];
    assert.deepEqual(sources.map((s) => s.file), names.map((n) => `node_modules/netpol/examples/db-protection/${n}`));
    assert.deepEqual(sources.map((s) => s.text), names.map((n) => readFileSync(join(REPO, 'examples/db-protection', n), 'utf8')));

    // The shipped server survives a malformed URL.
    assert.equal((await fetch(new URL('%', url), { signal: AbortSignal.timeout(10_000) })).status, 400);
    assert.equal((await fetch(url, { signal: AbortSignal.timeout(10_000) })).status, 200);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, 'serve stops cleanly on SIGTERM');
});
