// API-server-equivalent checking of the tier kinds of policy.networking.k8s.io: strict decoding
// (schema-tiers.ts through decode.ts), then what the API server checks for a custom resource
// with these CRDs (kubernetes-sigs/network-policy-api config/crd/{standard,experimental}):
// the OpenAPI schema (required, enum, minimum/maximum, minItems/maxItems, maxLength, pattern,
// minProperties/maxProperties, listType=set) and the x-kubernetes-validations CEL rules:
//   v1alpha2 (v0.2.0)  PortRange            self.start < self.end
//                      CIDR                 isCIDR(self)
//                      EgressRule (exp.)    no networks/nodes/domainNames peer with destinationNamedPort
//   v1alpha1 (v0.1.7)  CIDR                 isCIDR(self)
//                      ANP EgressRule       no networks/nodes/domainNames peer with namedPort
//                      BANP EgressRule      no networks/nodes peer with namedPort
//                      BANP                 self.metadata.name == 'default'
// The experimental channel's fields (nodes, domainNames; v1alpha1 namedPort) are accepted with
// an info that they need that CRD; its extra CEL rule is applied (the standard CRD lacks it).
// Messages are the apiextensions texts (type errors too: `spec.priority in body must be of type
// integer`; bounds: `spec.priority in body should be less than or equal to
// 1000`, CEL: `Invalid value: "object": <rule message>`), so `path: message` reads as kubectl's.
// Beyond the CRD, on purpose (errors the API server would not give, marked in their hints):
// label selectors are checked as NetworkPolicy's (an implementation cannot use an invalid one),
// and v1alpha1 protocols other than TCP/UDP/SCTP are refused (the CRD takes any string).
import { diagnostic, type Diagnostic, type DocumentOrigin } from '../diagnostics/diagnostic.js';
import { child, index } from '../diagnostics/field-path.js';
import type { ClusterPolicyKind } from '../model/types.js';
import { decodeObject, isPlainObject } from './decode.js';
import type { DObjectMeta, DSelector } from './decoded.js';
import { invalid, notSupported, renderValue, required, tooLong, withHint, type FieldError } from './field-errors.js';
import { isFollowOn } from './follow-on.js';
import { parseCidrSloppy } from '../net/go-cidr.js';
import { validateLabelSelector } from './label-selector.js';
import { nameIsDNSSubdomain } from './names.js';
import { validateObjectMeta } from './object-meta.js';
import { validateOwnerReferences, type DOwnerReference } from './owner-references.js';
import { TIER_SHAPES } from './schema-tiers.js';
import { closest } from './suggest.js';
import { writtenHint } from './written-hint.js';

// --- the decoded shapes (every field a pointer: undefined = absent or null) ------------------

export interface DNamespacedPod { namespaceSelector?: DSelector; podSelector?: DSelector }
export interface DTierSubject { namespaces?: DSelector; pods?: DNamespacedPod }
export interface DTierPeer { namespaces?: DSelector; pods?: DNamespacedPod; nodes?: DSelector; networks?: string[]; domainNames?: string[] }
export interface DPortRange { protocol?: string; start?: number; end?: number }
export interface DPortV2 { number?: number; range?: DPortRange }
export interface DProtocolMatch { destinationPort?: DPortV2 }
export interface DProtocolV2 { tcp?: DProtocolMatch; udp?: DProtocolMatch; sctp?: DProtocolMatch; destinationNamedPort?: string }
export interface DPortV1 { portNumber?: { protocol?: string; port?: number }; namedPort?: string; portRange?: DPortRange }
export interface DTierRule {
  name?: string;
  action?: string;
  from?: DTierPeer[];
  to?: DTierPeer[];
  protocols?: DProtocolV2[];
  ports?: DPortV1[];
}
export interface DTierSpec { tier?: string; priority?: number; subject?: DTierSubject; ingress?: DTierRule[]; egress?: DTierRule[] }
export interface DTierPolicy { apiVersion: string; kind: string; metadata: DObjectMeta; spec?: DTierSpec }

/** What differs between the three kinds' CRDs. */
interface Profile {
  version: 'v1alpha1' | 'v1alpha2';
  actions: readonly string[];
  /** maxItems of ingress/egress, of from/to and of ports/protocols. */
  maxItems: number;
  priority: boolean;
  tier: boolean;
  /** The egress rule's named-port CEL rule: which peers it forbids, and its message. */
  namedPortRule: { peers: readonly (keyof DTierPeer)[]; message: string };
}

