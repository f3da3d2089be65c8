// Checking of the tier kinds against their CRDs (kubernetes-sigs/network-policy-api
// config/crd/experimental/policy.networking.k8s.io_clusternetworkpolicies.yaml at v0.2.0, and the
// v1alpha1 adminnetworkpolicies / baselineadminnetworkpolicies CRDs at v0.1.7): one test per
// schema bound and per x-kubernetes-validations (CEL) rule, each starting from a valid document
// so that only the broken field can fail it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, DocumentOrigin } from '../../src/diagnostics/diagnostic.js';
import { parseYamlText } from '../../src/load/parse-yaml.js';
import type { ClusterPolicyKind } from '../../src/model/types.js';
import { checkTierPolicy, isCelCidr } from '../../src/validate/tiers.js';

type Obj = Record<string, unknown>;
const nowhere: DocumentOrigin = { file: 'obj', document: 0, locate: () => ({ line: 1, column: 1 }) };
const clone = <T>(v: T): T => structuredClone(v);

const CNP: Obj = {
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name: 'cnp' },
  spec: {
    tier: 'Admin',
    priority: 10,
    subject: { namespaces: { matchLabels: { team: 'a' } } },
    ingress: [{ name: 'in', action: 'Deny', from: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { number: 80 } } }] }],
    egress: [{ name: 'out', action: 'Accept', to: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'db' } } } }] }],
  },
};
const ANP: Obj = {
  apiVersion: 'policy.networking.k8s.io/v1alpha1',
  kind: 'AdminNetworkPolicy',
  metadata: { name: 'anp' },
  spec: {
    priority: 5,
    subject: { namespaces: {} },
    ingress: [{ action: 'Allow', from: [{ namespaces: {} }], ports: [{ portNumber: { port: 80 } }] }],
    egress: [{ action: 'Pass', to: [{ networks: ['10.0.0.0/8'] }] }],
  },
};
const BANP: Obj = {
  apiVersion: 'policy.networking.k8s.io/v1alpha1',
  kind: 'BaselineAdminNetworkPolicy',
  metadata: { name: 'default' },
  spec: { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] },
};

function check(doc: Obj): Diagnostic[] {
  return checkTierPolicy(doc.kind as ClusterPolicyKind, doc, nowhere).diagnostics;
}

/** Apply `edit` to a copy of `base` and check it. */
function checkWith(base: Obj, edit: (spec: Obj & { ingress: Obj[]; egress: Obj[] }, doc: Obj) => void): Diagnostic[] {
  const doc = clone(base);
  edit(doc.spec as Obj & { ingress: Obj[]; egress: Obj[] }, doc);
  return check(doc);
}

const errorsOf = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error').map((d) => `${d.path}: ${d.message}`);

function onlyError(ds: readonly Diagnostic[], line: string): Diagnostic {
  assert.deepEqual(errorsOf(ds), [line]);
  return ds.find((d) => d.severity === 'error')!;
}

test('the valid base documents pass, and the checker hands back the decoded value', () => {
  for (const doc of [CNP, ANP, BANP]) {
    const r = checkTierPolicy(doc.kind as ClusterPolicyKind, doc, nowhere);
    assert.deepEqual(r.diagnostics, [], doc.kind as string);
    assert.ok(r.decoded);
  }
  // And a failing one does not.
  assert.equal(checkTierPolicy('ClusterNetworkPolicy', { ...CNP, spec: {} }, nowhere).decoded, undefined);
});

test('schema: spec, tier, priority and subject are required', () => {
  onlyError(checkWith(CNP, (_s, d) => { delete d.spec; }), 'spec: Required value');
  onlyError(checkWith(CNP, (s) => { delete s.tier; }), 'spec.tier: Required value');
  onlyError(checkWith(CNP, (s) => { s.tier = null; }), 'spec.tier: Required value'); // null is pruned: absent
  onlyError(checkWith(CNP, (s) => { delete s.priority; }), 'spec.priority: Required value');
  onlyError(checkWith(ANP, (s) => { delete s.priority; }), 'spec.priority: Required value');
  onlyError(checkWith(BANP, (s) => { delete s.subject; }), 'spec.subject: Required value');
});

