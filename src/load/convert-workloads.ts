// Namespaces, Pods and workloads -> model. Workloads become the pods they would run:
// `<workload>-<ordinal>` for ordinals 0..replicas-1 (the way StatefulSets name theirs), so that
// `prod/api` (the workload) and `prod/api-0` (one of its pods) both work in queries.
import { diagnostic, type Diagnostic, type DocumentOrigin } from '../diagnostics/diagnostic.js';
import { child } from '../diagnostics/field-path.js';
import { describeValue, quoteHint } from '../diagnostics/quote-hint.js';
import { parseIp } from '../net/ip.js';
import { NAMESPACE_NAME_LABEL, type ContainerPort, type Namespace, type Pod, type Protocol } from '../model/types.js';
import type { OwnerRef, WorkloadInfo } from './owners.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Kinds whose pod template lives at spec.template, and how many pods each runs. */
export const WORKLOAD_KINDS: Record<string, (spec: Obj) => { template: unknown; templatePath: string; replicas: unknown }> = {
  Deployment: (s) => ({ template: s.template, templatePath: 'spec.template', replicas: s.replicas ?? 1 }),
  ReplicaSet: (s) => ({ template: s.template, templatePath: 'spec.template', replicas: s.replicas ?? 1 }),
  StatefulSet: (s) => ({ template: s.template, templatePath: 'spec.template', replicas: s.replicas ?? 1 }),
  ReplicationController: (s) => ({ template: s.template, templatePath: 'spec.template', replicas: s.replicas ?? 1 }),
  // One node is modelled, so a DaemonSet runs one pod.
  DaemonSet: (s) => ({ template: s.template, templatePath: 'spec.template', replicas: 1 }),
  Job: (s) => ({ template: s.template, templatePath: 'spec.template', replicas: s.parallelism ?? 1 }),
  CronJob: (s) => ({
    template: obj(obj(s.jobTemplate).spec).template,
    templatePath: 'spec.jobTemplate.spec.template',
    replicas: obj(obj(s.jobTemplate).spec).parallelism ?? 1,
  }),
};

export const MAX_REPLICAS = 10_000;

export interface Sink {
  diagnostics: Diagnostic[];
}

function objectName(kind: string, ns: string | undefined, name: string): string {
  return ns ? `${kind} ${ns}/${name}` : `${kind} ${name}`;
}

/** Labels must be a map of strings; YAML 1.1 booleans and numbers are type errors (quote them). */
export function readLabels(v: unknown, path: string, origin: DocumentOrigin, sink: Sink, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (v == null) return out;
  if (!isObj(v)) {
    sink.diagnostics.push(diagnostic(origin, 'error', 'Type mismatch', path, `${path} must be a map of strings`, { object: what }));
    return out;
  }
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') {
      sink.diagnostics.push(diagnostic(origin, 'error', 'Type mismatch', path,
        `label "${k}" has a ${val === null ? 'null' : typeof val} value ${JSON.stringify(val)}; label values must be strings`,
        { key: k, object: what, hint: labelHint(k, val, origin.sourceText?.(child(path, k))) }));
      continue;
    }
    out[k] = val;
  }
  return out;
}

