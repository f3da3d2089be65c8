// API-server-equivalent checking of the other kinds netpol reads: Pods, workloads, Namespaces
// and Services. Strict decoding (schema-objects.ts) then, for the fields netpol reads, the
// upstream validation rules:
// - kubernetes/kubernetes pkg/apis/core/validation/validation.go: ValidatePodSpec
//   (validateContainerPorts, validateHostNetwork), ValidateReplicationControllerSpec +
//   ValidatePodTemplateSpecForRC, ValidateService (validateServicePort), ValidateNonnegativeField;
// - pkg/apis/apps/validation/validation.go: ValidateDeploymentSpec, ValidateReplicaSetSpec,
//   ValidateStatefulSetSpec, ValidateDaemonSetSpec, ValidatePodTemplateSpecForReplicaSet;
// - pkg/apis/batch/validation/validation.go: the Job selector against the template labels;
// - apimachinery pkg/api/validation/objectmeta.go: ValidateOwnerReferences.
// ObjectMeta names, labels and annotations, and the pod template's, are checked by
// object-metadata.ts on the same decoded document.
// Same conventions as checkNetworkPolicy: `message` is what kubectl prints after `<path>: `.
import { diagnostic, type Diagnostic, type DocumentOrigin } from '../diagnostics/diagnostic.js';
import { child } from '../diagnostics/field-path.js';
import { selectorMatches } from '../match/selector.js';
import type { LabelSelector, SelectorOperator } from '../model/types.js';
import { parseIp } from '../net/ip.js';
import { decodeObject, isPlainObject } from './decode.js';
import type { DObjectMeta, DSelector, LabelPairs } from './decoded.js';
import { invalid, notSupported, renderValue, required, withHint, type FieldError } from './field-errors.js';
import { isFollowOn } from './follow-on.js';
import { validateLabels, validateLabelSelector } from './label-selector.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum, nameIsDNSSubdomain } from './names.js';
import { validateObjectMetadata } from './object-metadata.js';
import { validateOwnerReferences, type DOwnerReference } from './owner-references.js';
import { validatePodSpecPorts, type DPodSpec, type DPodStatus } from './pod-spec.js';
import { OBJECT_SHAPES } from './schema-objects.js';
import { writtenHint } from './written-hint.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});

/** Kinds checked here (NetworkPolicy has checkNetworkPolicy). */
export const CHECKED_KINDS: readonly string[] = Object.keys(OBJECT_SHAPES);

interface DTemplate {
  metadata: DObjectMeta;
  spec: DPodSpec;
}

/** The selector as the model's type, to match with src/match (operators already validated). */
function asSelector(s: DSelector): LabelSelector {
  return {
    matchLabels: Object.fromEntries(s.matchLabels),
    matchExpressions: s.matchExpressions.map((r) => ({ key: r.key, operator: r.operator as SelectorOperator, values: r.values })),
  };
}

/** Go's JSON of a LabelSelector (omitempty fields), as upstream prints the bad value. */
function selectorWire(s: DSelector): Obj {
  const o: Obj = {};
  if (s.matchLabels.length) o.matchLabels = Object.fromEntries(s.matchLabels);
  if (s.matchExpressions.length) o.matchExpressions = s.matchExpressions.map((r) => (r.values.length ? r : { key: r.key, operator: r.operator }));
  return o;
}

function mismatchHint(selector: Record<string, string> | undefined, labels: LabelPairs): string {
  const have = Object.fromEntries(labels);
  if (!selector) return 'add `spec.selector` with `matchLabels` copied from `spec.template.metadata.labels`';
  const missing = Object.entries(selector).filter(([k, v]) => have[k] !== v).map(([k, v]) => `${k}: ${v}`);
  return missing.length
    ? `the template's pods would not carry ${missing.map((m) => JSON.stringify(m)).join(', ')}: make the template labels include every selector label`
    : 'the template labels must satisfy every selector expression';
}

/**
 * The template must match the selector (ValidatePodTemplateSpecForReplicaSet and friends).
 * `selector` undefined = nil: LabelSelectorAsSelector gives labels.Nothing(), which matches
 * nothing, so a missing selector also reports the mismatch (as the API server does).
 */
