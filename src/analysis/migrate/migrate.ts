// netpol migrate: v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy -> ClusterNetworkPolicy
// v1alpha2, and the proof that the rewrite changes no verdict. The rewrite (network-policy-api
// @ 0eec1b0, apis/v1alpha2/clusternetworkpolicy_types.go against apis/v1alpha1):
//   AdminNetworkPolicy            -> tier Admin, same priority
//   BaselineAdminNetworkPolicy    -> tier Baseline, priority `baselinePriority` (default 0: the
//                                    singleton had no priority; netpol evaluated it as 0)
//   action Allow                  -> Accept (Deny, Pass unchanged)
//   ports: portNumber/portRange   -> protocols: tcp|udp|sctp.destinationPort.number|range
//   ports: namedPort              -> protocols: destinationNamedPort
//   subject, peers, rule names    -> unchanged (same shapes in both versions)
// The YAML is written by the yaml library (YAML 1.1 quoting, so `yes`, `on`, `0x1F` stay
// strings for kubectl's reader), read back by netpol's own loader, checked to be the same
// policy field by field, and then every connection of a universe (src/analysis/universe.ts) is
// evaluated with the old objects and with the new ones, under --ipblock-pods match and depends.
import { stringify } from 'yaml';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { Evaluator, type Endpoint } from '../../evaluate/evaluate.js';
import { loadSources } from '../../load/load.js';
import { matchTierSubject, tierPolicyName } from '../../match/tier.js';
import { podId, type Cluster, type ClusterPolicy, type LabelSelector, type PolicyPort, type TierPeer, type TierRule, type TierSubject } from '../../model/types.js';
import { isHypothetical, tierUniverse } from '../universe.js';

export interface MigrateOptions {
  /** Priority of the ClusterNetworkPolicy a BaselineAdminNetworkPolicy becomes (0–1000; default 0). */
  baselinePriority?: number;
}

export interface MigratedPolicy {
  /** `anp/name` or `banp/name`. */
  from: string;
  /** `cnp/name`. */
  to: string;
  tier: 'Admin' | 'Baseline';
  priority: number;
  /** Where the old object was read. */
  file?: string;
  line?: number;
  /** The ClusterNetworkPolicy document, as YAML. */
  yaml: string;
}

export interface ProofDifference {
  from: string;
  to: string;
  port: number;
  protocol: string;
  mode: 'match' | 'depends';
  before: string;
  after: string;
}

export interface MigrationProof {
  /** Connections evaluated, per mode: every ordered pair of ends with a tier subject at the deciding end, times every port. */
  connections: number;
  endpoints: number;
  hypotheticalPods: number;
  ports: number;
  modes: ('match' | 'depends')[];
  /** Connections whose verdict differs (at most 20 listed); empty = equivalent. */
  differences: ProofDifference[];
  differing: number;
}

export interface MigrationResult {
  policies: MigratedPolicy[];
  /** Why the rewrite cannot be used (name clashes, output that fails validation or reads back differently). */
  errors: string[];
  /** Absent when there was nothing to migrate or the rewrite failed before the proof. */
  proof?: MigrationProof;
  /** The cluster with the new objects in place of the old ones. */
  after?: Cluster;
}

// --- the rewrite -------------------------------------------------------------------------------

function selector(s: LabelSelector): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Object.keys(s.matchLabels).length) out.matchLabels = { ...s.matchLabels };
  if (s.matchExpressions.length) {
    out.matchExpressions = s.matchExpressions.map((e) => (e.values.length ? { key: e.key, operator: e.operator, values: [...e.values] } : { key: e.key, operator: e.operator }));
  }
  return out;
}

function subject(s: TierSubject): Record<string, unknown> {
  return s.namespaces
    ? { namespaces: selector(s.namespaces) }
    : { pods: { namespaceSelector: selector(s.pods.namespaceSelector), podSelector: selector(s.pods.podSelector) } };
}

