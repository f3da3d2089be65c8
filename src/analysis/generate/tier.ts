// `netpol generate --tier admin|baseline`: the expectations as ClusterNetworkPolicies
// (policy.networking.k8s.io/v1alpha2), proved with the Evaluator (the class engine does not model
// tiers) with the input's NetworkPolicies and tier policies in place.
//
// Admin (evaluated before every NetworkPolicy): a guardrail, not a closed world. Each deny is a
// Deny rule at the destination (ingress) or at the source (egress, to addresses); each allow is an
// Accept rule before the Denies, so it survives whatever the teams' NetworkPolicies say; an allow
// between pods also gets an Accept on the source's egress only where that egress would otherwise
// block it. Connections no assertion names are left to the NetworkPolicies (nothing else changes:
// proved by comparing every pair in scope with and without the generated set).
// Baseline (evaluated after NetworkPolicies, only for directions no NetworkPolicy isolates): the
// closed world of the NetworkPolicy generator: each pod that is the destination of an assertion
// accepts exactly the allowed sources then denies every pod; a pod that is the source of an
// assertion to an address accepts exactly its allowed destinations (plus DNS) then denies all.
//
// Subjects and peers come from the exact selector search (select.ts, build.ts); a Deny's
// whole-namespace peer is written as the complement (`kubernetes.io/metadata.name NotIn [...]`)
// when that is shorter, so a namespace created later is denied too. Limits of v1alpha2: at most
// 25 rules per direction, 25 peers and 25 protocols per rule (split otherwise); ingress peers are
// namespaces and pods only, so an address as a source cannot be expressed (refused).
import { Evaluator } from '../../evaluate/evaluate.js';
import { loadSources } from '../../load/load.js';
import { declaredProbes } from '../../matrix/ports.js';
import { selectorMatches } from '../../match/selector.js';
import { NAMESPACE_NAME_LABEL, PROTOCOLS, podId, type Cluster, type LabelSelector, type Pod, type Protocol } from '../../model/types.js';
import { formatIp, parseCidr } from '../../net/ip.js';
import type { Expectation } from '../assert/file.js';
import { runExpectations, type AssertionResult, type CheckedConnection } from '../assert/run.js';
import { DNS_SERVES, exactNamespaceSelectors, ipPeers, podPeers, portList, type GenRule } from './build.js';
import { commentedYaml } from './emit.js';
import { intentFromExpectations } from './from-expectations.js';
import { connKey, endName, type End, type Want } from './intent.js';
import { exactSelectors, selectorKey, selectorYaml } from './select.js';

export type TierChoice = 'admin' | 'baseline';

export interface TierOptions {
  tier: TierChoice;
  /** Baseline: Accept DNS egress (kube-system k8s-app=kube-dns, 53 UDP+TCP) before the deny-all. Default true. */
  dns?: boolean;
  header?: string;
}

export interface TierGenRule {
  name: string;
  action: 'Accept' | 'Deny';
  peers: Record<string, unknown>[];
  /** v1alpha2 `protocols`; empty = every port. */
  protocols: Record<string, unknown>[];
  serves: string[];
}

export interface TierGenPolicy {
  name: string;
  tier: 'Admin' | 'Baseline';
  priority: number;
  subject: Record<string, unknown>;
  ingress: TierGenRule[];
  egress: TierGenRule[];
  comment: string;
}

export interface TierExtra {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  /** `dns`: the DNS Accept; `networkpolicy`: opened by an input NetworkPolicy (Baseline sits below it); `unexpected`: refused. */
  reason: 'dns' | 'networkpolicy' | 'unexpected';
}

export interface TierProof {
  assertions: { passed: number; failed: number };
  failures: AssertionResult[];
  extra: TierExtra[];
  depends: CheckedConnection[];
  /** Diagnostics (any severity) loading the emitted YAML back: none expected. */
  loadDiagnostics: string[];
  /** Evaluator calls the proof made (bounded by MAX_EVALUATIONS). */
  evaluations: number;
}

export type TierResult =
  | { ok: true; policies: TierGenPolicy[]; manifests: Record<string, unknown>[]; yaml: string; proof: TierProof }
  | { ok: false; problems: { message: string; hint?: string; file?: string; line?: number }[]; proof?: TierProof };

