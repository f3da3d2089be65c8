// Feeds the fake API server from manifests, as a cluster would hold them: Namespaces and
// NetworkPolicies as written; Pods as given, or made from workloads the way their controllers
// would (owner reference, pod IP, node, status); one Node. `dumpList` is the equivalent file: a
// `kubectl get -o yaml`-shaped List of the same objects.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadSources } from '../../src/load/load.js';
import { FakeApiServer, KINDS } from './api-server.js';

type Obj = Record<string, any>;

export const ROOT = new URL('../../', import.meta.url).pathname;
export const DB_EXAMPLE = join(ROOT, 'examples', 'db-protection');
export const XYZ = join(ROOT, 'test', 'dataplane', 'fixtures', 'xyz');

function files(dir: string): { file: string; text: string }[] {
  return readdirSync(dir).sort().filter((f) => /\.ya?ml$/.test(f) && statSync(join(dir, f)).isFile()).map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

/** A pod as the API returns it (spec and status defaulted the way the server and kubelet fill them). */
export function apiPod(ns: string, name: string, labels: Record<string, string>, ports: Obj[], ip: string | undefined, owner?: { kind: string; name: string }): Obj {
  return {
    metadata: {
      name, namespace: ns, labels,
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: `owner-${owner.name}`, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: {
      containers: [{ name: 'main', image: 'registry.example/app:1', ports, resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' }],
      restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', serviceAccountName: 'default', serviceAccount: 'default',
      nodeName: 'node-1', securityContext: {}, schedulerName: 'default-scheduler', enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority', priority: 0,
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    },
    status: {
      phase: 'Running', hostIP: '172.18.0.2', hostIPs: [{ ip: '172.18.0.2' }],
      ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-28T10:00:05Z' }],
      qosClass: 'BestEffort', startTime: '2026-11-28T10:00:00Z',
    },
  };
}

/** Puts the objects of these manifest folders into the server. */
export function feed(server: FakeApiServer, dirs: string[]): void {
  server.put('nodes', { metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } }, spec: { podCIDR: '10.0.0.0/24' }, status: { addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'node-1' }] } });
  for (const dir of dirs) {
    const sources = files(dir);
    const cluster = loadSources(sources).cluster;
    const explicitNs = new Set<string>();
    let ip = 1;
    for (const s of sources) {
      for (const doc of parseAllDocuments(s.text)) {
        const v = doc.toJS() as Obj | null;
        if (!v || typeof v !== 'object') continue;
        const { kind } = v;
        if (kind === 'Namespace') { explicitNs.add(v.metadata.name); server.put('namespaces', v); }
        else if (kind === 'NetworkPolicy') server.put('networkpolicies', { ...v, metadata: { namespace: 'default', ...v.metadata }, spec: { policyTypes: ['Ingress'], ...v.spec } });
        else if (kind === 'Pod') {
          const pod = apiPod(v.metadata.namespace ?? 'default', v.metadata.name, v.metadata.labels ?? {}, v.spec.containers.flatMap((c: Obj) => c.ports ?? []).map((p: Obj) => ({ protocol: 'TCP', ...p })), v.status?.podIP);
          server.put('pods', pod);
        } else if (kind === 'Service') server.put('services', v);
      }
    }
    // Workload pods: as their controllers make them, with an IP the way the CNI gives one.
    for (const p of cluster.pods) {
      if (!p.workload) continue;
      const owner = p.workload.kind === 'Deployment' ? { kind: 'ReplicaSet', name: `${p.workload.name}-6d4cf56db6` } : { kind: p.workload.kind, name: p.workload.name };
      server.put('pods', apiPod(p.namespace, p.name, { ...p.labels }, p.ports.map((c) => ({ ...(c.name ? { name: c.name } : {}), containerPort: c.containerPort, protocol: c.protocol })), p.ips[0] ?? `10.0.1.${ip++}`, owner));
    }
    // Namespaces the manifests only name exist in a cluster too (with the automatic label).
    for (const ns of cluster.namespaces) {
      if (!explicitNs.has(ns.name) && !server.objects.get('namespaces')!.some((o) => o.metadata.name === ns.name)) {
        server.put('namespaces', { metadata: { name: ns.name, labels: { 'kubernetes.io/metadata.name': ns.name } } });
      }
    }
  }
  // The automatic label, as the API server sets it on every Namespace.
  for (const ns of server.objects.get('namespaces')!) ns.metadata.labels = { ...ns.metadata.labels, 'kubernetes.io/metadata.name': ns.metadata.name };
  // Things netpol must never read.
  server.put('secrets', { metadata: { name: 'db-password', namespace: 'prod' }, data: { password: 'c2VjcmV0' } });
  server.put('configmaps', { metadata: { name: 'settings', namespace: 'prod' }, data: { a: 'b' } });
}

/** The equivalent file: what `kubectl get namespaces,nodes,pods,services,networkpolicies -A -o yaml` prints. */
export function dumpList(server: FakeApiServer): Obj {
  const items: Obj[] = [];
  for (const k of KINDS) {
    if (k.plural === 'secrets' || k.plural === 'configmaps') continue;
    for (const o of server.objects.get(k.plural)!) items.push({ apiVersion: k.group ? `${k.group}/${k.version}` : k.version, kind: k.kind, ...o });
  }
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
}
