// metadata.ownerReferences on create: apimachinery pkg/api/validation/objectmeta.go
// ValidateOwnerReferences and validateOwnerReference. Upstream reports every problem at the
// list's path (no index) with the offending field as a child: `metadata.ownerReferences.uid`.
import { child } from '../diagnostics/field-path.js';
import { invalid, withHint, type FieldError } from './field-errors.js';

export interface DOwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** schema.FromAPIVersionAndKind: the version part, '' when it cannot be parsed. */
function versionOf(apiVersion: string): string {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return apiVersion;
  if (parts.length === 2) return parts[1]!;
  return '';
}

/** The JSON the API server prints for a reference (Go field order, nil pointers omitted). */
function wire(r: DOwnerReference): Record<string, unknown> {
  const o: Record<string, unknown> = { apiVersion: r.apiVersion, kind: r.kind, name: r.name, uid: r.uid };
  if (r.controller !== undefined) o.controller = r.controller;
  if (r.blockOwnerDeletion !== undefined) o.blockOwnerDeletion = r.blockOwnerDeletion;
  return o;
}

const HINT = 'an owner reference names its owner fully: apiVersion, kind, name and uid (as `kubectl get -o yaml` shows them); or remove it';

export function validateOwnerReferences(refs: readonly DOwnerReference[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const r of refs) {
    const version = versionOf(r.apiVersion);
    if (version === '') errs.push(withHint(invalid(child(path, 'apiVersion'), r.apiVersion, 'version must not be empty'), HINT));
    if (r.kind === '') errs.push(withHint(invalid(child(path, 'kind'), r.kind, 'must not be empty'), HINT));
    if (r.name === '') errs.push(withHint(invalid(child(path, 'name'), r.name, 'must not be empty'), HINT));
    if (r.uid === '') errs.push(withHint(invalid(child(path, 'uid'), r.uid, 'must not be empty'), HINT));
    // BannedOwners: core/v1 Event.
    const group = r.apiVersion.includes('/') ? r.apiVersion.split('/')[0]! : '';
    if (group === '' && version === 'v1' && r.kind === 'Event') {
      errs.push(invalid(path, wire(r), '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (r.controller === true) {
      const current = `${r.kind}/${r.name}`;
      if (firstController !== '') {
        errs.push(withHint(invalid(path, refs.map(wire),
          `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`),
          'an object has at most one controller: set `controller: true` on one reference only'));
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}