function templateMatches(selector: DSelector | undefined, template: DTemplate, path: string): FieldError[] {
  const labels = template.metadata.labels;
  const mismatch = (): FieldError => withHint(
    invalid(child(path, 'template.metadata.labels'), Object.fromEntries(labels), '`selector` does not match template `labels`'),
    mismatchHint(selector ? Object.fromEntries(selector.matchLabels) : undefined, labels));
  if (!selector) return [mismatch()];
  // An invalid selector fails LabelSelectorAsSelector: upstream then skips the match.
  if (validateLabelSelector(selector, '').length > 0) return [];
  const s = asSelector(selector);
  if (Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0) return [];
  return selectorMatches(s, Object.fromEntries(labels)) ? [] : [mismatch()];
}

function nonNegative(v: number | undefined, path: string): FieldError[] {
  return v !== undefined && v < 0 ? [invalid(path, v, 'must be greater than or equal to 0')] : [];
}

/** apps/v1 Deployment, ReplicaSet, StatefulSet: selector required, non-empty, matching. */
function validateAppsSpec(kind: string, spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.replicas as number | undefined, child(path, 'replicas')));
  const selector = spec.selector as DSelector | undefined;
  const sp = child(path, 'selector');
  if (!selector) {
    errs.push(withHint(required(sp), 'apps/v1 workloads need `selector: {matchLabels: {...}}` matching the template labels'));
  } else {
    errs.push(...validateLabelSelector(selector, sp));
    if (selector.matchLabels.length + selector.matchExpressions.length === 0) {
      // ReplicaSet reuses the Deployment text upstream.
      const what = kind === 'StatefulSet' ? 'statefulset' : 'deployment';
      errs.push(withHint(invalid(sp, selectorWire(selector), `empty selector is invalid for ${what}`), 'select the template\'s pods by label: `matchLabels: {app: <name>}`'));
    }
  }
  errs.push(...templateMatches(selector, spec.template as DTemplate, path));
  return errs;
}

/** ValidateDaemonSetSpec: a nil selector only shows as the mismatch. */
function validateDaemonSetSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const selector = spec.selector as DSelector | undefined;
  const sp = child(path, 'selector');
  if (selector) errs.push(...validateLabelSelector(selector, sp));
  errs.push(...templateMatches(selector, spec.template as DTemplate, path));
  if (selector && selector.matchLabels.length + selector.matchExpressions.length === 0) {
    errs.push(invalid(sp, selectorWire(selector), 'empty selector is invalid for daemonset'));
  }
  return errs;
}

/** ValidateReplicationControllerSpec, after defaulting the selector from the template labels. */
function validateRCSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const template = spec.template as DTemplate | undefined;
  const given = spec.selector as LabelPairs;
  const selector = given.length > 0 ? given : template?.metadata.labels ?? [];
  // ValidateNonEmptySelector only: the labels themselves are checked on the template.
  if (selector.length === 0) errs.push(required(child(path, 'selector')));
  errs.push(...nonNegative(spec.replicas as number | undefined, child(path, 'replicas')));
  if (!template) {
    errs.push(required(child(path, 'template')));
  } else if (selector.length > 0) {
    const have = Object.fromEntries(template.metadata.labels);
    if (!selector.every(([k, v]) => have[k] === v)) {
      errs.push(withHint(invalid(child(path, 'template.metadata.labels'), have, '`selector` does not match template `labels`'),
        mismatchHint(Object.fromEntries(selector), template.metadata.labels)));
    }
  }
  return errs;
}

/** Labels the Job controller adds to both selector and template (generateSelector). */
const JOB_GENERATED = ['controller-uid', 'batch.kubernetes.io/controller-uid', 'job-name', 'batch.kubernetes.io/job-name'];

/** Job: the selector is generated unless given; a given one must match the template. */
function validateJobSpec(spec: Obj, path: string): FieldError[] {
  const errs = nonNegative(spec.parallelism as number | undefined, child(path, 'parallelism'));
  const selector = spec.selector as DSelector | undefined;
  if (!selector) return errs;
  errs.push(...validateLabelSelector(selector, child(path, 'selector')));
  const own: DSelector = { matchLabels: selector.matchLabels.filter(([k]) => !JOB_GENERATED.includes(k)), matchExpressions: selector.matchExpressions };
  errs.push(...templateMatches(own, spec.template as DTemplate, path));
  return errs;
}

