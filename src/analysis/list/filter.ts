// Focus filters of `netpol list`: which ends (`--from`, `--to`) and which ports (`--port`) to
// report. Parsing only; list.ts applies them. Pure and browser-safe.
import { parseCidr, parseIp, type IpRange } from '../../net/ip.js';
import { PROTOCOLS, type Pod, type Protocol } from '../../model/types.js';
import { parseServiceRef } from '../../evaluate/service.js';

/** An end filter: a namespace, a workload or pod (`ns/name`), pods by label (`ns/key=value`), or addresses. */
export type EndFilter =
  | { kind: 'namespace'; text: string; namespace: string }
  | { kind: 'workload'; text: string; namespace: string; name: string }
  | { kind: 'label'; text: string; namespace: string; key: string; value: string }
  | { kind: 'ip'; text: string; range: IpRange }
  /** `svc:ns/name`, as parsed; serviceFilters() turns it into the `pods` that back it. */
  | { kind: 'service'; text: string; namespace: string; name: string }
  | { kind: 'pods'; text: string; pods: ReadonlySet<Pod> };

/** A port filter: a number or range, or a port name resolved on the destination; any protocol unless given. */
export type PortFilter =
  | { kind: 'range'; text: string; first: number; last: number; protocol?: Protocol }
  | { kind: 'name'; text: string; name: string; protocol?: Protocol };

export function parseEndFilter(text: string): EndFilter | { error: string } {
  const t = text.trim();
  if (parseIp(t)) {
    const ip = parseIp(t)!;
    return { kind: 'ip', text: t, range: { family: ip.family, first: ip.value, last: ip.value } };
  }
  const svc = parseServiceRef(t);
  if (svc) return 'error' in svc ? svc : { kind: 'service', text: t, ...svc };
  const cidr = parseCidr(t);
  if (cidr) return { kind: 'ip', text: t, range: cidr };
  const slash = t.indexOf('/');
  if (slash < 0) {
    if (!t || t.includes('=')) return { error: `"${text}" is not a namespace, ns/name, ns/label=value, IP or CIDR` };
    return { kind: 'namespace', text: t, namespace: t };
  }
  const namespace = t.slice(0, slash), rest = t.slice(slash + 1);
  if (!namespace || !rest) return { error: `"${text}" is not a namespace, ns/name, ns/label=value, IP or CIDR` };
  // Label keys may hold a slash (`app.kubernetes.io/name=api`): split at the first one only.
  const eq = rest.indexOf('=');
  if (eq >= 0) {
    const key = rest.slice(0, eq), value = rest.slice(eq + 1);
    if (!key) return { error: `"${text}": the label key is empty` };
    return { kind: 'label', text: t, namespace, key, value };
  }
  return { kind: 'workload', text: t, namespace, name: rest };
}

export function parsePortFilter(text: string): PortFilter | { error: string } {
  const m = /^([^/]+?)(?:\/([A-Za-z]+))?$/.exec(text.trim());
  const bad = { error: `"${text}" is not a port: use a number 1-65535, a range like 8000-8080 or a port name, optionally /TCP, /UDP or /SCTP` };
  if (!m) return bad;
  let protocol: Protocol | undefined;
  if (m[2] !== undefined) {
    const p = m[2].toUpperCase();
    if (!(PROTOCOLS as readonly string[]).includes(p)) return bad;
    protocol = p as Protocol;
  }
  const body = m[1]!;
  const range = /^(\d+)(?:-(\d+))?$/.exec(body);
  if (range) {
    const first = Number(range[1]), last = Number(range[2] ?? range[1]);
    if (first < 1 || last > 65535 || first > last) return bad;
    return { kind: 'range', text: text.trim(), first, last, protocol };
  }
  // IANA_SVC_NAME, as container port names are.
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(body) || !/[a-z]/.test(body) || body.length > 15) return bad;
  return { kind: 'name', text: text.trim(), name: body, protocol };
}
