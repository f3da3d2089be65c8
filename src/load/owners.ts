// Workloads -> pods, and pods from a dump -> their workload. A dump (`kubectl get
// deploy,rs,pods -o yaml`) holds a Deployment, its ReplicaSets and their pods: the pods are
// the truth, so they are grouped under their top owner via the controlling ownerReference
// (Pod -> ReplicaSet -> Deployment, Pod -> Job -> CronJob, Pod -> StatefulSet/DaemonSet/...),
// and a workload is expanded into template pods `<workload>-<i>` only when the input holds
// none of its pods and no workload of the input owns it.
import type { DocumentOrigin } from '../diagnostics/diagnostic.js';
import type { ContainerPort, Labels, Pod, Workload, WorkloadRef } from '../model/types.js';

export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
}

export interface WorkloadInfo {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly countField: 'replicas' | 'parallelism';
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  /** The template's spec.nodeName: every pod of the workload runs there. */
  readonly nodeName?: string;
  readonly owner?: OwnerRef;
  readonly origin?: DocumentOrigin;
}

export interface ReadPod {
  readonly pod: Pod;
  readonly owner?: OwnerRef;
}

/** The alphabet of pod-template-hash (apimachinery rand.SafeEncodeString). */
const TEMPLATE_HASH = /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/;

const key = (ns: string, kind: string, name: string): string => `${ns}\u0000${kind}\u0000${name}`;

/**
 * `<deployment>-<hash>`: the hash equals the pod's pod-template-hash label, or at least is
 * written in its alphabet.
 */
function deploymentOf(rsName: string, podLabels: Labels): string | undefined {
  const i = rsName.lastIndexOf('-');
  if (i <= 0) return undefined;
  const hash = rsName.slice(i + 1);
  if (podLabels['pod-template-hash'] === hash || TEMPLATE_HASH.test(hash)) return rsName.slice(0, i);
  return undefined;
}

export function groupWorkloads(workloads: readonly WorkloadInfo[], dumped: readonly ReadPod[]): { pods: Pod[]; workloads: Workload[] } {
  const byKey = new Map(workloads.map((w) => [key(w.namespace, w.kind, w.name), w]));
  /** The top owner of `ref` in `ns`, following controllers through the input (bounded). */
  const top = (ns: string, ref: OwnerRef, podLabels: Labels): WorkloadRef => {
    let cur: OwnerRef = ref;
    for (let i = 0; i < 8; i++) {
      const w = byKey.get(key(ns, cur.kind, cur.name));
      if (w?.owner) {
        cur = w.owner;
        continue;
      }
      if (!w && cur.kind === 'ReplicaSet') {
        const d = deploymentOf(cur.name, podLabels);
        if (d) return { kind: 'Deployment', name: d };
      }
      break;
    }
    return { kind: cur.kind, name: cur.name };
  };

  const pods: Pod[] = [];
  const hasPods = new Set<string>();
  for (const { pod, owner } of dumped) {
    if (!owner) {
      pods.push(pod);
      continue;
    }
    const workload = top(pod.namespace, owner, pod.labels);
    hasPods.add(key(pod.namespace, workload.kind, workload.name));
    pods.push({ ...pod, workload });
  }

  const counts = new Map<string, number>();
  for (const p of pods) if (p.workload) {
    const k = key(p.namespace, p.workload.kind, p.workload.name);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  // Owned by a workload of the input (a Deployment's ReplicaSet, a CronJob's Job): the owner
  // stands for it. Its pods, if any were dumped, are already counted under the owner.
  const standalone = workloads.filter((w) => !(w.owner && byKey.has(key(w.namespace, w.owner.kind, w.owner.name))));
  const refOf = (w: WorkloadInfo): WorkloadRef => (w.owner ? top(w.namespace, w.owner, w.labels) : { kind: w.kind, name: w.name });
  for (const w of standalone) {
    const ref = refOf(w);
    const k = key(w.namespace, ref.kind, ref.name);
    if (hasPods.has(k)) continue;
    for (let i = 0; i < w.replicas; i++) {
      pods.push({ kind: 'Pod', name: `${w.name}-${i}`, namespace: w.namespace, labels: w.labels, ips: [], ports: w.ports, hostNetwork: w.hostNetwork, ...(w.nodeName ? { nodeName: w.nodeName } : {}), workload: ref, ...(w.origin ? { origin: w.origin } : {}) });
    }
    counts.set(k, (counts.get(k) ?? 0) + w.replicas);
  }

  const summaries: Workload[] = standalone.map((w) => {
    const ref = refOf(w);
    return { kind: w.kind, name: w.name, namespace: w.namespace, replicas: w.replicas, countField: w.countField, pods: counts.get(key(w.namespace, ref.kind, ref.name)) ?? 0 };
  });
  return { pods, workloads: summaries };
}