test('schema: tier enum Admin/Baseline, with a did-you-mean', () => {
  const d = onlyError(checkWith(CNP, (s) => { s.tier = 'admin'; }), 'spec.tier: Unsupported value: "admin": supported values: "Admin", "Baseline"');
  assert.match(d.hint!, /did you mean "Admin"/);
  assert.deepEqual(errorsOf(checkWith(CNP, (s) => { s.tier = 'Baseline'; })), []);
});

test('schema: priority minimum 0 and maximum 1000 (both ends inclusive)', () => {
  onlyError(checkWith(CNP, (s) => { s.priority = 1001; }), 'spec.priority: Invalid value: 1001: spec.priority in body should be less than or equal to 1000');
  onlyError(checkWith(CNP, (s) => { s.priority = -1; }), 'spec.priority: Invalid value: -1: spec.priority in body should be greater than or equal to 0');
  onlyError(checkWith(ANP, (s) => { s.priority = 1001; }), 'spec.priority: Invalid value: 1001: spec.priority in body should be less than or equal to 1000');
  assert.deepEqual(errorsOf(checkWith(CNP, (s) => { s.priority = 0; })), []);
  assert.deepEqual(errorsOf(checkWith(CNP, (s) => { s.priority = 1000; })), []);
});

test('schema: subject has exactly one of namespaces/pods (min/maxProperties 1); pods needs both selectors', () => {
  const both = onlyError(checkWith(CNP, (s) => { s.subject = { namespaces: {}, pods: { namespaceSelector: {}, podSelector: {} } }; }),
    'spec.subject: Invalid value: "object": spec.subject in body should have at most 1 properties');
  assert.match(both.hint!, /exactly one of `namespaces` or `pods`/);
  onlyError(checkWith(CNP, (s) => { s.subject = {}; }), 'spec.subject: Invalid value: "object": spec.subject in body should have at least 1 properties');
  onlyError(checkWith(CNP, (s) => { s.subject = { pods: { namespaceSelector: {} } }; }), 'spec.subject.pods.podSelector: Required value');
  onlyError(checkWith(ANP, (s) => { s.subject = { pods: { podSelector: {} } }; }), 'spec.subject.pods.namespaceSelector: Required value');
});

test('schema: at most 25 rules per direction in v1alpha2, 100 in v1alpha1', () => {
  const rules = (n: number, r: Obj) => Array.from({ length: n }, () => clone(r));
  const egress = { action: 'Deny', to: [{ namespaces: {} }] };
  assert.deepEqual(errorsOf(checkWith(CNP, (s) => { s.egress = rules(25, egress); })), []);
  onlyError(checkWith(CNP, (s) => { s.egress = rules(26, egress); }), 'spec.egress: Too many: 26: must have at most 25 items');
  onlyError(checkWith(CNP, (s) => { s.ingress = rules(26, { action: 'Deny', from: [{ namespaces: {} }] }); }), 'spec.ingress: Too many: 26: must have at most 25 items');
  assert.deepEqual(errorsOf(checkWith(ANP, (s) => { s.egress = rules(100, egress); })), []);
  onlyError(checkWith(ANP, (s) => { s.egress = rules(101, egress); }), 'spec.egress: Too many: 101: must have at most 100 items');
});

test('schema: rule name at most 100 characters', () => {
  assert.deepEqual(errorsOf(checkWith(CNP, (s) => { s.egress[0]!.name = 'x'.repeat(100); })), []);
  onlyError(checkWith(CNP, (s) => { s.egress[0]!.name = 'x'.repeat(101); }), 'spec.egress[0].name: Too long: may not be more than 100 bytes');
});