/** validateServicePort for each port; the selector is a label map. */
function validateServiceSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ports = spec.ports as { name: string; protocol: string; port: number; targetPort?: number | string }[];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = child(path, `ports[${i}]`);
    if (ports.length > 1 && port.name === '') {
      errs.push(withHint(required(child(p, 'name')), 'a Service with several ports must name each one'));
    } else if (port.name !== '') {
      for (const msg of isDNS1123Label(port.name)) errs.push(invalid(child(p, 'name'), port.name, msg));
      if (names.has(port.name)) errs.push({ type: 'Duplicate value', path: child(p, 'name'), message: `Duplicate value: ${renderValue(port.name)}` });
      else names.add(port.name);
    }
    for (const msg of isValidPortNum(port.port)) errs.push(invalid(child(p, 'port'), port.port, msg));
    const protocol = port.protocol === '' ? 'TCP' : port.protocol;
    if (!['SCTP', 'TCP', 'UDP'].includes(protocol)) errs.push(notSupported(child(p, 'protocol'), protocol, ['SCTP', 'TCP', 'UDP']));
    // ValidatePortNumOrName, after SetDefaults_Service: targetPort absent, 0 or "" becomes `port`.
    const t = port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '' ? port.port : port.targetPort;
    if (typeof t === 'number') for (const msg of isValidPortNum(t)) errs.push(invalid(child(p, 'targetPort'), t, msg));
    if (typeof t === 'string') for (const msg of isValidPortName(t)) errs.push(invalid(child(p, 'targetPort'), t, msg));
  });
  errs.push(...validateLabels(spec.selector as LabelPairs, child(path, 'selector')));
  // The fields the Service model reads: type, externalName (a CNAME, trailing dot allowed) and
  // externalTrafficPolicy, as ValidateService checks them after defaulting.
  const type = spec.type === undefined || spec.type === null || spec.type === '' ? 'ClusterIP' : spec.type;
  if (typeof type !== 'string' || !SERVICE_TYPES.includes(type)) errs.push(notSupported(child(path, 'type'), type, SERVICE_TYPES));
  if (type === 'ExternalName') {
    const cname = typeof spec.externalName === 'string' ? spec.externalName.replace(/\.$/, '') : '';
    if (cname === '') errs.push(required(child(path, 'externalName')));
    else for (const msg of isDNS1123Subdomain(cname)) errs.push(invalid(child(path, 'externalName'), spec.externalName, msg));
  }
  const etp = spec.externalTrafficPolicy;
  if (etp !== undefined && etp !== null && etp !== '' && etp !== 'Cluster' && etp !== 'Local') errs.push(notSupported(child(path, 'externalTrafficPolicy'), etp, ['Cluster', 'Local']));
  return errs;
}

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

