// Reference 5.5 and 5.6: peers (ValidateNetworkPolicyPeer) and ipBlock (ValidateIPBlock, strict CIDRs).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { INVALID_CIDR, checkSpec, checkSpecYaml, lines, only } from './helpers.js';

const from = (...peers: unknown[]) => checkSpec({ ingress: [{ from: peers }] });
const block = (cidr: unknown, except?: unknown[]) => from({ ipBlock: except ? { cidr, except } : { cidr } });
const R = 'spec.ingress[0].from[0]';
const B = `${R}.ipBlock`;

describe('peer count', () => {
  it('an empty peer must specify a peer', () => {
    only(from({}), 'Required value', R, 'Required value: must specify a peer');
  });
  it('ipBlock with a selector is Forbidden (once, even with two selectors)', () => {
    only(from({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }), 'Forbidden', R, 'Forbidden: may not specify both ipBlock and another peer');
    only(from({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {}, namespaceSelector: {} }), 'Forbidden', R,
      'Forbidden: may not specify both ipBlock and another peer');
  });
  it('podSelector with namespaceSelector is fine (AND)', () => {
    assert.deepEqual(from({ podSelector: { matchLabels: { app: 'api' } }, namespaceSelector: {} }), []);
  });
  it('the count check comes after the ipBlock errors', () => {
    assert.deepEqual(lines(from({ ipBlock: { cidr: 'x' }, podSelector: {} })), [
      `${B}.cidr: Invalid value: "x": ${INVALID_CIDR}`,
      `${R}: Forbidden: may not specify both ipBlock and another peer`,
    ]);
  });
});

describe('ipBlock.cidr', () => {
  it('empty: Required value, and the excepts are not checked', () => {
    only(block('', ['nonsense']), 'Required value', `${B}.cidr`, 'Required value');
  });
  it('no prefix length: not a CIDR (YAML line of the value)', () => {
    const ds = checkSpecYaml(`egress:
- to:
  - ipBlock:
      cidr: 192.168.5.10
      except: [nonsense]
`);
    const d = only(ds, 'Invalid value', 'spec.egress[0].to[0].ipBlock.cidr', `Invalid value: "192.168.5.10": ${INVALID_CIDR}`);
    assert.equal(d.hint, 'add a prefix length: "192.168.5.10/32" for this one address');
    assert.equal(d.line, 10);
  });
  it('other unparseable forms: prefix too long, shorthand IPv4, spaces, zone', () => {
    for (const c of ['10.0.0.0/33', '10.1/16', ' 10.0.0.0/8', 'fe80::/64%eth0', '10.0.0.0/8/9', '::/129', '10.0.0.256/32']) {
      only(block(c), 'Invalid value', `${B}.cidr`, `Invalid value: ${JSON.stringify(c)}: ${INVALID_CIDR}`);
    }
  });
  it('bits beyond the prefix length', () => {
    const d = only(block('10.0.0.1/24'), 'Invalid value', `${B}.cidr`, 'Invalid value: "10.0.0.1/24": must not have bits set beyond the prefix length');
    assert.equal(d.hint, 'did you mean "10.0.0.0/24" (the whole block) or "10.0.0.1/32" (one address)?');
  });
  it('leading zeros in the IP or the prefix', () => {
    assert.deepEqual(lines([...block('010.0.0.0/8'), ...block('10.0.0.0/08'), ...block('192.168.005.010/32')]), [
      `${B}.cidr: Invalid value: "010.0.0.0/8": must not have leading 0s in IP or prefix length`,
      `${B}.cidr: Invalid value: "10.0.0.0/08": must not have leading 0s in IP or prefix length`,
      `${B}.cidr: Invalid value: "192.168.005.010/32": must not have leading 0s in IP or prefix length`,
    ]);
    assert.equal(block('192.168.005.010/32')[0]!.hint, 'write it without leading zeros (Go reads them as decimal): "192.168.5.10/32"');
  });
  it('IPv4-mapped IPv6 (only one strict message per value)', () => {
    const d = only(block('::ffff:10.0.0.1/104'), 'Invalid value', `${B}.cidr`,
      'Invalid value: "::ffff:10.0.0.1/104": must not have an IPv4-mapped IPv6 address');
    assert.equal(d.hint, 'use the plain IPv4 form "10.0.0.1/8"');
  });
  it('IPv6: valid, bits beyond the prefix, a 5-digit group', () => {
    assert.deepEqual(block('2001:db8::/32'), []);
    assert.deepEqual(block('::/0'), []);
    assert.deepEqual(lines([...block('2001:db8::1/64'), ...block('2001:0db8:00000::/48')]), [
      `${B}.cidr: Invalid value: "2001:db8::1/64": must not have bits set beyond the prefix length`,
      `${B}.cidr: Invalid value: "2001:0db8:00000::/48": must not have leading 0s in IP or prefix length`,
    ]);
  });
});