test('schema: actions — v1alpha2 Accept/Deny/Pass, ANP Allow/Deny/Pass, BANP Allow/Deny; required', () => {
  const allow = onlyError(checkWith(CNP, (s) => { s.egress[0]!.action = 'Allow'; }), 'spec.egress[0].action: Unsupported value: "Allow": supported values: "Accept", "Deny", "Pass"');
  assert.match(allow.hint!, /renamed Allow to `Accept`/);
  const accept = onlyError(checkWith(ANP, (s) => { s.ingress[0]!.action = 'Accept'; }), 'spec.ingress[0].action: Unsupported value: "Accept": supported values: "Allow", "Deny", "Pass"');
  assert.match(accept.hint!, /v1alpha1 says `Allow`/);
  onlyError(checkWith(BANP, (s) => { s.ingress[0]!.action = 'Pass'; }), 'spec.ingress[0].action: Unsupported value: "Pass": supported values: "Allow", "Deny"');
  onlyError(checkWith(CNP, (s) => { delete s.ingress[0]!.action; }), 'spec.ingress[0].action: Required value');
  assert.deepEqual(errorsOf(checkWith(ANP, (s) => { s.egress[0]!.action = 'Deny'; })), []);
});

test('schema: from/to required, 1 to 25 peers (v1alpha2), 1 to 100 (v1alpha1)', () => {
  onlyError(checkWith(CNP, (s) => { delete s.egress[0]!.to; }), 'spec.egress[0].to: Required value');
  onlyError(checkWith(CNP, (s) => { s.ingress[0]!.from = []; }), 'spec.ingress[0].from: Invalid value: 0: spec.ingress[0].from in body should have at least 1 items');
  const peers = (n: number) => Array.from({ length: n }, () => ({ namespaces: {} }));
  assert.deepEqual(errorsOf(checkWith(CNP, (s) => { s.ingress[0]!.from = peers(25); })), []);
  onlyError(checkWith(CNP, (s) => { s.ingress[0]!.from = peers(26); }), 'spec.ingress[0].from: Too many: 26: must have at most 25 items');
  assert.deepEqual(errorsOf(checkWith(ANP, (s) => { s.ingress[0]!.from = peers(26); })), []);
  onlyError(checkWith(ANP, (s) => { s.ingress[0]!.from = peers(101); }), 'spec.ingress[0].from: Too many: 101: must have at most 100 items');
});

test('schema: exactly one peer kind per peer (min/maxProperties 1)', () => {
  onlyError(checkWith(CNP, (s) => { s.egress[0]!.to = [{ namespaces: {}, networks: ['10.0.0.0/8'] }]; }),
    'spec.egress[0].to[0]: Invalid value: "object": spec.egress[0].to[0] in body should have at most 1 properties');
  onlyError(checkWith(CNP, (s) => { s.egress[0]!.to = [{}]; }),
    'spec.egress[0].to[0]: Invalid value: "object": spec.egress[0].to[0] in body should have at least 1 properties');
  onlyError(checkWith(BANP, (s) => { s.ingress[0]!.from = [{ namespaces: {}, pods: { namespaceSelector: {}, podSelector: {} } }]; }),
    'spec.ingress[0].from[0]: Invalid value: "object": spec.ingress[0].from[0] in body should have at most 1 properties');
});

test('schema: networks 1 to 25 CIDRs, a set, each at most 43 characters', () => {
  const nets = (n: number) => Array.from({ length: n }, (_, i) => `10.${i}.0.0/16`);
  assert.deepEqual(errorsOf(checkWith(CNP, (s) => { s.egress[0]!.to = [{ networks: nets(25) }]; })), []);
  onlyError(checkWith(CNP, (s) => { s.egress[0]!.to = [{ networks: nets(26) }]; }), 'spec.egress[0].to[0].networks: Too many: 26: must have at most 25 items');
  onlyError(checkWith(CNP, (s) => { s.egress[0]!.to = [{ networks: [] }]; }), 'spec.egress[0].to[0].networks: Invalid value: 0: spec.egress[0].to[0].networks in body should have at least 1 items');
  onlyError(checkWith(CNP, (s) => { s.egress[0]!.to = [{ networks: ['10.0.0.0/8', '10.0.0.0/8'] }]; }), 'spec.egress[0].to[0].networks[1]: Duplicate value: "10.0.0.0/8"');
  onlyError(checkWith(CNP, (s) => { s.egress[0]!.to = [{ networks: [`${'0:'.repeat(20)}0/128`] }]; }), 'spec.egress[0].to[0].networks[0]: Too long: may not be more than 43 bytes');
});