/** Generated policies take priorities from here up (lower is first); one more per split part. */
export const TIER_BASE_PRIORITY = 100;
const MAX_ITEMS = 25;
/** The proof asks the Evaluator at most this many times; a larger input is refused, not sampled. */
export const MAX_EVALUATIONS = 2_000_000;
const WORLD = ['0.0.0.0/0', '::/0'];
const PROTO_KEY: Record<Protocol, string> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

interface Entry { pod?: Pod; net?: string; ports: Set<string>; serves: Set<string> }
type Side = Map<string, Entry>;
interface Profile { inAccept: Side; inDeny: Side; outAccept: Side; outDeny: Side; closedIn: boolean; closedOut: boolean }

const chunk = <T>(xs: readonly T[], n: number): T[][] => (xs.length ? Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n)) : []);
const sorted = <T>(xs: Iterable<T>, key: (x: T) => string) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

function add(side: Side, peer: End, w: Want): void {
  const k = peer.kind === 'pod' ? `pod:${podId(peer.pod)}` : `net:${endName(peer)}`;
  let e = side.get(k);
  if (!e) side.set(k, (e = peer.kind === 'pod' ? { pod: peer.pod, ports: new Set(), serves: new Set() } : { net: endName(peer), ports: new Set(), serves: new Set() }));
  e.ports.add(`${w.protocol}/${w.port}`);
  e.serves.add(w.serves);
}

const sideKey = (s: Side) => JSON.stringify(sorted(s, ([k]) => k).map(([k, e]) => [k, [...e.ports].sort()]));

function protocols(ports: GenRule['ports']): Record<string, unknown>[] {
  return ports.map((p) => ({ [PROTO_KEY[p.protocol]]: { destinationPort: p.endPort !== undefined ? { range: { start: p.port, end: p.endPort } } : { number: p.port } } }));
}

/** NetworkPolicy-shaped pod peers (build.ts) → tier peers; a Deny's whole namespaces may be written as the complement. */
function tierPeers(cluster: Cluster, pods: readonly Pod[], nets: readonly string[], action: 'Accept' | 'Deny'): Record<string, unknown>[] {
  const byNs = new Map<string, Pod[]>();
  for (const p of pods) byNs.set(p.namespace, [...(byNs.get(p.namespace) ?? []), p]);
  const whole = cluster.namespaces.filter((n) => {
    const there = cluster.pods.filter((p) => p.namespace === n.name);
    return there.length > 0 && there.length === (byNs.get(n.name)?.length ?? -1);
  });
  const wholeNames = new Set(whole.map((n) => n.name));
  const out: Record<string, unknown>[] = [];
  if (whole.length) {
    const rest = cluster.namespaces.filter((n) => !wholeNames.has(n.name)).map((n) => n.name).sort();
    if (action === 'Deny' && rest.length === 0) out.push({ namespaces: {} });
    else if (action === 'Deny' && rest.length <= whole.length) out.push({ namespaces: selectorYaml({ matchLabels: {}, matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: rest }] }) });
    else for (const s of exactNamespaceSelectors(cluster, whole)) out.push({ namespaces: selectorYaml(s) });
  }
  for (const np of podPeers(cluster, pods.filter((p) => !wholeNames.has(p.namespace)))) {
    out.push(np.podSelector ? { pods: { namespaceSelector: np.namespaceSelector, podSelector: np.podSelector } } : { namespaces: np.namespaceSelector });
  }
  for (const chunkOf of chunk(ipPeers(nets).map((p) => (p.ipBlock as { cidr: string }).cidr), MAX_ITEMS)) out.push({ networks: chunkOf });
  return out;
}

const classOf = (p: Pod) => `${p.namespace}\0${JSON.stringify(Object.entries(p.labels).sort())}`;

function rules(cluster: Cluster, side: Side, action: 'Accept' | 'Deny', leaks: [Pod, Pod][]): TierGenRule[] {
  const byPorts = new Map<string, { pods: Pod[]; nets: string[]; ports: Set<string>; serves: Set<string> }>();
  for (const e of side.values()) {
    const pk = [...e.ports].sort().join(',');
    let g = byPorts.get(pk);
    if (!g) byPorts.set(pk, (g = { pods: [], nets: [], ports: e.ports, serves: new Set() }));
    if (e.pod) g.pods.push(e.pod);
    else g.nets.push(e.net!);
    for (const s of e.serves) g.serves.add(s);
  }
  const out: TierGenRule[] = [];
  for (const [, g] of sorted(byPorts, ([k]) => k)) {
    // Selectors pick whole label classes: a class member the expectations leave out is a leak.
    const classes = new Map(g.pods.map((p) => [classOf(p), p]));
    for (const u of cluster.pods) if (classes.has(classOf(u)) && !g.pods.includes(u)) leaks.push([classes.get(classOf(u))!, u]);
    const peers = tierPeers(cluster, g.pods, g.nets, action);
    const protos = protocols(portList(g.ports));
    for (const ps of chunk(peers, MAX_ITEMS)) for (const pr of chunk(protos, MAX_ITEMS)) out.push({ name: '', action, peers: ps, protocols: pr, serves: sorted(g.serves, (s) => s) });
  }
  return out;
}

