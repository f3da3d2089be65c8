// Unit tests for the building blocks: Go CIDR parsing, value rendering, name checks, suggestions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goQuote, renderValue } from '../../src/validate/field-errors.js';
import { ipNetContains, parseCidrSloppy, parseIPv4Sloppy, parseIPv6Sloppy, strictCidrProblem } from '../../src/net/go-cidr.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, nameIsDNSSubdomain } from '../../src/validate/names.js';
import { closest, editDistance } from '../../src/validate/suggest.js';

describe('Go sloppy IP parsing', () => {
  it('IPv4: leading zeros read as decimal, no shorthand, no octal or hex', () => {
    assert.deepEqual(parseIPv4Sloppy('010.001.0.9')?.bytes, [10, 1, 0, 9]);
    assert.equal(parseIPv4Sloppy('010.001.0.9')?.leadingZeros, true);
    for (const bad of ['10.1', '10.0.0', '0x0a.0.0.1', '1.2.3.4.5', '256.0.0.1', '', '1..2.3', '1.2.3.4 ']) {
      assert.equal(parseIPv4Sloppy(bad), undefined, bad);
    }
  });
  it('IPv6: ellipsis, embedded IPv4, group limits', () => {
    assert.deepEqual(parseIPv6Sloppy('::')?.bytes, new Array(16).fill(0));
    assert.deepEqual(parseIPv6Sloppy('2001:db8::1')?.bytes, [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(parseIPv6Sloppy('::ffff:1.2.3.4')?.bytes.slice(10), [0xff, 0xff, 1, 2, 3, 4]);
    assert.equal(parseIPv6Sloppy('1:2:3:4:5:6:7:8')?.leadingZeros, false);
    assert.equal(parseIPv6Sloppy('00001::')?.leadingZeros, true);
    for (const bad of ['1:2:3:4:5:6:7:8:9', '1::2::3', ':1::', '1:2:3:4:5:6:7::8', 'fe80::1%eth0', '12345::', '1:2:3:4:5:6:7:8::']) {
      assert.equal(parseIPv6Sloppy(bad), undefined, bad);
    }
  });
  it('CIDR: network address, prefix range, strict problems in order', () => {
    const c = parseCidrSloppy('10.0.0.1/24')!;
    assert.deepEqual(c.network, [10, 0, 0, 0]);
    assert.equal(strictCidrProblem(c), 'must not have bits set beyond the prefix length');
    assert.equal(strictCidrProblem(parseCidrSloppy('010.0.0.1/24')!), 'must not have leading 0s in IP or prefix length');
    assert.equal(strictCidrProblem(parseCidrSloppy('::ffff:0:0/96')!), 'must not have an IPv4-mapped IPv6 address');
    assert.equal(strictCidrProblem(parseCidrSloppy('0.0.0.0/0')!), undefined);
    assert.equal(parseCidrSloppy('10.0.0.0/000000008')?.prefix, 8);
    assert.equal(parseCidrSloppy('10.0.0.0/-1'), undefined);
    assert.equal(parseCidrSloppy('10.0.0.0'), undefined);
  });
  it('Contains follows Go: IPv4 vs IPv6 never match, mapped networks compare as IPv4', () => {
    const v4 = parseCidrSloppy('10.0.0.0/8')!;
    assert.equal(ipNetContains(v4, [10, 9, 9, 9]), true);
    assert.equal(ipNetContains(v4, parseCidrSloppy('::ffff:10.1.0.0/112')!.network), true);
    assert.equal(ipNetContains(parseCidrSloppy('::/0')!, [10, 0, 0, 0]), false);
    assert.equal(ipNetContains(parseCidrSloppy('::ffff:10.0.0.0/104')!, [10, 200, 0, 0]), true);
  });
});

describe('value rendering', () => {
  it('quotes like Go strconv.Quote', () => {
    assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(goQuote('tab\there\n'), '"tab\\there\\n"');
    assert.equal(goQuote('\u0000\u007f'), '"\\x00\\x7f"');
    assert.equal(goQuote('héllo ✓'), '"héllo ✓"');
    assert.equal(goQuote('\u00a0'), '"\\u00a0"');
  });
  it('numbers bare, lists as JSON', () => {
    assert.equal(renderValue(0), '0');
    assert.equal(renderValue(['Ingress', 'Egress']), '["Ingress","Egress"]');
  });
});

describe('name checks', () => {
  it('DNS label: dots vs other problems', () => {
    assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
    assert.equal(isDNS1123Label('A').length, 1);
    assert.deepEqual(isDNS1123Label('prod-1'), []);
  });
  it('generateName: a trailing dash is masked', () => {
    assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
    assert.equal(nameIsDNSSubdomain('web-', false).length, 1);
  });
  it('qualified names and label values count bytes', () => {
    assert.deepEqual(isQualifiedName('app.kubernetes.io/name'), []);
    assert.deepEqual(isValidLabelValue(''), []);
    assert.deepEqual(isValidLabelValue('a'.repeat(63)), []);
    assert.equal(isValidLabelValue('é').length, 1);
  });
});

describe('suggestions', () => {
  it('edit distance with transpositions', () => {
    assert.equal(editDistance('podSelectpr', 'podSelector'), 1);
    assert.equal(editDistance('form', 'from'), 1);
  });
  it('closest prefers case-insensitive matches and refuses far words', () => {
    assert.equal(closest('PodSelector', ['podSelector', 'ingress']), 'podSelector');
    assert.equal(closest('Ingresss', ['Ingress', 'Egress']), 'Ingress');
    assert.equal(closest('zzz', ['ports', 'from']), undefined);
    assert.equal(closest('to', ['ports', 'from']), undefined);
  });
});

describe('byteLength and the valid-text memo of label checks', () => {
  it("byteLength is Go's len() of the UTF-8 text, surrogate pairs and lone surrogates included", async () => {
    const { byteLength } = await import('../../src/validate/field-errors.js');
    const texts = ['', 'app', 'é', '€uro', '😀', 'a😀b', '\ud800', 'x\udc00y', '\ud800\ud800\udc00', 'ü'.repeat(40)];
    for (const t of texts) assert.equal(byteLength(t), Buffer.byteLength(t, 'utf8'), JSON.stringify(t));
  });
  it('a key or value checked before gives the same messages the second time (valid or not)', () => {
    for (const k of ['app', 'example.com/app', '-bad', 'a/b/c', 'x'.repeat(64), 'app']) assert.deepEqual(isQualifiedName(k), isQualifiedName(k), k);
    for (const v of ['web', '', 'has space', 'y'.repeat(64), 'web']) assert.deepEqual(isValidLabelValue(v), isValidLabelValue(v), v);
    assert.deepEqual(isQualifiedName('-bad'), isQualifiedName('-bad'));
    assert.ok(isQualifiedName('-bad').length > 0);
    assert.deepEqual(isQualifiedName('app'), []);
  });
});