test('CEL isCIDR(self): "Invalid CIDR format provided"', () => {
  for (const bad of ['10.0.0.0', '10.0.0.0/33', '010.0.0.0/8', '10.0.0.0/08', '::ffff:10.0.0.0/104', 'fd00::/129', 'example.com/8', '']) {
    onlyError(checkWith(CNP, (s) => { s.egress[0]!.to = [{ networks: [bad] }]; }), 'spec.egress[0].to[0].networks[0]: Invalid value: "string": Invalid CIDR format provided');
  }
  // netip.ParsePrefix keeps host bits: 10.0.0.1/8 is a valid CIDR for the CRD (unlike ipBlock).
  for (const good of ['10.0.0.1/8', '0.0.0.0/0', '::/0', 'fd00::/8', '192.168.1.1/32']) {
    assert.ok(isCelCidr(good), good);
    assert.deepEqual(errorsOf(checkWith(CNP, (s) => { s.egress[0]!.to = [{ networks: [good] }]; })), [], good);
  }
  onlyError(checkWith(BANP, (s) => { s.egress = [{ action: 'Deny', to: [{ networks: ['1.2.3.4'] }] }]; }), 'spec.egress[0].to[0].networks[0]: Invalid value: "string": Invalid CIDR format provided');
});

test('schema: protocols 1 to 25 entries, exactly one of tcp/udp/sctp/destinationNamedPort', () => {
  const tcp = (n: number) => ({ tcp: { destinationPort: { number: n } } });
  onlyError(checkWith(CNP, (s) => { s.ingress[0]!.protocols = []; }), 'spec.ingress[0].protocols: Invalid value: 0: spec.ingress[0].protocols in body should have at least 1 items');
  assert.deepEqual(errorsOf(checkWith(CNP, (s) => { s.ingress[0]!.protocols = Array.from({ length: 25 }, (_, i) => tcp(i + 1)); })), []);
  onlyError(checkWith(CNP, (s) => { s.ingress[0]!.protocols = Array.from({ length: 26 }, (_, i) => tcp(i + 1)); }), 'spec.ingress[0].protocols: Too many: 26: must have at most 25 items');
  onlyError(checkWith(CNP, (s) => { s.ingress[0]!.protocols = [{ ...tcp(80), udp: { destinationPort: { number: 53 } } }]; }),
    'spec.ingress[0].protocols[0]: Invalid value: "object": spec.ingress[0].protocols[0] in body should have at most 1 properties');
  onlyError(checkWith(CNP, (s) => { s.ingress[0]!.protocols = [{}]; }),
    'spec.ingress[0].protocols[0]: Invalid value: "object": spec.ingress[0].protocols[0] in body should have at least 1 properties');
  onlyError(checkWith(CNP, (s) => { s.ingress[0]!.protocols = [{ udp: {} }]; }),
    'spec.ingress[0].protocols[0].udp: Invalid value: "object": spec.ingress[0].protocols[0].udp in body should have at least 1 properties');
  onlyError(checkWith(CNP, (s) => { s.ingress[0]!.protocols = [{ sctp: { destinationPort: { number: 1, range: { start: 1, end: 2 } } } }]; }),
    'spec.ingress[0].protocols[0].sctp.destinationPort: Invalid value: "object": spec.ingress[0].protocols[0].sctp.destinationPort in body should have at most 1 properties');
});