function peer(p: TierPeer): Record<string, unknown> {
  switch (p.kind) {
    case 'namespaces': return { namespaces: selector(p.namespaceSelector) };
    case 'pods': return { pods: { namespaceSelector: selector(p.namespaceSelector), podSelector: selector(p.podSelector) } };
    case 'networks': return { networks: [...p.cidrs] };
    case 'nodes': return { nodes: selector(p.nodeSelector) };
    case 'domainNames': return { domainNames: [...p.domainNames] };
    // Only written by a newer schema; loading rejects or keeps it, the rewrite cannot express it.
    case 'unknown': throw new Error(`peer field "${p.field}" is unknown to netpol and cannot be rewritten`);
  }
}

/**
 * The model keeps one PolicyPort per protocol for a named port (convert-tiers.ts), all with the
 * entry's path: one `protocols` entry per original `ports` entry.
 */
function protocols(ports: readonly PolicyPort[]): Record<string, unknown>[] {
  const byPath = new Map<string, PolicyPort[]>();
  for (const p of ports) {
    const l = byPath.get(p.path);
    if (l) l.push(p);
    else byPath.set(p.path, [p]);
  }
  return [...byPath.values()].map((group) => {
    const first = group[0]!;
    if (typeof first.port === 'string') return { destinationNamedPort: first.port };
    const destinationPort = first.endPort !== undefined ? { range: { start: first.port, end: first.endPort } } : { number: first.port };
    return { [first.protocol!.toLowerCase()]: { destinationPort } };
  });
}

function rule(r: TierRule, direction: 'ingress' | 'egress'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.name !== undefined) out.name = r.name;
  out.action = r.action;
  out[direction === 'ingress' ? 'from' : 'to'] = r.peers.map(peer);
  if (r.ports.length) out.protocols = protocols(r.ports);
  return out;
}

/** The ClusterNetworkPolicy document for one v1alpha1 object. */
export function toClusterNetworkPolicy(p: ClusterPolicy, baselinePriority = 0): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    tier: p.tier,
    priority: p.kind === 'BaselineAdminNetworkPolicy' ? baselinePriority : p.priority,
    subject: subject(p.subject),
  };
  if (p.ingress.length) spec.ingress = p.ingress.map((r) => rule(r, 'ingress'));
  if (p.egress.length) spec.egress = p.egress.map((r) => rule(r, 'egress'));
  return { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: p.name }, spec };
}

/** What must read back identically: everything but provenance and the kind's own words. */
function meaning(p: ClusterPolicy): unknown {
  const rules = (rs: readonly TierRule[]) => rs.map((r) => ({
    name: r.name, action: r.action,
    peers: r.peers.map((x) => ({ ...x, path: undefined })),
    ports: r.ports.map((x) => ({ protocol: x.protocol, port: x.port, endPort: x.endPort })),
  }));
  return JSON.stringify({ name: p.name, tier: p.tier, subject: p.subject, ingress: rules(p.ingress), egress: rules(p.egress) });
}

// --- the proof ---------------------------------------------------------------------------------

const MAX_LISTED = 20;

function prove(before: Cluster, after: Cluster, extra: readonly ClusterPolicy[]): MigrationProof {
  const u = tierUniverse(before, extra);
  const worldAfter: Cluster = { ...u.world, clusterPolicies: after.clusterPolicies };
  const all = [...(before.clusterPolicies ?? []), ...(after.clusterPolicies ?? [])];
  const nsByName = new Map(u.world.namespaces.map((n) => [n.name, n]));
  // A connection can differ only where a tier policy (old or new) has the deciding end as subject.
  const subjects = (d: 'ingress' | 'egress') => new Set(u.world.pods.filter((p) => all.some((cp) => cp[d].length > 0 && matchTierSubject(cp.subject, p, nsByName.get(p.namespace)!).match === true)));
  const egress = subjects('egress');
  const ingress = subjects('ingress');
  const name = (e: Endpoint) => (e.kind === 'pod' ? podId(e.pod) : e.ip);
  const modes = ['match', 'depends'] as const;
  const evals = modes.map((m) => [new Evaluator(u.world, { ipBlockPods: m }), new Evaluator(worldAfter, { ipBlockPods: m })] as const);
  const differences: ProofDifference[] = [];
  let differing = 0;
  let connections = 0;
  for (const from of u.endpoints) {
    for (const to of u.endpoints) {
      if (from === to) continue;
      if (!(from.kind === 'pod' && egress.has(from.pod)) && !(to.kind === 'pod' && ingress.has(to.pod))) continue;
      for (const port of u.ports) {
        connections++;
        modes.forEach((mode, k) => {
          const c = { from, to, port: port.port, protocol: port.protocol };
          const b = evals[k]![0].evaluate(c).verdict;
          const a = evals[k]![1].evaluate(c).verdict;
          if (a === b) return;
          differing++;
          if (differences.length < MAX_LISTED) differences.push({ from: name(from), to: name(to), port: port.port, protocol: port.protocol, mode, before: b, after: a });
        });
      }
    }
  }
  return {
    connections, endpoints: u.endpoints.length, hypotheticalPods: u.endpoints.filter((e) => e.kind === 'pod' && isHypothetical(e.pod.name)).length, ports: u.ports.length,
    modes: [...modes], differences, differing,
  };
}

