// Incremental updates: add, replace or remove one policy or pod, and report what it touched
// (whole rows to recompute, and destination columns with the sources that may differ), so a
// caller redoes only those. A change that needs boundaries the current classes and atoms do not
// have (a new selector key, a new `ports` list, a new ipBlock, a named port on a new number)
// falls back to a full rebuild, counted in `stats.rebuilds`.
import type { ClusterPolicy, NetworkPolicy, Pod, PolicyPort } from '../model/types.js';
import { policyId, podId } from '../model/types.js';
import { tierBoundaries, type TierState } from './tiers.js';
import type { Bits } from './bitset.js';
import { EVERY } from './groups.js';
import { selectorKeys } from './select.js';
import type { PolicyState, Tables } from './state.js';

/**
 * What an incremental update needs from the engine. Reachability (engine.ts) implements it;
 * declared here so this module does not import engine.ts, which calls into this one.
 */
export interface Engine {
  readonly t: Tables;
  readonly useIp: boolean;
  rebuild(pods: readonly Pod[], policies: readonly NetworkPolicy[]): void;
  clusterPolicies: readonly ClusterPolicy[];
  tierState(keep?: TierState): TierState | undefined;
  insertPod(pod: Pod): { index: number; cls: number; created: boolean };
  dropClass(cls: number): void;
  targetGroup(p: NetworkPolicy): number;
  applyPolicy(p: NetworkPolicy): PolicyState;
  removePolicyState(st: PolicyState): void;
  liveClassIds(): number[];
  classAllowed(s: number, d: number, k: number): boolean;
  row(s: number): Bits[];
}

/** What a change touched: whole rows to recompute, and destination columns with the sources that may differ. */
export interface Change {
  rebuilt: boolean;
  rows: number[];
  columns: number[];
  columnSources: number[] | 'all';
}

const NONE: Change = { rebuilt: false, rows: [], columns: [], columnSources: [] };

/** Would this policy need boundaries the current classes and atoms do not have? */
function needsRebuild(e: Engine, p: NetworkPolicy): boolean {
  const t = e.t;
  const keys = new Set<string>();
  selectorKeys(p.podSelector, keys);
  for (const r of [...p.ingress, ...p.egress]) {
    if (!t.ports.setOf(r.ports)) return true;
    for (const pp of r.ports) if (typeof pp.port === 'string' && !t.referencedNames.has(`${pp.port}/${pp.protocol}`)) return true;
    for (const peer of r.peers) {
      selectorKeys(peer.podSelector, keys);
      if (peer.ipBlock && e.useIp && !t.ip?.knows(peer.ipBlock)) return true;
    }
  }
  for (const k of keys) if (!t.relevantKeys.has(k)) return true;
  return false;
}

const livePolicies = (e: Engine) => e.t.policies.filter((s) => s.alive).map((s) => s.policy);
const livePods = (e: Engine) => e.t.pods.filter((p): p is Pod => p !== undefined);

function everything(e: Engine): Change {
  const all = e.liveClassIds();
  return { rebuilt: true, rows: all, columns: all, columnSources: 'all' };
}

/** Rows of the policy's targets (egress) and their columns (ingress) with the sources its peers hold. */
function policyChange(e: Engine, st: PolicyState, before: Map<number, boolean>): Change {
  const t = e.t;
  const targets = t.groups.get(st.target).members;
  let sources: Set<number> | 'all' = new Set<number>();
  if (st.inIso) {
    for (const r of st.inRules) for (const g of r.groups) {
      if (g === EVERY) sources = 'all';
      else if (sources !== 'all') for (const c of t.groups.get(g).members) sources.add(c);
    }
    // A destination whose ingress isolation switched on or off changes for every source.
    if (targets.some((c) => before.get(c) !== t.isolation(c, true) > 0)) sources = 'all';
  }
  return { rebuilt: false, rows: st.egIso ? [...targets] : [], columns: st.inIso ? [...targets] : [], columnSources: sources === 'all' ? 'all' : [...sources] };
}

function merge(a: Change, b: Change): Change {
  const cs = a.columnSources === 'all' || b.columnSources === 'all' ? 'all' : [...new Set([...a.columnSources, ...b.columnSources])];
  return { rebuilt: a.rebuilt || b.rebuilt, rows: [...new Set([...a.rows, ...b.rows])], columns: [...new Set([...a.columns, ...b.columns])], columnSources: cs };
}

/** Ingress isolation of some classes, to tell afterwards whose isolation switched. */
function ingressIsolation(e: Engine, classes: readonly number[]): Map<number, boolean> {
  return new Map(classes.map((c) => [c, e.t.isolation(c, true) > 0]));
}

export function upsertPolicy(e: Engine, p: NetworkPolicy): Change {
  const t = e.t;
  const oldId = t.policyByName.get(policyId(p));
  const old = oldId === undefined ? undefined : t.policies[oldId]!;
  if (needsRebuild(e, p)) {
    const rest = livePolicies(e).filter((x) => x !== old?.policy);
    e.rebuild(livePods(e), [...rest, p]);
    return everything(e);
  }
  // Isolation is compared before the removal and after the addition: a replace that keeps a
  // destination isolated only changes the cells of the old and new peers.
  const targets = [...(old ? t.groups.get(old.target).members : []), ...t.groups.get(e.targetGroup(p)).members];
  const before = ingressIsolation(e, targets);
  if (old?.alive) e.removePolicyState(old);
  const st = e.applyPolicy(p);
  let change = policyChange(e, st, before);
  if (old) change = merge(change, policyChange(e, old, before));
  return change;
}