const NAMED_PORT_MSG = 'networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames';

const PROFILES: Record<ClusterPolicyKind, Profile> = {
  ClusterNetworkPolicy: {
    version: 'v1alpha2', actions: ['Accept', 'Deny', 'Pass'], maxItems: 25, priority: true, tier: true,
    namedPortRule: { peers: ['networks', 'nodes', 'domainNames'], message: NAMED_PORT_MSG },
  },
  AdminNetworkPolicy: {
    version: 'v1alpha1', actions: ['Allow', 'Deny', 'Pass'], maxItems: 100, priority: true, tier: false,
    namedPortRule: { peers: ['networks', 'nodes', 'domainNames'], message: NAMED_PORT_MSG },
  },
  BaselineAdminNetworkPolicy: {
    version: 'v1alpha1', actions: ['Allow', 'Deny'], maxItems: 100, priority: false, tier: false,
    namedPortRule: { peers: ['networks', 'nodes'], message: 'networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes' },
  },
};

export const TIER_KINDS: readonly ClusterPolicyKind[] = ['ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'];
export const TIER_API_VERSION: Record<ClusterPolicyKind, string> = {
  ClusterNetworkPolicy: 'policy.networking.k8s.io/v1alpha2',
  AdminNetworkPolicy: 'policy.networking.k8s.io/v1alpha1',
  BaselineAdminNetworkPolicy: 'policy.networking.k8s.io/v1alpha1',
};

const MAX_PORTS_PER_RULE_V2 = 25;
const MAX_CIDR_LENGTH = 43;
const MAX_RULE_NAME = 100;
const MAX_SET = 25;
const DOMAIN_PATTERN = '^(\\*\\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.?$';
const DOMAIN_RE = new RegExp(DOMAIN_PATTERN);
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

// --- apiextensions (kube-openapi) error texts --------------------------------------------------

const le = (path: string, v: number, max: number): FieldError => invalid(path, v, `${path} in body should be less than or equal to ${max}`);
const ge = (path: string, v: number, min: number): FieldError => invalid(path, v, `${path} in body should be greater than or equal to ${min}`);
const tooMany = (path: string, n: number, max: number): FieldError =>
  ({ type: 'Too many', path, message: `Too many: ${n}: must have at most ${max} items` });
const tooFew = (path: string, n: number, min: number): FieldError => invalid(path, n, `${path} in body should have at least ${min} items`);
const cel = (path: string, type: 'string' | 'object', message: string): FieldError => invalid(path, type, message);

/** Fields of a decoded struct that were written (not absent, not null). */
function present(o: object): string[] {
  return Object.entries(o).filter(([k, v]) => k !== '$null' && v !== undefined).map(([k]) => k);
}

/** minProperties: 1 / maxProperties: 1, i.e. "exactly one of" (`what` names the choices, for the hint). */
function exactlyOne(o: object, path: string, what: string): FieldError[] {
  const set = present(o);
  if (set.length === 0) return [withHint(invalid(path, 'object', `${path} in body should have at least 1 properties`), `set exactly one of ${what}`)];
  if (set.length > 1) {
    return [withHint(invalid(path, 'object', `${path} in body should have at most 1 properties`),
      `set exactly one of ${what} (this has ${set.join(', ')}); to match several, write one list entry per kind`)];
  }
  return [];
}

function port(path: string, v: number | undefined, name: string): FieldError[] {
  const p = child(path, name);
  if (v === undefined) return [required(p)];
  if (v < 1) return [ge(p, v, 1)];
  if (v > 65535) return [le(p, v, 65535)];
  return [];
}

function listBounds(path: string, items: readonly unknown[], min: number, max: number): FieldError[] {
  if (items.length < min) return [tooFew(path, items.length, min)];
  if (items.length > max) return [tooMany(path, items.length, max)];
  return [];
}

/** x-kubernetes-list-type: set. */
function duplicates(path: string, items: readonly string[]): FieldError[] {
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  items.forEach((v, i) => {
    if (seen.has(v)) errs.push({ type: 'Duplicate value', path: index(path, i), message: `Duplicate value: ${renderValue(v)}` });
    seen.add(v);
  });
  return errs;
}

