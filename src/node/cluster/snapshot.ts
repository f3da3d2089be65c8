// A snapshot: what was read, as one v1 List, without the server's bookkeeping, so every offline
// command on it gives the live answer (and an issue report can attach it).
import { stringify } from 'yaml';
import type { ObjectInput } from '../../load/load-objects.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

const NOISE = ['managedFields', 'resourceVersion', 'generation', 'selfLink'];

export function snapshotList(objects: readonly ObjectInput[]): Obj {
  const items = objects.map((o) => {
    const v = o.value as Obj;
    if (!isObj(v.metadata)) return v;
    const meta = { ...v.metadata };
    for (const k of NOISE) delete meta[k];
    return { ...v, metadata: meta };
  });
  return { apiVersion: 'v1', kind: 'List', metadata: {}, items };
}

export function snapshotText(objects: readonly ObjectInput[], format: 'yaml' | 'json'): string {
  const list = snapshotList(objects);
  // Label values like "yes" or "0x10" must come back as the same strings: the yaml package
  // quotes what YAML 1.1 would read otherwise (version 1.1 output).
  return format === 'json' ? `${JSON.stringify(list, null, 2)}\n` : stringify(list, { version: '1.1', lineWidth: 0 });
}
