// Metadata of the other kinds netpol reads (Namespace, Pod and the workloads), checked as the
// API server checks it on create: each kind's name rule, metadata.namespace, labels and
// annotations (ValidateObjectMeta), the pod template's labels and annotations, and the format
// of a workload's selector. Spec fields netpol does not read are not validated.
//
// Name rules, from kubernetes/kubernetes (main branch, 2026):
//   Namespace              core/validation ValidateNamespace: ValidateNamespaceName = NameIsDNSLabel,
//                          requiresNamespace=false
//   Pod                    core/validation ValidatePod: ValidatePodName = NameIsDNSSubdomain
//   ReplicationController  core/validation ValidateReplicationController: NameIsDNSSubdomain
//   Deployment, ReplicaSet, DaemonSet
//                          apps/validation ValidateDeploymentName, ValidateReplicaSetName,
//                          ValidateDaemonSetName = NameIsDNSSubdomain
//   StatefulSet            apps/validation ValidateStatefulSetName = NameIsDNSLabel (its pods'
//                          hostnames are `<name>-<ordinal>`; older releases took a subdomain)
//   Job                    batch/validation ValidateJob: ValidateReplicationControllerName
//                          (subdomain); the job-name pod label the server generates must be a
//                          valid label value, so at most 63 bytes
//   CronJob                batch/validation ValidateCronJobCreate: subdomain, and "must be no
//                          more than 52 characters" (the controller appends 11 for each Job)
// Template labels: ValidatePodTemplateSpec and ValidatePodTemplateSpecForStatefulSet report them
// at `<template>.labels` (upstream leaves `metadata` out of the path); positions point at
// `<template>.metadata.labels`, where they are written.
import { diagnostic, type Diagnostic, type DocumentOrigin } from '../diagnostics/diagnostic.js';
import { child } from '../diagnostics/field-path.js';
import type { DObjectMeta, DSelector, LabelPairs } from './decoded.js';
import { decodeField, isPlainObject } from './decode.js';
import { byteLength, invalid, withHint, type FieldError } from './field-errors.js';
import { validateLabels, validateLabelSelector } from './label-selector.js';
import { isValidLabelValue, nameIsDNSLabel, nameIsDNSSubdomain } from './names.js';
import { validateAnnotations, validateObjectMeta, type ObjectMetaRules } from './object-meta.js';
import { labelSelector, objectMeta } from './schema.js';
import { writtenHint } from './written-hint.js';

/** apimachinery DNS1035LabelMaxLength (63) minus the 11 characters of `-<timestamp>`. */
export const CRONJOB_NAME_MAX = 52;

const RULES: Record<string, ObjectMetaRules & { selector?: 'labelSelector' | 'map' }> = {
  Namespace: { validateName: nameIsDNSLabel, namespaced: false, example: 'prod' },
  Pod: { validateName: nameIsDNSSubdomain, example: 'api' },
  ReplicationController: { validateName: nameIsDNSSubdomain, example: 'api', selector: 'map' },
  Deployment: { validateName: nameIsDNSSubdomain, example: 'api', selector: 'labelSelector' },
  ReplicaSet: { validateName: nameIsDNSSubdomain, example: 'api', selector: 'labelSelector' },
  DaemonSet: { validateName: nameIsDNSSubdomain, example: 'agent', selector: 'labelSelector' },
  StatefulSet: { validateName: nameIsDNSLabel, example: 'db', selector: 'labelSelector' },
  Job: { validateName: nameIsDNSSubdomain, example: 'migrate', selector: 'labelSelector' },
  CronJob: { validateName: nameIsDNSSubdomain, example: 'backup' },
};

/** The kinds checkObject knows. */
export const CHECKED_KINDS: readonly string[] = Object.keys(RULES);

type Obj = Record<string, unknown>;

function at(raw: unknown, path: string): unknown {
  let v = raw;
  for (const seg of path.split('.')) v = isPlainObject(v) ? v[seg] : undefined;
  return v;
}

