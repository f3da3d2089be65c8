// The page's engine calls, free of DOM so they run in the worker, in the main thread as a
// fallback, and in Node tests. The first answer is the workload-level connectivity list (as
// `netpol list` computes it: exact port ranges per pair, pods of one owner together), which the
// graph levels, the workload matrix and the diff all read; slower answers (the `depends` ranges,
// a namespace's pod matrix, a workload's pods) are separate calls made when needed.
import {
  Evaluator, computeMatrix, declaredProbes, graphInput, lintCluster, listConnections, listDepends, loadSources, matchPeer, normalize, parseEndFilter, parseProbe,
  renderVerdictText, resolveEndpoint, resolveProbePort,
  backingOf, endpointName, evaluateService, parseServiceRef, renderServiceVerdictText, resolveServiceTarget, SERVICE_AS_SOURCE,
  type ServiceVerdict, type Cluster, type Diagnostic, type EndFilter, type GraphInput, type Matrix, type Probe, type Source, type Verdict,
} from '../index.js';
import { parseYamlText } from '../load/parse-yaml.js';
import { Reachability } from '../matrix/engine.js';
import type { ConnectionList } from '../analysis/list/list.js';
import { patchEngine } from './engine-patch.js';
import { PieceCache } from './parse-cache.js';

export const IPBLOCK_PODS = 'match' as const;

export interface EndInfo {
  /** Pods of this end isolated for ingress / egress by some policy. */
  isolatedIngress: boolean;
  isolatedEgress: boolean;
  labels: Record<string, string>;
}

export interface PolicyInfo {
  id: string; // ns/name
  namespace: string;
  name: string;
  file?: string;
  line?: number;
  document?: number;
  policyTypes: string[];
}

/** A policy as a layer: what it isolates and what its rules admit (indexes into graph.ends). */
export interface PolicyLayer {
  /** Ends whose pods the policy selects: it isolates them. */
  subjects: number[];
  /** Ends a rule's peer admits: ingress sources, egress destinations. */
  ingressPeers: number[];
  egressPeers: number[];
}

export interface ServiceInfo {
  id: string;
  /** Ends backing the Service (its selector's pods). */
  ends: number[];
}

export interface Analysis {
  diagnostics: Diagnostic[];
  rejectedPolicies: number;
  namespaces: string[];
  pods: number;
  policies: PolicyInfo[];
  services: ServiceInfo[];
  /** The workload-level list; `depends` is filled by a later `depends()` call. */
  graph: GraphInput;
  ends: EndInfo[];
  probes: Probe[];
  ms: number;
  /** Why the workload list (graph, matrix, changes) could not be computed, e.g. tier policies before the class engine reads them; queries still work. */
  unsupported?: string;
}

let last: { cluster: Cluster; graph: GraphInput; list?: ConnectionList; invalid: boolean; unsupported?: string } | undefined;

// The class engine of the last analysis and the cluster it holds: an edit patches it with what
// changed (engine-patch.ts) instead of building a new one, and the workload list is read from it.
let kept: { engine: Reachability; cluster: Cluster } | undefined;
let engineLog: string[] = [];

/** How each analysis since the last `forget` got its class engine: 'patched' or 'fresh: <why>' (tests). */
export function engineHistory(): readonly string[] {
  return engineLog;
}

/** The kept engine patched to `cluster`, or a fresh one (then kept) when the edit cannot be patched. */
function classEngine(cluster: Cluster): { engine: Reachability; patched: boolean } {
  const k = kept;
  kept = undefined; // a patch that throws half-way must not leave a half-patched engine behind
  const why = k ? patchEngine(k.engine, k.cluster, cluster) : 'nothing kept';
  if (k && why === undefined) {
    kept = { engine: k.engine, cluster };
    engineLog.push('patched');
    if (engineLog.length > 200) engineLog.splice(0, 100);
    return { engine: k.engine, patched: true };
  }
  return { engine: freshEngine(cluster, why!), patched: false };
}

/**
 * Does the list split a workload otherwise than a fresh engine would? Each part lies inside one
 * fresh class (the patched classes are finer), so the splits agree when the counts do.
 */
