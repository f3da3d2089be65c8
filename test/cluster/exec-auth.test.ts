// Exec credential plugins (client.authentication.k8s.io/v1, as cloud CLIs use them) through the
// Kubernetes client library, against the loopback API server: the token the plugin prints is
// sent; a wrong token is the 401 line; a failing plugin is one clear line, never a stack trace.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FakeApiServer } from './api-server.js';
import { DB_EXAMPLE, feed } from './fixture.js';
import { netpol } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'netpol-exec-'));
const server = new FakeApiServer();

/** A plugin (a node script) that prints an ExecCredential with this token, or fails. */
function plugin(name: string, token: string | undefined): { command: string; args: string[] } {
  const file = join(tmp, `${name}.mjs`);
  writeFileSync(file, token === undefined
    ? 'process.stderr.write("login expired: run the login command\\n"); process.exit(1);\n'
    : `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(token)} } }));\n`);
  return { command: process.execPath, args: [file] };
}

before(async () => {
  await server.start();
  feed(server, [DB_EXAMPLE]);
});
after(() => server.stop());

test('the token an exec plugin prints is the one sent', async () => {
  const kc = server.kubeconfig({ exec: plugin('good', server.token) });
  const r = await netpol(['matrix', '-o', 'json', '--cluster', '--kubeconfig', kc]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout).pods.length > 0);
});

test('a plugin token the server refuses: the 401 line, exit 2', async () => {
  const kc = server.kubeconfig({ exec: plugin('wrong', 'not-the-token') });
  const r = await netpol(['check', '--cluster', '--kubeconfig', kc]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /401|[Uu]nauthori[sz]ed/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('a failing plugin: one clear line, exit 2, no stack trace', async () => {
  const kc = server.kubeconfig({ exec: plugin('failing', undefined) });
  const r = await netpol(['check', '--cluster', '--kubeconfig', kc]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.match(r.stderr, /credentials for context "fake": login expired/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.equal(r.stdout, '');
});