/** Quote what was written: `app: n` is read as the boolean false by kubectl. */
function labelHint(key: string, value: unknown, written: string | undefined): string {
  if (written !== undefined && written !== '' && !/^["'|>]/.test(written)) return quoteHint(key, written, describeValue(value));
  return `label values must be strings; ${key} is read as ${describeValue(value)}: quote it`;
}

/** Container ports, already validated (checkObject): protocol "" or absent defaults to TCP. */
function readPorts(spec: Obj): ContainerPort[] {
  const ports: ContainerPort[] = [];
  for (const c of list(spec.containers)) {
    for (const p of list(obj(c).ports)) {
      const o = obj(p);
      const num = o.containerPort;
      if (typeof num !== 'number') continue;
      const protocol = (o.protocol || 'TCP') as Protocol;
      ports.push(typeof o.name === 'string' && o.name !== '' ? { name: o.name, containerPort: num, protocol } : { containerPort: num, protocol });
    }
  }
  return ports;
}

/** status.podIP and status.podIPs; malformed ones were reported (warnings) and are left out. */
function readIps(status: Obj): string[] {
  const ips = new Set<string>();
  if (typeof status.podIP === 'string' && parseIp(status.podIP)) ips.add(status.podIP);
  for (const e of list(status.podIPs)) {
    const ip = obj(e).ip;
    if (typeof ip === 'string' && parseIp(ip)) ips.add(ip);
  }
  return [...ips];
}

/** The controlling owner reference (`controller: true`), if any. */
export function controllerOf(raw: Obj): OwnerRef | undefined {
  for (const r of list(obj(raw.metadata).ownerReferences)) {
    const o = obj(r);
    if (o.controller === true && typeof o.kind === 'string' && typeof o.name === 'string') return { kind: o.kind, name: o.name };
  }
  return undefined;
}

/**
 * Metadata validation has passed, so a missing name means only generateName was given: the
 * server would append random characters, which netpol cannot know.
 */
function missingName(origin: DocumentOrigin, sink: Sink): void {
  sink.diagnostics.push(diagnostic(origin, 'error', 'Not supported', 'metadata.generateName',
    'netpol cannot know the name the API server would generate', { hint: 'give the object a `metadata.name` to analyse it' }));
}

export function readNamespace(raw: Obj, origin: DocumentOrigin, sink: Sink): Namespace | undefined {
  const meta = obj(raw.metadata);
  const name = meta.name;
  if (typeof name !== 'string' || name === '') {
    missingName(origin, sink);
    return undefined;
  }
  const labels = readLabels(meta.labels, 'metadata.labels', origin, sink, objectName('Namespace', undefined, name));
  // The control plane sets this label on every namespace and it cannot be changed.
  return { kind: 'Namespace', name, labels: { ...labels, [NAMESPACE_NAME_LABEL]: name }, implicit: false, origin };
}

export function readPod(raw: Obj, origin: DocumentOrigin, sink: Sink, defaultNs: string): Pod | undefined {
  const meta = obj(raw.metadata);
  const name = meta.name;
  const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : defaultNs;
  if (typeof name !== 'string' || name === '') {
    missingName(origin, sink);
    return undefined;
  }
  const what = objectName('Pod', namespace, name);
  const spec = obj(raw.spec);
  return {
    kind: 'Pod', name, namespace,
    labels: readLabels(meta.labels, 'metadata.labels', origin, sink, what),
    ips: readIps(obj(raw.status)),
    ports: readPorts(spec),
    hostNetwork: spec.hostNetwork === true,
    ...nodeNameOf(spec),
    origin,
  };
}

/** spec.nodeName when set (a pod pinned to, or dumped from, a node). */
function nodeNameOf(spec: Obj): { nodeName?: string } {
  return typeof spec.nodeName === 'string' && spec.nodeName !== '' ? { nodeName: spec.nodeName } : {};
}

/** A workload as read: its pods are made later, once owners across the input are known (owners.ts). */
export function readWorkload(kind: string, raw: Obj, origin: DocumentOrigin, sink: Sink, defaultNs: string): WorkloadInfo | undefined {
  const meta = obj(raw.metadata);
  const name = meta.name;
  const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : defaultNs;
  if (typeof name !== 'string' || name === '') {
    missingName(origin, sink);
    return undefined;
  }
  const what = objectName(kind, namespace, name);
  const { template, templatePath, replicas } = WORKLOAD_KINDS[kind]!(obj(raw.spec));
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    sink.diagnostics.push(diagnostic(origin, 'error', 'Invalid value', 'spec.replicas',
      `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, { object: what }));
    return undefined;
  }
  if (replicas > MAX_REPLICAS) {
    sink.diagnostics.push(diagnostic(origin, 'error', 'Too many', 'spec.replicas',
      `${replicas} replicas is more than netpol expands (${MAX_REPLICAS}); workload not loaded`, { object: what }));
    return undefined;
  }
  const t = obj(template);
  const labels = readLabels(obj(t.metadata).labels, child(templatePath, 'metadata.labels'), origin, sink, what);
  const tSpec = obj(t.spec);
  const info: WorkloadInfo = {
    kind, name, namespace, replicas, labels, ports: readPorts(tSpec), hostNetwork: tSpec.hostNetwork === true, ...nodeNameOf(tSpec), origin,
    countField: kind === 'Job' || kind === 'CronJob' ? 'parallelism' : 'replicas',
  };
  const owner = controllerOf(raw);
  return owner ? { ...info, owner } : info;
}
