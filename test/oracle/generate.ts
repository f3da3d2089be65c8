// Seeded random clusters for differential tests. Every NetworkPolicy feature appears: empty and
// absent from/to/ports, AND (one peer, both selectors) and OR (several peers), matchExpressions
// with all four operators, ipBlock with except in IPv4 and IPv6, numeric ports, endPort ranges,
// named ports on TCP/UDP/SCTP (the same name on several protocols too), every policyTypes form.
// It returns both the model (`cluster`, as the loader should build it after defaulting) and the
// raw manifests (`manifests`, what a user would write), so loader round trips can be tested.
import type { Cluster, ContainerPort, IPBlock, LabelSelector, LabelSelectorRequirement, Namespace, NetworkPolicy, Peer, Pod, PolicyPort, Protocol, Rule } from '../../src/model/types.js';

/** mulberry32: tiny, fast, good enough, and identical on every platform. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  namespaces?: number; // max namespaces (default 3)
  podsPerNamespace?: number; // max (default 4)
  policiesPerNamespace?: number; // max (default 3)
}

export interface Generated {
  seed: number;
  cluster: Cluster;
  /** Raw Kubernetes objects (Namespace, Pod, NetworkPolicy) equivalent to `cluster`. */
  manifests: Record<string, unknown>[];
  /** Addresses outside the cluster worth probing (some inside policy CIDRs, some in excepts). */
  externalIps: string[];
}

/** Ports the generator uses everywhere, so probes on them hit rules and container ports. */
export const GENERATED_PORTS = [53, 80, 81, 8080] as const;
export const PROTOCOL_LIST: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const PORT_NAMES = ['http', 'dns', 'serve-81'];
const NS_NAMES = ['x', 'y', 'z', 'w'];
const POD_NAMES = ['a', 'b', 'c', 'd', 'e'];
const LABEL_KEYS = ['app', 'tier', 'pod'];
const LABEL_VALUES = ['a', 'b', 'c'];
const NS_KEYS = ['team', 'env'];

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: R, p: number) => r() < p;
const upTo = (r: R, n: number) => Math.floor(r() * (n + 1));

function randomLabels(r: R, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (chance(r, 0.5)) out[k] = pick(r, LABEL_VALUES);
  return out;
}

function randomSelector(r: R, keys: readonly string[], extraKeys: readonly string[] = []): { model: LabelSelector; raw: Record<string, unknown> } {
  const raw: Record<string, unknown> = {};
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  if (chance(r, 0.45)) {
    for (let i = upTo(r, 1) + 1; i > 0; i--) matchLabels[pick(r, keys)] = pick(r, LABEL_VALUES);
    raw.matchLabels = { ...matchLabels };
  }
  if (chance(r, 0.4)) {
    const rawExprs: Record<string, unknown>[] = [];
    for (let i = upTo(r, 1) + 1; i > 0; i--) {
      const key = pick(r, [...keys, ...extraKeys]);
      const operator = pick(r, ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const);
      const values = operator === 'In' || operator === 'NotIn' ? [...new Set([pick(r, LABEL_VALUES), pick(r, LABEL_VALUES)])] : [];
      matchExpressions.push({ key, operator, values });
      rawExprs.push(values.length ? { key, operator, values } : { key, operator });
    }
    raw.matchExpressions = rawExprs;
  }
  return { model: { matchLabels, matchExpressions }, raw };
}

interface Addressing {
  v4(ns: number, pod: number): string;
  v6(ns: number, pod: number): string;
}

const ADDR: Addressing = {
  v4: (ns, pod) => `10.${ns}.0.${pod + 10}`,
  v6: (ns, pod) => `fd00:${ns}::${(pod + 10).toString(16)}`,
};

/** A block around some pods (or external hosts), sometimes with holes punched out of it. */
function randomIpBlock(r: R, nsCount: number): IPBlock {
  const ns = upTo(r, nsCount); // nsCount itself addresses the "external" range 10.<n>.0.x
  const v6 = chance(r, 0.3);
  const wide = chance(r, 0.15);
  if (v6) {
    const cidr = wide ? '::/0' : chance(r, 0.5) ? `fd00:${ns}::/64` : `${ADDR.v6(ns, upTo(r, 4))}/128`;
    const except = cidr.endsWith('/128') || !chance(r, 0.5) ? [] : [`${ADDR.v6(ns, upTo(r, 4))}/128`, ...(chance(r, 0.3) ? [`fd00:${ns}::8/125`] : [])];
    return { cidr: wide && except.length ? 'fd00::/16' : cidr, except };
  }
  const cidr = wide ? (chance(r, 0.5) ? '0.0.0.0/0' : '10.0.0.0/8') : chance(r, 0.5) ? `10.${ns}.0.0/24` : `${ADDR.v4(ns, upTo(r, 4))}/32`;
  if (cidr.endsWith('/32') || !chance(r, 0.7)) return { cidr, except: [] };
  const except = [chance(r, 0.5) ? `${ADDR.v4(ns, upTo(r, 4))}/32` : `10.${ns}.0.8/30`];
  if (cidr === '0.0.0.0/0' && chance(r, 0.5)) except.push('192.168.0.0/16');
  return { cidr, except };
}

