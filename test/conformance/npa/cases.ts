// The transcribed upstream ClusterNetworkPolicy conformance suite as runnable cases: one per
// PokeServer probe, each with the cluster as it stands at that point of the upstream test (its
// manifests applied, earlier in-test mutations of the same test applied). See cases.yaml for the
// data and its attribution, topology.yaml for the modelled kind cluster.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import type { Cluster, Pod, Protocol } from '../../../src/model/types.js';
import { clusterFromObjects, type IpFamily, type Obj, type Topology } from './convert.js';

const here = dirname(fileURLToPath(import.meta.url));

export type NpaFeature = 'standard' | 'NamedPorts' | 'EgressNodePeers';

export interface NpaProbeData { from: string; to: string; port: number; protocol: Protocol; expect: 'allow' | 'deny'; line: number }
export interface NpaStepData { change?: string; line?: number; apply?: Obj[]; delete?: { kind: string; namespace?: string; name: string }[]; probes: NpaProbeData[] }
export interface NpaTestData {
  name: string; source: string; description: string; features: string[]; feature: NpaFeature; manifests: string[];
  subtests: { name: string; line: number; steps: NpaStepData[] }[];
}
export interface NpaData {
  upstream: { repository: string; commit: string };
  counts: { tests: number; subtests: number; probes: number; mutations: number; byFeature: Record<NpaFeature, { tests: number; subtests: number; probes: number }> };
  hostNetworkPorts: number[];
  tests: NpaTestData[];
}

export interface NpaCase {
  test: string;
  family: IpFamily;
  feature: NpaFeature;
  subtest: string;
  /** Index of the step within the subtest (0 = before any in-test mutation of this subtest). */
  step: number;
  /** Where the probe is written upstream, e.g. conformance/tests/…-tcp-rules.go:49. */
  source: string;
  cluster: Cluster;
  from: Pod;
  /** The server pod; upstream dials its status.podIP (for hostNetwork pods, the node's IP). */
  to: Pod;
  port: number;
  protocol: Protocol;
  expect: 'allow' | 'deny';
}

export function npaData(): NpaData {
  return parse(readFileSync(join(here, 'cases.yaml'), 'utf8')) as NpaData;
}

export function npaTopology(): Topology {
  return parse(readFileSync(join(here, 'topology.yaml'), 'utf8')) as Topology;
}

// The suite renders {{ index .HostNetworkPorts N }} in every manifest before applying it (apply.go).
function manifestObjects(manifest: string, ports: number[]): Obj[] {
  const text = readFileSync(join(here, 'upstream', manifest.replace(/^base\//, '')), 'utf8')
    .replace(/\{\{\s*index \.HostNetworkPorts (\d+)\s*\}\}/g, (_, i: string) => String(ports[Number(i)]));
  return parseAllDocuments(text).map((d) => d.toJSON() as Obj).filter((o) => o !== null && typeof o === 'object');
}

const keyOf = (o: Obj): string => {
  const m = o.metadata as Obj;
  return `${String(o.kind)}/${String(m.namespace ?? '')}/${String(m.name)}`;
};

/**
 * The inline-CIDR tests insert `networks: [<pod IP>/32 | /128]` (mask by family, as in the Go
 * code); cases.yaml writes the IPv4 form, so the IPv6 leg maps each of those to the same pod's
 * IPv6 address /128. Nothing else in the data is family-specific.
 */
function forFamily(o: Obj, topology: Topology, family: IpFamily): Obj {
  if (family === 'ipv4' || o.kind !== 'ClusterNetworkPolicy') return o;
  const v6 = new Map(Object.values(topology.pods).filter((p) => p.ip && p.ipv6).map((p) => [`${p.ip}/32`, `${p.ipv6}/128`]));
  const copy = structuredClone(o);
  for (const rule of ((copy.spec as Obj).egress ?? []) as Obj[]) {
    for (const peer of (rule.to ?? []) as Obj[]) {
      if (Array.isArray(peer.networks)) peer.networks = peer.networks.map((c: string) => v6.get(c) ?? c);
    }
  }
  return copy;
}

/** Every probe of every test, in upstream order, with the cluster at that point. */
export function npaCases(data: NpaData = npaData(), topology: Topology = npaTopology(), family: IpFamily = 'ipv4'): NpaCase[] {
  const base = manifestObjects('base/manifests.yaml', data.hostNetworkPorts);
  const out: NpaCase[] = [];
  for (const t of data.tests) {
    // Each test applies its manifests fresh and deletes them at the end (suite.go Run/MustApplyWithCleanup).
    const objects = new Map<string, Obj>();
    for (const o of [...base, ...t.manifests.flatMap((m) => manifestObjects(m, data.hostNetworkPorts))]) objects.set(keyOf(o), o);
    for (const st of t.subtests) {
      st.steps.forEach((step, i) => {
        for (const o of step.apply ?? []) objects.set(keyOf(o), forFamily(o, topology, family));
        for (const d of step.delete ?? []) objects.delete(`${d.kind}/${d.namespace ?? ''}/${d.name}`);
        const cluster = clusterFromObjects([...objects.values()], topology, family);
        const pod = (ref: string): Pod => {
          const p = cluster.pods.find((x) => `${x.namespace}/${x.name}` === ref);
          if (!p) throw new Error(`${t.name}: no pod ${ref}`);
          return p;
        };
        for (const p of step.probes) {
          out.push({ test: t.name, family, feature: t.feature, subtest: st.name, step: i, source: `${t.source}:${p.line}`, cluster, from: pod(p.from), to: pod(p.to), port: p.port, protocol: p.protocol, expect: p.expect });
        }
      });
    }
  }
  return out;
}
