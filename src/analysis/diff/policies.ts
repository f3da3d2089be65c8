// Which policies were added, removed or changed between two inputs (by namespace/name).
import { policyId, type NetworkPolicy } from '../../model/types.js';

export interface PolicyChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

/** What a policy means, without where it was written. */
function meaning(p: NetworkPolicy): string {
  return JSON.stringify({ podSelector: p.podSelector, policyTypes: [...p.policyTypes].sort(), ingress: p.ingress, egress: p.egress });
}

export function diffPolicies(before: readonly NetworkPolicy[], after: readonly NetworkPolicy[]): PolicyChanges {
  const a = new Map(before.map((p) => [policyId(p), p]));
  const b = new Map(after.map((p) => [policyId(p), p]));
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    changed: [...b.keys()].filter((k) => a.has(k) && meaning(a.get(k)!) !== meaning(b.get(k)!)).sort(),
  };
}
