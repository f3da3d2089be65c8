// An edit applied to the class engine the worker keeps (src/matrix/changes.ts) instead of a
// fresh engine: the old and new clusters are compared object by object, and only the pods and
// NetworkPolicies that differ are removed, added or replaced. Whatever the incremental updates
// do not cover is refused here, and the caller builds a fresh engine:
//  - tier policies or Nodes (before or after): tier answers hang on namespaces, nodes and
//    addresses the engine reads once; patching them per policy is not worth the risk here;
//  - a namespace added, removed or relabelled: namespace selectors are resolved once per group.
// The engine itself rebuilds when a change needs new boundaries (changes.ts `needsRebuild`).
// Services are not read by the engine (the list never looks at them), so they never force one.
import type { Cluster, NetworkPolicy, Pod } from '../index.js';
import type { Reachability } from '../matrix/engine.js';

/** Why an edit cannot be patched into the kept engine, or undefined when it was. */
export function patchEngine(engine: Reachability, before: Cluster, after: Cluster): string | undefined {
  if (before.clusterPolicies?.length || after.clusterPolicies?.length || before.nodes?.length || after.nodes?.length) return 'tier policies or nodes';
  if (namespacesKey(before) !== namespacesKey(after)) return 'namespaces or their labels changed';
  // Pods first: a policy change that makes the engine rebuild then rebuilds over the new pods.
  const oldPods = byId(before.pods, podKey), newPods = byId(after.pods, podKey);
  for (const [id, [pod, key]] of oldPods) if (newPods.get(id)?.[1] !== key) engine.removePod(pod.namespace, pod.name);
  for (const [id, [pod, key]] of newPods) if (oldPods.get(id)?.[1] !== key) engine.addPod(pod);
  const oldPolicies = byId(before.policies, policyKey), newPolicies = byId(after.policies, policyKey);
  for (const [id, [p]] of oldPolicies) if (!newPolicies.has(id)) engine.removePolicy(p.namespace, p.name);
  for (const [id, [p, key]] of newPolicies) if (oldPolicies.get(id)?.[1] !== key) engine.upsertPolicy(p);
  return undefined;
}

// Keys by object: a file whose text did not change is not parsed again, but it is converted
// again, so its objects are new and their keys are computed once per edit (the old cluster's
// come from this cache).
const keys = new WeakMap<object, string>();

/** Objects by `namespace/name`, each with what the engine reads of it as a string. */
function byId<T extends { namespace: string; name: string }>(items: readonly T[], key: (x: T) => string): Map<string, [T, string]> {
  return new Map(items.map((x) => {
    let k = keys.get(x);
    if (k === undefined) keys.set(x, (k = key(x)));
    return [`${x.namespace}/${x.name}`, [x, k]];
  }));
}

// What the engine reads of a pod: its class key's inputs (labels, declared ports, IPs) and what
// tier answers and `depends` read. Keys in written order: a reordered mapping counts as a change,
// which costs a remove and an add, never a wrong answer.
const podKey = (p: Pod) => JSON.stringify([p.labels, p.ports, p.ips, p.hostNetwork, p.nodeName ?? null]);

// A policy's whole meaning; `origin` (file, line) is not read by the engine.
const policyKey = (p: NetworkPolicy) => JSON.stringify(p, (k, v) => (k === 'origin' ? undefined : v));

const namespacesKey = (c: Cluster) => JSON.stringify(c.namespaces.map((n) => [n.name, n.labels]));