const DNS_PEER = { pods: { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } };

function nameOf(prefix: string, group: readonly Pod[], taken: Set<string>): string {
  const ns = [...new Set(group.map((p) => p.namespace))].sort();
  const wl = [...new Set(group.map((p) => p.workload?.name ?? p.name))].sort();
  const base = `${prefix}-${ns.length === 1 ? ns[0] : 'multi'}-${wl.length === 1 ? wl[0] : `${wl[0]}-and-${wl.length - 1}`}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').slice(0, 240).replace(/[-.]+$/, '');
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

/** Subjects picking exactly `group`: per exact pod selector, the namespaces it is exact in. */
function subjects(cluster: Cluster, group: readonly Pod[]): { subject: Record<string, unknown>; leaks: [Pod, Pod][] } [] {
  const byNs = new Map<string, Pod[]>();
  for (const p of group) byNs.set(p.namespace, [...(byNs.get(p.namespace) ?? []), p]);
  const bySel = new Map<string, { s: LabelSelector; ns: string[]; leaks: [Pod, Pod][] }>();
  for (const [ns, target] of sorted(byNs, ([k]) => k)) {
    const universe = cluster.pods.filter((p) => p.namespace === ns);
    for (const s of exactSelectors(universe, target)) {
      const e = bySel.get(selectorKey(s)) ?? { s, ns: [], leaks: [] };
      e.ns.push(ns);
      // A selector the labels cannot make exact picks a pod outside the group: name the pair.
      for (const u of universe) if (!target.includes(u) && selectorMatches(s, u.labels)) e.leaks.push([target.find((t) => classOf(t) === classOf(u)) ?? target.find((t) => selectorMatches(s, t.labels)) ?? target[0]!, u]);
      bySel.set(selectorKey(s), e);
    }
  }
  const out: { subject: Record<string, unknown>; leaks: [Pod, Pod][] }[] = [];
  for (const { s, ns, leaks } of sorted(bySel.values(), (e) => selectorKey(e.s))) {
    for (const nsSel of exactNamespaceSelectors(cluster, cluster.namespaces.filter((n) => ns.includes(n.name)))) {
      const empty = !Object.keys(s.matchLabels).length && !s.matchExpressions.length;
      out.push({ subject: empty ? { namespaces: selectorYaml(nsSel) } : { pods: { namespaceSelector: selectorYaml(nsSel), podSelector: selectorYaml(s) } }, leaks });
    }
  }
  return out;
}

function build(cluster: Cluster, profiles: Map<Pod, Profile>, tier: 'Admin' | 'Baseline', dns: boolean): { policies: TierGenPolicy[]; leaks: [Pod, Pod][] } {
  const groups = new Map<string, Pod[]>();
  for (const [pod, pr] of profiles) {
    const k = JSON.stringify([sideKey(pr.inAccept), sideKey(pr.inDeny), sideKey(pr.outAccept), sideKey(pr.outDeny), pr.closedIn, pr.closedOut]);
    groups.set(k, [...(groups.get(k) ?? []), pod]);
  }
  const policies: TierGenPolicy[] = [];
  const leaks: [Pod, Pod][] = [];
  const taken = new Set<string>();
  for (const [, group] of sorted(groups, ([, g]) => podId(g[0]!))) {
    const pr = profiles.get(group[0]!)!;
    const ingress = [...rules(cluster, pr.inAccept, 'Accept', leaks), ...rules(cluster, pr.inDeny, 'Deny', leaks)];
    if (pr.closedIn) ingress.push({ name: '', action: 'Deny', peers: [{ namespaces: {} }], protocols: [], serves: ['closed world: every other pod is denied'] });
    const egress = [...rules(cluster, pr.outAccept, 'Accept', leaks)];
    if (pr.closedOut && dns) egress.push({ name: '', action: 'Accept', peers: [DNS_PEER], protocols: protocols([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]), serves: [DNS_SERVES] });
    egress.push(...rules(cluster, pr.outDeny, 'Deny', leaks));
    if (pr.closedOut) egress.push({ name: '', action: 'Deny', peers: [{ namespaces: {} }, { networks: WORLD }], protocols: [], serves: ['closed world: every other destination is denied'] });
    for (const list of [ingress, egress]) list.forEach((r, i) => (r.name = `${r.action.toLowerCase()}-${i + 1}`));
    const inParts = chunk(ingress, MAX_ITEMS);
    const outParts = chunk(egress, MAX_ITEMS);
    const parts = Math.max(inParts.length, outParts.length);
    const workloads = sorted(new Set(group.map((p) => `${p.namespace}/${p.workload?.name ?? p.name}`)), (s) => s);
    for (const { subject, leaks: l } of subjects(cluster, group)) {
      leaks.push(...l);
      const name = nameOf(tier.toLowerCase(), group, taken);
      for (let i = 0; i < parts; i++) {
        policies.push({
          name: parts > 1 ? `${name}-part-${i + 1}` : name, tier, priority: TIER_BASE_PRIORITY + i, subject,
          ingress: inParts[i] ?? [], egress: outParts[i] ?? [],
          comment: `${tier} tier for ${workloads.slice(0, 5).join(', ')}${workloads.length > 5 ? ', …' : ''}${parts > 1 ? ` (part ${i + 1} of ${parts}: rule order kept by priority)` : ''}`,
        });
      }
    }
  }
  return { policies, leaks };
}

export function tierManifest(p: TierGenPolicy): Record<string, unknown> {
  const rule = (field: 'from' | 'to') => (r: TierGenRule) => ({ name: r.name, action: r.action, [field]: r.peers, ...(r.protocols.length ? { protocols: r.protocols } : {}) });
  const spec: Record<string, unknown> = { tier: p.tier, priority: p.priority, subject: p.subject };
  if (p.ingress.length) spec.ingress = p.ingress.map(rule('from'));
  if (p.egress.length) spec.egress = p.egress.map(rule('to'));
  return { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: p.name }, spec };
}

export function tierPolicyYaml(p: TierGenPolicy, header?: string): string {
  return commentedYaml(tierManifest(p), p, header);
}

export function tierPoliciesYaml(policies: readonly TierGenPolicy[], header?: string): string {
  return policies.map((p, i) => tierPolicyYaml(p, i === 0 ? header : undefined)).join('---\n');
}

function loadBack(cluster: Cluster, yaml: string): { combined: Cluster; diagnostics: string[] } {
  const loaded = loadSources([{ file: 'generated.yaml', text: yaml }]);
  const combined: Cluster = { ...cluster, clusterPolicies: [...(cluster.clusterPolicies ?? []), ...(loaded.cluster.clusterPolicies ?? [])] };
  return { combined, diagnostics: loaded.diagnostics.map((d) => `${d.severity} ${d.path}: ${d.message}`) };
}

export function generateTier(cluster: Cluster, expectations: readonly Expectation[], options: TierOptions): TierResult {
  const tier = options.tier === 'admin' ? 'Admin' : 'Baseline';
  const dns = options.dns ?? true;
  const { intent, errors } = intentFromExpectations(cluster, expectations);
  if (errors.length) return { ok: false, problems: errors };
  const problems: Extract<TierResult, { ok: false }>['problems'] = [];
  for (const w of [...intent.allows, ...intent.denies]) {
    if (w.from.kind !== 'pod' && w.to.kind === 'pod') problems.push({ message: `${w.serves}: an address as the source cannot be written in a ClusterNetworkPolicy (v1alpha2 ingress peers are namespaces and pods); generate NetworkPolicies for it (without --tier)` });
  }
  if (problems.length) return { ok: false, problems: [...new Map(problems.map((p) => [p.message, p])).values()] };
  const profiles = new Map<Pod, Profile>();
  const prof = (p: Pod) => {
    let x = profiles.get(p);
    if (!x) profiles.set(p, (x = { inAccept: new Map(), inDeny: new Map(), outAccept: new Map(), outDeny: new Map(), closedIn: false, closedOut: false }));
    return x;
  };
  for (const w of intent.allows) {
    if (w.to.kind === 'pod') add(prof(w.to.pod).inAccept, w.from, w);
    else if (w.from.kind === 'pod') add(prof(w.from.pod).outAccept, w.to, w);
    // Baseline closed world: an egress-governed pod's pod destinations are accepted too.
    if (tier === 'Baseline' && w.to.kind === 'pod' && w.from.kind === 'pod' && intent.egress.has(w.from.pod)) add(prof(w.from.pod).outAccept, w.to, w);
  }
  if (tier === 'Admin') {
    for (const w of intent.denies) {
      if (w.to.kind === 'pod') add(prof(w.to.pod).inDeny, w.from, w);
      else if (w.from.kind === 'pod') add(prof(w.from.pod).outDeny, w.to, w);
    }
  } else {
    for (const p of intent.ingress) prof(p).closedIn = true;
    for (const p of intent.egress) prof(p).closedOut = true;
  }
  let built = build(cluster, profiles, tier, dns);
  if (tier === 'Admin') {
    // An Accept at the destination does not open the source's egress: where the source's own
    // policies would block an allowed connection, accept it there too (one more build).
    const ev = new Evaluator(loadBack(cluster, tierPoliciesYaml(built.policies)).combined, { ipBlockPods: 'match' });
    let more = false;
    for (const w of intent.allows) {
      if (w.from.kind !== 'pod' || w.to.kind !== 'pod') continue;
      const v = ev.evaluate({ from: { kind: 'pod', pod: w.from.pod }, to: { kind: 'pod', pod: w.to.pod }, port: w.port, protocol: w.protocol });
      if (v.egress.allowed !== true) (add(prof(w.from.pod).outAccept, w.to, w), (more = true));
    }
    if (more) built = build(cluster, profiles, tier, dns);
  }
  for (const [a, b] of built.leaks) {
    problems.push({ message: `${podId(a)} and ${podId(b)} have the same labels but the expectations treat them differently: no selector can pick one without the other`, hint: `add a label to one workload's pod template, or assert on both` });
  }
  if (problems.length) return { ok: false, problems: [...new Map(problems.map((p) => [p.message, p])).values()] };
  const yaml = built.policies.length ? tierPoliciesYaml(built.policies, options.header) : '';
  const proof = proveTier(cluster, yaml, intent.allows, intent.denies, expectations, tier, profiles);
  for (const d of proof.loadDiagnostics) problems.push({ message: `internal: the generated YAML does not load back cleanly: ${d}` });
  for (const f of proof.failures) {
    const c = f.failures[0];
    problems.push({ message: `the generated set with the input's policies fails ${f.assertion}${f.error ? `: ${f.error}` : c ? ` (${c.from} -> ${c.to}:${c.port}/${c.protocol} is ${c.verdict})` : ''}`, file: f.file, line: f.line, ...(tier === 'Baseline' ? { hint: 'Baseline sits below NetworkPolicies: a NetworkPolicy of the input that isolates this pod decides; use --tier admin to override it' } : {}) });
  }
  for (const x of proof.extra.filter((x) => x.reason === 'unexpected')) problems.push({ message: `internal: the generated set changes ${x.from} -> ${x.to}:${x.port}/${x.protocol}, which nothing asks for` });
  if (proof.evaluations > MAX_EVALUATIONS) problems.push({ message: `the proof needs more than ${MAX_EVALUATIONS} Evaluator calls; narrow the input (fewer pods or namespaces)` });
  if (problems.length) return { ok: false, problems, proof };
  return { ok: true, policies: built.policies, manifests: built.policies.map(tierManifest), yaml, proof };
}