const isOld = (p: ClusterPolicy) => p.kind !== 'ClusterNetworkPolicy';

/** Rewrite every v1alpha1 tier object of the cluster and prove the result equivalent. */
export function migrate(cluster: Cluster, options: MigrateOptions = {}): MigrationResult {
  const baselinePriority = options.baselinePriority ?? 0;
  const cps = cluster.clusterPolicies ?? [];
  const old = cps.filter(isOld);
  if (old.length === 0) return { policies: [], errors: [] };
  const errors: string[] = [];
  // ClusterNetworkPolicies share one name space: the rewrite must not collide with what exists.
  const taken = new Map(cps.filter((p) => !isOld(p)).map((p) => [p.name, tierPolicyName(p)]));
  const policies: MigratedPolicy[] = [];
  for (const p of old) {
    const clash = taken.get(p.name);
    if (clash) {
      errors.push(`${tierPolicyName(p)} would become cnp/${p.name}, which ${clash.startsWith('cnp/') ? 'already exists' : `${clash} also becomes`}; rename one of them first`);
      continue;
    }
    taken.set(p.name, tierPolicyName(p));
    let doc: Record<string, unknown>;
    try {
      doc = toClusterNetworkPolicy(p, baselinePriority);
    } catch (e) {
      errors.push(`${tierPolicyName(p)}: ${(e as Error).message}`);
      continue;
    }
    const m: MigratedPolicy = {
      from: tierPolicyName(p), to: `cnp/${p.name}`, tier: p.tier, priority: (doc.spec as { priority: number }).priority,
      yaml: stringify(doc, { version: '1.1' }),
    };
    if (p.origin) {
      m.file = p.origin.file;
      m.line = p.origin.locate('metadata.name').line;
    }
    policies.push(m);
  }
  if (errors.length) return { policies, errors };
  // Read the output back as a user would apply it: it must validate and mean the same.
  const text = policies.map((p) => p.yaml).join('---\n');
  const back = loadSources([{ file: '<migrated>', text }]);
  const bad: Diagnostic[] = back.diagnostics.filter((d) => d.severity === 'error');
  for (const d of bad) errors.push(`the rewrite of ${policies[d.document]?.from ?? 'a policy'} does not validate as a ClusterNetworkPolicy: ${d.path ? `${d.path}: ` : ''}${d.message}`);
  const fresh = back.cluster.clusterPolicies ?? [];
  for (const p of old) {
    const q = fresh.find((x) => x.name === p.name);
    if (q && meaning(q) !== meaning(p)) errors.push(`the rewrite of ${tierPolicyName(p)} reads back differently from the original (selectors, peers or ports changed in YAML)`);
  }
  if (errors.length) return { policies, errors };
  const after: Cluster = { ...cluster, clusterPolicies: [...cps.filter((p) => !isOld(p)), ...fresh] };
  const proof = prove(cluster, after, fresh);
  if (proof.differing > 0) errors.push(`the rewrite changes ${proof.differing} verdict(s) of ${proof.connections * proof.modes.length} evaluated`);
  return { policies, errors, proof, after };
}