describe('ipBlock.except', () => {
  it('a strict subset is fine', () => {
    assert.deepEqual(block('10.0.0.0/8', ['10.1.0.0/16', '10.2.3.4/32']), []);
    assert.deepEqual(block('2001:db8::/32', ['2001:db8:1::/48']), []);
  });
  it('outside, equal, supernet, other family', () => {
    const ds = block('192.168.5.0/24', ['192.168.6.0/28', '192.168.5.0/24', '192.168.0.0/16', '2001:db8::/64']);
    assert.deepEqual(lines(ds), [0, 1, 2, 3].map((j) =>
      `${B}.except[${j}]: Invalid value: ${JSON.stringify(['192.168.6.0/28', '192.168.5.0/24', '192.168.0.0/16', '2001:db8::/64'][j])}: must be a strict subset of \`cidr\``));
    assert.match(ds[1]!.hint!, /equal to `cidr`/);
    assert.match(ds[3]!.hint!, /same IP family/);
  });
  it('each except gets the strict checks; an unparseable one is skipped, the next still checked', () => {
    const ds = block('10.0.0.0/8', ['10.0.0.1/24', 'bogus', '010.1.0.0/16', '11.0.0.0/16']);
    assert.deepEqual(lines(ds), [
      `${B}.except[0]: Invalid value: "10.0.0.1/24": must not have bits set beyond the prefix length`,
      `${B}.except[1]: Invalid value: "bogus": ${INVALID_CIDR}`,
      `${B}.except[2]: Invalid value: "010.1.0.0/16": must not have leading 0s in IP or prefix length`,
      `${B}.except[3]: Invalid value: "11.0.0.0/16": must be a strict subset of \`cidr\``,
    ]);
  });
  it('a cidr failing a strict check still has its excepts checked against its network', () => {
    assert.deepEqual(lines(block('10.0.0.1/24', ['10.0.0.0/25', '10.0.1.0/25'])), [
      `${B}.cidr: Invalid value: "10.0.0.1/24": must not have bits set beyond the prefix length`,
      `${B}.except[1]: Invalid value: "10.0.1.0/25": must be a strict subset of \`cidr\``,
    ]);
  });
  it('an IPv4 except of an IPv6 cidr fails; a mapped cidr compares as IPv4 (Go IPNet.Contains)', () => {
    assert.equal(block('::/0', ['10.0.0.0/8']).length, 1);
    // ::ffff:10.0.0.0/104 covers 10.0.0.0/8, but its mask length (104) is compared as is.
    assert.deepEqual(lines(block('::ffff:10.0.0.0/104', ['10.1.0.0/16'])), [
      `${B}.cidr: Invalid value: "::ffff:10.0.0.0/104": must not have an IPv4-mapped IPv6 address`,
      `${B}.except[0]: Invalid value: "10.1.0.0/16": must be a strict subset of \`cidr\``,
    ]);
  });
});
