// `netpol generate --from-policies`: rewrite a policy set into a smaller equivalent one. Only
// rewrites that keep the meaning for every pod, present or future, are applied:
//   1. rules of a direction the policy's policyTypes leave out are dropped (the API ignores them);
//   2. policies of one namespace with the same podSelector become one (types and rules united);
//   3. per direction, rules with the same ports share one rule (peers united) and rules with the
//      same peers share one rule (ports united), until nothing changes; duplicate peers and ports
//      go, a rule contained in another (its peers and ports all in the other's) goes, numeric
//      ports of a protocol that touch become one range;
//   4. a policy direction with no rules that a `podSelector: {}` policy of the namespace already
//      isolates is dropped (and the policy, when nothing is left).
// The result is proved with the semantic diff (`netpol diff --equivalent`: every pod and
// namespace of the input plus hypothetical ones from the selectors' labels, every ipBlock region,
// every port region); a set that is not equivalent is never printed.
import { compareSemantics } from '../diff/semantic.js';
import { loadSources } from '../../load/load.js';
import { policyId, type Cluster, type LabelSelector, type NetworkPolicy, type Peer, type PolicyPort, type Protocol, type Rule } from '../../model/types.js';
import type { GenPolicy, GenRule } from './build.js';
import { policiesYaml, policyManifest } from './emit.js';
import type { GenerateResult } from './index.js';
import { selectorYaml } from './select.js';

type Dir = 'ingress' | 'egress';
const DIRS: Dir[] = ['ingress', 'egress'];
const TYPE: Record<Dir, 'Ingress' | 'Egress'> = { ingress: 'Ingress', egress: 'Egress' };
const PROTO_ORDER: Record<Protocol, number> = { TCP: 0, UDP: 1, SCTP: 2 };

interface WRule {
  /** undefined: every peer. */
  peers: Map<string, Record<string, unknown>> | undefined;
  /** undefined: every port. */
  ports: PolicyPort[] | undefined;
  serves: string[];
}

function canonicalSelector(s: LabelSelector): Record<string, unknown> {
  return selectorYaml({
    matchLabels: Object.fromEntries(Object.entries(s.matchLabels).sort(([a], [b]) => (a < b ? -1 : 1))),
    matchExpressions: [...s.matchExpressions].map((e) => ({ ...e, values: [...new Set(e.values)].sort() })).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  });
}

function peerYaml(p: Peer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (p.podSelector) out.podSelector = canonicalSelector(p.podSelector);
  if (p.namespaceSelector) out.namespaceSelector = canonicalSelector(p.namespaceSelector);
  if (p.ipBlock) out.ipBlock = p.ipBlock.except.length ? { cidr: p.ipBlock.cidr, except: [...p.ipBlock.except].sort() } : { cidr: p.ipBlock.cidr };
  return out;
}

/** Ports of one rule, deduplicated; numeric ranges that touch merged; a whole protocol absorbs the rest. */
function normalizePorts(ports: readonly PolicyPort[]): PolicyPort[] {
  const out: PolicyPort[] = [];
  for (const proto of (['TCP', 'UDP', 'SCTP'] as Protocol[])) {
    const mine = ports.filter((p) => p.protocol === proto);
    if (!mine.length) continue;
    if (mine.some((p) => p.port === undefined)) {
      out.push({ protocol: proto, path: '' });
      continue;
    }
    const ranges = mine.filter((p) => typeof p.port === 'number').map((p) => [p.port as number, p.endPort ?? (p.port as number)] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const merged: [number, number][] = [];
    for (const r of ranges) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
      else merged.push([...r]);
    }
    for (const [a, b] of merged) out.push(b > a ? { protocol: proto, port: a, endPort: b, path: '' } : { protocol: proto, port: a, path: '' });
    for (const name of [...new Set(mine.filter((p) => typeof p.port === 'string').map((p) => p.port as string))].sort()) out.push({ protocol: proto, port: name, path: '' });
  }
  return out;
}

const portsKey = (ps: PolicyPort[] | undefined) => (ps ? JSON.stringify(ps.map((p) => [p.protocol, p.port, p.endPort])) : '*');
const peersKey = (ps: WRule['peers']) => (ps ? JSON.stringify([...ps.keys()].sort()) : '*');

function portCovered(p: PolicyPort, by: readonly PolicyPort[]): boolean {
  return by.some((b) => b.protocol === p.protocol && (b.port === undefined
    || (typeof p.port === 'string' && b.port === p.port)
    || (typeof p.port === 'number' && typeof b.port === 'number' && b.port <= p.port && (p.endPort ?? p.port) <= (b.endPort ?? b.port))));
}

function contained(a: WRule, b: WRule): boolean {
  const peersIn = b.peers === undefined || (a.peers !== undefined && [...a.peers.keys()].every((k) => b.peers!.has(k)));
  const portsIn = b.ports === undefined || (a.ports !== undefined && a.ports.every((p) => portCovered(p, b.ports!)));
  return peersIn && portsIn;
}

