// Wire schemas of the other kinds netpol reads (k8s.io/api core/v1, apps/v1, batch/v1 types.go),
// for strict decoding like the NetworkPolicy one in schema.ts. Every struct on the path to a
// field netpol reads lists its complete field set (so a misspelt `containerport:` is an unknown
// field with a did-you-mean); fields netpol does not read are `any`: known by name, unchecked.
// `status` is lenient: the API server resets it on create, and dumps from other versions carry
// fields this list does not know, so its problems are warnings.
import { labelSelector, objectMeta, type FieldSpec, type Shape, type StructShape } from './schema.js';

const str = (goType = 'string'): Shape => ({ kind: 'string', goType });
const int32: Shape = { kind: 'int', goType: 'int32' };
const list = (of: Shape, goType: string): Shape => ({ kind: 'list', of, goType });
const ANY: FieldSpec = { shape: { kind: 'any' } };
const anyFields = (...names: string[]): Record<string, FieldSpec> => Object.fromEntries(names.map((n) => [n, ANY]));

function struct(name: string, fields: Record<string, FieldSpec>, hints?: Record<string, string>): StructShape {
  return hints ? { kind: 'struct', name, goType: `v1.${name}`, fields, hints } : { kind: 'struct', name, goType: `v1.${name}`, fields };
}

// ObjectMeta (schema.ts) decodes ownerReferences field by field for every kind.
const objectMetaWithOwners = objectMeta;

export const containerPort = struct('ContainerPort', {
  name: { shape: str() },
  hostPort: { shape: int32 },
  containerPort: { shape: int32 },
  protocol: { shape: str('v1.Protocol') },
  hostIP: { shape: str() },
}, {
  port: 'did you mean "containerPort"? (a container port is `containerPort`)',
  targetPort: 'did you mean "containerPort"? (`targetPort` belongs to Service ports)',
});

const container = struct('Container', {
  name: { shape: str() },
  ports: { shape: list(containerPort, '[]v1.ContainerPort') },
  ...anyFields('image', 'command', 'args', 'workingDir', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy',
    'restartPolicyRules', 'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle',
    'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty'),
}, { containerPort: '`containerPort` belongs inside a `ports` entry: `ports: [{containerPort: 8080}]`' });

export const podSpec = struct('PodSpec', {
  containers: { shape: list(container, '[]v1.Container') },
  initContainers: { shape: list(container, '[]v1.Container') },
  hostNetwork: { shape: { kind: 'bool' } },
  restartPolicy: { shape: str('v1.RestartPolicy') },
  nodeName: { shape: str() },
  activeDeadlineSeconds: { shape: { kind: 'int', goType: 'int64' }, pointer: true },
  ...anyFields('volumes', 'ephemeralContainers', 'terminationGracePeriodSeconds', 'dnsPolicy', 'nodeSelector',
    'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'hostPID', 'hostIPC',
    'shareProcessNamespace', 'securityContext', 'imagePullSecrets', 'hostname', 'subdomain', 'affinity', 'schedulerName',
    'tolerations', 'hostAliases', 'priorityClassName', 'priority', 'dnsConfig', 'readinessGates', 'runtimeClassName',
    'enableServiceLinks', 'preemptionPolicy', 'overhead', 'topologySpreadConstraints', 'setHostnameAsFQDN', 'os',
    'hostUsers', 'schedulingGates', 'resourceClaims', 'resources', 'hostnameOverride', 'workloadRef'),
}, {
  ports: '`ports` belongs to a container: `containers: [{name: app, ports: [...]}]`',
  labels: '`labels` belongs under `metadata`',
});

const podIP = struct('PodIP', { ip: { shape: str() } });

export const podStatus = struct('PodStatus', {
  podIP: { shape: str() },
  podIPs: { shape: list(podIP, '[]v1.PodIP') },
  ...anyFields('observedGeneration', 'phase', 'conditions', 'message', 'reason', 'nominatedNodeName', 'hostIP', 'hostIPs',
    'startTime', 'initContainerStatuses', 'containerStatuses', 'qosClass', 'ephemeralContainerStatuses', 'resize',
    'resourceClaimStatuses', 'extendedResourceClaimStatus', 'allocatedResources', 'resources'),
});

const top = (name: string, spec: StructShape, extra: Record<string, FieldSpec> = {}): StructShape => struct(name, {
  apiVersion: { shape: str() },
  kind: { shape: str() },
  metadata: { shape: objectMetaWithOwners },
  spec: { shape: spec },
  status: { ...ANY, lenient: true },
  ...extra,
}, {
  name: '`name` belongs under `metadata`',
  namespace: '`namespace` belongs under `metadata`',
  labels: '`labels` belongs under `metadata`',
});

export const pod = top('Pod', podSpec, { status: { shape: podStatus, lenient: true } });

export const podTemplateSpec = struct('PodTemplateSpec', { metadata: { shape: objectMetaWithOwners }, spec: { shape: podSpec } }, {
  labels: '`labels` belongs under `template.metadata`',
  containers: '`containers` belongs under `template.spec`',
});

const selectorHints = { matchLabels: '`matchLabels` belongs under `selector`', labels: '`labels` belongs under `template.metadata`' };
const labelSelectorPtr: FieldSpec = { shape: labelSelector, pointer: true };
const templateField: FieldSpec = { shape: podTemplateSpec };

