// What netpol reads from a cluster: kinds, their API paths, and which need discovery. Never
// Secrets or ConfigMaps; only get/list/watch (docs/cluster.md: the ClusterRole).

export interface Resource {
  kind: string;
  group: string; // '' for the core group
  version: string;
  plural: string;
  namespaced: boolean;
  /** Read only when discovery says the API serves it (optional APIs, CRDs). */
  optional: boolean;
}

export const RESOURCES: readonly Resource[] = [
  { kind: 'Namespace', group: '', version: 'v1', plural: 'namespaces', namespaced: false, optional: false },
  { kind: 'Node', group: '', version: 'v1', plural: 'nodes', namespaced: false, optional: false },
  { kind: 'Pod', group: '', version: 'v1', plural: 'pods', namespaced: true, optional: false },
  { kind: 'Service', group: '', version: 'v1', plural: 'services', namespaced: true, optional: false },
  { kind: 'EndpointSlice', group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true, optional: true },
  { kind: 'NetworkPolicy', group: 'networking.k8s.io', version: 'v1', plural: 'networkpolicies', namespaced: true, optional: false },
  { kind: 'ClusterNetworkPolicy', group: 'policy.networking.k8s.io', version: 'v1alpha2', plural: 'clusternetworkpolicies', namespaced: false, optional: true },
  { kind: 'AdminNetworkPolicy', group: 'policy.networking.k8s.io', version: 'v1alpha1', plural: 'adminnetworkpolicies', namespaced: false, optional: true },
  { kind: 'BaselineAdminNetworkPolicy', group: 'policy.networking.k8s.io', version: 'v1alpha1', plural: 'baselineadminnetworkpolicies', namespaced: false, optional: true },
];

export const apiVersionOf = (r: Resource) => (r.group ? `${r.group}/${r.version}` : r.version);

/** RBAC's name of the resource: `pods`, `networkpolicies.networking.k8s.io`. */
export const rbacName = (r: Resource) => (r.group ? `${r.plural}.${r.group}` : r.plural);

/** The collection path, cluster-wide or in one namespace. */
export function collectionPath(r: Resource, namespace?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return namespace !== undefined && r.namespaced ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.plural}` : `${base}/${r.plural}`;
}

/** `cluster:pods/prod/db-0`: the origin diagnostics name (load-objects.ts). */
export function originOf(r: Resource, namespace: string | undefined, name: string): string {
  return `cluster:${r.plural}/${namespace ? `${namespace}/` : ''}${name}`;
}