/**
 * CEL isCIDR (k8s.io/apiserver/pkg/cel/library/cidr.go): netip.ParsePrefix (no leading zeros,
 * host bits may be set) and no IPv4-mapped IPv6 address.
 */
export function isCelCidr(s: string): boolean {
  const c = parseCidrSloppy(s);
  if (!c || c.ip.leadingZeros || c.prefixLeadingZeros) return false;
  const b = c.ip.bytes;
  const mapped = b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  return !mapped;
}

function selector(s: DSelector | undefined, path: string): FieldError[] {
  return s ? validateLabelSelector(s, path) : [];
}

function namespacedPod(p: DNamespacedPod, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['namespaceSelector', 'podSelector'] as const) {
    const s = p[f];
    if (!s) errs.push(withHint(required(child(path, f)), `write \`${f}: {}\` to select every ${f === 'podSelector' ? 'pod' : 'namespace'}`));
    else errs.push(...selector(s, child(path, f)));
  }
  return errs;
}

function subject(s: DTierSubject | undefined, path: string): FieldError[] {
  if (!s) return [withHint(required(path), 'add `subject: {namespaces: {}}` (every pod) or `subject: {pods: {namespaceSelector: ..., podSelector: ...}}`')];
  const errs = exactlyOne(s, path, '`namespaces` or `pods`');
  if (s.namespaces) errs.push(...selector(s.namespaces, child(path, 'namespaces')));
  if (s.pods) errs.push(...namespacedPod(s.pods, child(path, 'pods')));
  return errs;
}

function peer(p: DTierPeer, path: string, action: string | undefined): FieldError[] {
  const errs = exactlyOne(p, path, '`namespaces`, `pods`, `networks`, `nodes` or `domainNames`');
  if (p.namespaces) errs.push(...selector(p.namespaces, child(path, 'namespaces')));
  if (p.pods) errs.push(...namespacedPod(p.pods, child(path, 'pods')));
  if (p.nodes) errs.push(...selector(p.nodes, child(path, 'nodes')));
  if (p.networks) {
    const np = child(path, 'networks');
    errs.push(...listBounds(np, p.networks, 1, MAX_SET));
    p.networks.forEach((c, i) => {
      const cp = index(np, i);
      if ([...c].length > MAX_CIDR_LENGTH) errs.push(tooLong(cp, MAX_CIDR_LENGTH));
      else if (!isCelCidr(c)) errs.push(withHint(cel(cp, 'string', 'Invalid CIDR format provided'), cidrHint(c)));
    });
    errs.push(...duplicates(np, p.networks));
  }
  if (p.domainNames) {
    const dp = child(path, 'domainNames');
    errs.push(...listBounds(dp, p.domainNames, 1, MAX_SET));
    p.domainNames.forEach((d, i) => {
      const ip = index(dp, i);
      if (!DOMAIN_RE.test(d)) {
        errs.push(withHint(invalid(ip, d, `${ip} in body should match '${DOMAIN_PATTERN}'`),
          d.includes('://') || d.includes('/') ? 'a domain name only: no scheme, port or path' : 'a wildcard is allowed only as a whole first label: `*.example.com`'));
      }
    });
    errs.push(...duplicates(dp, p.domainNames));
    // The API reference: "DomainNames is only supported for Accept rules" (not a CEL rule).
    if (action !== undefined && action !== 'Accept' && action !== 'Allow') {
      errs.push({
        severity: 'warning', type: 'Invalid value', path: dp,
        message: `domainNames peers are only supported for Accept rules (this rule is ${action})`,
        hint: 'the CRD accepts it, but implementations may ignore or refuse it: deny by CIDR or with a lower-precedence egress Deny instead',
      });
    }
  }
  return errs;
}

function cidrHint(c: string): string | undefined {
  if (!c.includes('/')) return `a CIDR needs a prefix length, e.g. "${c}/32"`;
  if (/(^|\.)0\d/.test(c)) return 'IPv4 octets must not have leading zeros';
  if (/::ffff:\d+\.\d+/i.test(c)) return 'write the IPv4 address itself, not as IPv4-mapped IPv6';
  return undefined;
}