const isDns = (p: Pod) => p.namespace === 'kube-system' && p.labels['k8s-app'] === 'kube-dns';

/**
 * Exact and bounded: every source × subject pod pair (and every named or neighbouring address)
 * on every declared, asked, next-after-asked and edge port, through the Evaluator, twice (with and
 * without the generated set): O(pods × subject pods × ports) calls, refused above MAX_EVALUATIONS.
 */
function proveTier(cluster: Cluster, yaml: string, allows: readonly Want[], denies: readonly Want[], expectations: readonly Expectation[], tier: 'Admin' | 'Baseline', profiles: Map<Pod, Profile>): TierProof {
  const { combined, diagnostics } = loadBack(cluster, yaml);
  const report = runExpectations(combined, expectations, { ipBlockPods: 'match' });
  const named = new Set([...allows, ...denies].map((w) => connKey(w.from, w.to, w.port, w.protocol)));
  const wanted = new Set(allows.map((w) => connKey(w.from, w.to, w.port, w.protocol)));
  const probes = new Map<string, { port: number; protocol: Protocol }>();
  const asked = [...declaredProbes(cluster).map((p) => ({ port: p.port as number, protocol: p.protocol })), ...allows, ...denies];
  for (const p of [...asked, ...asked.map((a) => ({ port: a.port + 1, protocol: a.protocol })).filter((a) => a.port <= 65535), ...PROTOCOLS.flatMap((protocol) => [{ port: 1, protocol }, { port: 53, protocol }])]) probes.set(`${p.port}/${p.protocol}`, { port: p.port, protocol: p.protocol });
  const ips = new Set<string>();
  for (const w of [...allows, ...denies]) {
    for (const e of [w.from, w.to]) {
      if (e.kind === 'ip') ips.add(e.ip);
      else if (e.kind === 'cidr') {
        const r = parseCidr(e.cidr)!;
        const max = r.family === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n;
        for (const v of [r.first, r.last, r.first - 1n, r.last + 1n]) if (v >= 0n && v <= max) ips.add(formatIp({ family: r.family, value: v }));
      }
    }
  }
  const after = new Evaluator(combined, { ipBlockPods: 'match' });
  const before = new Evaluator(cluster, { ipBlockPods: 'match' });
  const extra: TierExtra[] = [];
  let evaluations = 0;
  const check = (from: End, to: End, port: number, protocol: Protocol) => {
    const key = connKey(from, to, port, protocol);
    const c = { from: from.kind === 'pod' ? { kind: 'pod' as const, pod: from.pod } : { kind: 'ip' as const, ip: endName(from) }, to: to.kind === 'pod' ? { kind: 'pod' as const, pod: to.pod } : { kind: 'ip' as const, ip: endName(to) }, port, protocol };
    evaluations += 2;
    const now = after.allowed(c);
    if (tier === 'Admin') {
      // Nothing but the named connections may change.
      if (!named.has(key) && now !== before.allowed(c)) extra.push({ from: endName(from), to: endName(to), port, protocol, reason: 'unexpected' });
      return;
    }
    if (!now || wanted.has(key)) return;
    const v = before.evaluate(c);
    const np = (to.kind === 'pod' && profiles.get(to.pod)?.closedIn && v.ingress.isolated) || (from.kind === 'pod' && profiles.get(from.pod)?.closedOut && v.egress.isolated);
    const dns = port === 53 && to.kind === 'pod' && isDns(to.pod);
    extra.push({ from: endName(from), to: endName(to), port, protocol, reason: np ? 'networkpolicy' : dns ? 'dns' : 'unexpected' });
  };
  const subjects = [...profiles.keys()];
  const budget = (cluster.pods.length + ips.size) * subjects.length * probes.size * 2 * 2;
  if (budget > MAX_EVALUATIONS) return { assertions: { passed: report.passed, failed: report.failed }, failures: report.results.filter((r) => !r.ok), extra, depends: report.results.flatMap((r) => r.depends), loadDiagnostics: diagnostics, evaluations: budget };
  for (const s of subjects) {
    const pr = profiles.get(s)!;
    const inScope = tier === 'Admin' ? pr.inAccept.size + pr.inDeny.size > 0 : pr.closedIn;
    const outScope = tier === 'Admin' ? pr.outAccept.size + pr.outDeny.size > 0 : pr.closedOut;
    for (const { port, protocol } of probes.values()) {
      for (const o of cluster.pods) {
        if (o === s) continue;
        if (inScope) check({ kind: 'pod', pod: o }, { kind: 'pod', pod: s }, port, protocol);
        if (outScope) check({ kind: 'pod', pod: s }, { kind: 'pod', pod: o }, port, protocol);
      }
      if (outScope) for (const ip of ips) check({ kind: 'pod', pod: s }, { kind: 'ip', ip }, port, protocol);
    }
  }
  return { assertions: { passed: report.passed, failed: report.failed }, failures: report.results.filter((r) => !r.ok), extra, depends: report.results.flatMap((r) => r.depends), loadDiagnostics: diagnostics, evaluations };
}