function mergeRules(input: WRule[]): WRule[] {
  let rules = input.map((r) => ({ ...r, ports: r.ports && normalizePorts(r.ports) }));
  for (let changed = true; changed;) {
    changed = false;
    for (const by of ['ports', 'peers'] as const) {
      const groups = new Map<string, WRule[]>();
      for (const r of rules) {
        const k = by === 'ports' ? portsKey(r.ports) : peersKey(r.peers);
        groups.set(k, [...(groups.get(k) ?? []), r]);
      }
      if (groups.size === rules.length) continue;
      changed = true;
      rules = [...groups.values()].map((g) => g.reduce((a, b) => ({
        peers: by === 'peers' ? a.peers : a.peers === undefined || b.peers === undefined ? undefined : new Map([...a.peers, ...b.peers]),
        ports: by === 'ports' ? a.ports : a.ports === undefined || b.ports === undefined ? undefined : normalizePorts([...a.ports, ...b.ports]),
        serves: [...a.serves, ...b.serves],
      })));
    }
    const kept = rules.filter((r, i) => !rules.some((o, j) => j !== i && contained(r, o) && (!contained(o, r) || j < i)));
    if (kept.length !== rules.length) {
      // Drop the contained rules; what they served is now served by the rules that contain them.
      const dropped = rules.filter((r) => !kept.includes(r));
      for (const d of dropped) kept.find((o) => contained(d, o))!.serves.push(...d.serves);
      rules = kept;
      changed = true;
    }
  }
  return rules;
}

function toGenRule(r: WRule): GenRule {
  const peers = r.peers ? [...r.peers.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v) : [];
  const ports = (r.ports ?? []).map((p) => ({ protocol: p.protocol, ...(p.port !== undefined ? { port: p.port } : {}), ...(p.endPort !== undefined ? { endPort: p.endPort } : {}) }))
    .sort((a, b) => PROTO_ORDER[a.protocol] - PROTO_ORDER[b.protocol]);
  return { peers, ports, serves: [...new Set(r.serves)] };
}

const wrule = (p: NetworkPolicy, r: Rule): WRule => ({
  peers: r.peers.length ? new Map(r.peers.map((peer) => { const y = peerYaml(peer); return [JSON.stringify(y), y]; })) : undefined,
  ports: r.ports.length ? [...r.ports] : undefined,
  serves: [`${p.namespace}/${p.name} ${r.path}`],
});

export function refactorPolicies(cluster: Cluster): GenerateResult {
  const groups = new Map<string, NetworkPolicy[]>();
  for (const p of [...cluster.policies].sort((a, b) => (policyId(a) < policyId(b) ? -1 : 1))) {
    const k = `${p.namespace}\0${JSON.stringify(canonicalSelector(p.podSelector))}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  let policies: GenPolicy[] = [...groups.values()].map((ps) => {
    const first = ps[0]!;
    const types = DIRS.filter((d) => ps.some((p) => p.policyTypes.includes(TYPE[d])));
    const rules = (d: Dir) => mergeRules(ps.filter((p) => p.policyTypes.includes(TYPE[d])).flatMap((p) => p[d].map((r) => wrule(p, r)))).map(toGenRule);
    return {
      name: first.name, namespace: first.namespace, podSelector: first.podSelector,
      policyTypes: types.map((d) => TYPE[d]), ingress: types.includes('ingress') ? rules('ingress') : [], egress: types.includes('egress') ? rules('egress') : [],
      comment: ps.length > 1 ? `merged from ${ps.map((p) => p.name).join(', ')}` : `from ${first.name}`,
    };
  });
  // An isolation-only direction that a namespace-wide policy already isolates adds nothing.
  const isAll = (s: LabelSelector) => !Object.keys(s.matchLabels).length && !s.matchExpressions.length;
  policies = policies.map((p) => {
    if (isAll(p.podSelector)) return p;
    const wide = policies.find((q) => q.namespace === p.namespace && isAll(q.podSelector));
    if (!wide) return p;
    const types = p.policyTypes.filter((t) => !(wide.policyTypes.includes(t) && (t === 'Ingress' ? p.ingress : p.egress).length === 0));
    return { ...p, policyTypes: types };
  }).filter((p) => p.policyTypes.length > 0);
  policies.sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : 1));
  const yaml = policies.length ? policiesYaml(policies, `rewritten by netpol generate --from-policies (${cluster.policies.length} policies in)`) : '';
  const loaded = loadSources([{ file: 'generated.yaml', text: yaml }]);
  const loadErrors = loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.path}: ${d.message}`);
  const after: Cluster = { ...cluster, policies: loaded.cluster.policies };
  const sem = compareSemantics(cluster, after);
  const proof = { assertions: { passed: sem.equivalent ? 1 : 0, failed: sem.equivalent ? 0 : 1 }, failures: [], extra: [], depends: [], loadErrors, policies: loaded.cluster.policies, checked: sem.counts.checked };
  if (loadErrors.length || !sem.equivalent) {
    const ex = [...sem.onlyAfter, ...sem.onlyBefore][0];
    return { ok: false, problems: [...loadErrors.map((e) => ({ message: `internal: the rewritten YAML does not load back: ${e}` })), ...(sem.equivalent ? [] : [{ message: `internal: the rewritten set is not equivalent${ex ? ` (e.g. ${ex.from} -> ${ex.to}:${ex.port}/${ex.protocol})` : ''}` }])], proof };
  }
  return { ok: true, policies, manifests: policies.map(policyManifest), yaml, proof };
}
