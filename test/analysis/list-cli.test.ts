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
  // Five pairs hinge on the ipBlock against pods without IPs (test/analysis/list-depends.test.ts).
  assert.deepEqual(parsed.depends.map((d: { from: string; to: string }) => `${d.from} -> ${d.to}`), [
    'prod/db[StatefulSet] -> prod/api[Deployment]', 'prod/db[StatefulSet] -> prod/web[Deployment]', 'prod/db[StatefulSet] -> staging/api[Deployment]',
    'prod/web[Deployment] -> prod/db[StatefulSet]', 'staging/api[Deployment] -> prod/db[StatefulSet]',
  ]);
  assert.equal(parsed.connections.length, 27);
  assert.deepEqual(parsed.connections[0], { from: 'prod/api[Deployment]', to: 'prod/db[StatefulSet]', allowed: { TCP: [[3306, 3306]], UDP: [], SCTP: [] } });
  assert.equal(j.stdout.split('\n').length, 27 + 5 + 4, 'one connection (and one depends entry) per line');
  const t = cli(['list', GOOD, '--from', 'prod/db', '--to', '192.168.5.10']);
  assert.equal(t.code, 0, t.stderr);
  assert.equal(t.stdout, 'prod/db[StatefulSet] -> 192.168.5.10/32  TCP 80\n');
  const td = cli(['list', GOOD, '--from', 'prod/db', '--to', 'prod/api']);
  assert.equal(td.stdout.split('\n')[0], 'no allowed connections');
  assert.match(td.stdout, /depends: these ports hinge .*\n  prod\/db\[StatefulSet\] -> prod\/api\[Deployment\]  TCP 80: ipBlock vs pod IP: no IP is known for prod\/api-0/);
  const csv = cli(['list', GOOD, '--by', 'pod', '--from', 'prod/api', '--to', 'prod/db', '-o', 'csv']);
  assert.equal(csv.stdout, 'from,to,protocol,first_port,last_port,depends\nprod/api-0,prod/db-0,TCP,3306,3306,\n');
  const csvDep = cli(['list', GOOD, '--by', 'pod', '--from', 'prod/web', '--to', 'prod/db', '-o', 'csv']);
  assert.match(csvDep.stdout, /^from,to,protocol,first_port,last_port,depends\nprod\/web-0,prod\/db-0,TCP,3306,3306,"ipBlock vs pod IP: no IP is known for prod\/web-0, /);
  const md = cli(['list', GOOD, '--to', 'prod/role=db', '-p', '3306/TCP', '-o', 'md']);
  assert.equal(md.stdout.split('\n\n')[0], '| from | to | allowed |\n|---|---|---|\n| prod/api\\[Deployment\\] | prod/db\\[StatefulSet\\] | TCP 3306 |\n| 192.168.5.10/32 | prod/db\\[StatefulSet\\] | TCP 3306 |');
  assert.match(md.stdout, /\n- prod\/web\\\[Deployment\\\] → prod\/db\\\[StatefulSet\\\] TCP 3306: ipBlock vs pod IP/);
});

test('netpol list: --ipblock-pods, bad flags and filters that match nothing', () => {
  // Under depends the connections keep only certain allows; nothing here was allowed on a hinging port, so they are the same.
  const dep = cli(['list', GOOD, '--ipblock-pods', 'depends', '-o', 'json']);
  assert.equal(dep.code, 0);
  assert.deepEqual(JSON.parse(dep.stdout), JSON.parse(cli(['list', GOOD, '-o', 'json']).stdout));
  for (const args of [['--ipblock-pods', 'maybe'], ['--port', '0'], ['--by', 'node'], ['--from', 'a=b'], ['-o', 'xml']]) {
    const r = cli(['list', GOOD, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '', args.join(' '));
  }
  const none = cli(['list', GOOD, '--to', 'prod/nope']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no workload, namespace or external range matches "prod\/nope"/);
});
