// Observed flows → Intent: policies that allow exactly what was seen (plus DNS). Three inputs,
// told apart by their first bytes:
//   - `netpol lab probe --format json`: the matrix shape; every '1' cell is an observed flow;
//   - `hubble observe -o json`: one JSON object per line (`{"flow": {...}}` or the flow itself);
//     forwarded, non-reply L4 flows count; pods are found by namespace/name, then by workload
//     name prefix (Deployment pods are `<workload>-<hash>-<id>`), then by IP;
//   - CSV: `source,destination,port[,protocol]`, ends `ns/pod` or an IP, header optional.
// Every pod seen in an attributed flow is governed both ways: only what was observed stays open.
// A flow seen from (to) one pod counts for every pod with the same labels (no selector can tell
// them apart); those extra pairs are reported as widened by the labels.
import { podWithIp } from '../../evaluate/resolve.js';
import { formatIp, parseIp } from '../../net/ip.js';
import { resolveProbePort } from '../../matrix/ports.js';
import { PROTOCOLS, type Cluster, type Pod, type Protocol } from '../../model/types.js';
import type { Expectation } from '../assert/file.js';
import type { EndpointSpec } from '../assert/grammar.js';
import { generateFromIntent, type GenerateOptions, type GenerateResult } from './index.js';
import { connKey, endName, type End, type Intent, type Want } from './intent.js';

interface FlowEnd {
  namespace?: string;
  name?: string;
  ip?: string;
}

export interface Flow {
  line: number;
  from: FlowEnd;
  to: FlowEnd;
  port: number | string;
  protocol: Protocol;
}

export interface ReadFlows {
  flows: Flow[];
  errors: { line: number; message: string }[];
  /** Records read but not flows to allow (replies, drops, no L4 port), with a count per reason. */
  ignored: Record<string, number>;
}

const show = (e: FlowEnd) => (e.name ? `${e.namespace ?? '?'}/${e.name}` : e.ip ?? '?');

function ipOf(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const a = parseIp(text.trim());
  return a ? formatIp(a) : undefined;
}

function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(cur.trim()), (cur = '');
    else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function csvEnd(text: string): FlowEnd | undefined {
  const ip = ipOf(text.replace(/^\[(.*)\]$/, '$1'));
  if (ip) return { ip };
  const m = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?)\/([a-z0-9]([a-z0-9.-]*[a-z0-9])?)$/.exec(text);
  return m ? { namespace: m[1]!, name: m[3]! } : undefined;
}

export function readFlows(file: string, text: string): ReadFlows {
  void file;
  const out: ReadFlows = { flows: [], errors: [], ignored: {} };
  const ignore = (why: string) => (out.ignored[why] = (out.ignored[why] ?? 0) + 1);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    // The lab's probe JSON is one object with pods and probes; Hubble's is one object per line.
    let whole: unknown;
    try {
      whole = JSON.parse(text);
    } catch {
      whole = undefined;
    }
    const m = whole as { pods?: unknown; probes?: unknown } | undefined;
    if (m && Array.isArray(m.pods) && Array.isArray(m.probes)) {
      const pods = m.pods as unknown[];
      for (const probe of m.probes as { port?: unknown; protocol?: unknown; rows?: unknown }[]) {
        const protocol = String(probe?.protocol ?? '').toUpperCase() as Protocol;
        if (!PROTOCOLS.includes(protocol) || !(typeof probe.port === 'number' || typeof probe.port === 'string') || !Array.isArray(probe.rows)) {
          out.errors.push({ line: 1, message: 'a probe needs port, protocol and rows (the `netpol lab probe --format json` shape)' });
          continue;
        }
        (probe.rows as unknown[]).forEach((row, i) => {
          if (typeof row !== 'string') return;
          for (let j = 0; j < row.length; j++) {
            if (row[j] !== '1' || i === j) continue;
            const [a, b] = [String(pods[i]), String(pods[j])];
            const end = (id: string): FlowEnd => ({ namespace: id.slice(0, id.indexOf('/')), name: id.slice(id.indexOf('/') + 1) });
            out.flows.push({ line: 1, from: end(a), to: end(b), port: probe.port as number | string, protocol });
          }
        });
      }
      return out;
    }
    text.split('\n').forEach((raw, i) => {
      const line = i + 1;
      if (!raw.trim()) return;
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        out.errors.push({ line, message: 'not a JSON object (expected `hubble observe -o json` output, one flow per line)' });
        return;
      }
      const f = (rec && typeof rec === 'object' && rec.flow && typeof rec.flow === 'object' ? rec.flow : rec) as Record<string, any>;
      if (!f || typeof f !== 'object') return void out.errors.push({ line, message: 'not a flow object' });
      if (f.is_reply === true || f.reply === true) return ignore('reply');
      if (f.verdict !== undefined && f.verdict !== 'FORWARDED') return ignore(`verdict ${String(f.verdict)}`);
      const l4 = f.l4 && typeof f.l4 === 'object' ? f.l4 : {};
      const protoKey = PROTOCOLS.find((p) => l4[p] && typeof l4[p] === 'object');
      const port = protoKey ? l4[protoKey].destination_port : undefined;
      if (!protoKey || typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return ignore('no TCP/UDP/SCTP destination port');
      const end = (ep: any, ip: unknown): FlowEnd => {
        const e: FlowEnd = {};
        if (ep && typeof ep === 'object' && typeof ep.pod_name === 'string' && ep.pod_name && typeof ep.namespace === 'string') {
          e.namespace = ep.namespace;
          e.name = ep.pod_name;
        }
        const a = ipOf(ip);
        if (a) e.ip = a;
        return e;
      };
      out.flows.push({ line, from: end(f.source, f.IP?.source), to: end(f.destination, f.IP?.destination), port, protocol: protoKey });
    });
    return out;
  }
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (!t || t.startsWith('#')) return;
    const [src = '', dst = '', portText = '', protoText = 'TCP', ...rest] = csvFields(t);
    if (line === 1 && /^source$/i.test(src)) return;
    const from = csvEnd(src);
    const to = csvEnd(dst);
    const protocol = protoText.toUpperCase() as Protocol;
    const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
    if (rest.length || !from || !to || !PROTOCOLS.includes(protocol) || !(port >= 1 && port <= 65535)) {
      out.errors.push({ line, message: 'expected `source,destination,port[,protocol]`: ends as ns/pod or an IP, port 1-65535, protocol TCP, UDP or SCTP' });
      return;
    }
    out.flows.push({ line, from, to, port, protocol });
  });
  return out;
}

