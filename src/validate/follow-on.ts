// Which validation errors an unknown field already explains (shared by every kind's checker).
import type { FieldError } from './field-errors.js';

/**
 * A dropped unknown field can only cause "missing" errors, at the object that held it (an empty
 * peer) or at one of that object's own fields (`cidrs` leaves cidr empty, `value` leaves values
 * empty, `op` leaves operator "", `prot` leaves endPort without port). Those are left out.
 */
export function isFollowOn(e: FieldError, unknownIn: readonly string[]): boolean {
  const missing = e.type === 'Required value' || e.message.startsWith('Invalid value: "":') ||
    e.message.endsWith('may not be specified when `port` is not specified');
  return missing && unknownIn.some((p) => {
    if (e.path === p) return true;
    const prefix = p === '' ? '' : `${p}.`;
    return e.path.startsWith(prefix) && !/[.[]/.test(e.path.slice(prefix.length));
  });
}
