// Expectations (`netpol test` format) → Intent. Each assertion expands to connections exactly
// as `netpol test` checks them (assert/run.ts resolve + ports). Governed directions:
//   - a pod that is the destination of any assertion: its ingress (only allowed sources get in);
//   - a pod that is the source of an assertion to an IP: its egress (only allowed destinations).
// Pod-to-pod traffic is enforced at the destination's ingress, so a client pod's egress stays
// untouched unless the expectations speak about its traffic to addresses outside the cluster.
import type { Endpoint } from '../../evaluate/evaluate.js';
import type { Cluster } from '../../model/types.js';
import type { Expectation } from '../assert/file.js';
import { ports, resolve } from '../assert/run.js';
import { connKey, endName, type End, type Intent, type Want } from './intent.js';

export interface IntentResult {
  intent: Intent;
  /** Assertions that cannot be turned into policies (unresolvable ends, allow/deny conflicts). */
  errors: { file: string; line: number; message: string }[];
}

const toEnd = (e: Endpoint): End => (e.kind === 'pod' ? { kind: 'pod', pod: e.pod } : { kind: 'ip', ip: e.ip });

export function serves(x: Expectation): string {
  return `${x.name ? `${x.name}: ` : ''}${x.spec.text} (${x.file}:${x.line})`;
}

export function intentFromExpectations(cluster: Cluster, expectations: readonly Expectation[]): IntentResult {
  const intent: Intent = { allows: [], denies: [], ingress: new Set(), egress: new Set() };
  const errors: IntentResult['errors'] = [];
  const seen = new Map<string, { expect: 'allow' | 'deny'; x: Expectation }>();
  for (const x of expectations) {
    const froms = resolve(cluster, x.spec.from);
    const tos = resolve(cluster, x.spec.to);
    if (typeof froms === 'string' || typeof tos === 'string') {
      errors.push({ file: x.file, line: x.line, message: typeof froms === 'string' ? `from: ${froms}` : `to: ${tos}` });
      continue;
    }
    if (froms.every((f) => f.kind === 'ip') && tos.every((t) => t.kind === 'ip')) {
      errors.push({ file: x.file, line: x.line, message: 'neither end is a pod: a NetworkPolicy cannot govern traffic between two addresses' });
      continue;
    }
    let n = 0;
    for (const to of tos) {
      for (const from of froms) {
        if (from.kind === 'pod' && to.kind === 'pod' && from.pod === to.pod) continue;
        for (const { port, protocol } of ports(x.spec, to)) {
          const want: Want = { from: toEnd(from), to: toEnd(to), port, protocol, serves: serves(x) };
          const key = connKey(want.from, want.to, port, protocol);
          const before = seen.get(key);
          if (before && before.expect !== x.spec.expect) {
            errors.push({ file: x.file, line: x.line, message: `${endName(want.from)} -> ${endName(want.to)}:${port}/${protocol} is asserted ${x.spec.expect} here and ${before.expect} at ${before.x.file}:${before.x.line}` });
            continue;
          }
          n++;
          if (!before) seen.set(key, { expect: x.spec.expect, x });
          (x.spec.expect === 'allow' ? intent.allows : intent.denies).push(want);
          if (to.kind === 'pod') intent.ingress.add(to.pod);
          else if (from.kind === 'pod') intent.egress.add(from.pod);
        }
      }
    }
    if (n === 0 && !errors.some((e) => e.line === x.line && e.file === x.file)) {
      errors.push({ file: x.file, line: x.line, message: x.spec.port === undefined ? 'the destination declares no ports (:* needs containerPorts)' : `no destination pod declares a port named "${x.spec.port}"` });
    }
  }
  return { intent, errors };
}
