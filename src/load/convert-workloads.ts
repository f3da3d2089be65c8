// Namespaces, Pods and workloads -> model. Workloads become the pods they would run:
// `<workload>-<ordinal>` for ordinals 0..replicas-1 (the way StatefulSets name theirs), so that
// `prod/api` (the workload) and `prod/api-0` (one of its pods) both work in queries.
import { diagnostic, type Diagnostic, type DocumentOrigin } from '../diagnostics/diagnostic.js';
import { child, index } from '../diagnostics/field-path.js';
import { isValidPortName } from '../validate/names.js';
import { invalid } from '../validate/field-errors.js';
import { describeValue, quoteHint } from '../diagnostics/quote-hint.js';
import { NAMESPACE_NAME_LABEL, type ContainerPort, type Namespace, type Pod, type Protocol, type WorkloadRef } from '../model/types.js';

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

function readPorts(spec: Obj, path: string, origin: DocumentOrigin, sink: Sink, what: string): ContainerPort[] {
  const ports: ContainerPort[] = [];
  list(spec.containers).forEach((c, ci) => {
    list(obj(c).ports).forEach((p, pi) => {
      const o = obj(p);
      const pp = index(child(index(child(path, 'containers'), ci), 'ports'), pi);
      const num = o.containerPort;
      if (typeof num !== 'number' || !Number.isInteger(num) || num < 1 || num > 65535) {
        sink.diagnostics.push(diagnostic(origin, 'error', 'Invalid value', child(pp, 'containerPort'),
          `Invalid value: ${JSON.stringify(num ?? null)}: must be between 1 and 65535, inclusive`, { object: what }));
        return;
      }
      const protocol = (o.protocol ?? 'TCP') as Protocol;
      if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) {
        sink.diagnostics.push(diagnostic(origin, 'error', 'Unsupported value', child(pp, 'protocol'),
          `Unsupported value: ${JSON.stringify(protocol)}: supported values: "SCTP", "TCP", "UDP"`, { object: what }));
        return;
      }
      // core/validation validateContainerPorts: a port name is an IANA_SVC_NAME. Policies match
      // it by name, and it is printed, so a bad one is refused here.
      if (typeof o.name === 'string' && o.name !== '') {
        const bad = isValidPortName(o.name);
        for (const msg of bad) {
          const e = invalid(child(pp, 'name'), o.name, msg);
          sink.diagnostics.push(diagnostic(origin, 'error', e.type, e.path, e.message, { object: what }));
        }
        if (bad.length) return;
      }
      const port: ContainerPort = typeof o.name === 'string' && o.name !== ''
        ? { name: o.name, containerPort: num, protocol }
        : { containerPort: num, protocol };
      ports.push(port);
    });
  });
  return ports;
}

function readIps(status: Obj): string[] {
  const ips = new Set<string>();
  if (typeof status.podIP === 'string' && status.podIP) ips.add(status.podIP);
  for (const e of list(status.podIPs)) if (typeof obj(e).ip === 'string') ips.add(obj(e).ip as string);
  return [...ips];
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
    ports: readPorts(spec, 'spec', origin, sink, what),
    hostNetwork: spec.hostNetwork === true,
    origin,
  };
}

export function readWorkload(kind: string, raw: Obj, origin: DocumentOrigin, sink: Sink, defaultNs: string): Pod[] {
  const meta = obj(raw.metadata);
  const name = meta.name;
  const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : defaultNs;
  if (typeof name !== 'string' || name === '') {
    missingName(origin, sink);
    return [];
  }
  const what = objectName(kind, namespace, name);
  const { template, templatePath, replicas } = WORKLOAD_KINDS[kind]!(obj(raw.spec));
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    sink.diagnostics.push(diagnostic(origin, 'error', 'Invalid value', 'spec.replicas',
      `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, { object: what }));
    return [];
  }
  if (replicas > MAX_REPLICAS) {
    sink.diagnostics.push(diagnostic(origin, 'error', 'Too many', 'spec.replicas',
      `${replicas} replicas is more than netpol expands (${MAX_REPLICAS}); workload not loaded`, { object: what }));
    return [];
  }
  const t = obj(template);
  const tMeta = obj(t.metadata);
  const labels = readLabels(tMeta.labels, child(templatePath, 'metadata.labels'), origin, sink, what);
  const tSpec = obj(t.spec);
  const ports = readPorts(tSpec, child(templatePath, 'spec'), origin, sink, what);
  const workload: WorkloadRef = { kind, name };
  const pods: Pod[] = [];
  for (let i = 0; i < replicas; i++) {
    pods.push({ kind: 'Pod', name: `${name}-${i}`, namespace, labels, ips: [], ports, hostNetwork: tSpec.hostNetwork === true, workload, origin });
  }
  return pods;
}