test('schema: port numbers 1 to 65535 (number, range start and end); range start/end required', () => {
  const p = 'spec.ingress[0].protocols[0].tcp.destinationPort';
  onlyError(checkWith(CNP, (s) => { s.ingress[0]!.protocols = [{ tcp: { destinationPort: { number: 0 } } }]; }), `${p}.number: Invalid value: 0: ${p}.number in body should be greater than or equal to 1`);
  onlyError(checkWith(CNP, (s) => { s.ingress[0]!.protocols = [{ tcp: { destinationPort: { number: 65536 } } }]; }), `${p}.number: Invalid value: 65536: ${p}.number in body should be less than or equal to 65535`);
  onlyError(checkWith(CNP, (s) => { s.ingress[0]!.protocols = [{ tcp: { destinationPort: { range: { start: 1, end: 65536 } } } }]; }), `${p}.range.end: Invalid value: 65536: ${p}.range.end in body should be less than or equal to 65535`);
  onlyError(checkWith(CNP, (s) => { s.ingress[0]!.protocols = [{ tcp: { destinationPort: { range: { end: 10 } } } }]; }), `${p}.range.start: Required value`);
  onlyError(checkWith(ANP, (s) => { s.ingress[0]!.ports = [{ portNumber: { port: 70000 } }]; }), 'spec.ingress[0].ports[0].portNumber.port: Invalid value: 70000: spec.ingress[0].ports[0].portNumber.port in body should be less than or equal to 65535');
  onlyError(checkWith(ANP, (s) => { s.ingress[0]!.ports = [{ portNumber: { protocol: 'UDP' } }]; }), 'spec.ingress[0].ports[0].portNumber.port: Required value');
  onlyError(checkWith(ANP, (s) => { s.ingress[0]!.ports = [{ portRange: { start: 0, end: 5 } }]; }), 'spec.ingress[0].ports[0].portRange.start: Invalid value: 0: spec.ingress[0].ports[0].portRange.start in body should be greater than or equal to 1');
});

test('CEL self.start < self.end on v1alpha2 PortRange; v1alpha1 has no such rule (warning only)', () => {
  const p = 'spec.ingress[0].protocols[0].udp.destinationPort.range';
  const eq = onlyError(checkWith(CNP, (s) => { s.ingress[0]!.protocols = [{ udp: { destinationPort: { range: { start: 80, end: 80 } } } }]; }), `${p}: Invalid value: "object": Start port must be less than End port`);
  assert.match(eq.hint!, /number: 80/);
  onlyError(checkWith(CNP, (s) => { s.ingress[0]!.protocols = [{ udp: { destinationPort: { range: { start: 90, end: 80 } } } }]; }), `${p}: Invalid value: "object": Start port must be less than End port`);
  assert.deepEqual(errorsOf(checkWith(CNP, (s) => { s.ingress[0]!.protocols = [{ udp: { destinationPort: { range: { start: 79, end: 80 } } } }]; })), []);
  const v1 = checkWith(ANP, (s) => { s.ingress[0]!.ports = [{ portRange: { start: 90, end: 80 } }]; });
  assert.deepEqual(errorsOf(v1), []);
  assert.deepEqual(v1.map((d) => [d.severity, d.path]), [['warning', 'spec.ingress[0].ports[0].portRange']]);
});

test('CEL: a named port cannot go with networks/nodes/domainNames peers (egress rules)', () => {
  const msg = 'networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames';
  for (const peer of [{ networks: ['10.0.0.0/8'] }, { nodes: {} }, { domainNames: ['example.com'] }]) {
    onlyError(checkWith(CNP, (s) => { s.egress[0]!.to = [{ namespaces: {} }, peer]; s.egress[0]!.protocols = [{ destinationNamedPort: 'http' }]; }),
      `spec.egress[0]: Invalid value: "object": ${msg}`);
    onlyError(checkWith(ANP, (s) => { s.egress[0]!.to = [peer]; s.egress[0]!.ports = [{ namedPort: 'http' }]; }), `spec.egress[0]: Invalid value: "object": ${msg}`);
  }
  // Pods peers have named ports; BANP's rule (it has no domainNames) has its own message.
  assert.deepEqual(errorsOf(checkWith(CNP, (s) => { s.egress[0]!.protocols = [{ destinationNamedPort: 'http' }]; })), []);
  onlyError(checkWith(BANP, (s) => { s.egress = [{ action: 'Allow', to: [{ nodes: {} }], ports: [{ namedPort: 'dns' }] }]; }),
    'spec.egress[0]: Invalid value: "object": networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes');
});

