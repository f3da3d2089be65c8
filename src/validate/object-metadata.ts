// Metadata of the other kinds netpol reads (Namespace, Pod and the workloads), checked as the
// API server checks it on create: each kind's name rule, metadata.namespace, labels and
// annotations (ValidateObjectMeta), and the pod template's labels and annotations. Runs on the
// strictly decoded document (objects.ts); spec fields are checked there, owner references in
// owner-references.ts.
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
//   Service                core/validation ValidateService: ValidateServiceName = NameIsDNS1035Label
//   CronJob                batch/validation ValidateCronJobCreate: subdomain, and "must be no
//                          more than 52 characters" (the controller appends 11 for each Job)
// Template labels: ValidatePodTemplateSpec and ValidatePodTemplateSpecForStatefulSet report them
// at `<template>.labels` (upstream leaves `metadata` out of the path); positions point at
// `<template>.metadata.labels`, where they are written.
import { child } from '../diagnostics/field-path.js';
import type { DObjectMeta } from './decoded.js';
import { byteLength, invalid, withHint, type FieldError } from './field-errors.js';
import { validateLabels } from './label-selector.js';
import { isValidLabelValue, nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain } from './names.js';
import { validateAnnotations, validateObjectMeta, type ObjectMetaRules } from './object-meta.js';

/** apimachinery DNS1035LabelMaxLength (63) minus the 11 characters of `-<timestamp>`. */
export const CRONJOB_NAME_MAX = 52;

const RULES: Record<string, ObjectMetaRules> = {
  Namespace: { validateName: nameIsDNSLabel, namespaced: false, example: 'prod' },
  Pod: { validateName: nameIsDNSSubdomain, example: 'api' },
  ReplicationController: { validateName: nameIsDNSSubdomain, example: 'api' },
  Deployment: { validateName: nameIsDNSSubdomain, example: 'api' },
  ReplicaSet: { validateName: nameIsDNSSubdomain, example: 'api' },
  DaemonSet: { validateName: nameIsDNSSubdomain, example: 'agent' },
  StatefulSet: { validateName: nameIsDNSLabel, example: 'db' },
  Job: { validateName: nameIsDNSSubdomain, example: 'migrate' },
  CronJob: { validateName: nameIsDNSSubdomain, example: 'backup' },
  Service: { validateName: nameIsDNS1035Label, example: 'db' },
  // core/validation ValidateNode: ValidateNodeName = NameIsDNSSubdomain, cluster-scoped.
  Node: { validateName: nameIsDNSSubdomain, namespaced: false, example: 'node-1' },
};

/** The pod template as decoded (schema-objects.ts podTemplateSpec). */
export interface DTemplateMeta {
  metadata: DObjectMeta;
}

/**
 * The metadata rules of `kind` (none for kinds not listed) on a decoded document: its
 * ObjectMeta, and when `template` is given (found at `templatePath`) the template's labels and
 * annotations. `manualSelector`: a Job's spec.manualSelector.
 */
export function validateObjectMetadata(kind: string, meta: DObjectMeta, template?: { path: string; value: DTemplateMeta; manualSelector?: boolean }): FieldError[] {
  const rules = RULES[kind];
  if (!rules) return [];
  const errs = validateObjectMeta(meta, 'metadata', rules);
  if (kind === 'CronJob' && byteLength(meta.name) > CRONJOB_NAME_MAX) {
    errs.push(withHint(invalid('metadata.name', meta.name, `must be no more than ${CRONJOB_NAME_MAX} characters`),
      'the CronJob controller names each Job `<name>-<timestamp>` (11 more characters) and Job names stay within 63'));
  }
  if (!template) return errs;
  const tp = template.path;
  const tMeta = template.value.metadata;
  for (const e of validateLabels(tMeta.labels, child(tp, 'labels'))) errs.push({ ...e, at: child(tp, 'metadata.labels') });
  for (const e of validateAnnotations(tMeta.annotations, child(tp, 'annotations'))) errs.push({ ...e, at: child(tp, 'metadata.annotations') });
  // The server labels a Job's pods job-name=<name> (unless manualSelector) and then
  // validates the template labels: a name over 63 bytes fails there.
  if (kind === 'Job' && template.manualSelector !== true && meta.name !== '') {
    for (const msg of isValidLabelValue(meta.name)) {
      errs.push({
        ...withHint(invalid(child(tp, 'labels'), meta.name, msg),
          'the API server labels the Job\'s pods `job-name: <name>`, and label values are at most 63 bytes: shorten the name'),
        at: 'metadata.name',
      });
    }
  }
  return errs;
}
