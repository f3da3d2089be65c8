// `netpol serve --cluster` against the loopback API server: the page is handed the cluster as
// one snapshot file (without the objects that files given beside --cluster override) followed
// by those files, and the answers drawn from those texts equal `--cluster FILES` on the CLI.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FakeApiServer } from './api-server.js';
import { DB_EXAMPLE, feed, ROOT } from './fixture.js';
import { netpol } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'netpol-serve-live-'));
const server = new FakeApiServer();
let kc = '';
// The preview: db-policy rewritten to admit port 3307 instead of 3306.
const override = join(tmp, 'db-policy-preview.yaml');

before(async () => {
  await server.start();
  feed(server, [DB_EXAMPLE]);
  kc = server.kubeconfig();
  writeFileSync(override, readFileSync(join(DB_EXAMPLE, 'db-policy.yaml'), 'utf8').replaceAll('3306', '3307'));
});
after(() => server.stop());

/** Starts `netpol serve`, returns the served sources, then stops it with SIGINT. */
function serveSources(args: string[]): Promise<{ sources: { file: string; text: string }[]; code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const c = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', ...args], {
      cwd: ROOT, env: { ...process.env, NO_COLOR: '1', KUBECONFIG: '' },
    });
    let stdout = '', stderr = '', sources: { file: string; text: string }[] | undefined, asked = false;
    const timer = setTimeout(() => { c.kill('SIGKILL'); fail(new Error(`serve did not start: ${stdout} ${stderr}`)); }, 60_000);
    c.stderr.on('data', (d: Buffer) => { stderr += d; });
    c.stdout.on('data', (d: Buffer) => {
      stdout += d;
      const url = /at (http:\/\/\S+)/.exec(stdout)?.[1];
      if (!url || asked) return;
      asked = true;
      fetch(new URL('api/sources', url), { signal: AbortSignal.timeout(10_000) })
        .then((r) => r.json() as Promise<{ file: string; text: string }[]>)
        .then((s) => { sources = s; c.kill('SIGINT'); }, (e: Error) => { c.kill('SIGKILL'); fail(e); });
    });
    c.on('close', (code) => {
      clearTimeout(timer);
      if (sources) done({ sources, code, stderr });
      else fail(new Error(`serve exited (${code}) before answering: ${stderr}`));
    });
  });
}

test('serve --cluster: the snapshot first, the overriding file after it, nothing secret; same answers as --cluster FILES', async () => {
  assert.ok(existsSync(join(ROOT, 'dist-web', 'index.html')), 'the page is built (npm ci builds it; else npm run build:web)');
  const { sources, code, stderr } = await serveSources(['--cluster', '--kubeconfig', kc, override]);
  assert.equal(code, 0, stderr);
  assert.equal(sources.length, 2);
  assert.equal(sources[0]!.file, 'cluster-fake.yaml');
  assert.match(sources[1]!.file, /db-policy-preview\.yaml$/);
  const snapshot = sources[0]!.text;
  // The overridden policy is the file's, not the cluster's; Secrets and ConfigMaps never read.
  assert.doesNotMatch(snapshot, /name: db-policy\b/);
  assert.match(snapshot, /kind: Pod/);
  assert.doesNotMatch(snapshot, /db-password|c2VjcmV0|settings/);
  // The page's texts give the CLI's answers on the live cluster with the same preview file.
  const dir = mkdtempSync(join(tmp, 'page-'));
  for (const [i, s] of sources.entries()) writeFileSync(join(dir, `${i}-${s.file.replace(/[^\w.-]/g, '_')}`), s.text);
  const fromPage = await netpol(['matrix', '-o', 'json', dir]);
  const live = await netpol(['matrix', '-o', 'json', '--cluster', '--kubeconfig', kc, override]);
  assert.equal(fromPage.code, 0, fromPage.stderr);
  assert.equal(live.code, 0, live.stderr);
  assert.deepEqual(JSON.parse(fromPage.stdout), JSON.parse(live.stdout));
  // The preview mattered: 3307 is open where the cluster's own policy opened 3306.
  const q = await netpol(['query', '--from', 'prod/api', '--to', 'prod/db', '-p', '3307', '-o', 'json', dir]);
  assert.equal(JSON.parse(q.stdout).allowed, true, q.stdout);
});