test('CEL: the BaselineAdminNetworkPolicy must be named default (position at metadata.name)', () => {
  const text = 'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata:\n  name: baseline\nspec:\n  subject: {namespaces: {}}\n';
  const doc = parseYamlText('banp.yaml', text).documents[0]!;
  const ds = checkTierPolicy('BaselineAdminNetworkPolicy', doc.value, doc.origin).diagnostics;
  const d = onlyError(ds, ': Invalid value: "object": Only one baseline admin network policy with metadata.name="default" can be created in the cluster');
  assert.deepEqual([d.line, d.column], [4, 3]);
  assert.match(d.hint!, /name it `default`/);
});

test('schema: domainNames pattern, 1 to 25, a set; only for Accept rules (a warning: not a CRD rule)', () => {
  const p = 'spec.egress[0].to[0].domainNames[0]';
  const bad = onlyError(checkWith(CNP, (s) => { s.egress[0]!.to = [{ domainNames: ['https://example.com'] }]; }),
    `${p}: Invalid value: "https://example.com": ${p} in body should match '^(\\*\\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.?$'`);
  assert.match(bad.hint!, /no scheme/);
  assert.equal(errorsOf(checkWith(CNP, (s) => { s.egress[0]!.to = [{ domainNames: ['www.*.example.com'] }]; })).length, 1);
  assert.deepEqual(errorsOf(checkWith(CNP, (s) => { s.egress[0]!.to = [{ domainNames: ['*.example.com', 'kubernetes.io.'] }]; })), []);
  onlyError(checkWith(CNP, (s) => { s.egress[0]!.to = [{ domainNames: ['a.io', 'a.io'] }]; }), 'spec.egress[0].to[0].domainNames[1]: Duplicate value: "a.io"');
  onlyError(checkWith(CNP, (s) => { s.egress[0]!.to = [{ domainNames: Array.from({ length: 26 }, (_, i) => `h${i}.io`) }]; }), 'spec.egress[0].to[0].domainNames: Too many: 26: must have at most 25 items');
  const deny = checkWith(CNP, (s) => { s.egress[0]!.action = 'Deny'; s.egress[0]!.to = [{ domainNames: ['example.com'] }]; });
  assert.deepEqual(errorsOf(deny), []);
  assert.ok(deny.some((d) => d.severity === 'warning' && /only supported for Accept rules/.test(d.message)));
  const accept = checkWith(CNP, (s) => { s.egress[0]!.to = [{ domainNames: ['example.com'] }]; });
  assert.equal(accept.filter((d) => d.severity === 'warning').length, 0);
});

test('experimental-channel fields are accepted with an info naming the CRD they need', () => {
  const ds = checkWith(CNP, (s) => { s.egress[0]!.to = [{ nodes: { matchLabels: { 'kubernetes.io/os': 'linux' } } }, { domainNames: ['example.com'] }]; });
  assert.deepEqual(ds.map((d) => [d.severity, d.path]), [['info', 'spec.egress[0].to[0].nodes'], ['info', 'spec.egress[0].to[1].domainNames']]);
  assert.match(ds[0]!.hint!, /experimental CRD of network-policy-api v0\.2\.0/);
  const v1 = checkWith(ANP, (s) => { s.ingress[0]!.ports = [{ namedPort: 'http' }]; });
  assert.deepEqual(v1.map((d) => [d.severity, d.path]), [['info', 'spec.ingress[0].ports[0].namedPort']]);
});

test('schema: v1alpha1 ports have exactly one of portNumber/namedPort/portRange; protocols beyond TCP/UDP/SCTP refused', () => {
  onlyError(checkWith(ANP, (s) => { s.ingress[0]!.ports = [{ portNumber: { port: 80 }, namedPort: 'http' }]; }),
    'spec.ingress[0].ports[0]: Invalid value: "object": spec.ingress[0].ports[0] in body should have at most 1 properties');
  const icmp = onlyError(checkWith(ANP, (s) => { s.ingress[0]!.ports = [{ portNumber: { protocol: 'ICMP', port: 1 } }]; }),
    'spec.ingress[0].ports[0].portNumber.protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"');
  assert.match(icmp.hint!, /CRD takes any string/);
  assert.match(onlyError(checkWith(ANP, (s) => { s.ingress[0]!.ports = [{ portRange: { protocol: 'udp', start: 1, end: 2 } }]; }),
    'spec.ingress[0].ports[0].portRange.protocol: Unsupported value: "udp": supported values: "TCP", "UDP", "SCTP"').hint!, /did you mean "UDP"/);
});

