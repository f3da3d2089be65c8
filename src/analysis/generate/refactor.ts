// placeholder, replaced below
import type { Cluster } from '../../model/types.js';
import type { GenerateResult } from './index.js';
export function refactorPolicies(cluster: Cluster): GenerateResult {
  void cluster;
  return { ok: false, problems: [{ message: 'not yet' }] };
}
