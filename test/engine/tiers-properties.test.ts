// Properties of tier evaluation on seeded random clusters (no second evaluator: these are
// relations the Evaluator must keep with itself):
//  1. --ipblock-pods depends is certain ⇒ match and ignore give that same verdict, with no depends note;
//     depends says DEPENDS ⇒ match names at least one depends reason.
//  2. Evaluator.allowed(c) === (evaluate(c).allowed === true), in every mode.
//  3. An Admin policy first in order whose rules Deny (Accept) everything in both directions makes
//     every connection between distinct endpoints denied (allowed), whatever else the cluster holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator, type Connection } from '../../src/evaluate/evaluate.js';
import type { Cluster, ClusterPolicy, Pod, TierAction } from '../../src/model/types.js';
import { cluster, cnp, cport, namespaces, networks, np, ns, pod, pods, rule, sel, subjectNamespaces, subjectPods, tcp, type PeerIn } from './tier-builders.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NSS = ['a', 'b', 'c'];
const APPS = ['x', 'y'];
const ACTIONS: TierAction[] = ['Accept', 'Deny', 'Pass'];

function randomCluster(r: () => number): Cluster {
  const pick = <T>(l: readonly T[]): T => l[Math.floor(r() * l.length)]!;
  const podsList: Pod[] = [];
  let ip = 1;
  for (const n of NSS) for (const app of APPS) {
    // Some pods have no IP: networks peers then depend.
    podsList.push(pod(n, `${app}`, { app }, r() < 0.2 ? [] : [`10.0.0.${ip++}`], { ports: [cport('web', 80)] }));
  }
  const peer = (): PeerIn => {
    const k = r();
    if (k < 0.35) return namespaces(r() < 0.3 ? sel() : sel({ 'kubernetes.io/metadata.name': pick(NSS) }));
    if (k < 0.7) return pods(sel(), sel({ app: pick(APPS) }));
    return networks(pick(['10.0.0.0/29', '10.0.0.0/24', '0.0.0.0/0', '10.0.0.4/30']));
  };
  const mkRules = () => Array.from({ length: Math.floor(r() * 3) }, () => rule(pick(ACTIONS), [peer()], r() < 0.3 ? [tcp(r() < 0.5 ? 'web' : 80)] : []));
  const cps: ClusterPolicy[] = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, i) => cnp({
    name: `p${i}`,
    tier: r() < 0.6 ? 'Admin' : 'Baseline',
    priority: Math.floor(r() * 3), // small range: ties happen
    subject: r() < 0.5 ? subjectNamespaces(r() < 0.3 ? sel() : sel({ 'kubernetes.io/metadata.name': pick(NSS) })) : subjectPods(sel(), sel({ app: pick(APPS) })),
    ingress: mkRules(),
    egress: mkRules(),
  }));
  const nps = NSS.filter(() => r() < 0.4).map((n) => np(n, 'np', sel({ app: pick(APPS) }), r() < 0.5 ? ['Ingress'] : ['Ingress', 'Egress'], {
    ingress: [[{ podSelector: sel({ app: pick(APPS) }) }]],
    egress: r() < 0.5 ? [[{ namespaceSelector: sel() }]] : [],
  }));
  return cluster({ namespaces: NSS.map((n) => ns(n)), pods: podsList, policies: nps, clusterPolicies: cps });
}

function connections(c: Cluster): Connection[] {
  const out: Connection[] = [];
  for (const f of c.pods) for (const t of c.pods) out.push({ from: { kind: 'pod', pod: f }, to: { kind: 'pod', pod: t }, port: 80, protocol: 'TCP' });
  for (const t of c.pods) out.push({ from: { kind: 'ip', ip: '192.0.2.1' }, to: { kind: 'pod', pod: t }, port: 80, protocol: 'TCP' });
  return out;
}

test('depends mode bounds match and ignore modes; allowed() agrees with evaluate() (200 seeded clusters)', () => {
  let certain = 0;
  let open = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const c = randomCluster(rng(seed));
    const ev = { match: new Evaluator(c, { ipBlockPods: 'match' }), ignore: new Evaluator(c, { ipBlockPods: 'ignore' }), depends: new Evaluator(c, { ipBlockPods: 'depends' }) };
    for (const conn of connections(c)) {
      const d = ev.depends.evaluate(conn);
      const m = ev.match.evaluate(conn);
      const i = ev.ignore.evaluate(conn);
      const at = `seed ${seed} ${d.from} -> ${d.to}`;
      if (d.verdict === 'depends') {
        open++;
        assert.ok(m.depends.length > 0, `${at}: DEPENDS in depends mode but match mode names no reason`);
      } else {
        certain++;
        assert.equal(m.verdict, d.verdict, at);
        assert.equal(i.verdict, d.verdict, at);
        assert.equal(m.depends.length, 0, at);
      }
      for (const [mode, e] of Object.entries(ev)) assert.equal(e.allowed(conn), e.evaluate(conn).allowed === true, `${at} ${mode}`);
    }
  }
  // The generator must exercise both kinds of answer.
  assert.ok(certain > 1000 && open > 50, `certain ${certain}, open ${open}`);
});

test('a priority-0 Admin Deny-all (first in name order too) denies every connection between distinct pods; an Accept-all allows them', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const c = randomCluster(rng(seed));
    for (const action of ['Deny', 'Accept'] as const) {
      const top = cnp({ name: '0-top', priority: 0, subject: subjectNamespaces(sel()),
        ingress: [rule(action, [namespaces(sel())]), rule(action, [networks('0.0.0.0/0')])],
        egress: [rule(action, [namespaces(sel())]), rule(action, [networks('0.0.0.0/0')])] });
      // Remove other priority-0 Admin policies: with a tie the order would be implementation-defined.
      const others = c.clusterPolicies!.map((p) => (p.tier === 'Admin' && p.priority === 0 ? { ...p, priority: 1 } : p));
      const e = new Evaluator({ ...c, clusterPolicies: [top, ...others] }, { ipBlockPods: 'depends' });
      for (const conn of connections(c)) {
        if (conn.from.kind === 'pod' && conn.to.kind === 'pod' && conn.from.pod === conn.to.pod) continue;
        const v = e.evaluate(conn);
        assert.equal(v.verdict, action === 'Deny' ? 'deny' : 'allow', `seed ${seed} ${action} ${v.from} -> ${v.to}`);
        assert.equal(v.ingress.decidedBy, 'Admin');
      }
    }
  }
});
