// `netpol list` through the real CLI: formats, flags and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from '../cli/run-cli.js';

const GOOD = 'examples/db-protection';

test('netpol list: JSON contract, text by default, csv and md', () => {
  const j = cli(['list', GOOD, '-o', 'json']);
  assert.equal(j.code, 0, j.stderr);
  const parsed = JSON.parse(j.stdout);
  assert.deepEqual(Object.keys(parsed), ['connections', 'depends']);
  assert.deepEqual(parsed.depends, []);
  assert.equal(parsed.connections.length, 27);
  assert.deepEqual(parsed.connections[0], { from: 'prod/api[Deployment]', to: 'prod/db[StatefulSet]', allowed: { TCP: [[3306, 3306]], UDP: [], SCTP: [] } });
  assert.equal(j.stdout.split('\n').length, 27 + 3, 'one connection per line');
  const t = cli(['list', GOOD, '--from', 'prod/db']);
  assert.equal(t.code, 0, t.stderr);
  assert.equal(t.stdout, 'prod/db[StatefulSet] -> 192.168.5.10/32  TCP 80\n');
  const csv = cli(['list', GOOD, '--by', 'pod', '--from', 'prod/api', '--to', 'prod/db', '-o', 'csv']);
  assert.equal(csv.stdout, 'from,to,protocol,first_port,last_port\nprod/api-0,prod/db-0,TCP,3306,3306\n');
  const md = cli(['list', GOOD, '--to', 'prod/role=db', '-p', '3306/TCP', '-o', 'md']);
  assert.equal(md.stdout, '| from | to | allowed |\n|---|---|---|\n| prod/api\\[Deployment\\] | prod/db\\[StatefulSet\\] | TCP 3306 |\n| 192.168.5.10/32 | prod/db\\[StatefulSet\\] | TCP 3306 |\n');
});

test('netpol list: --ipblock-pods, bad flags and filters that match nothing', () => {
  assert.equal(cli(['list', GOOD, '--ipblock-pods', 'depends', '-o', 'json']).code, 0);
  for (const args of [['--ipblock-pods', 'maybe'], ['--port', '0'], ['--by', 'node'], ['--from', 'a=b'], ['-o', 'xml']]) {
    const r = cli(['list', GOOD, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '', args.join(' '));
  }
  const none = cli(['list', GOOD, '--to', 'prod/nope']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no workload, namespace or external range matches "prod\/nope"/);
});
