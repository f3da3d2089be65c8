// src/net is the one home of IP/CIDR math: parsing (ip.ts), Go's acceptance (go-cidr.ts), and
// range arithmetic (cidr.ts). These tests pin the moved functions, each against an independent
// brute-force check where one is cheap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familyRange, formatIp, parseCidr, parseIp, parseIpGeneral, rangeContains, rangesOverlap, rangeWithin, type IpRange } from '../../src/net/ip.js';
import { blockRanges, firstFreeAddress, parseCidrCompact, rangeToCidrs, sampleAddress, subtractRange } from '../../src/net/cidr.js';
import { formatIpBytes, parseCidrSloppy, strictCidrProblem } from '../../src/net/go-cidr.js';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const v4 = (s: string) => parseIp(s)!;

test('parseIp / parseCidr / formatIp', () => {
  assert.deepEqual(parseIp('10.0.0.1'), { family: 4, value: 0x0a000001n });
  assert.equal(parseIp('10.1'), undefined, 'shorthand refused');
  assert.equal(parseIp('0x0a.0.0.1'), undefined, 'hex refused');
  assert.equal(parseIp('::ffff:10.0.0.1')?.family, 6, 'IPv4-mapped stays IPv6');
  assert.deepEqual(parseCidr('10.0.0.7/24'), { family: 4, first: 0x0a000000n, last: 0x0a0000ffn });
  assert.equal(parseCidr('10.0.0.0'), undefined);
  assert.equal(parseCidr('10.0.0.0/33'), undefined);
  assert.equal(parseCidr('fd00::/129'), undefined);
  assert.equal(formatIp(v4('192.168.0.9')), '192.168.0.9');
  assert.equal(formatIp(parseIp('fd00:0:0::1')!), 'fd00::1');
  assert.ok(rangeContains(parseCidr('10.0.0.0/8')!, v4('10.200.0.1')));
  assert.ok(!rangeContains(parseCidr('10.0.0.0/8')!, v4('11.0.0.0')));
  assert.ok(!rangeContains(parseCidr('::/0')!, v4('10.0.0.1')), 'families never mix');
});

