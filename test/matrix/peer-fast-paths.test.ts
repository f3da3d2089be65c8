// The fast paths that decide "which pods and addresses does this peer select" outside src/match
// differ in shape (classes, atoms, interval sets) but must not differ in meaning. Each is pinned
// here to the src/match function it stands in for, on generated clusters and random blocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipBlockContains, matchPeer, peerSelectsPod } from '../../src/match/peer.js';
import { buildReachability } from '../../src/matrix/engine.js';
import { IpAtoms } from '../../src/matrix/ip-atoms.js';
import { ClassIndex } from '../../src/matrix/select.js';
import { blockRanges } from '../../src/net/cidr.js';
import { parseIp, rangeContains } from '../../src/net/ip.js';
import { NAMESPACE_NAME_LABEL, type IPBlock, type Namespace, type Peer } from '../../src/model/types.js';
import { generateCluster, rng } from '../oracle/generate.js';

const SEEDS = Array.from({ length: 200 }, (_, i) => 7000 + i);

function randomBlock(r: () => number, v6: boolean): IPBlock {
  // Small spaces so CIDRs, excepts and addresses overlap often.
  const v4 = (prefix: number) => `10.0.${Math.floor(r() * 4)}.${Math.floor(r() * 256)}/${prefix}`;
  const six = (prefix: number) => `fd00::${Math.floor(r() * 4).toString(16)}:${Math.floor(r() * 65536).toString(16)}/${prefix}`;
  const base = v6 ? six(110 + Math.floor(r() * 16)) : v4(22 + Math.floor(r() * 8));
  const except = Array.from({ length: Math.floor(r() * 3) }, () => (v6 ? six(116 + Math.floor(r() * 12)) : v4(26 + Math.floor(r() * 7))));
  // Host bits may be set: validation would refuse them, but every path masks them the same way.
  return { cidr: base, except };
}

function randomIp(r: () => number, v6: boolean): string {
  return v6 ? `fd00::${Math.floor(r() * 4).toString(16)}:${Math.floor(r() * 65536).toString(16)}` : `10.0.${Math.floor(r() * 4)}.${Math.floor(r() * 256)}`;
}

test('IpAtoms (class engine) holds exactly the addresses ipBlockContains says', () => {
  const r = rng(42);
  for (let round = 0; round < 40; round++) {
    const blocks = Array.from({ length: 1 + Math.floor(r() * 6) }, () => randomBlock(r, r() < 0.3));
    const atoms = new IpAtoms(blocks);
    for (let i = 0; i < 200; i++) {
      const ip = randomIp(r, r() < 0.3);
      const mine = atoms.atomsOfIps([ip]);
      for (const b of blocks) assert.equal(mine.length > 0 && atoms.matcher(b)(mine), ipBlockContains(b, ip), `${ip} in ${b.cidr} except ${b.except}`);
    }
    // heldAtoms (ipBlock groups) finds exactly the atoms some block's matcher holds, for any subset of blocks.
    const all = [...new Set(Array.from({ length: 60 }, () => atoms.atomsOfIps([randomIp(r, r() < 0.3)])).flat())].sort((a, b) => a - b);
    const some = blocks.filter(() => r() < 0.6);
    const want = all.filter((a) => some.some((b) => atoms.matcher(b)([a])));
    assert.deepEqual([...atoms.heldAtoms(some, all)].sort((a, b) => a - b), want);
  }
});

test('blockRanges (nftables sets) holds exactly the addresses ipBlockContains says', () => {
  const r = rng(43);
  for (let round = 0; round < 200; round++) {
    const v6 = r() < 0.3;
    const b = randomBlock(r, v6);
    const ranges = blockRanges(b.cidr, b.except);
    for (let i = 0; i < 100; i++) {
      const ip = randomIp(r, v6);
      assert.equal(ranges.some((x) => rangeContains(x, parseIp(ip)!)), ipBlockContains(b, ip), `${ip} in ${b.cidr} except ${b.except}`);
    }
  }
  // Where they differ on purpose: an except validation would reject (unparseable, other family)
  // is ignored by ipBlockContains but empties the nft set (fails closed in the dataplane).
  assert.equal(ipBlockContains({ cidr: '10.0.0.0/8', except: ['fd00::/8'] }, '10.1.1.1'), true);
  assert.deepEqual(blockRanges('10.0.0.0/8', ['fd00::/8']), []);
});

