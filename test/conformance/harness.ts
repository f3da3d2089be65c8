// The upstream e2e NetworkPolicy model (kubernetes/kubernetes test/e2e/network/netpol, model.go):
// namespaces x, y, z labelled `ns: <name>` (plus the automatic kubernetes.io/metadata.name), pods
// labelled `pod: <name>`, one container per port and protocol with the port named
// `serve-<port>-<proto>`. Reachability mirrors reachability.go (default allow, then Expect*).
// Cases are loaded from real manifests, so the loader and validation are on the path too.
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { Evaluator } from '../../src/evaluate/evaluate.js';
import { loadSources } from '../../src/load/load.js';
import { computeMatrix } from '../../src/matrix/matrix.js';
import type { Cluster, Protocol } from '../../src/model/types.js';
import { referenceAllowed } from '../oracle/reference.js';

export const NAMESPACES = ['x', 'y', 'z'] as const;
const PORTS = [80, 81];
const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];

type Labels = Record<string, string>;
export type Obj = Record<string, unknown>;

export interface PolicyDef {
  ns: string;
  name: string;
  spec: Obj;
}

export interface Probe {
  port: number;
  protocol: Protocol;
  expect: (r: Reachability) => void;
}

export interface Step {
  what?: string;
  policies: PolicyDef[];
  nsLabels?: Record<string, Labels>;
  podLabels?: Record<string, Labels>;
  probes: Probe[];
}

export interface Case {
  /** The upstream It(...) name, or the docs section for cases not in the e2e suite. */
  name: string;
  source: string;
  pods: string[];
  family?: 4 | 6;
  steps: Step[];
}

export function podIp(pod: string, family: 4 | 6 = 4): string {
  const [ns, name] = pod.split('/') as [string, string];
  const i = NAMESPACES.indexOf(ns as never);
  const j = name.charCodeAt(0) - 97 + 10;
  return family === 4 ? `10.244.${i}.${j}` : `fd00:10:244:${i}::${j.toString(16)}`;
}

/** reachability.go: a truth table, true by default; loopback is ignored upstream and always allowed here. */
export class Reachability {
  readonly cells = new Map<string, boolean>();
  constructor(readonly pods: string[]) {
    for (const a of pods) for (const b of pods) this.cells.set(`${a}>${b}`, true);
  }
  private static matches(p: string, peer: { ns?: string; pod?: string }): boolean {
    const [ns, name] = p.split('/');
    return (peer.ns === undefined || peer.ns === ns) && (peer.pod === undefined || peer.pod === name);
  }
  expect(from: string, to: string, v: boolean): void {
    this.cells.set(`${from}>${to}`, v);
  }
  expectPeer(from: { ns?: string; pod?: string }, to: { ns?: string; pod?: string }, v: boolean): void {
    for (const a of this.pods) for (const b of this.pods) if (Reachability.matches(a, from) && Reachability.matches(b, to)) this.expect(a, b, v);
  }
  expectAllIngress(to: string, v: boolean): void {
    for (const a of this.pods) this.expect(a, to, v);
  }
  expectAllEgress(from: string, v: boolean): void {
    for (const b of this.pods) this.expect(from, b, v);
  }
  rows(order: string[]): string[] {
    return order.map((a) => order.map((b) => (a === b || this.cells.get(`${a}>${b}`) ? '1' : '0')).join(''));
  }
}

function manifests(c: Case, step: Step): Obj[] {
  const out: Obj[] = NAMESPACES.map((ns) => ({
    apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ns, ...step.nsLabels?.[ns] } },
  }));
  for (const p of c.pods) {
    const [ns, name] = p.split('/') as [string, string];
    const containers = PORTS.flatMap((port) => PROTOCOLS.map((protocol) => ({
      name: `cont-${port}-${protocol.toLowerCase()}`, image: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
      ports: [{ containerPort: port, name: `serve-${port}-${protocol.toLowerCase()}`, protocol }],
    })));
    out.push({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace: ns, labels: { pod: name, ...step.podLabels?.[p] } },
      spec: { containers },
      status: { podIP: podIp(p, c.family ?? 4) },
    });
  }
  for (const pol of step.policies) {
    out.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: pol.name, namespace: pol.ns }, spec: pol.spec });
  }
  return out;
}

export function loadCase(c: Case, step: Step): Cluster {
  const text = manifests(c, step).map((m) => stringify(m, { version: '1.1' })).join('---\n');
  const r = loadSources([{ file: `${c.name}.yaml`, text }]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], 'the case manifests must be valid');
  assert.equal(r.cluster.policies.length, step.policies.length);
  return r.cluster;
}

/** Runs every step and probe; returns how many matrix cells were compared. */
export function runCase(c: Case): number {
  let cells = 0;
  for (const step of c.steps) {
    const cluster = loadCase(c, step);
    const ev = new Evaluator(cluster, { ipBlockPods: 'match' });
    for (const probe of step.probes) {
      const r = new Reachability(c.pods);
      probe.expect(r);
      const m = computeMatrix(cluster, [{ port: probe.port, protocol: probe.protocol }], { ipBlockPods: 'match' });
      const want = r.rows(m.pods);
      const where = `${step.what ?? 'step'} ${probe.port}/${probe.protocol}`;
      assert.deepEqual(m.probes[0]!.rows, want, `computeMatrix, ${where}, pods ${m.pods.join(' ')}`);
      const evRows = cluster.pods.map((a) => cluster.pods.map((b) =>
        (ev.allowed({ from: { kind: 'pod', pod: a }, to: { kind: 'pod', pod: b }, port: probe.port, protocol: probe.protocol }) ? '1' : '0')).join(''));
      assert.deepEqual(evRows, want, `Evaluator, ${where}`);
      const refRows = cluster.pods.map((a) => cluster.pods.map((b) => (referenceAllowed(cluster, a, b, probe.port, probe.protocol) ? '1' : '0')).join(''));
      assert.deepEqual(refRows, want, `reference, ${where}`);
      cells += want.length * want.length;
    }
  }
  return cells;
}

// --- Policy builders named after the upstream helpers ----------------------------------------

/** GenNetworkPolicyWithNameAndPodMatchLabel + SetSpecIngressRules/SetSpecEgressRules: each setter adds its policy type. */
export function policy(ns: string, name: string, podLabels: Labels, rules: { ingress?: Obj[]; egress?: Obj[]; policyTypes?: string[] }): PolicyDef {
  const spec: Obj = { podSelector: Object.keys(podLabels).length ? { matchLabels: podLabels } : {} };
  const types: string[] = [];
  if (rules.ingress) {
    spec.ingress = rules.ingress;
    types.push('Ingress');
  }
  if (rules.egress) {
    spec.egress = rules.egress;
    types.push('Egress');
  }
  spec.policyTypes = rules.policyTypes ?? types;
  return { ns, name, spec };
}

export const nsName = (ns: string): Obj => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
export const podLabel = (pod: string): Obj => ({ matchLabels: { pod } });