export const deployment = top('Deployment', struct('DeploymentSpec', {
  replicas: { shape: int32, pointer: true },
  selector: labelSelectorPtr,
  template: templateField,
  ...anyFields('strategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'),
}, selectorHints));

export const replicaSet = top('ReplicaSet', struct('ReplicaSetSpec', {
  replicas: { shape: int32, pointer: true },
  selector: labelSelectorPtr,
  template: templateField,
  ...anyFields('minReadySeconds'),
}, selectorHints));

export const statefulSet = top('StatefulSet', struct('StatefulSetSpec', {
  replicas: { shape: int32, pointer: true },
  selector: labelSelectorPtr,
  template: templateField,
  ...anyFields('volumeClaimTemplates', 'serviceName', 'podManagementPolicy', 'updateStrategy', 'revisionHistoryLimit',
    'minReadySeconds', 'persistentVolumeClaimRetentionPolicy', 'ordinals'),
}, selectorHints));

export const daemonSet = top('DaemonSet', struct('DaemonSetSpec', {
  selector: labelSelectorPtr,
  template: templateField,
  ...anyFields('updateStrategy', 'minReadySeconds', 'revisionHistoryLimit'),
}, selectorHints));

export const replicationController = top('ReplicationController', struct('ReplicationControllerSpec', {
  replicas: { shape: int32, pointer: true },
  // A plain label map here, not a LabelSelector.
  selector: { shape: { kind: 'stringMap' } },
  template: { shape: podTemplateSpec, pointer: true },
  ...anyFields('minReadySeconds'),
}, { matchLabels: 'a ReplicationController selector is a plain label map: `selector: {app: web}`' }));

const jobSpec = struct('JobSpec', {
  parallelism: { shape: int32, pointer: true },
  selector: labelSelectorPtr,
  manualSelector: { shape: { kind: 'bool' }, pointer: true },
  template: templateField,
  ...anyFields('completions', 'activeDeadlineSeconds', 'podFailurePolicy', 'successPolicy', 'backoffLimit',
    'backoffLimitPerIndex', 'maxFailedIndexes', 'ttlSecondsAfterFinished', 'completionMode', 'suspend',
    'podReplacementPolicy', 'managedBy'),
}, selectorHints);

export const job = top('Job', jobSpec);

export const cronJob = top('CronJob', struct('CronJobSpec', {
  jobTemplate: { shape: struct('JobTemplateSpec', { metadata: { shape: objectMetaWithOwners }, spec: { shape: jobSpec } }) },
  ...anyFields('schedule', 'timeZone', 'startingDeadlineSeconds', 'concurrencyPolicy', 'suspend',
    'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'),
}, { template: '`template` belongs under `jobTemplate.spec`' }));

export const namespace = top('Namespace', struct('NamespaceSpec', anyFields('finalizers')));

const servicePort = struct('ServicePort', {
  name: { shape: str() },
  protocol: { shape: str('v1.Protocol') },
  port: { shape: int32 },
  targetPort: { shape: { kind: 'intOrString' } },
  ...anyFields('appProtocol', 'nodePort'),
}, { containerPort: 'Service ports use `port` and `targetPort`' });

export const service = top('Service', struct('ServiceSpec', {
  ports: { shape: list(servicePort, '[]v1.ServicePort') },
  selector: { shape: { kind: 'stringMap' } },
  ...anyFields('clusterIP', 'clusterIPs', 'type', 'externalIPs', 'sessionAffinity', 'loadBalancerIP',
    'loadBalancerSourceRanges', 'externalName', 'externalTrafficPolicy', 'healthCheckNodePort', 'publishNotReadyAddresses',
    'sessionAffinityConfig', 'ipFamilies', 'ipFamilyPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass',
    'internalTrafficPolicy', 'trafficDistribution'),
}, { podSelector: 'a Service selects pods with `selector: {app: web}`' }));

const nodeAddress = struct('NodeAddress', { type: { shape: str('v1.NodeAddressType') }, address: { shape: str() } });

export const nodeStatus = struct('NodeStatus', {
  addresses: { shape: list(nodeAddress, '[]v1.NodeAddress') },
  ...anyFields('capacity', 'allocatable', 'phase', 'conditions', 'daemonEndpoints', 'nodeInfo', 'images', 'volumesInUse',
    'volumesAttached', 'config', 'runtimeHandlers', 'features', 'declaredFeatures'),
});

// A Node's addresses live in its status (the kubelet reports them); a manifest or dump carries them.
export const node = top('Node', struct('NodeSpec', anyFields('podCIDR', 'podCIDRs', 'providerID', 'unschedulable', 'taints',
  'configSource', 'externalID')), { status: { shape: nodeStatus, lenient: true } });

/** Shapes by kind. */
export const OBJECT_SHAPES: Record<string, StructShape> = {
  Pod: pod,
  Deployment: deployment,
  ReplicaSet: replicaSet,
  StatefulSet: statefulSet,
  DaemonSet: daemonSet,
  ReplicationController: replicationController,
  Job: job,
  CronJob: cronJob,
  Namespace: namespace,
  Service: service,
  Node: node,
};
