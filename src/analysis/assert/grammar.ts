// One assertion line: `<from> -> <to>:<port>[/<protocol>] allow|deny`.
//   endpoint := <ip> | [<ipv6>] | <namespace part>/<pod part>
//   namespace part := name | * | key=value[,key=value]   (namespace labels)
//   pod part       := name (a pod, or every pod of that workload) | * | key=value[,key=value] (pod labels)
//   port := number | name | *   (* = every port the destination declares)
//   to may also be svc:<namespace>/<name>: port is then a Service port (number or name; * = all),
//   checked on every backing pod at its target port.
import { ipEndpoint } from '../../evaluate/resolve.js';
import { parseServiceRef, SERVICE_AS_SOURCE } from '../../evaluate/service.js';
import { PROTOCOLS, type Protocol } from '../../model/types.js';

export type Part = { kind: 'any' } | { kind: 'name'; name: string } | { kind: 'labels'; labels: Record<string, string> };

export type EndpointSpec = { kind: 'ip'; ip: string } | { kind: 'pods'; namespace: Part; pod: Part } | { kind: 'service'; namespace: string; name: string };

export interface AssertionSpec {
  text: string;
  from: EndpointSpec;
  to: EndpointSpec;
  /** undefined port = every declared port of each destination pod. */
  port: number | string | undefined;
  protocol: Protocol | undefined;
  expect: 'allow' | 'deny';
}

export type Parsed = { ok: true; spec: AssertionSpec } | { ok: false; message: string; hint?: string };

const LABEL = /^[A-Za-z0-9]([A-Za-z0-9_./-]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?)?$/;

function part(text: string, what: string): Part | string {
  if (text === '*') return { kind: 'any' };
  if (!text.includes('=')) return /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(text) ? { kind: 'name', name: text } : `"${text}" is not a valid ${what} name`;
  const labels: Record<string, string> = {};
  for (const kv of text.split(',')) {
    const [k, v, ...rest] = kv.split('=');
    if (rest.length || !k || !LABEL.test(k) || v === undefined || !VALUE.test(v)) return `"${kv}" is not a label key=value`;
    labels[k] = v;
  }
  return { kind: 'labels', labels };
}

export function parseEndpoint(text: string): EndpointSpec | string {
  const t = text.trim();
  const ip = ipEndpoint(t);
  if (ip) return { kind: 'ip', ip };
  const svc = parseServiceRef(t);
  if (svc) return 'error' in svc ? svc.error : { kind: 'service', ...svc };
  const slash = t.indexOf('/');
  if (slash < 0) return `"${t}" is neither an IP address nor namespace/pod (use "ns/name", "ns/*", "ns/app=api" or "*/app=api")`;
  const ns = part(t.slice(0, slash), 'namespace');
  const pod = part(t.slice(slash + 1), 'pod');
  if (typeof ns === 'string') return ns;
  if (typeof pod === 'string') return pod;
  return { kind: 'pods', namespace: ns, pod };
}

const LINE = /^(.+?)\s*->\s*(.+):([A-Za-z0-9*-]+)(?:\/([A-Za-z]+))?\s+([A-Za-z]+)$/;

export function parseAssertion(text: string): Parsed {
  const m = LINE.exec(text.trim());
  if (!m) {
    return { ok: false, message: `cannot read "${text}"`, hint: 'write `<from> -> <to>:<port>[/<protocol>] allow|deny`, e.g. `prod/api -> prod/db:3306/TCP allow`' };
  }
  const [, fromText, toText, portText, protoText, verdict] = m as unknown as [string, string, string, string, string | undefined, string];
  if (verdict !== 'allow' && verdict !== 'deny') return { ok: false, message: `expected "allow" or "deny" at the end, got "${verdict}"` };
  const from = parseEndpoint(fromText);
  if (typeof from === 'string') return { ok: false, message: `from: ${from}` };
  if (from.kind === 'service') return { ok: false, message: `from: ${SERVICE_AS_SOURCE}` };
  const to = parseEndpoint(toText);
  if (typeof to === 'string') return { ok: false, message: `to: ${to}` };
  let protocol: Protocol | undefined;
  if (protoText !== undefined) {
    const up = protoText.toUpperCase() as Protocol;
    if (!PROTOCOLS.includes(up)) return { ok: false, message: `unknown protocol "${protoText}"`, hint: 'use TCP, UDP or SCTP' };
    protocol = up;
  }
  let port: number | string | undefined;
  if (portText === '*') port = undefined;
  else if (/^\d+$/.test(portText)) {
    port = Number(portText);
    if (port < 1 || port > 65535) return { ok: false, message: `port ${portText} is not between 1 and 65535` };
  } else port = portText;
  if (to.kind === 'ip' && typeof port !== 'number') {
    return { ok: false, message: `port "${portText}" needs a pod destination to resolve`, hint: 'give a port number for an IP destination' };
  }
  return { ok: true, spec: { text: text.trim(), from, to, port, protocol, expect: verdict } };
}