/**
 * Check the metadata of one Namespace, Pod or workload document. `templatePath` is where the
 * workload's pod template lives (`spec.template`, or `spec.jobTemplate.spec.template`).
 * Returns every problem found, all errors; an object with any must be left out of the cluster.
 */
export function checkObject(kind: string, raw: Obj, origin: DocumentOrigin, templatePath?: string): Diagnostic[] {
  const rules = RULES[kind];
  if (!rules) return [];
  const errs: FieldError[] = [];
  /** Errors reported at one path but best shown at another (what the user has to change). */
  const shownAt = new Map<FieldError, string>();

  const meta = decodeField<DObjectMeta>(objectMeta, raw.metadata, 'metadata', kind);
  errs.push(...meta.errors);
  const metaTyped = !meta.errors.some((e) => e.type !== 'Unknown field');
  if (metaTyped) {
    errs.push(...validateObjectMeta(meta.value, 'metadata', rules));
    if (kind === 'CronJob' && byteLength(meta.value.name) > CRONJOB_NAME_MAX) {
      errs.push(withHint(invalid('metadata.name', meta.value.name, `must be no more than ${CRONJOB_NAME_MAX} characters`),
        'the CronJob controller names each Job `<name>-<timestamp>` (11 more characters) and Job names stay within 63'));
    }
  }

  const spec = raw.spec;
  if (rules.selector && isPlainObject(spec) && spec.selector !== undefined && spec.selector !== null) {
    const path = 'spec.selector';
    if (rules.selector === 'map') {
      const sel = decodeField<LabelPairs>({ kind: 'stringMap' }, spec.selector, path, `${kind}Spec`);
      errs.push(...sel.errors);
      if (sel.errors.length === 0) errs.push(...validateLabels(sel.value, path));
    } else {
      const sel = decodeField<DSelector>(labelSelector, spec.selector, path, `${kind}Spec`);
      errs.push(...sel.errors);
      if (!sel.errors.some((e) => e.type !== 'Unknown field')) errs.push(...validateLabelSelector(sel.value, path));
    }
  }

  if (templatePath !== undefined) {
    const tMetaRaw = at(raw, child(templatePath, 'metadata'));
    const tMeta = decodeField<DObjectMeta>(objectMeta, tMetaRaw, child(templatePath, 'metadata'), 'PodTemplateSpec');
    errs.push(...tMeta.errors);
    if (!tMeta.errors.some((e) => e.type !== 'Unknown field')) {
      for (const e of validateLabels(tMeta.value.labels, child(templatePath, 'labels'))) {
        errs.push(e);
        shownAt.set(e, child(templatePath, 'metadata.labels'));
      }
      for (const e of validateAnnotations(tMeta.value.annotations, child(templatePath, 'annotations'))) {
        errs.push(e);
        shownAt.set(e, child(templatePath, 'metadata.annotations'));
      }
    }
    // The server labels a Job's pods job-name=<name> (unless manualSelector) and then
    // validates the template labels: a name over 63 bytes fails there.
    const manual = isPlainObject(spec) && spec.manualSelector === true;
    if (kind === 'Job' && !manual && metaTyped && meta.value.name !== '') {
      for (const msg of isValidLabelValue(meta.value.name)) {
        const e = withHint(invalid(child(templatePath, 'labels'), meta.value.name, msg),
          'the API server labels the Job\'s pods `job-name: <name>`, and label values are at most 63 bytes: shorten the name');
        errs.push(e);
        shownAt.set(e, 'metadata.name');
      }
    }
  }

  return errs.map((e) => {
    // Hints quote what was written (`name: y` is the boolean true for kubectl: quote it).
    const hint = writtenHint(e, origin, raw);
    const d = diagnostic(origin, 'error', e.type, shownAt.get(e) ?? e.path, e.message,
      e.key !== undefined ? { hint, key: e.key } : { hint });
    d.path = e.path;
    return d;
  });
}
