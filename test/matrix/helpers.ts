// Shared helpers for the fast-engine tests: the pairwise matrix on the readable Evaluator (what
// computeMatrix was before the class engine), and a small generator of clusters whose pods
// collapse into classes (replicas), with endPort ranges, named ports and hostNetwork pods.
import { Evaluator } from '../../src/evaluate/evaluate.js';
import { resolveProbePort, type Probe } from '../../src/matrix/ports.js';
import type { Matrix } from '../../src/matrix/matrix.js';
import type { IpBlockPods } from '../../src/match/peer.js';
import type { Cluster, LabelSelector, NetworkPolicy, Peer, Pod, PolicyPort, Protocol, Rule } from '../../src/model/types.js';
import { rng } from '../oracle/generate.js';

/** The matrix cell by cell on the Evaluator; `depends` lists the cells whose Verdict.depends is not empty. */
export function evaluatorMatrix(cluster: Cluster, probes: readonly Probe[], ipBlockPods: IpBlockPods): Matrix {
  const ev = new Evaluator(cluster, { ipBlockPods });
  const pods = cluster.pods;
  const name = (p: Pod) => `${p.namespace}/${p.name}`;
  const depends: Matrix['depends'] = [];
  return {
    pods: pods.map(name),
    probes: probes.map((probe) => ({
      port: probe.port, protocol: probe.protocol,
      rows: pods.map((src) => pods.map((dst) => {
        if (src === dst) return '1';
        const port = resolveProbePort(probe, dst);
        if (port === undefined) return '0';
        const v = ev.evaluate({ from: { kind: 'pod', pod: src }, to: { kind: 'pod', pod: dst }, port, protocol: probe.protocol });
        if (v.depends.length) depends.push({ from: name(src), to: name(dst), port: probe.port, protocol: probe.protocol, reason: v.depends.map((d) => d.reason).join('; ') });
        return v.allowed === true ? '1' : '0';
      }).join('')),
    })),
    depends,
  };
}

/** The depends cells as sorted keys (reasons are worded per engine, so only the cells are compared). */
export function dependsKeys(m: Matrix): string[] {
  return m.depends.map((d) => `${d.port}/${d.protocol} ${d.from} -> ${d.to}`).sort();
}

/** Cells where two matrices differ, as readable strings (empty when equal). */
export function matrixDiff(a: Matrix, b: Matrix, limit = 5): string[] {
  const out: string[] = [];
  a.probes.forEach((p, pi) => p.rows.forEach((row, i) => {
    const other = b.probes[pi]!.rows[i]!;
    for (let j = 0; j < row.length && out.length < limit; j++) {
      if (row[j] !== other[j]) out.push(`${p.port}/${p.protocol} ${a.pods[i]} -> ${a.pods[j]}: fast ${row[j]}, evaluator ${other[j]}`);
    }
  }));
  return out;
}

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const APPS = ['web', 'api', 'db', 'cache'];
const NAMES = ['http', 'metrics'];

function sel(r: R): LabelSelector {
  const roll = r();
  if (roll < 0.15) return { matchLabels: {}, matchExpressions: [] };
  if (roll < 0.65) return { matchLabels: { app: pick(r, APPS) }, matchExpressions: [] };
  if (roll < 0.8) return { matchLabels: {}, matchExpressions: [{ key: 'app', operator: 'In', values: [pick(r, APPS), pick(r, APPS)] }] };
  if (roll < 0.9) return { matchLabels: {}, matchExpressions: [{ key: 'tier', operator: pick(r, ['Exists', 'DoesNotExist', 'NotIn'] as const), values: r() < 0.5 ? [] : ['x'] }].map((e) => ({ ...e, values: e.operator === 'NotIn' ? ['x'] : [] })) };
  return { matchLabels: { app: pick(r, APPS), tier: 'x' }, matchExpressions: [] };
}

