// Expectations (`netpol test` format) → Intent. Each assertion expands to connections exactly
// as `netpol test` checks them (assert/run.ts resolve + ports). Governed directions:
//   - a pod that is the destination of any assertion: its ingress (only allowed sources get in);
//   - a pod that is the source of an assertion to an IP: its egress (only allowed destinations).
// Pod-to-pod traffic is enforced at the destination's ingress, so a client pod's egress stays
// untouched unless the expectations speak about its traffic to addresses outside the cluster.
import type { Endpoint } from '../../evaluate/evaluate.js';
import type { Cluster } from '../../model/types.js';
import type { Expectation } from '../assert/file.js';
import { ports, resolve, serviceTargets } from '../assert/run.js';
import { parseCidr } from '../../net/ip.js';
import { connKey, endKey, endName, type End, type Intent, type Want } from './intent.js';

export interface IntentResult {
  intent: Intent;
  /** Assertions that cannot be turned into policies (unresolvable ends, allow/deny conflicts). */
  errors: { file: string; line: number; message: string }[];
}

const sameEnd = (a: End, b: End) => (a.kind === 'pod' && b.kind === 'pod' ? a.pod === b.pod : a.kind === 'ip' && b.kind === 'ip' && a.ip === b.ip);
const toEnd = (e: Endpoint): End => (e.kind === 'pod' ? { kind: 'pod', pod: e.pod } : { kind: 'ip', ip: e.ip });

export function serves(x: Expectation): string {
  return `${x.name ? `${x.name}: ` : ''}${x.spec.text} (${x.file}:${x.line})`;
}

export function intentFromExpectations(cluster: Cluster, expectations: readonly Expectation[]): IntentResult {
  const intent: Intent = { allows: [], denies: [], ingress: new Set(), egress: new Set() };
  const errors: IntentResult['errors'] = [];
  const seen = new Map<string, { expect: 'allow' | 'deny'; x: Expectation }>();
  for (const x of expectations) {
    // A CIDR end is the range itself (one ipBlock), not the addresses `netpol test` samples in it.
    const ends = (e: typeof x.spec.from): End[] | string => {
      if (e.kind === 'cidr') return [{ kind: 'cidr', cidr: e.cidr }];
      const r = resolve(cluster, e);
      return typeof r === 'string' ? r : r.map(toEnd);
    };
    const froms = ends(x.spec.from);
    // A Service destination is its backing pods on their target ports (never the Service port:
    // policies see the connection after the Service's DNAT).
    const svcTo = x.spec.to.kind === 'service' ? serviceTargets(cluster, x.spec, x.spec.to) : undefined;
    const tos = svcTo === undefined ? ends(x.spec.to) : typeof svcTo === 'string' ? svcTo : [...new Map(svcTo.map((t) => toEnd(t.to)).map((e) => [endKey(e), e])).values()];
    if (typeof froms === 'string' || typeof tos === 'string') {
      errors.push({ file: x.file, line: x.line, message: typeof froms === 'string' ? `from: ${froms}` : `to: ${tos}` });
      continue;
    }
    if (froms.every((f) => f.kind !== 'pod') && tos.every((t) => t.kind !== 'pod')) {
      errors.push({ file: x.file, line: x.line, message: 'neither end is a pod: a NetworkPolicy cannot govern traffic between two addresses' });
      continue;
    }
    let n = 0;
    for (const to of tos) {
      for (const from of froms) {
        if (from.kind === 'pod' && to.kind === 'pod' && from.pod === to.pod) continue;
        const dest: Endpoint = to.kind === 'pod' ? { kind: 'pod', pod: to.pod } : { kind: 'ip', ip: to.kind === 'ip' ? to.ip : to.cidr };
        const list = svcTo === undefined || typeof svcTo === 'string' ? ports(x.spec, dest) : svcTo.filter((t) => sameEnd(toEnd(t.to), to)).map(({ port, protocol }) => ({ port, protocol }));
        for (const { port, protocol } of list) {
          const want: Want = { from, to, port, protocol, serves: serves(x) };
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
  // An allowed range must not cover an address or range a deny names (same pod, port, protocol).
  const ranged = intent.allows.filter((w) => w.from.kind === 'cidr' || w.to.kind === 'cidr');
  for (const d of intent.denies) {
    for (const a of ranged) {
      if (a.port !== d.port || a.protocol !== d.protocol) continue;
      const [aPod, aNet, dPod, dNet] = a.to.kind === 'pod' ? [a.to, a.from, d.to, d.from] : [a.from, a.to, d.from, d.to];
      if (aPod.kind !== 'pod' || dPod.kind !== 'pod' || aPod.pod !== dPod.pod || aNet.kind !== 'cidr' || dNet.kind === 'pod') continue;
      const outer = parseCidr(aNet.cidr)!;
      const inner = dNet.kind === 'ip' ? parseCidr(`${dNet.ip}/${dNet.ip.includes(':') ? 128 : 32}`) : parseCidr(dNet.cidr);
      if (inner && inner.family === outer.family && inner.first <= outer.last && outer.first <= inner.last) {
        errors.push({ file: '', line: 0, message: `${d.serves} denies what ${a.serves} allows (${endName(dNet)} overlaps ${aNet.cidr}); split the range or drop one` });
      }
    }
  }
  return { intent, errors };
}
