// A checked Node document -> the model's Node: its labels (for `nodes` peers) and every
// status.addresses entry that is an IP (InternalIP, ExternalIP; Hostname/InternalDNS are names).
import type { DocumentOrigin } from '../diagnostics/diagnostic.js';
import type { Node } from '../model/types.js';
import { parseIp } from '../net/ip.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

export function toNode(raw: Obj, origin: DocumentOrigin): Node {
  const meta = obj(raw.metadata);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(meta.labels))) labels[k] = v == null ? '' : String(v);
  const addresses: string[] = [];
  const list = obj(raw.status).addresses;
  for (const a of Array.isArray(list) ? list : []) {
    const address = obj(a).address;
    if (typeof address === 'string' && parseIp(address) && !addresses.includes(address)) addresses.push(address);
  }
  return { kind: 'Node', name: String(meta.name ?? ''), labels, addresses, origin };
}