function port(r: R, path: string): PolicyPort {
  const protocol = pick(r, ['TCP', 'TCP', 'UDP', 'SCTP'] as Protocol[]);
  const roll = r();
  if (roll < 0.2) return { protocol, path };
  if (roll < 0.5) return { protocol, port: pick(r, [80, 443, 8080, 9090]), path };
  if (roll < 0.75) { const lo = pick(r, [80, 440, 8000]); return { protocol, port: lo, endPort: lo + pick(r, [0, 5, 100]), path }; }
  return { protocol, port: pick(r, NAMES), path };
}

function peer(r: R, path: string): Peer {
  const roll = r();
  if (roll < 0.4) return { podSelector: sel(r), path };
  if (roll < 0.6) return { namespaceSelector: { matchLabels: { team: pick(r, ['a', 'b']) }, matchExpressions: [] }, path };
  if (roll < 0.8) return { namespaceSelector: { matchLabels: {}, matchExpressions: [] }, podSelector: sel(r), path };
  return { ipBlock: r() < 0.5 ? { cidr: '10.1.0.0/16', except: ['10.1.2.0/24'] } : { cidr: `10.1.${Math.floor(r() * 4)}.0/24`, except: [] }, path };
}

function rules(r: R, dir: string): Rule[] {
  const n = Math.floor(r() * 3);
  return Array.from({ length: n }, (_, i) => {
    const path = `spec.${dir}[${i}]`;
    return {
      peers: r() < 0.2 ? [] : Array.from({ length: 1 + Math.floor(r() * 2) }, (_, k) => peer(r, `${path}.peers[${k}]`)),
      ports: r() < 0.3 ? [] : Array.from({ length: 1 + Math.floor(r() * 2) }, (_, k) => port(r, `${path}.ports[${k}]`)),
      path,
    };
  });
}

export function randomPolicy(r: R, ns: string, name: string): NetworkPolicy {
  const types = pick(r, [['Ingress'], ['Egress'], ['Ingress', 'Egress']] as ('Ingress' | 'Egress')[][]);
  return { kind: 'NetworkPolicy', name, namespace: ns, podSelector: sel(r), policyTypes: types, policyTypesDefaulted: false, ingress: rules(r, 'ingress'), egress: rules(r, 'egress') };
}

export function randomPod(r: R, ns: string, name: string, ipIndex: number): Pod {
  const app = pick(r, APPS);
  const labels: Record<string, string> = { app, 'pod-template-hash': `h${Math.floor(r() * 1000)}` };
  if (r() < 0.3) labels.tier = 'x';
  const ports = app === 'web' ? [{ name: 'http', containerPort: 8080, protocol: 'TCP' as const }] : app === 'api' ? [{ name: 'http', containerPort: 80, protocol: 'TCP' as const }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' as const }] : [];
  return { kind: 'Pod', name, namespace: ns, labels, ips: r() < 0.8 ? [`10.1.${ipIndex % 4}.${(ipIndex >> 2) + 1}`] : [], ports, hostNetwork: r() < 0.05 };
}

/** Replicas collapse: 2-3 namespaces, 10-40 pods over 4 apps. */
export function replicaCluster(seed: number): Cluster {
  const r = rng(seed);
  const nsNames = ['a', 'b', 'c'].slice(0, 2 + Math.floor(r() * 2));
  const namespaces = nsNames.map((n) => ({ kind: 'Namespace' as const, name: n, labels: { 'kubernetes.io/metadata.name': n, team: pick(r, ['a', 'b']) }, implicit: false }));
  const pods: Pod[] = [];
  const count = 10 + Math.floor(r() * 30);
  for (let i = 0; i < count; i++) pods.push(randomPod(r, pick(r, nsNames), `p${i}`, i));
  const policies = Array.from({ length: 1 + Math.floor(r() * 6) }, (_, i) => randomPolicy(r, pick(r, nsNames), `np${i}`));
  return { namespaces, pods, policies };
}

export const TEST_PROBES: Probe[] = [
  ...[53, 80, 81, 85, 443, 8080, 8090, 9090].flatMap((port) => (['TCP', 'UDP', 'SCTP'] as Protocol[]).map((protocol) => ({ port, protocol }))),
  ...['http', 'dns', 'serve-81', 'metrics'].flatMap((port) => (['TCP', 'UDP', 'SCTP'] as Protocol[]).map((protocol) => ({ port, protocol }))),
];
