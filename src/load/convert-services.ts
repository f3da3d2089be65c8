// Service documents (already checked by validate/objects.ts) -> model, with the API server's
// defaulting (SetDefaults_Service / SetDefaults_ServicePort): type ClusterIP, protocol TCP,
// targetPort absent, 0 or "" = port. An empty selector reads as none: the API stores `{}` and
// an absent selector alike (protobuf drops empty maps), and the EndpointSlice controller gives
// a Service without a selector no endpoints.
import type { DocumentOrigin } from '../diagnostics/diagnostic.js';
import type { Protocol, Service, ServicePort } from '../model/types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;

function readPort(raw: Obj): ServicePort {
  const port = raw.port as number;
  const t = raw.targetPort;
  const targetPort = t === undefined || t === null || t === 0 || t === '' ? port : (t as number | string);
  const protocol = (typeof raw.protocol === 'string' && raw.protocol !== '' ? raw.protocol : 'TCP') as Protocol;
  const out: { -readonly [K in keyof ServicePort]: ServicePort[K] } = { port, targetPort, protocol };
  if (typeof raw.name === 'string' && raw.name !== '') out.name = raw.name;
  if (typeof raw.nodePort === 'number' && raw.nodePort > 0) out.nodePort = raw.nodePort;
  return out;
}

export function readService(raw: Obj, origin: DocumentOrigin, defaultNs: string): Service | undefined {
  const meta = obj(raw.metadata);
  const spec = obj(raw.spec);
  if (typeof meta.name !== 'string' || meta.name === '') return undefined;
  const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : defaultNs;
  const type = (TYPES as readonly unknown[]).includes(spec.type) ? (spec.type as Service['type']) : 'ClusterIP';
  const selector = isObj(spec.selector) && Object.keys(spec.selector).length > 0 ? (spec.selector as Record<string, string>) : undefined;
  const ports = (Array.isArray(spec.ports) ? spec.ports : []).filter(isObj).map(readPort);
  const svc: { -readonly [K in keyof Service]: Service[K] } = { kind: 'Service', name: meta.name, namespace, type, ports, origin };
  if (selector) svc.selector = selector;
  if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '') svc.clusterIP = spec.clusterIP;
  if (typeof spec.externalName === 'string' && spec.externalName !== '') svc.externalName = spec.externalName;
  // SetDefaults_Service: NodePort and LoadBalancer Services default to Cluster.
  if (type === 'NodePort' || type === 'LoadBalancer') svc.externalTrafficPolicy = spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster';
  return svc;
}