function randomPeer(r: R, path: string, nsCount: number): { model: Peer; raw: Record<string, unknown> } {
  const kind = pick(r, ['pod', 'ns', 'both', 'both', 'ip', 'ip', 'nsAll'] as const);
  if (kind === 'ip') {
    const block = randomIpBlock(r, nsCount);
    return { model: { ipBlock: block, path }, raw: { ipBlock: block.except.length ? { cidr: block.cidr, except: [...block.except] } : { cidr: block.cidr } } };
  }
  const model: { -readonly [K in keyof Peer]: Peer[K] } = { path };
  const raw: Record<string, unknown> = {};
  if (kind === 'ns' || kind === 'both' || kind === 'nsAll') {
    const nsNames = NS_NAMES.slice(0, nsCount);
    // Select namespaces by their automatic name label now and then, as the docs recommend.
    if (kind === 'nsAll') {
      model.namespaceSelector = { matchLabels: {}, matchExpressions: [] };
      raw.namespaceSelector = {};
    } else if (chance(r, 0.3)) {
      const name = pick(r, nsNames);
      model.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': name }, matchExpressions: [] };
      raw.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': name } };
    } else {
      const s = randomSelector(r, NS_KEYS, ['missing']);
      model.namespaceSelector = s.model;
      raw.namespaceSelector = s.raw;
    }
  }
  if (kind === 'pod' || kind === 'both') {
    const s = randomSelector(r, LABEL_KEYS, ['missing']);
    model.podSelector = s.model;
    raw.podSelector = s.raw;
  }
  return { model, raw };
}

function randomPort(r: R, path: string): { model: PolicyPort; raw: Record<string, unknown> } {
  const raw: Record<string, unknown> = {};
  const protocolChoice = pick(r, [undefined, 'TCP', 'UDP', 'SCTP', undefined] as const);
  const protocol: Protocol = protocolChoice ?? 'TCP'; // API-server default
  if (protocolChoice) raw.protocol = protocolChoice;
  const model: { -readonly [K in keyof PolicyPort]: PolicyPort[K] } = { protocol, path };
  const form = pick(r, ['none', 'number', 'number', 'range', 'name', 'name'] as const);
  if (form === 'number') model.port = raw.port = pick(r, GENERATED_PORTS);
  else if (form === 'range') {
    model.port = raw.port = pick(r, [53, 79, 80]);
    model.endPort = raw.endPort = (model.port as number) + pick(r, [0, 1, 2, 8000]);
  } else if (form === 'name') model.port = raw.port = pick(r, PORT_NAMES);
  return { model, raw };
}

function randomRules(r: R, base: string, field: 'from' | 'to', nsCount: number): { model: Rule[]; raw: Record<string, unknown>[] } {
  const model: Rule[] = [];
  const raw: Record<string, unknown>[] = [];
  for (let i = 0, n = upTo(r, 2); i < n; i++) {
    const path = `${base}[${i}]`;
    const rawRule: Record<string, unknown> = {};
    const peers: Peer[] = [];
    const ports: PolicyPort[] = [];
    const peerForm = pick(r, ['absent', 'empty', 'some', 'some', 'some'] as const);
    if (peerForm === 'empty') rawRule[field] = [];
    if (peerForm === 'some') {
      const list: Record<string, unknown>[] = [];
      for (let j = 0, m = upTo(r, 2) + 1; j < m; j++) {
        const p = randomPeer(r, `${path}.${field}[${j}]`, nsCount);
        peers.push(p.model);
        list.push(p.raw);
      }
      rawRule[field] = list;
    }
    const portForm = pick(r, ['absent', 'empty', 'some', 'some'] as const);
    if (portForm === 'empty') rawRule.ports = [];
    if (portForm === 'some') {
      const list: Record<string, unknown>[] = [];
      for (let j = 0, m = upTo(r, 1) + 1; j < m; j++) {
        const p = randomPort(r, `${path}.ports[${j}]`);
        ports.push(p.model);
        list.push(p.raw);
      }
      rawRule.ports = list;
    }
    model.push({ peers, ports, path });
    raw.push(rawRule);
  }
  return { model, raw };
}