function portRange(r: DPortRange, path: string, v2: boolean): FieldError[] {
  const errs = [...port(path, r.start, 'start'), ...port(path, r.end, 'end')];
  if (r.start !== undefined && r.end !== undefined && r.start >= r.end) {
    if (v2) {
      errs.push(withHint(cel(path, 'object', 'Start port must be less than End port'),
        r.start === r.end ? `a single port is \`number: ${r.start}\`` : `swap them: start ${r.end}, end ${r.start}`));
    } else if (r.start > r.end) {
      // v1alpha1 has no such rule: the range is accepted and matches nothing.
      errs.push({ severity: 'warning', type: 'Invalid value', path, message: `the range ${r.start}-${r.end} is empty: start is greater than end, so it matches no port`, hint: `swap them: start ${r.end}, end ${r.start}` });
    }
  }
  return errs;
}

function protocolV2(p: DProtocolV2, path: string): FieldError[] {
  const errs = exactlyOne(p, path, '`tcp`, `udp`, `sctp` or `destinationNamedPort`');
  for (const f of ['tcp', 'udp', 'sctp'] as const) {
    const m = p[f];
    if (!m) continue;
    const mp = child(path, f);
    if (!m.destinationPort) {
      errs.push(withHint(invalid(mp, 'object', `${mp} in body should have at least 1 properties`), 'add `destinationPort: {number: <port>}`; to match every port of the protocol, no such rule exists: leave `protocols` out'));
      continue;
    }
    const dp = child(mp, 'destinationPort');
    errs.push(...exactlyOne(m.destinationPort, dp, '`number` or `range`'));
    if (m.destinationPort.number !== undefined) {
      const n = m.destinationPort.number;
      if (n < 1) errs.push(ge(child(dp, 'number'), n, 1));
      if (n > 65535) errs.push(le(child(dp, 'number'), n, 65535));
    }
    if (m.destinationPort.range) errs.push(...portRange(m.destinationPort.range, child(dp, 'range'), true));
  }
  return errs;
}

function protocolName(v: string | undefined, path: string): FieldError[] {
  if (v === undefined || PROTOCOLS.includes(v)) return []; // absent: defaulted to TCP
  const c = closest(v, PROTOCOLS);
  return [withHint(notSupported(path, v, PROTOCOLS),
    `${c ? `did you mean "${c}"? ` : ''}the CRD takes any string here, but network policies match only TCP, UDP and SCTP`)];
}

function portV1(p: DPortV1, path: string): FieldError[] {
  const errs = exactlyOne(p, path, '`portNumber`, `namedPort` or `portRange`');
  if (p.portNumber) {
    const pp = child(path, 'portNumber');
    errs.push(...protocolName(p.portNumber.protocol, child(pp, 'protocol')), ...port(pp, p.portNumber.port, 'port'));
  }
  if (p.portRange) {
    const rp = child(path, 'portRange');
    errs.push(...protocolName(p.portRange.protocol, child(rp, 'protocol')), ...portRange(p.portRange, rp, false));
  }
  return errs;
}

function rule(r: DTierRule, path: string, dir: 'ingress' | 'egress', prof: Profile): FieldError[] {
  const errs: FieldError[] = [];
  if (r.name !== undefined && [...r.name].length > MAX_RULE_NAME) errs.push(tooLong(child(path, 'name'), MAX_RULE_NAME));
  const ap = child(path, 'action');
  if (r.action === undefined) errs.push(withHint(required(ap), `add \`action: ${prof.actions.join(' | ')}\``));
  else if (!prof.actions.includes(r.action)) errs.push(withHint(notSupported(ap, r.action, prof.actions), actionHint(r.action, prof)));
  const peersName = dir === 'ingress' ? 'from' : 'to';
  const peers = r[peersName];
  const pp = child(path, peersName);
  if (!peers) errs.push(withHint(required(pp), `a rule needs \`${peersName}\` with at least one peer; \`namespaces: {}\` matches every pod`));
  else {
    errs.push(...listBounds(pp, peers, 1, prof.maxItems));
    peers.forEach((p, i) => errs.push(...peer(p, index(pp, i), r.action)));
  }
  if (prof.version === 'v1alpha2' && r.protocols) {
    const tp = child(path, 'protocols');
    errs.push(...listBounds(tp, r.protocols, 1, MAX_PORTS_PER_RULE_V2));
    r.protocols.forEach((p, i) => errs.push(...protocolV2(p, index(tp, i))));
  }
  if (prof.version === 'v1alpha1' && r.ports) {
    const tp = child(path, 'ports');
    errs.push(...listBounds(tp, r.ports, 1, prof.maxItems));
    r.ports.forEach((p, i) => errs.push(...portV1(p, index(tp, i))));
  }
  if (dir === 'egress' && peers) {
    const named = prof.version === 'v1alpha2'
      ? (r.protocols ?? []).some((p) => p.destinationNamedPort !== undefined)
      : (r.ports ?? []).some((p) => p.namedPort !== undefined);
    const offending = peers.flatMap((p) => prof.namedPortRule.peers.filter((f) => p[f] !== undefined));
    if (named && offending.length > 0) {
      errs.push(withHint(cel(path, 'object', prof.namedPortRule.message),
        `a named port is resolved on the destination pod; \`${offending[0]}\` peers have none: use port numbers, or split the rule`));
    }
  }
  return errs;
}