test('class engine peer groups hold exactly the pods matchPeer selects', () => {
  let checked = 0;
  for (const seed of SEEDS) {
    const { cluster } = generateCluster(seed);
    const e = buildReachability(cluster);
    const peerGroups = (e as unknown as { peerGroups(p: unknown, peers: readonly Peer[]): number[] }).peerGroups.bind(e);
    const nsOf = (name: string): Namespace => cluster.namespaces.find((n) => n.name === name) ?? { name, labels: { [NAMESPACE_NAME_LABEL]: name } } as Namespace;
    for (const pol of cluster.policies) {
      for (const rule of [...pol.ingress, ...pol.egress]) {
        if (rule.peers.length === 0) continue;
        const groups = peerGroups(pol, rule.peers);
        const blocks = rule.peers.filter((p) => p.ipBlock);
        const selectors = rule.peers.filter((p) => !p.ipBlock);
        // peerGroups: one merged group for the ipBlocks (first, when any), then one per selector peer.
        assert.equal(groups.length, (blocks.length ? 1 : 0) + selectors.length);
        const members = groups.map((g) => new Set(e.groupMembers(g)));
        for (const pod of cluster.pods) {
          const cls = e.classOfPod(pod.namespace, pod.name)!;
          const party = { kind: 'pod' as const, pod, namespace: nsOf(pod.namespace) };
          if (blocks.length) {
            const want = blocks.some((p) => matchPeer(p, party, pol.namespace, 'match').match === true);
            assert.equal(members[0]!.has(cls), want, `seed ${seed} ${pol.namespace}/${pol.name} ${rule.path} ipBlocks vs ${pod.namespace}/${pod.name}`);
          }
          selectors.forEach((peer, i) => {
            const want = matchPeer(peer, party, pol.namespace, 'match').match === true;
            assert.equal(members[(blocks.length ? 1 : 0) + i]!.has(cls), want, `seed ${seed} ${peer.path} vs ${pod.namespace}/${pod.name}`);
            checked++;
          });
        }
      }
    }
  }
  assert.ok(checked > 1000, `enough peer × pod checks (${checked})`);
});

test('ClassIndex.candidates is a superset of what peerSelectsPod selects', () => {
  for (const seed of SEEDS) {
    const { cluster } = generateCluster(seed);
    const index = new ClassIndex();
    cluster.pods.forEach((p, i) => index.add(i, p.namespace, p.labels));
    const nsLabels = (name: string) => cluster.namespaces.find((n) => n.name === name)?.labels ?? { [NAMESPACE_NAME_LABEL]: name };
    for (const pol of cluster.policies) {
      for (const peer of [...pol.ingress, ...pol.egress].flatMap((r) => r.peers).filter((p) => !p.ipBlock)) {
        const namespaces = [...new Set(cluster.pods.map((p) => p.namespace))].filter((ns) => peer.namespaceSelector ? peerSelectsPod({ namespaceSelector: peer.namespaceSelector }, pol.namespace, ns, nsLabels(ns), {}) : ns === pol.namespace);
        const cand = new Set(index.candidates(peer.podSelector, namespaces));
        cluster.pods.forEach((p, i) => {
          if (peerSelectsPod(peer, pol.namespace, p.namespace, nsLabels(p.namespace), p.labels)) assert.ok(cand.has(i), `seed ${seed} ${peer.path}: ${p.namespace}/${p.name} missing from candidates`);
        });
      }
    }
  }
});