test('label selectors in subjects and peers are checked as NetworkPolicy selectors', () => {
  const ds = checkWith(CNP, (s) => { s.subject = { namespaces: { matchExpressions: [{ key: 'team', operator: 'in', values: ['a'] }] } }; });
  assert.equal(errorsOf(ds).length, 1);
  assert.equal(ds[0]!.path, 'spec.subject.namespaces.matchExpressions[0].operator');
});

test('a misspelt field: unknown field at line:column with a did-you-mean, and no follow-on Required error', () => {
  const text = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: deny
spec:
  tier: Admin
  priorty: 5
  subject:
    namespace: {}
  egress:
  - action: Deny
    to:
    - networks: [10.0.0.0/8]
`;
  const doc = parseYamlText('cnp.yaml', text).documents[0]!;
  const ds = checkTierPolicy('ClusterNetworkPolicy', doc.value, doc.origin).diagnostics;
  assert.deepEqual(ds.map((d) => `${d.line}:${d.column} ${d.path}: ${d.message} (${d.hint})`), [
    '7:3 spec.priorty: unknown field "spec.priorty" (did you mean "priority"?)',
    '9:5 spec.subject.namespace: unknown field "spec.subject.namespace" (did you mean "namespaces"?)',
  ]);
});

test('type mismatches stop before validation, as for NetworkPolicy, in the OpenAPI schema\'s words', () => {
  const ds = checkWith(CNP, (s) => { s.priority = 'high'; s.tier = 'Nope'; });
  assert.deepEqual(ds.map((d) => [d.type, d.path]), [['Type mismatch', 'spec.priority']]);
  assert.equal(ds[0]!.message, 'Invalid value: "string": spec.priority in body must be of type integer: "string"');
  assert.equal(checkWith(CNP, (s) => { s.priority = 1.5; })[0]!.message, 'Invalid value: "number": spec.priority in body must be of type integer: "number"');
  assert.equal(checkWith(CNP, (s) => { s.egress[0]!.to = [{ networks: '10.0.0.0/8' }]; })[0]!.message,
    'Invalid value: "string": spec.egress[0].to[0].networks in body must be of type array: "string"');
  assert.equal(checkWith(CNP, (s) => { s.egress[0]!.name = true; })[0]!.message,
    'Invalid value: "boolean": spec.egress[0].name in body must be of type string: "boolean"');
  const label = checkWith(CNP, (s) => { s.subject = { namespaces: { matchLabels: { team: 1 } } }; })[0]!;
  assert.equal(label.message, 'Invalid value: "number": spec.subject.namespaces.matchLabels.team in body must be of type string: "number"');
  assert.match(label.hint!, /quote the value of "team"/);
  const list = checkWith(CNP, (s) => { s.egress[0]!.to = { namespaces: {} }; });
  assert.deepEqual(list.map((d) => [d.type, d.path]), [['Type mismatch', 'spec.egress[0].to']]);
  assert.match(list[0]!.hint!, /needs a list/);
});

test('v1alpha1 fields in a v1alpha2 document (and the reverse) are unknown fields with a hint', () => {
  const ports = checkWith(CNP, (s) => { s.ingress[0]!.ports = [{ portNumber: { port: 80 } }]; });
  assert.equal(ports[0]!.message, 'unknown field "spec.ingress[0].ports"');
  assert.match(ports[0]!.hint!, /v1alpha2 rules use `protocols/);
  const prio = checkWith(BANP, (s) => { s.priority = 3; });
  assert.equal(prio[0]!.message, 'unknown field "spec.priority"');
  assert.match(prio[0]!.hint!, /singleton/);
});