function actionHint(a: string, prof: Profile): string | undefined {
  if (prof.version === 'v1alpha2' && a === 'Allow') return 'v1alpha2 renamed Allow to `Accept`';
  if (prof.version === 'v1alpha1' && a === 'Accept') return 'v1alpha1 says `Allow` (Accept is the v1alpha2 ClusterNetworkPolicy word)';
  if (!prof.actions.includes('Pass') && a === 'Pass') return 'the baseline is the last tier: there is nothing to pass to';
  const c = closest(a, prof.actions);
  return c ? `did you mean "${c}"?` : undefined;
}

function spec(kind: ClusterPolicyKind, s: DTierSpec | undefined, prof: Profile): FieldError[] {
  if (!s) return [required('spec')];
  const errs: FieldError[] = [];
  if (prof.tier) {
    if (s.tier === undefined) errs.push(withHint(required('spec.tier'), 'add `tier: Admin` (before NetworkPolicies) or `tier: Baseline` (after them)'));
    else if (s.tier !== 'Admin' && s.tier !== 'Baseline') {
      const c = closest(s.tier, ['Admin', 'Baseline']);
      errs.push(withHint(notSupported('spec.tier', s.tier, ['Admin', 'Baseline']), c ? `did you mean "${c}"?` : undefined));
    }
  }
  if (prof.priority) {
    const p = s.priority;
    if (p === undefined) errs.push(withHint(required('spec.priority'), 'add `priority: <0-1000>` (lower is evaluated first)'));
    else if (p < 0) errs.push(ge('spec.priority', p, 0));
    else if (p > 1000) errs.push(le('spec.priority', p, 1000));
  }
  errs.push(...subject(s.subject, 'spec.subject'));
  for (const dir of ['ingress', 'egress'] as const) {
    const rules = s[dir];
    if (!rules) continue;
    const dp = child('spec', dir);
    if (rules.length > prof.maxItems) {
      errs.push(withHint(tooMany(dp, rules.length, prof.maxItems), `a ${kind} holds at most ${prof.maxItems} ${dir} rules: split it into several policies`));
    }
    rules.forEach((r, i) => errs.push(...rule(r, index(dp, i), dir, prof)));
  }
  return errs;
}

/** Notes (infos) for experimental-channel fields (once per field name and object). */
function experimental(s: DTierSpec | undefined, prof: Profile): FieldError[] {
  const seen = new Map<string, string>();
  (s?.egress ?? []).forEach((r, i) => {
    const rp = `spec.egress[${i}]`;
    (r.to ?? []).forEach((p, j) => {
      for (const f of ['nodes', 'domainNames'] as const) if (p[f] !== undefined && !seen.has(f)) seen.set(f, `${rp}.to[${j}].${f}`);
    });
    if (prof.version === 'v1alpha1') {
      (r.ports ?? []).forEach((p, j) => { if (p.namedPort !== undefined && !seen.has('namedPort')) seen.set('namedPort', `${rp}.ports[${j}].namedPort`); });
    }
  });
  if (prof.version === 'v1alpha1') {
    (s?.ingress ?? []).forEach((r, i) => (r.ports ?? []).forEach((p, j) => {
      if (p.namedPort !== undefined && !seen.has('namedPort')) seen.set('namedPort', `spec.ingress[${i}].ports[${j}].namedPort`);
    }));
  }
  const bundle = prof.version === 'v1alpha2' ? 'v0.2.0' : 'v0.1.7';
  return [...seen].map(([f, path]) => ({
    type: 'Unknown field' as const, path, message: `\`${f}\` is an experimental-channel field`,
    hint: `it needs the experimental CRD of network-policy-api ${bundle}; the standard CRD refuses it (unknown field) or drops it`,
  }));
}