function staleSplit(list: ConnectionList, fresh: Reachability): boolean {
  const parts = new Map<string, { parts: number; classes: Set<number> }>();
  for (const e of list.ends) {
    if (e.kind !== 'workload' || typeof e.id !== 'string' || !/#\d+$/.test(e.id)) continue;
    const base = e.id.replace(/#\d+$/, '');
    let w = parts.get(base);
    if (!w) parts.set(base, (w = { parts: 0, classes: new Set() }));
    w.parts++;
    for (const p of e.pods) w.classes.add(fresh.classOfPod(p.namespace, p.name)!);
  }
  return [...parts.values()].some((w) => w.classes.size !== w.parts);
}

function freshEngine(cluster: Cluster, why: string): Reachability {
  const engine = new Reachability(cluster, { ipBlockPods: IPBLOCK_PODS });
  kept = { engine, cluster };
  engineLog.push(`fresh: ${why}`);
  if (engineLog.length > 200) engineLog.splice(0, 100);
  return engine;
}

/** The policy as a layer (asked when the user selects it: matching every rule against every pod is not free). */
export function layer(policyId: string): PolicyLayer | { error: string } {
  if (!last) return { error: 'nothing loaded yet' };
  const { cluster, graph } = last;
  const pol = cluster.policies.find((p) => `${p.namespace}/${p.name}` === policyId);
  if (!pol) return { error: `no policy ${policyId}` };
  const endOf = new Map<string, number>();
  graph.ends.forEach((e, i) => { for (const p of e.pods) endOf.set(p, i); });
  const nsByName = new Map(cluster.namespaces.map((n) => [n.name, n]));
  const ev = new Evaluator(cluster);
  const subjects = new Set<number>();
  const peersOf = (rules: typeof pol.ingress) => {
    const out = new Set<number>();
    for (const pod of cluster.pods) {
      const end = endOf.get(`${pod.namespace}/${pod.name}`);
      const namespace = nsByName.get(pod.namespace);
      if (end === undefined || !namespace || out.has(end)) continue;
      // A rule with no peers admits everyone; otherwise one of its peers must match the pod.
      if (rules.some((r) => r.peers.length === 0 || r.peers.some((peer) => matchPeer(peer, { kind: 'pod', pod, namespace }, pol.namespace, IPBLOCK_PODS).match === true))) out.add(end);
    }
    return [...out];
  };
  for (const pod of cluster.pods) {
    const end = endOf.get(`${pod.namespace}/${pod.name}`);
    if (end !== undefined && (['ingress', 'egress'] as const).some((d) => ev.isolatingPolicies(pod, d).includes(pol))) subjects.add(end);
  }
  return {
    subjects: [...subjects],
    ingressPeers: pol.policyTypes.includes('Ingress') ? peersOf(pol.ingress) : [],
    egressPeers: pol.policyTypes.includes('Egress') ? peersOf(pol.egress) : [],
  };
}

/** Lint findings (slower: asked after the first picture); none while the input has errors. */
export function lint(): Diagnostic[] {
  if (!last || last.invalid || last.unsupported) return [];
  return lintCluster(last.cluster);
}

// The worker keeps the files it last analysed (in the page's order), so an edit sends only the
// changed file's text, and an edit that changes nothing the engine reads answers from the cache.
// `version` names the set, so an edit against a set the engine does not hold (a call that failed
// in the worker and ran in the page instead) is refused rather than applied to the wrong files.
let held: { version: number; files: Map<string, string>; analysis: Analysis } | undefined;

/**
 * An edit: files changed or added (a new file goes last, as in the page), files removed. Gives
 * the same analysis as `analyze` of the whole new set; `{ stale: true }` when nothing was
 * analysed yet, so the page sends everything.
 */
export function update(version: number, base: number, changed: readonly Source[], removed: readonly string[]): Analysis | { stale: true } {
  if (!held || held.version !== base) return { stale: true };
  const files = new Map(held.files);
  for (const f of removed) files.delete(f);
  let same = removed.every((f) => !held!.files.has(f));
  for (const c of changed) {
    if (files.get(c.file) !== c.text) same = false;
    files.set(c.file, c.text);
  }
  if (same) {
    held.version = version;
    return { ...held.analysis, ms: 0 };
  }
  return analyzeSet([...files].map(([file, text]) => ({ file, text })), version);
}

/** A whole file set (a first load, an example, a stale edit): the class engine starts afresh. */
export function analyze(sources: readonly Source[], version = 0): Analysis {
  kept = undefined;
  return analyzeSet(sources, version);
}

function analyzeSet(sources: readonly Source[], version: number): Analysis {
  held = undefined;
  const a = analyzeAll(sources);
  held = { version, files: new Map(sources.map((s) => [s.file, s.text])), analysis: a };
  return a;
}

// The last parse of each file, by file name: an edit re-parses only the file whose text changed
// (parsing is most of loading). Keyed by the exact text and options, so a hit is the same parse.
// A changed file is parsed document by document (parse-cache.ts): only its changed documents are.
let parsed = new Map<string, { text: string; how: string; result: ReturnType<typeof parseYamlText>; pieces: PieceCache }>();

// Documents checked clean (by value object: a cached parse keeps them), so an edit checks only what changed.
let checked = new WeakSet<object>();

let parses = 0;
/** Files parsed since the engine started (tests check that an edit re-parses only what changed). */
export function parseCount(): number {
  return parses;
}

/** Drop what the engine keeps between calls: the next analysis starts from nothing (tests). */
export function forget(): void {
  held = undefined;
  last = undefined;
  kept = undefined;
  engineLog = [];
  parsed = new Map();
  checked = new WeakSet();
}

function analyzeAll(sources: readonly Source[]): Analysis {
  const t0 = Date.now();
  const next = new Map<string, { text: string; how: string; result: ReturnType<typeof parseYamlText>; pieces: PieceCache }>();
  const parse: typeof parseYamlText = (file, text, limits, how) => {
    const key = JSON.stringify([limits, how]);
    const hit = parsed.get(file);
    const pieces = hit && hit.how === key ? hit.pieces : new PieceCache(parseYamlText);
    const result = hit && hit.text === text && hit.how === key ? hit.result : (parses++, pieces.parseFile(file, text, limits, how));
    next.set(file, { text, how: key, result, pieces });
    return result;
  };
  const result = loadSources(sources, { parse, checked });
  parsed = next;
  const cluster = result.cluster;
  const probes = declaredProbes(cluster).filter((p) => typeof p.port === 'number');
  if (probes.length === 0) probes.push({ port: 80, protocol: 'TCP' });
  let graph: GraphInput, unsupported: string | undefined, list: ConnectionList | undefined;
  try {
    const { engine, patched } = classEngine(cluster);
    list = listConnections(cluster, { by: 'workload', ipBlockPods: IPBLOCK_PODS, engine });
    // A patched engine keeps the boundaries of removed policies, so its classes may be finer than
    // a fresh engine's: same answers, but a workload it splits (the only place classes show) might
    // be one afresh. Then a fresh engine decides, and is kept.
    if (patched && list.warnings.length) {
      const fresh = freshEngine(cluster, 'a workload split by class, rechecked');
      if (staleSplit(list, fresh)) {
        engineLog[engineLog.length - 1] += '; list recomputed';
        list = listConnections(cluster, { by: 'workload', ipBlockPods: IPBLOCK_PODS, engine: fresh });
      }
    }
    graph = graphInput(list);
  } catch (e) {
    kept = undefined;
    // The class engine refuses what it cannot compute yet (tier policies): keep the Evaluator's queries.
    if ((e as Error)?.name !== 'NotSupportedError') throw e;
    graph = { ends: [], connections: [], depends: [] };
    unsupported = (e as Error).message;
  }
  last = { cluster, graph, list, invalid: result.diagnostics.some((d) => d.severity === 'error'), unsupported };
  const ev = new Evaluator(cluster);
  const podsById = new Map(cluster.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
  const ends: EndInfo[] = graph.ends.map((e) => {
    const pods = e.pods.map((id) => podsById.get(id)!).filter(Boolean);
    return {
      isolatedIngress: pods.some((p) => ev.isolatingPolicies(p, 'ingress').length > 0),
      isolatedEgress: pods.some((p) => ev.isolatingPolicies(p, 'egress').length > 0),
      labels: { ...(pods[0]?.labels ?? {}) },
    };
  });
  const endOf = new Map<string, number>();
  graph.ends.forEach((e, i) => { for (const p of e.pods) endOf.set(p, i); });
  // Backing pods come from the one Service mapping (src/evaluate/service.ts), selector or endpoints.
  const services: ServiceInfo[] = (cluster.services ?? []).map((s) => ({
    id: `${s.namespace}/${s.name}`,
    ends: [...new Set(backingOf(cluster, s).ends.flatMap((e) => (e.kind === 'pod' ? [endOf.get(`${e.pod.namespace}/${e.pod.name}`)] : [])).filter((x): x is number => x !== undefined))],
  }));
  return {
    diagnostics: result.diagnostics,
    rejectedPolicies: result.rejectedPolicies,
    namespaces: cluster.namespaces.map((n) => n.name),
    pods: cluster.pods.length,
    policies: cluster.policies.map((p) => ({
      id: `${p.namespace}/${p.name}`, namespace: p.namespace, name: p.name, file: p.origin?.file, document: p.origin?.document,
      line: p.origin?.locate('').line, policyTypes: [...p.policyTypes],
    })),
    services,
    graph,
    ends,
    probes,
    ms: Date.now() - t0,
    ...(unsupported ? { unsupported } : {}),
  };
}

/** The last loaded cluster, for the page's other engine calls (tiers-engine.ts). */
export function currentCluster(): Cluster | undefined {
  return last?.cluster;
}

/** The list's `depends` ranges (per end pair) for the last analysis: slower, so asked after the first picture. */
export function depends(): GraphInput['depends'] {
  if (!last || last.unsupported) return [];
  const list = last.list ?? listConnections(last.cluster, { by: 'workload', ipBlockPods: IPBLOCK_PODS });
  return graphInput(list, listDepends(last.cluster, list, { by: 'workload' })).depends;
}

/** Pod by pod, for the pods of some namespaces (the matrix's "pods" rows). */
export function podMatrix(namespaces: string[]): Matrix | { error: string } {
  if (!last) return { error: 'nothing loaded yet' };
  if (last.unsupported) return { error: last.unsupported };
  const probes = declaredProbes(last.cluster).filter((p) => typeof p.port === 'number');
  if (probes.length === 0) probes.push({ port: 80, protocol: 'TCP' });
  return computeMatrix(last.cluster, probes, { ipBlockPods: IPBLOCK_PODS, namespaces });
}

/**
 * One workload as its pods: the pod-level list of everything it sends and receives, with the
 * other side still gathered into its workload (or external range), so the expanded picture keeps
 * the same neighbours.
 */
export function expand(endId: string): GraphInput | { error: string } {
  if (!last) return { error: 'nothing loaded yet' };
  const end = last.graph.ends.find((e) => e.id === endId);
  if (!end || end.kind !== 'workload') return { error: `${endId} is not a workload` };
  const name = endId.replace(/\[[^\]]*\](#\d+)?$/, '');
  const f = parseEndFilter(name);
  if ('error' in f) return { error: f.error };
  const filters: EndFilter[] = [f];
  const engine = kept?.cluster === last.cluster ? kept.engine : undefined;
  const out = listConnections(last.cluster, { by: 'pod', ipBlockPods: IPBLOCK_PODS, from: filters, engine });
  const inn = listConnections(last.cluster, { by: 'pod', ipBlockPods: IPBLOCK_PODS, to: filters, engine });
  const mine = new Set(end.pods);
  // Ends: the workload's pods, then every other end of the workload list (unchanged ids).
  const podEnds = end.pods.map((p) => ({ kind: 'pod' as const, id: p, label: p, namespace: end.namespace, pods: [p] }));
  const others = last.graph.ends.filter((e) => e !== end);
  const ends = [...podEnds, ...others];
  const index = new Map(ends.map((e, i) => [e.id, i]));
  const ownerOf = new Map<string, number>();
  others.forEach((e) => { for (const p of e.pods) ownerOf.set(p, index.get(e.id)!); });
  const idOf = (e: { kind: string; id: string | string[]; pods: readonly { namespace: string; name: string }[] }): number | undefined => {
    if (e.kind === 'external') return index.get(Array.isArray(e.id) ? e.id.join(',') : e.id);
    const pod = `${e.pods[0]!.namespace}/${e.pods[0]!.name}`;
    return mine.has(pod) ? index.get(pod) : ownerOf.get(pod);
  };
  const pairs = new Map<string, GraphInput['connections'][number]>();
  for (const c of [...out.connections, ...inn.connections]) {
    const from = idOf(c.from), to = idOf(c.to);
    if (from === undefined || to === undefined) continue;
    const key = `${from}>${to}`;
    const x = pairs.get(key);
    if (!x) pairs.set(key, { from, to, allowed: { TCP: [...c.allowed.TCP], UDP: [...c.allowed.UDP], SCTP: [...c.allowed.SCTP] } });
    else for (const p of ['TCP', 'UDP', 'SCTP'] as const) x.allowed[p] = normalize([...x.allowed[p], ...c.allowed[p]]);
  }
  return { ends, connections: [...pairs.values()], depends: [] };
}

export type Explained = { verdict: Verdict; text: string } | { service: ServiceVerdict; text: string } | { error: string };

/** from/to as `ns/name`, workload or IP; port as `3306`, `53/UDP` or a port name. */
export function explain(from: string, to: string, portText: string): Explained {
  const cluster = last?.cluster;
  if (!cluster) return { error: 'nothing loaded yet' };
  const probe = parseProbe(portText);
  if (!probe) return { error: `"${portText}" is not a port: use a number or a name, optionally /TCP, /UDP or /SCTP` };
  if (parseServiceRef(from)) return { error: `from ${from}: ${SERVICE_AS_SOURCE}` };
  const svc = resolveServiceTarget(cluster, to, portText);
  if (svc) {
    if ('error' in svc) return { error: `to ${to}: ${svc.error}` };
    const r = resolveEndpoint(cluster, from.trim());
    if ('error' in r) return { error: `from ${from}: ${r.error}` };
    const service = evaluateService(new Evaluator(cluster, { ipBlockPods: IPBLOCK_PODS }), r.endpoint, svc.service, svc.servicePort);
    if (r.note) service.notes = [r.note, ...(service.notes ?? [])];
    const sp = svc.servicePort;
    return { service, text: renderServiceVerdictText(endpointName(r.endpoint), service, `port ${sp.name ? `${sp.name} ` : ''}${sp.port}/${sp.protocol} (targetPort ${sp.targetPort})`) };
  }
  const ends = [];
  const notes: string[] = [];
  for (const [label, text] of [['from', from], ['to', to]] as const) {
    if (!text.trim()) return { error: `${label}: give a pod (namespace/name), a workload or an IP address` };
    const r = resolveEndpoint(cluster, text.trim());
    if ('error' in r) return { error: `${label} ${text}: ${r.error}` };
    ends.push(r.endpoint);
    if (r.note) notes.push(r.note);
  }
  const [src, dst] = ends as [(typeof ends)[number], (typeof ends)[number]];
  const port = resolveProbePort(probe, dst.kind === 'pod' ? dst.pod : undefined);
  if (port === undefined) return { error: `port ${portText}: ${dst.kind === 'pod' ? `${to} declares no ${probe.protocol} port named "${probe.port}"` : 'a named port needs a pod as destination'}` };
  const verdict = new Evaluator(cluster, { ipBlockPods: IPBLOCK_PODS }).evaluate({ from: src, to: dst, port, protocol: probe.protocol });
  verdict.notes.unshift(...notes);
  return { verdict, text: renderVerdictText(verdict) };
}
