// What the loader does with each kind. In the API groups netpol reads, an unknown kind is what
// the API server refuses (`no matches for kind …`), so a mistyped `kind: Networkpolicy` cannot
// silently drop a policy. Kinds that change traffic but are not modelled are warned about by
// name; every other kind is skipped with an info.
import { closest } from '../validate/suggest.js';

/** Served versions and kinds of the groups netpol knows ('' is the core group). */
const GROUPS: Record<string, { versions: readonly string[]; kinds: readonly string[]; kindVersions?: Readonly<Record<string, readonly string[]>> }> = {
  '': {
    versions: ['v1'],
    kinds: ['Binding', 'ComponentStatus', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'List', 'Namespace', 'Node',
      'PersistentVolume', 'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota', 'Secret',
      'Service', 'ServiceAccount'],
  },
  apps: { versions: ['v1'], kinds: ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'] },
  batch: { versions: ['v1'], kinds: ['CronJob', 'Job'] },
  'discovery.k8s.io': { versions: ['v1'], kinds: ['EndpointSlice'] },
  'networking.k8s.io': { versions: ['v1'], kinds: ['IPAddress', 'Ingress', 'IngressClass', 'NetworkPolicy', 'ServiceCIDR'] },
  'policy.networking.k8s.io': {
    versions: ['v1alpha1', 'v1alpha2'], kinds: ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'],
    // v0.2.0 serves only ClusterNetworkPolicy (v1alpha2); v0.1.x served only ANP/BANP (v1alpha1).
    kindVersions: { ClusterNetworkPolicy: ['v1alpha2'], AdminNetworkPolicy: ['v1alpha1'], BaselineAdminNetworkPolicy: ['v1alpha1'] },
  },
  // Removed in Kubernetes 1.16-1.22: old Deployments, DaemonSets, Ingresses, NetworkPolicies.
  extensions: { versions: [], kinds: [] },
};

/** Kinds that allow or deny connections but are not modelled: group -> kinds. */
const TRAFFIC_KINDS: Record<string, readonly string[]> = {
  'cilium.io': ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
  'projectcalico.org': ['NetworkPolicy', 'GlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedKubernetesNetworkPolicy', 'NetworkSet', 'GlobalNetworkSet', 'HostEndpoint'],
  'crd.projectcalico.org': ['NetworkPolicy', 'GlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedKubernetesNetworkPolicy', 'NetworkSet', 'GlobalNetworkSet', 'HostEndpoint'],
  'crd.antrea.io': ['NetworkPolicy', 'ClusterNetworkPolicy'],
  'k8s.cni.cncf.io': ['MultiNetworkPolicy', 'NetworkAttachmentDefinition'],
  'k8s.ovn.org': ['UserDefinedNetwork', 'ClusterUserDefinedNetwork', 'EgressFirewall'],
  'security.istio.io': ['AuthorizationPolicy'],
  'policy.linkerd.io': ['AuthorizationPolicy', 'Server', 'ServerAuthorization'],
};

export function groupOf(apiVersion: unknown): { group: string; version: string } | undefined {
  if (typeof apiVersion !== 'string' || apiVersion === '') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export type KindVerdict =
  | { action: 'read' }
  | { action: 'error'; message: string; hint?: string }
  | { action: 'warn'; kind: string }
  | { action: 'info' };

/**
 * How to treat `kind` in `apiVersion`. `modelled` says whether the loader reads the kind; it
 * is only read when its group is right (or the group is not one netpol knows, so the kind's own
 * checks say what is wrong, e.g. NetworkPolicy's apiVersion check).
 */
export function classifyKind(kind: string, apiVersion: unknown, modelled: boolean): KindVerdict {
  const gv = groupOf(apiVersion);
  const known = gv ? GROUPS[gv.group] : undefined;
  if (gv && TRAFFIC_KINDS[gv.group]?.includes(kind)) return { action: 'warn', kind };
  if (!gv || !known) return modelled ? { action: 'read' } : { action: 'info' };
  const versions = known.kindVersions?.[kind] ?? known.versions;
  if (known.kinds.includes(kind) && versions.includes(gv.version)) return modelled ? { action: 'read' } : { action: 'info' };
  if (kind === 'NetworkPolicy') return { action: 'read' }; // its own apiVersion check says it best
  const message = `no matches for kind "${kind}" in version "${apiVersion as string}"`;
  const served = `${prefix(gv.group)}${(known.kinds.includes(kind) ? versions : known.versions).at(-1)}`;
  if (known.kinds.includes(kind)) return { action: 'error', message, hint: `use \`apiVersion: ${served}\`` };
  const same = closest(kind, known.kinds);
  if (same) return { action: 'error', message, hint: `did you mean \`kind: ${same}\`?` };
  for (const [group, g] of Object.entries(GROUPS)) {
    const other = g.kinds.includes(kind) ? kind : closest(kind, g.kinds);
    if (other) return { action: 'error', message, hint: `did you mean \`apiVersion: ${prefix(group)}${(g.kindVersions?.[other] ?? g.versions).at(-1)}\` with \`kind: ${other}\`?` };
  }
  if (known.kinds.length === 0) return { action: 'error', message, hint: `the API group "${gv.group}" is no longer served` };
  return { action: 'error', message, hint: `${served} serves: ${known.kinds.join(', ')}` };
}

const prefix = (group: string) => (group === '' ? '' : `${group}/`);