/** Pod IPs from a dump: malformed ones are dropped with a warning (status is reset on create). */
function validatePodStatus(status: DPodStatus | undefined): FieldError[] {
  if (!status) return [];
  const errs: FieldError[] = [];
  const check = (ip: string, path: string): void => {
    if (ip !== '' && !parseIp(ip)) {
      errs.push({ ...invalid(path, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'), severity: 'warning', hint: 'this IP is ignored: the pod is treated as having no known address' });
    }
  };
  check(status.podIP, 'status.podIP');
  status.podIPs.forEach((p, i) => check(p.ip, `status.podIPs[${i}].ip`));
  return errs;
}

/** ValidatePodSpec: a set spec.nodeName must be a valid Node name (ValidateNodeName = NameIsDNSSubdomain). */
function validateNodeName(v: unknown, path: string): FieldError[] {
  return typeof v === 'string' && v !== '' ? nameIsDNSSubdomain(v, false).map((msg) => invalid(path, v, msg)) : [];
}

interface DNodeStatus { addresses: { type: string; address: string }[] }

/** InternalIP/ExternalIP addresses that are not IPs: dropped with a warning (status, as for pods). */
function validateNodeAddresses(status: DNodeStatus | undefined): FieldError[] {
  return (status?.addresses ?? []).flatMap((a, i) => (a.type === 'InternalIP' || a.type === 'ExternalIP') && !parseIp(a.address)
    ? [{ ...invalid(`status.addresses[${i}].address`, a.address, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'), severity: 'warning' as const, hint: 'this address is ignored: `nodes` peers and hostNetwork pods on this node do not use it' }]
    : []);
}

/** Where the pod template sits, per kind. */
const TEMPLATE_AT: Record<string, string> = {
  Deployment: 'spec.template', ReplicaSet: 'spec.template', StatefulSet: 'spec.template', DaemonSet: 'spec.template',
  ReplicationController: 'spec.template', Job: 'spec.template', CronJob: 'spec.jobTemplate.spec.template',
};

function validateKind(kind: string, doc: Obj): FieldError[] {
  const at = TEMPLATE_AT[kind];
  const spec = obj(doc.spec);
  const template = at ? at.split('.').reduce<unknown>((o, k) => obj(o)[k], doc) as DTemplate | undefined : undefined;
  const meta = doc.metadata as DObjectMeta;
  const errs = validateObjectMetadata(kind, meta, template && at
    ? { path: at, value: template, manualSelector: spec.manualSelector as boolean | undefined }
    : undefined);
  errs.push(...validateOwnerReferences((meta.ownerReferences ?? []) as DOwnerReference[], 'metadata.ownerReferences'));
  switch (kind) {
    case 'Pod':
      errs.push(...validatePodSpecPorts(spec as unknown as DPodSpec, 'spec'));
      errs.push(...validatePodStatus(doc.status as DPodStatus | undefined));
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
      errs.push(...validateAppsSpec(kind, spec, 'spec'));
      break;
    case 'DaemonSet':
      errs.push(...validateDaemonSetSpec(spec, 'spec'));
      break;
    case 'ReplicationController':
      errs.push(...validateRCSpec(spec, 'spec'));
      break;
    case 'Job':
      errs.push(...validateJobSpec(spec, 'spec'));
      break;
    case 'CronJob':
      errs.push(...validateJobSpec(obj(obj(spec.jobTemplate).spec), 'spec.jobTemplate.spec'));
      break;
    case 'Service':
      errs.push(...validateServiceSpec(spec, 'spec'));
      break;
    case 'Node':
      errs.push(...validateNodeAddresses(doc.status as DNodeStatus | undefined));
      break;
  }
  if (template && at) errs.push(...validatePodSpecPorts(template.spec, `${at}.spec`));
  if (kind === 'Pod') errs.push(...validateNodeName(spec.nodeName, 'spec.nodeName'));
  if (template && at) errs.push(...validateNodeName((template.spec as unknown as Obj).nodeName, `${at}.spec.nodeName`));
  return errs;
}

/**
 * Strict decoding and validation of a Pod, workload, Namespace or Service document. Like
 * checkNetworkPolicy: a type mismatch stops before validation; unknown fields are reported
 * and validation still runs without them, leaving out the follow-on errors they explain.
 * Problems inside a dump's `status` are warnings.
 */
export function checkObject(kind: string, raw: unknown, origin: DocumentOrigin): Diagnostic[] {
  const shape = OBJECT_SHAPES[kind];
  if (!shape) return [];
  const toDiagnostic = (e: FieldError): Diagnostic => {
    // Hints quote what was written (`name: y` is the boolean true for kubectl: quote it).
    const hint = writtenHint(e, origin, raw);
    const d = diagnostic(origin, e.severity ?? 'error', e.type, e.at ?? e.path, e.message,
      e.key !== undefined ? { hint, key: e.key } : { hint });
    d.path = e.path; // positioned at `at`, reported at the upstream path
    return d;
  };
  if (!isPlainObject(raw)) return [diagnostic(origin, 'error', 'Type mismatch', '', `a ${kind} must be a mapping`)];
  const decoded = decodeObject(shape, raw);
  if (decoded.errors.some((e) => e.type !== 'Unknown field' && e.severity !== 'warning')) return decoded.errors.map(toDiagnostic);
  // A misspelt `selector` leaves it nil, and a nil selector also reports the template mismatch.
  const selectorLost = (e: FieldError): boolean => e.message.endsWith('`selector` does not match template `labels`') &&
    decoded.unknownIn.includes(e.path.replace(/\.template\.metadata\.labels$/, ''));
  const validation = validateKind(kind, decoded.value).filter((e) => !isFollowOn(e, decoded.unknownIn) && !selectorLost(e));
  return [...decoded.errors, ...validation].map(toDiagnostic);
}
