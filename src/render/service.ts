// A `query --to svc:ns/name` answer as text: the Service's verdict, then each backing endpoint
// on its target port with why (egress at the source, ingress at the pod).
import type { ServiceVerdict } from '../evaluate/service.js';
import { terminalText } from './escape.js';

const mark = (v: boolean | 'depends' | 'partial') => (v === true ? 'allowed' : v === false ? 'denied' : v);

export function renderServiceVerdictText(from: string, v: ServiceVerdict, portLabel: string): string {
  const out = [`${from} -> ${v.service} ${portLabel}: ${String(mark(v.allowed)).toUpperCase()}`];
  if (v.allowed === 'partial') out.push('(some backing pods allow it, some deny it: the answer depends on which endpoint the Service picks)');
  out.push('');
  if (v.endpoints.length) out.push(`endpoints (${v.endpoints.length}):`);
  for (const e of v.endpoints) {
    out.push(`  ${e.pod ?? e.address}:${e.port}/${v.protocol}  ${mark(e.allowed)}`);
    out.push(`    egress: ${e.trace.egress.reason}`, `    ingress: ${e.trace.ingress.reason}`);
    for (const d of e.trace.depends) out.push(`    depends: ${d.reason}`);
    for (const n of e.trace.notes) out.push(`    note: ${n}`);
  }
  for (const u of v.unresolved ?? []) out.push(`  not an endpoint: ${u.reason}`);
  for (const n of v.notes ?? []) out.push(`note: ${n}`);
  return out.map(terminalText).join('\n');
}