function randomPolicy(r: R, ns: string, index: number, nsCount: number): { model: NetworkPolicy; raw: Record<string, unknown> } {
  const name = `np-${index}`;
  const spec: Record<string, unknown> = {};
  let podSelector: LabelSelector = { matchLabels: {}, matchExpressions: [] };
  if (chance(r, 0.6)) {
    const s = randomSelector(r, LABEL_KEYS);
    podSelector = s.model;
    spec.podSelector = s.raw;
  } else spec.podSelector = {};
  const ingress = chance(r, 0.75) ? randomRules(r, 'spec.ingress', 'from', nsCount) : undefined;
  const egress = chance(r, 0.55) ? randomRules(r, 'spec.egress', 'to', nsCount) : undefined;
  if (ingress) spec.ingress = ingress.raw;
  if (egress) spec.egress = egress.raw;
  const typesForm = pick(r, ['absent', 'absent', 'Ingress', 'Egress', 'both', 'empty'] as const);
  let policyTypes: ('Ingress' | 'Egress')[];
  let defaulted = false;
  if (typesForm === 'absent' || typesForm === 'empty') {
    if (typesForm === 'empty') spec.policyTypes = [];
    // defaults.go: Ingress always, Egress when the policy has egress rules.
    policyTypes = egress && egress.model.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
    defaulted = true;
  } else {
    policyTypes = typesForm === 'both' ? ['Ingress', 'Egress'] : [typesForm];
    spec.policyTypes = [...policyTypes];
  }
  return {
    model: {
      kind: 'NetworkPolicy', name, namespace: ns, podSelector, policyTypes, policyTypesDefaulted: defaulted,
      ingress: ingress?.model ?? [], egress: egress?.model ?? [],
    },
    raw: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec },
  };
}

function randomContainerPorts(r: R): ContainerPort[] {
  const ports: ContainerPort[] = [];
  const seen = new Set<string>();
  for (let i = 0, n = upTo(r, 3); i < n; i++) {
    const containerPort = pick(r, GENERATED_PORTS);
    const protocol = pick(r, PROTOCOL_LIST);
    if (seen.has(`${containerPort}/${protocol}`)) continue;
    seen.add(`${containerPort}/${protocol}`);
    // Names repeat across protocols on purpose: a named port must resolve per protocol.
    ports.push(chance(r, 0.75) ? { name: pick(r, PORT_NAMES), containerPort, protocol } : { containerPort, protocol });
  }
  return ports;
}

export function generateCluster(seed: number, opts: GenerateOptions = {}): Generated {
  const r = rng(seed);
  const nsCount = 1 + upTo(r, (opts.namespaces ?? 3) - 1);
  const namespaces: Namespace[] = [];
  const pods: Pod[] = [];
  const policies: NetworkPolicy[] = [];
  const manifests: Record<string, unknown>[] = [];
  for (let n = 0; n < nsCount; n++) {
    const name = NS_NAMES[n]!;
    // Some namespaces are only referenced (implicit): they carry nothing but the name label.
    const implicit = chance(r, 0.2);
    const labels = implicit ? {} : randomLabels(r, NS_KEYS);
    namespaces.push({ kind: 'Namespace', name, labels: { ...labels, 'kubernetes.io/metadata.name': name }, implicit });
    if (!implicit) manifests.push({ apiVersion: 'v1', kind: 'Namespace', metadata: Object.keys(labels).length ? { name, labels } : { name } });
    for (let p = 0, count = 1 + upTo(r, (opts.podsPerNamespace ?? 4) - 1); p < count; p++) {
      const podName = POD_NAMES[p]!;
      const podLabels = randomLabels(r, LABEL_KEYS);
      const ipForm = pick(r, ['v4', 'v4', 'v6', 'dual', 'none'] as const);
      const ips = ipForm === 'none' ? [] : ipForm === 'v4' ? [ADDR.v4(n, p)] : ipForm === 'v6' ? [ADDR.v6(n, p)] : [ADDR.v4(n, p), ADDR.v6(n, p)];
      const ports = randomContainerPorts(r);
      pods.push({ kind: 'Pod', name: podName, namespace: name, labels: podLabels, ips, ports, hostNetwork: false });
      const status: Record<string, unknown> = {};
      if (ips.length) {
        status.podIP = ips[0];
        if (ips.length > 1) status.podIPs = ips.map((ip) => ({ ip }));
      }
      manifests.push({
        apiVersion: 'v1', kind: 'Pod',
        metadata: Object.keys(podLabels).length ? { name: podName, namespace: name, labels: podLabels } : { name: podName, namespace: name },
        // One container per port: the Pod API wants port names unique within a container.
        spec: { containers: ports.length ? ports.map((cp, i) => ({ name: `c${i}`, image: 'agnhost', ports: [{ ...cp }] })) : [{ name: 'c0', image: 'agnhost' }] },
        ...(ips.length ? { status } : {}),
      });
    }
    for (let k = 0, count = upTo(r, opts.policiesPerNamespace ?? 3); k < count; k++) {
      const pol = randomPolicy(r, name, k, nsCount);
      policies.push(pol.model);
      manifests.push(pol.raw);
    }
  }
  // External hosts: in the spare 10.<nsCount>.0.0/24 range, in excepts, and far away.
  const externalIps = [ADDR.v4(nsCount, 0), ADDR.v4(nsCount, 1), `10.${nsCount}.0.9`, '192.168.1.1', '8.8.8.8', ADDR.v6(nsCount, 2), '2001:db8::1'];
  return { seed, cluster: { namespaces, pods, policies }, manifests, externalIps };
}