const OPENAPI_TYPE: Record<string, string> = { int32: 'integer', int64: 'integer', string: 'string', bool: 'boolean' };

/**
 * A custom resource is checked against its OpenAPI schema, not decoded into Go structs: the
 * decoder's `json: cannot unmarshal string into Go struct field ... of type int32` becomes the
 * apiextensions text `Invalid value: "string": spec.priority in body must be of type integer: "string"`.
 */
function crdTypeError(e: FieldError): FieldError {
  const m = /^json: cannot unmarshal (\w+)(?: \S+)? into Go struct field \S+ of type (\S+)$/.exec(e.message);
  if (e.type !== 'Type mismatch' || !m) return e;
  const got = m[1] === 'bool' ? 'boolean' : m[1]!;
  const want = OPENAPI_TYPE[m[2]!] ?? (m[2]!.startsWith('[]') ? 'array' : m[2] === 'map[string]string' ? 'object' : m[2]!.includes('.') ? (/\.(CIDR|DomainName|Protocol)$/.test(m[2]!) ? 'string' : 'object') : m[2]!);
  const path = e.key !== undefined ? `${e.path}.${e.key}` : e.path; // a label value: the map entry's path
  return { ...e, message: `Invalid value: "${got}": ${path} in body must be of type ${want}: "${got}"` };
}

/**
 * The result of checking one tier-policy document: every diagnostic, and the decoded value when
 * nothing is an error (what convert-tiers.ts reads).
 */
export interface TierCheck {
  diagnostics: Diagnostic[];
  decoded?: DTierPolicy;
}

export function checkTierPolicy(kind: ClusterPolicyKind, raw: unknown, origin: DocumentOrigin): TierCheck {
  const prof = PROFILES[kind];
  const toDiagnostic = (e: FieldError): Diagnostic => {
    const d = diagnostic(origin, e.severity ?? 'error', e.type, e.at ?? e.path, e.message,
      e.key !== undefined ? { hint: writtenHint(e, origin, raw), key: e.key } : { hint: writtenHint(e, origin, raw) });
    d.path = e.path;
    return d;
  };
  if (!isPlainObject(raw)) return { diagnostics: [diagnostic(origin, 'error', 'Type mismatch', '', `a ${kind} must be a mapping`)] };
  const decoded = decodeObject(TIER_SHAPES[kind]!, raw);
  if (decoded.errors.some((e) => e.type !== 'Unknown field' && e.severity !== 'warning')) return { diagnostics: decoded.errors.map(crdTypeError).map(toDiagnostic) };
  const value = decoded.value as unknown as DTierPolicy;
  const errs: FieldError[] = [
    ...validateObjectMeta(value.metadata, 'metadata', { validateName: nameIsDNSSubdomain, namespaced: false, example: kind === 'BaselineAdminNetworkPolicy' ? 'default' : 'deny-egress' }),
    ...validateOwnerReferences((value.metadata.ownerReferences ?? []) as DOwnerReference[], 'metadata.ownerReferences'),
  ];
  if (kind === 'BaselineAdminNetworkPolicy' && value.metadata.name !== 'default') {
    errs.push({ ...withHint(cel('', 'object', 'Only one baseline admin network policy with metadata.name="default" can be created in the cluster'),
      'the BaselineAdminNetworkPolicy is a singleton: name it `default` (and merge any others into it)'), at: 'metadata.name' });
  }
  errs.push(...spec(kind, value.spec, prof));
  // A dropped unknown field leaves its object short of properties: that is the same mistake.
  const lost = (e: FieldError): boolean => isFollowOn(e, decoded.unknownIn) ||
    (e.message.endsWith('in body should have at least 1 properties') && decoded.unknownIn.includes(e.path));
  const diagnostics = [...decoded.errors, ...errs.filter((e) => !lost(e))].map(toDiagnostic);
  for (const e of experimental(value.spec, prof)) diagnostics.push(diagnostic(origin, 'info', e.type, e.path, e.message, { hint: e.hint }));
  return diagnostics.some((d) => d.severity === 'error') ? { diagnostics } : { diagnostics, decoded: value };
}
