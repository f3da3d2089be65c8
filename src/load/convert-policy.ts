// A checked NetworkPolicy document -> model, applying the API server's defaulting
// (pkg/apis/networking/v1/defaults.go: SetDefaults_NetworkPolicy, SetDefaults_NetworkPolicyPort).
// Runs only on documents that passed checkNetworkPolicy, so shapes are trusted here.
import type { DocumentOrigin } from '../diagnostics/diagnostic.js';
import { child, index } from '../diagnostics/field-path.js';
import type { FieldShape, LabelSelector, NetworkPolicy, Peer, PolicyPort, Protocol, Rule, SelectorOperator } from '../model/types.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
// Go decodes a null string as "" (validation has already accepted these values).
const str = (v: unknown): string => (v == null ? '' : v instanceof Date ? v.toISOString().replace('T00:00:00.000Z', '') : String(v));

export function toSelector(v: unknown): LabelSelector {
  const o = obj(v);
  const matchLabels: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(o.matchLabels))) matchLabels[k] = str(val);
  const matchExpressions = list(o.matchExpressions).map((e) => {
    const r = obj(e);
    return { key: str(r.key), operator: str(r.operator) as SelectorOperator, values: list(r.values).map(str) };
  });
  return { matchLabels, matchExpressions };
}

function toPort(v: unknown, path: string): PolicyPort {
  const o = obj(v);
  // protocol absent or null -> TCP (an explicit "" would have failed validation).
  const protocol = (o.protocol ?? 'TCP') as Protocol;
  const port: PolicyPort = { protocol, path };
  if (o.port !== undefined && o.port !== null) Object.assign(port, { port: o.port as number | string });
  if (o.endPort !== undefined && o.endPort !== null) Object.assign(port, { endPort: o.endPort as number });
  return port;
}

function toPeer(v: unknown, path: string): Peer {
  const o = obj(v);
  const peer: { -readonly [K in keyof Peer]: Peer[K] } = { path };
  // Pointer fields: null is the same as absent.
  if (o.podSelector != null) peer.podSelector = toSelector(o.podSelector);
  if (o.namespaceSelector != null) peer.namespaceSelector = toSelector(o.namespaceSelector);
  if (o.ipBlock != null) {
    const b = obj(o.ipBlock);
    peer.ipBlock = { cidr: str(b.cidr), except: list(b.except).map(str) };
  }
  return peer;
}

/** How `o[key]` was written when it decodes to nothing: absent, null, or `[]`/`{}`. */
function shapeOf(o: Obj, key: string): FieldShape | undefined {
  if (!(key in o) || o[key] === undefined) return 'absent';
  const v = o[key];
  if (v === null) return 'null';
  if (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v as object).length === 0) return 'empty';
  return undefined;
}

function note(written: Record<string, FieldShape>, o: Obj, key: string, path: string, keep: readonly FieldShape[]): void {
  const s = shapeOf(o, key);
  if (s && keep.includes(s)) written[path] = s;
}

function toRules(v: unknown, path: string, peerField: 'from' | 'to', written: Record<string, FieldShape>): Rule[] {
  return list(v).map((r, i) => {
    const rp = index(path, i);
    const o = obj(r);
    note(written, o, peerField, child(rp, peerField), ['null', 'empty']);
    note(written, o, 'ports', child(rp, 'ports'), ['null', 'empty']);
    return {
      path: rp,
      peers: list(o[peerField]).map((p, j) => toPeer(p, index(child(rp, peerField), j))),
      ports: list(o.ports).map((p, j) => toPort(p, index(child(rp, 'ports'), j))),
    };
  });
}

export function toNetworkPolicy(raw: unknown, origin: DocumentOrigin | undefined, defaultNamespace: string): NetworkPolicy {
  const o = obj(raw);
  const meta = obj(o.metadata);
  const spec = obj(o.spec);
  const written: Record<string, FieldShape> = {};
  note(written, o, 'spec', 'spec', ['absent', 'null', 'empty']);
  note(written, spec, 'podSelector', 'spec.podSelector', ['absent', 'null']);
  for (const f of ['ingress', 'egress', 'policyTypes']) note(written, spec, f, `spec.${f}`, ['null', 'empty']);
  const ingress = toRules(spec.ingress, 'spec.ingress', 'from', written);
  const egress = toRules(spec.egress, 'spec.egress', 'to', written);
  const given = list(spec.policyTypes).map(String) as ('Ingress' | 'Egress')[];
  // Default only when empty or absent: Ingress, plus Egress when there is an egress rule.
  const policyTypesDefaulted = given.length === 0;
  const policyTypes: ('Ingress' | 'Egress')[] = policyTypesDefaulted
    ? egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']
    : given;
  const policy: NetworkPolicy = {
    kind: 'NetworkPolicy',
    name: String(meta.name ?? meta.generateName ?? ''),
    namespace: typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : defaultNamespace,
    podSelector: toSelector(spec.podSelector),
    policyTypes,
    policyTypesDefaulted,
    ingress,
    egress,
  };
  if (Object.keys(written).length) Object.assign(policy, { written });
  return origin ? { ...policy, origin } : policy;
}
