// The nftables compiler is a pure function: golden files for the two example models, and
// structural checks (sets per selector, not rules per pod pair). Runs anywhere; loading the
// text into a real kernel is lab.test.ts's job (and nft-sink.test.ts checks it with `nft -c`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileNftables } from '../../src/dataplane/nft/compile.js';
import { assignAddresses, externalHosts } from '../../src/dataplane/addresses.js';
import { blockRanges, rangeToCidrs } from '../../src/net/cidr.js';
import type { Cluster, Pod } from '../../src/index.js';
import { DB_EXAMPLE, ROOT, XYZ, loadDir } from './helpers.js';

const GOLDEN = join(ROOT, 'test', 'golden', 'nftables');

function golden(name: string, text: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
  assert.equal(text, readFileSync(file, 'utf8'), `${name} differs from the golden file (UPDATE_GOLDEN=1 to accept)`);
}

test('golden: web/API/DB example (addresses assigned from the lab range)', () => {
  const { cluster, assigned } = assignAddresses(loadDir(DB_EXAMPLE));
  assert.equal(assigned.length, 4);
  const r = compileNftables(cluster);
  golden('db-protection.nft', r.text);
  // Only prod's API (AND of namespaceSelector and podSelector in one peer) and the backup host.
  const api = cluster.pods.find((p) => p.namespace === 'prod' && p.name.startsWith('api'))!.ips[0];
  assert.match(r.text, new RegExp(`set peer_0 \\{[^}]*elements = \\{ ${api!.replace(/\./g, '\\.')} \\}`));
  assert.match(r.text, /ip saddr @peer_1 meta l4proto tcp th dport 3306 accept/);
  assert.match(r.text, /ip daddr @peer_1 meta l4proto tcp th dport 80 goto ingress/);
});

test('golden: x/y/z model with explicit pod IPs', () => {
  const { cluster, assigned } = assignAddresses(loadDir(XYZ));
  assert.deepEqual(assigned, [], 'every xyz pod has status.podIP');
  golden('xyz.nft', compileNftables(cluster).text);
});

test('stateful and default-drop skeleton', () => {
  const { text } = compileNftables(assignAddresses(loadDir(DB_EXAMPLE)).cluster, { table: 'lab1' });
  assert.match(text, /^table inet lab1 \{\}\ndelete table inet lab1\ntable inet lab1 \{/m, 'replaces the table in one transaction');
  assert.match(text, /type filter hook forward priority filter; policy drop;\n\t\tct state established,related accept/);
  assert.match(text, /ip daddr != @ingress_isolated accept/);
});

test('named ports resolve per destination pod: "web" is 81 on x/c and 80 on z/c', () => {
  const { text } = compileNftables(loadDir(XYZ));
  // The set's name is generated; find it by the comment above it, then the rule that uses it.
  const m = /# named port web \(tcp\)[^\n]*\n\tset (port_\d+) \{\n[^\n]*\n\t\telements = \{ 10\.0\.0\.12 \. tcp \. 81, 10\.0\.2\.12 \. tcp \. 80 \}/.exec(text);
  assert.ok(m, 'a set for the named port web');
  assert.match(text, new RegExp(`ip daddr \\. meta l4proto \\. th dport @${m[1]} goto ingress`));
});

test('endPort becomes a range; protocol-only ports match the protocol', () => {
  const { text } = compileNftables(loadDir(XYZ));
  assert.match(text, /ip saddr @peer_\d+ meta l4proto tcp th dport 80-81 accept/);
  assert.match(text, /ip saddr @peer_\d+ meta l4proto udp th dport 81 accept/);
  assert.match(text, /ip daddr @peer_\d+ meta l4proto udp goto ingress/);
});

test('ipBlock except is subtracted into disjoint CIDRs (interval sets reject overlaps)', () => {
  const cidrs = blockRanges('10.0.0.0/16', ['10.0.1.0/24']).flatMap(rangeToCidrs);
  assert.deepEqual(cidrs, ['10.0.0.0/24', '10.0.2.0/23', '10.0.4.0/22', '10.0.8.0/21', '10.0.16.0/20', '10.0.32.0/19', '10.0.64.0/18', '10.0.128.0/17']);
  assert.deepEqual(blockRanges('0.0.0.0/0', ['0.0.0.0/0']).flatMap(rangeToCidrs), []);
  assert.deepEqual(blockRanges('192.168.5.10/32', []).flatMap(rangeToCidrs), ['192.168.5.10/32']);
  assert.deepEqual(blockRanges('10.0.0.0/30', ['10.0.0.1/32']).flatMap(rangeToCidrs), ['10.0.0.0/32', '10.0.0.2/31']);
});

test('size does not grow with pod pairs: 10x the pods, same rules and sets', () => {
  const base = loadDir(XYZ);
  const scale = (c: Cluster, n: number): Cluster => ({
    ...c,
    pods: c.pods.flatMap((p, k) => Array.from({ length: n }, (_, r): Pod => ({ ...p, name: `${p.name}-${r}`, ips: [`10.${k + 1}.${r >> 8}.${(r & 255) + 1}`] }))),
  });
  const small = compileNftables(scale(base, 1)).stats;
  const big = compileNftables(scale(base, 10)).stats;
  assert.equal(big.rules, small.rules);
  assert.equal(big.sets, small.sets);
  assert.ok(big.elements > small.elements * 5, `elements grow with pods (${small.elements} -> ${big.elements})`);
});

test('the example backup host becomes an outside host serving the egress port', () => {
  const hosts = externalHosts(assignAddresses(loadDir(DB_EXAMPLE)).cluster);
  assert.deepEqual(hosts, [{ ip: '192.168.5.10', ports: [{ port: 80, protocol: 'TCP' }] }]);
});