export function removePolicy(e: Engine, namespace: string, name: string): Change {
  const t = e.t;
  const id = t.policyByName.get(`${namespace}/${name}`);
  if (id === undefined) return NONE;
  const st = t.policies[id]!;
  const before = ingressIsolation(e, t.groups.get(st.target).members);
  e.removePolicyState(st);
  t.policyByName.delete(`${namespace}/${name}`);
  return policyChange(e, st, before);
}

/** Would this tier policy need boundaries (keys, port atoms, names, address peers) the classes do not have? */
function tierNeedsRebuild(e: Engine, p: ClusterPolicy): boolean {
  const t = e.t;
  if (!t.tiers || !t.tiers.covers(p)) return true;
  const keys = new Set<string>(), names = new Set<string>(), lists: (readonly PolicyPort[])[] = [];
  tierBoundaries([p], keys, names, lists);
  return lists.some((l) => !t.ports.setOf(l)) || [...names].some((n) => !t.referencedNames.has(n)) || [...keys].some((k) => !t.relevantKeys.has(k));
}

const sameTierPolicy = (a: ClusterPolicy, kind: ClusterPolicy['kind'], name: string) => a.kind === kind && a.name === name;

/**
 * A tier policy added, replaced or removed. Tier answers are cached per subject policy set, so
 * the tier tables are rebuilt (cheap: answers are computed lazily); classes and groups stay.
 * Touched: the rows of the classes either version selects (egress) and their columns (ingress).
 */
function tierChange(e: Engine, next: readonly ClusterPolicy[], touched: readonly ClusterPolicy[]): Change {
  const t = e.t;
  if (touched.some((p) => tierNeedsRebuild(e, p))) {
    e.clusterPolicies = next;
    e.rebuild(livePods(e), livePolicies(e));
    return everything(e);
  }
  const classes = new Set<number>();
  for (const p of touched) for (const c of t.tiers!.subjectClasses(p)) classes.add(c);
  e.clusterPolicies = next;
  t.tiers = e.tierState(t.tiers);
  const list = [...classes];
  return { rebuilt: false, rows: list, columns: list, columnSources: 'all' };
}

export function upsertClusterPolicy(e: Engine, p: ClusterPolicy): Change {
  const old = e.clusterPolicies.find((x) => sameTierPolicy(x, p.kind, p.name));
  return tierChange(e, [...e.clusterPolicies.filter((x) => x !== old), p], old ? [old, p] : [p]);
}

export function removeClusterPolicy(e: Engine, kind: ClusterPolicy['kind'], name: string): Change {
  const old = e.clusterPolicies.find((x) => sameTierPolicy(x, kind, name));
  if (!old) return NONE;
  return tierChange(e, e.clusterPolicies.filter((x) => x !== old), [old]);
}

export function addPod(e: Engine, pod: Pod): Change & { cls: number } {
  const t = e.t;
  // A referenced port name on a number that is not yet an atom of its own needs new atoms.
  const needs = pod.ports.some((c) => c.name && t.referencedNames.has(`${c.name}/${c.protocol}`) && !t.ports.isNamedTarget(c.protocol, c.containerPort));
  if (needs) {
    e.rebuild([...livePods(e), pod], livePolicies(e));
    return { ...everything(e), cls: e.t.podClass[e.t.podIndex.get(podId(pod))!]! };
  }
  const r = e.insertPod(pod);
  if (!r.created) return { ...NONE, cls: r.cls };
  return { rebuilt: false, rows: [r.cls], columns: [r.cls], columnSources: 'all', cls: r.cls };
}

export function removePod(e: Engine, namespace: string, name: string): Change {
  const t = e.t;
  const index = t.podIndex.get(`${namespace}/${name}`);
  if (index === undefined) return NONE;
  t.podIndex.delete(`${namespace}/${name}`);
  t.pods[index] = undefined;
  const cls = t.podClass[index]!;
  t.podClass[index] = -1;
  const c = t.classes[cls]!;
  c.pods.delete(index);
  t.multi = undefined;
  // The class is gone only with its last pod; removing it changes no other class's row.
  if (c.pods.size === 0) e.dropClass(cls);
  return NONE;
}

export function recompute(e: Engine, change: Change, onRow?: (s: number, row: Bits[]) => void): { rows: number; cells: number } {
  const t = e.t;
  for (const s of change.rows) if (t.classes[s]?.alive) onRow ? onRow(s, e.row(s)) : e.row(s);
  let cells = 0;
  const sources = change.columnSources === 'all' ? e.liveClassIds() : change.columnSources;
  for (const d of change.columns) {
    if (!t.classes[d]?.alive) continue;
    for (const s of sources) for (let k = 0; k < t.ports.count; k++) {
      e.classAllowed(s, d, k);
      cells++;
    }
  }
  return { rows: change.rows.length, cells };
}
