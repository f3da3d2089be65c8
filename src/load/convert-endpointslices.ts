// EndpointSlice documents (discovery.k8s.io/v1, what `--cluster` reads) -> the endpoints of the
// Service named by their `kubernetes.io/service-name` label. Only what the Service mapping needs:
// each ready endpoint's addresses, its targetRef Pod, and the slice's named ports (named as the
// Service ports they serve). Endpoints whose `conditions.ready` is false receive no traffic
// through the Service; an absent condition reads as ready ("unknown" is ready, per the API docs).
import type { Protocol, ServiceEndpoint } from '../model/types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP'];

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface SliceEndpoints {
  /** `namespace/service` the slice belongs to. */
  service: string;
  endpoints: ServiceEndpoint[];
}

export function readEndpointSlice(raw: Obj, defaultNs: string): SliceEndpoints | undefined {
  const meta = isObj(raw.metadata) ? raw.metadata : {};
  const labels = isObj(meta.labels) ? meta.labels : {};
  const svc = str(labels[SERVICE_NAME_LABEL]);
  if (!svc) return undefined;
  const namespace = str(meta.namespace) ?? defaultNs;
  const ports = (Array.isArray(raw.ports) ? raw.ports : []).filter(isObj).flatMap((p) => {
    const port = p.port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return [];
    const protocol = (str(p.protocol) ?? 'TCP') as Protocol;
    if (!PROTOCOLS.includes(protocol)) return [];
    const name = str(p.name);
    return [name ? { name, port, protocol } : { port, protocol }];
  });
  const endpoints: ServiceEndpoint[] = [];
  for (const e of (Array.isArray(raw.endpoints) ? raw.endpoints : []).filter(isObj)) {
    const conditions = isObj(e.conditions) ? e.conditions : {};
    if (conditions.ready === false) continue;
    const addresses = (Array.isArray(e.addresses) ? e.addresses : []).filter((a): a is string => typeof a === 'string' && a !== '');
    const ref = isObj(e.targetRef) ? e.targetRef : undefined;
    const podName = ref && ref.kind === 'Pod' ? str(ref.name) : undefined;
    const out: { pod?: string; addresses: string[]; ports: ServiceEndpoint['ports'] } = { addresses, ports };
    if (podName) out.pod = `${str(ref!.namespace) ?? namespace}/${podName}`;
    endpoints.push(out);
  }
  return { service: `${namespace}/${svc}`, endpoints };
}