export interface Unattributed {
  line: number;
  text: string;
  reason: string;
}

function findPod(cluster: Cluster, e: FlowEnd): Pod | string | undefined {
  if (e.name !== undefined) {
    const exact = cluster.pods.find((p) => p.namespace === e.namespace && p.name === e.name);
    if (exact) return exact;
    // A real pod name of a workload the manifests describe: `<workload>-…`; the longest name wins.
    const owned = cluster.pods
      .filter((p) => p.namespace === e.namespace && p.workload && e.name!.startsWith(`${p.workload.name}-`))
      .sort((a, b) => b.workload!.name.length - a.workload!.name.length || (a.name < b.name ? -1 : 1));
    if (owned[0]) return owned[0];
    // A pod the manifests do not describe is still a pod: never an outside address.
    return (e.ip ? podWithIp(cluster, e.ip) : undefined) ?? `no pod or workload ${e.namespace}/${e.name} in the manifests`;
  }
  if (e.ip) return podWithIp(cluster, e.ip);
  return 'no pod and no address';
}

export interface FlowsResult {
  result: GenerateResult;
  unattributed: Unattributed[];
}

export function generateFromFlows(cluster: Cluster, flows: readonly Flow[], options: GenerateOptions = {}): FlowsResult {
  const unattributed: Unattributed[] = [];
  const intent: Intent = { allows: [], denies: [], ingress: new Set(), egress: new Set(), forced: new Set() };
  const classOf = (p: Pod) => `${p.namespace}\0${JSON.stringify(Object.entries(p.labels).sort())}`;
  const members = new Map<string, Pod[]>();
  for (const p of cluster.pods) members.set(classOf(p), [...(members.get(classOf(p)) ?? []), p]);
  const expectations: Expectation[] = [];
  const seen = new Set<string>();
  for (const f of flows) {
    const text = `${show(f.from)} -> ${show(f.to)}:${f.port}/${f.protocol}`;
    const a = findPod(cluster, f.from);
    const b = findPod(cluster, f.to);
    if (typeof a === 'string' || typeof b === 'string') {
      unattributed.push({ line: f.line, text, reason: typeof a === 'string' ? `source: ${a}` : `destination: ${b}` });
      continue;
    }
    if (!a && !b) {
      unattributed.push({ line: f.line, text, reason: 'neither end is a pod of the manifests' });
      continue;
    }
    const from: End = a ? { kind: 'pod', pod: a } : { kind: 'ip', ip: f.from.ip! };
    const to: End = b ? { kind: 'pod', pod: b } : { kind: 'ip', ip: f.to.ip! };
    const port = typeof f.port === 'number' ? f.port : b ? resolveProbePort({ port: f.port, protocol: f.protocol }, b) : undefined;
    if (port === undefined) {
      unattributed.push({ line: f.line, text, reason: `the destination declares no port named "${String(f.port)}"` });
      continue;
    }
    if (from.kind === 'pod' && to.kind === 'pod' && from.pod === to.pod) continue;
    const serves = `observed ${endName(from)} -> ${endName(to)}:${port}/${f.protocol} (line ${f.line})`;
    const key = connKey(from, to, port, f.protocol);
    const spec = (e: End): EndpointSpec => (e.kind === 'pod' ? { kind: 'pods', namespace: { kind: 'name', name: e.pod.namespace }, pod: { kind: 'name', name: e.pod.name } } : e.kind === 'ip' ? { kind: 'ip', ip: e.ip } : { kind: 'cidr', cidr: e.cidr });
    expectations.push({ spec: { text: `${endName(from)} -> ${endName(to)}:${port}/${f.protocol} allow`, from: spec(from), to: spec(to), port, protocol: f.protocol, expect: 'allow' }, file: 'flows', line: f.line, path: '' });
    if (seen.has(key)) {
      intent.forced!.delete(key); // widened by an earlier flow, and observed itself
      continue;
    }
    seen.add(key);
    intent.allows.push({ from, to, port, protocol: f.protocol, serves });
    // The same flow for every pod no selector can tell apart from its ends.
    const fromSet = from.kind === 'pod' ? members.get(classOf(from.pod))! : [null];
    const toSet = to.kind === 'pod' ? members.get(classOf(to.pod))! : [null];
    for (const x of fromSet) {
      for (const y of toSet) {
        const xe: End = x ? { kind: 'pod', pod: x } : from;
        const ye: End = y ? { kind: 'pod', pod: y } : to;
        if (x && y && x === y) continue;
        if (x) intent.ingress.add(x), intent.egress.add(x);
        if (y) intent.ingress.add(y), intent.egress.add(y);
        const k = connKey(xe, ye, port, f.protocol);
        if (seen.has(k)) continue;
        seen.add(k);
        const want: Want = { from: xe, to: ye, port, protocol: f.protocol, serves };
        intent.allows.push(want);
        intent.forced!.add(k);
      }
    }
  }
  return { result: generateFromIntent(cluster, intent, expectations, options), unattributed };
}