test('parseIp (plain dotted-quad fast path) agrees with parseIpGeneral (ipaddr.js)', () => {
  const r = rng(12);
  const texts = ['0.0.0.0', '255.255.255.255', '256.1.1.1', '10.0.0.01', '010.0.0.1', '00.1.2.3', '1.2.3', '1.2.3.4.5', '1..2.3', '.1.2.3', '1.2.3.', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.1000', 'fd00::1', '::ffff:1.2.3.4', '', 'a.b.c.d', '1.2.3.-4', '0x1.2.3.4'];
  for (let i = 0; i < 500; i++) texts.push([0, 0, 0, 0].map(() => String(Math.floor(r() * 300))).join('.'));
  for (const t of texts) assert.deepEqual(parseIp(t), parseIpGeneral(t), t);
});

test('parseCidrCompact agrees with parseCidr (fast IPv4 path and fallback)', () => {
  const r = rng(11);
  const texts = ['10.0.0.0/8', '0.0.0.0/0', '255.255.255.255/32', '10.1.2.3/17', '010.0.0.0/8', '10.0.0.0/033', 'fd00::/8', '::/0', '10.0.0/8', '1.2.3.4/', 'a.b.c.d/8', '10.0.0.0/07', '10.0.0.0/3a', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/ 8', '10.0.0.0/8 '];
  for (let i = 0; i < 500; i++) texts.push(`${[0, 0, 0, 0].map(() => Math.floor(r() * 256)).join('.')}/${Math.floor(r() * 33)}`);
  for (const t of texts) {
    const slow = parseCidr(t);
    const fast = parseCidrCompact(t);
    if (!slow) { assert.equal(fast, undefined, t); continue; }
    assert.ok(fast, t);
    assert.equal(fast.family, slow.family, t);
    assert.equal(BigInt(fast.first), slow.first, t);
    assert.equal(BigInt(fast.last), slow.last, t);
    if (slow.family === 4) assert.equal(typeof fast.first, 'number', `${t}: IPv4 compact ranges are numbers`);
  }
});

test('rangeToCidrs covers exactly the range with aligned blocks', () => {
  assert.deepEqual(rangeToCidrs(parseCidr('10.0.0.0/8')!), ['10.0.0.0/8']);
  assert.deepEqual(rangeToCidrs({ family: 4, first: 1n, last: 6n }), ['0.0.0.1/32', '0.0.0.2/31', '0.0.0.4/31', '0.0.0.6/32']);
  assert.deepEqual(rangeToCidrs({ family: 6, first: 0n, last: (1n << 128n) - 1n }), ['::/0']);
  const r = rng(5);
  for (let i = 0; i < 200; i++) {
    const a = BigInt(Math.floor(r() * 2 ** 32));
    const b = a + BigInt(Math.floor(r() * 5000));
    const range: IpRange = { family: 4, first: a, last: b > 0xffffffffn ? 0xffffffffn : b };
    const parts = rangeToCidrs(range).map((c) => parseCidr(c)!);
    // Contiguous, in order, starting and ending on the range's ends.
    assert.equal(parts[0]!.first, range.first);
    assert.equal(parts.at(-1)!.last, range.last);
    for (let k = 1; k < parts.length; k++) assert.equal(parts[k]!.first, parts[k - 1]!.last + 1n);
  }
});

test('subtractRange and blockRanges', () => {
  const base = parseCidr('10.0.0.0/30')!;
  assert.deepEqual(subtractRange([base], parseCidr('10.0.0.1/32')!), [
    { family: 4, first: 0x0a000000n, last: 0x0a000000n },
    { family: 4, first: 0x0a000002n, last: 0x0a000003n },
  ]);
  assert.deepEqual(subtractRange([base], parseCidr('fd00::/8')!), [base], 'other family cuts nothing');
  assert.deepEqual(blockRanges('10.0.0.0/16', ['10.0.1.0/24']).flatMap(rangeToCidrs), ['10.0.0.0/24', '10.0.2.0/23', '10.0.4.0/22', '10.0.8.0/21', '10.0.16.0/20', '10.0.32.0/19', '10.0.64.0/18', '10.0.128.0/17']);
  assert.deepEqual(blockRanges('bad', []), []);
  assert.deepEqual(blockRanges('10.0.0.0/8', ['fd00::/8']), [], 'a mixed-family except fails closed');
  assert.deepEqual(blockRanges('10.0.0.0/8', ['nope']), [], 'an unparseable except fails closed');
  // Brute force over a small space: an address is in blockRanges iff in cidr and in no except.
  const r = rng(9);
  for (let i = 0; i < 100; i++) {
    const cidr = `10.0.0.${Math.floor(r() * 64)}/${26 + Math.floor(r() * 7)}`;
    const except = Array.from({ length: Math.floor(r() * 4) }, () => `10.0.0.${Math.floor(r() * 64)}/${28 + Math.floor(r() * 5)}`);
    const ranges = blockRanges(cidr, except);
    for (let k = 1; k < ranges.length; k++) assert.ok(ranges[k - 1]!.last < ranges[k]!.first, 'disjoint and sorted');
    for (let host = 0; host < 64; host++) {
      const ip = v4(`10.0.0.${host}`);
      const want = rangeContains(parseCidr(cidr)!, ip) && !except.some((e) => rangeContains(parseCidr(e)!, ip));
      assert.equal(ranges.some((x) => rangeContains(x, ip)), want, `${cidr} except ${except} @ ${host}`);
    }
  }
});

test('sampleAddress: the lowest address outside the excepts (the page\'s ipBlock nodes)', () => {
  assert.equal(sampleAddress('10.0.0.0/8', ['10.0.0.0/16']), '10.1.0.0');
  assert.equal(sampleAddress('192.168.5.10/32', []), '192.168.5.10');
  assert.equal(sampleAddress('0.0.0.0/0', ['0.0.0.0/8', '1.0.0.0/8']), '2.0.0.0');
  assert.equal(sampleAddress('0.0.0.0/0', ['1.0.0.0/8', '0.0.0.0/8']), '2.0.0.0', 'excepts in any order');
  assert.equal(sampleAddress('fd00::/8', []), 'fd00::');
  assert.equal(sampleAddress('fd00::/8', ['fd00::/16']), 'fd01::', 'IPv6 excepts are skipped too');
  assert.equal(sampleAddress('10.0.0.0/30', ['10.0.0.0/30']), '10.0.0.3', 'fully excepted: the last address');
  assert.equal(sampleAddress('nonsense/8', []), 'nonsense');
});

test('go-cidr: formatIpBytes is ip.ts formatIp over bytes; Go acceptance kept', () => {
  assert.equal(formatIpBytes([10, 0, 0, 1]), '10.0.0.1');
  assert.equal(formatIpBytes([0xfd, ...new Array(14).fill(0), 1]), 'fd00::1');
  const sloppy = parseCidrSloppy('010.0.0.0/8');
  assert.ok(sloppy, 'Go 1.16 sloppy parsing takes leading zeros');
  assert.equal(strictCidrProblem(sloppy), 'must not have leading 0s in IP or prefix length');
  assert.equal(strictCidrProblem(parseCidrSloppy('10.0.0.1/8')!), 'must not have bits set beyond the prefix length');
  assert.equal(strictCidrProblem(parseCidrSloppy('10.0.0.0/8')!), undefined);
});

test('familyRange, rangeWithin, rangesOverlap', () => {
  const r = (c: string) => parseCidr(c)!;
  assert.deepEqual(familyRange(4), r('0.0.0.0/0'));
  assert.deepEqual(familyRange(6), r('::/0'));
  assert.ok(rangeWithin(r('10.1.0.0/16'), r('10.0.0.0/8')));
  assert.ok(rangeWithin(r('10.0.0.0/8'), r('10.0.0.0/8')), 'equal counts as within');
  assert.ok(!rangeWithin(r('10.0.0.0/8'), r('10.1.0.0/16')));
  assert.ok(!rangeWithin(r('::/128'), familyRange(4)), 'families never mix');
  assert.ok(rangesOverlap({ family: 4, first: 1n, last: 5n }, { family: 4, first: 5n, last: 9n }));
  assert.ok(!rangesOverlap({ family: 4, first: 1n, last: 4n }, { family: 4, first: 5n, last: 9n }));
  assert.ok(!rangesOverlap({ family: 4, first: 1n, last: 5n }, { family: 6, first: 1n, last: 5n }));
});

test('firstFreeAddress: lowest address outside holes in any order, brute-forced', () => {
  assert.equal(firstFreeAddress(parseCidr('10.0.0.0/30')!, [parseCidr('10.0.0.0/30')!]), undefined);
  const r = rng(21);
  for (let i = 0; i < 300; i++) {
    const range: IpRange = { family: 4, first: BigInt(Math.floor(r() * 20)), last: BigInt(20 + Math.floor(r() * 20)) };
    const holes = Array.from({ length: Math.floor(r() * 5) }, () => {
      const a = BigInt(Math.floor(r() * 45));
      return { family: (r() < 0.1 ? 6 : 4) as 4 | 6, first: a, last: a + BigInt(Math.floor(r() * 10)) };
    });
    let want: bigint | undefined;
    for (let v = range.first; v <= range.last && want === undefined; v++) if (!holes.some((h) => h.family === 4 && h.first <= v && v <= h.last)) want = v;
    assert.equal(firstFreeAddress(range, holes), want, JSON.stringify({ range, holes }, (_, x) => (typeof x === 'bigint' ? `${x}` : x)));
  }
});
