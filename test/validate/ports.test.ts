// Reference 5.4: ports (ValidateNetworkPolicyPort).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkSpec, checkSpecYaml, lines, only } from './helpers.js';

const ports = (...p: Record<string, unknown>[]) => checkSpec({ ingress: [{ ports: p }] });
const P = 'spec.ingress[0].ports[0]';

describe('protocol', () => {
  it('TCP, UDP and SCTP are accepted, with endPort too', () => {
    assert.deepEqual(ports({ protocol: 'TCP', port: 80 }, { protocol: 'UDP', port: 53 }, { protocol: 'SCTP', port: 9000, endPort: 9010 }), []);
  });
  it('is case-sensitive: "tcp"', () => {
    const d = only(ports({ protocol: 'tcp', port: 80 }), 'Unsupported value', `${P}.protocol`,
      'Unsupported value: "tcp": supported values: "TCP", "UDP", "SCTP"');
    assert.equal(d.hint, 'did you mean "TCP"? protocol names are upper case');
  });
  it('an explicit "" is set, not defaulted', () => {
    only(ports({ protocol: '' }), 'Unsupported value', `${P}.protocol`, 'Unsupported value: "": supported values: "TCP", "UDP", "SCTP"');
  });
  it('ICMP is not a NetworkPolicy protocol', () => {
    assert.match(ports({ protocol: 'ICMP' })[0]!.hint!, /only filter TCP, UDP and SCTP/);
  });
});

describe('numeric port and endPort', () => {
  it('port 0 and 70000', () => {
    assert.deepEqual(lines(ports({ port: 0 }, { port: 70000 })), [
      `${P}.port: Invalid value: 0: must be between 1 and 65535, inclusive`,
      'spec.ingress[0].ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
  });
  it('endPort below port carries port\'s value (as upstream does)', () => {
    const d = only(ports({ port: 32000, endPort: 31999 }), 'Invalid value', `${P}.endPort`,
      'Invalid value: 32000: must be greater than or equal to `port`');
    assert.match(d.hint!, /31999 is below port 32000/);
  });
  it('endPort out of range; both endPort rules can fire', () => {
    assert.deepEqual(lines(ports({ port: 100, endPort: 70000 }, { port: 100, endPort: 0 })), [
      `${P}.endPort: Invalid value: 70000: must be between 1 and 65535, inclusive`,
      'spec.ingress[0].ports[1].endPort: Invalid value: 100: must be greater than or equal to `port`',
      'spec.ingress[0].ports[1].endPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
  });
  it('endPort equal to port is a one-port range', () => {
    assert.deepEqual(ports({ port: 443, endPort: 443 }), []);
  });
  it('endPort with a named port', () => {
    only(ports({ port: 'mysql', endPort: 3310 }), 'Invalid value', `${P}.endPort`,
      'Invalid value: 3310: may not be specified when `port` is non-numeric');
  });
  it('endPort without port', () => {
    only(ports({ endPort: 3310 }), 'Invalid value', `${P}.endPort`,
      'Invalid value: 3310: may not be specified when `port` is not specified');
  });
});

describe('named ports (IANA_SVC_NAME)', () => {
  it('quoted "3306" is a name without a letter', () => {
    const ds = checkSpecYaml(`ingress:
- ports:
  - port: "3306"
`);
    const d = only(ds, 'Invalid value', `${P}.port`, 'Invalid value: "3306": must contain at least one letter (a-z)');
    assert.match(d.hint!, /remove the quotes/);
    assert.equal(d.line, 9);
  });
  it('MYSQL: two errors, in upstream order', () => {
    assert.deepEqual(lines(ports({ port: 'MYSQL' })), [
      `${P}.port: Invalid value: "MYSQL": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
      `${P}.port: Invalid value: "MYSQL": must contain at least one letter (a-z)`,
    ]);
  });
  it('length, consecutive hyphens, leading or trailing hyphen', () => {
    assert.deepEqual(lines(ports({ port: 'a-very-long-port-name' }, { port: 'my--port' }, { port: '-http' })), [
      `${P}.port: Invalid value: "a-very-long-port-name": must be no more than 15 characters`,
      'spec.ingress[0].ports[1].port: Invalid value: "my--port": must not contain consecutive hyphens',
      'spec.ingress[0].ports[2].port: Invalid value: "-http": must not begin or end with a hyphen',
    ]);
  });
  it('valid names pass', () => {
    assert.deepEqual(ports({ port: 'http' }, { port: 'dns-tcp', protocol: 'TCP' }, { port: 'h2c' }), []);
  });
});

describe('egress ports', () => {
  it('use the egress path', () => {
    only(checkSpec({ egress: [{ ports: [{ port: 0 }] }] }), 'Invalid value', 'spec.egress[0].ports[0].port',
      'Invalid value: 0: must be between 1 and 65535, inclusive');
  });
});
