// Already-parsed objects (read from an API server) into the same loader path as files. Their
// origin is a name like `cluster:pods/prod/db-0`: diagnostics name the object, and carry no
// line (line 0: no code frame). Browser-safe.
import type { DocumentOrigin } from '../diagnostics/diagnostic.js';
import { DEFAULT_LIMITS, type InputLimits } from './limits.js';
import { parseYamlText } from './parse-yaml.js';
import type { Source } from './source.js';

/** One object as the API returned it (kind and apiVersion filled in), and where it came from. */
export interface ObjectInput {
  /** e.g. `cluster:pods/prod/db-0`, `cluster:namespaces/prod`. */
  origin: string;
  value: unknown;
}

const NOWHERE = { line: 0, column: 0 };

export function objectOrigin(name: string): DocumentOrigin {
  return { file: name, document: 0, locate: () => NOWHERE };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** `Kind namespace/name` (namespace '' for cluster-scoped kinds), or undefined for a non-object. */
export function objectKey(value: unknown, defaultNs: string): string | undefined {
  if (!isObj(value) || typeof value.kind !== 'string') return undefined;
  const meta = isObj(value.metadata) ? value.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : CLUSTER_SCOPED.has(value.kind) ? '' : defaultNs;
  return `${value.kind} ${ns}/${name}`;
}

/** Kinds without a namespace: a file's object of these kinds gets none by default. */
const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);

/** Every object of some file sources, by key; Lists are opened (as the loader does). */
function sourceKeys(sources: readonly Source[], defaultNs: string, limits: InputLimits): Set<string> {
  const keys = new Set<string>();
  const visit = (v: unknown, depth: number): void => {
    if (!isObj(v) || depth > limits.maxDepth) return;
    if (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) {
      const itemKind = v.kind === 'List' ? undefined : v.kind.slice(0, -'List'.length);
      for (const item of v.items) visit(itemKind && isObj(item) && !item.kind ? { ...item, kind: itemKind } : item, depth + 1);
      return;
    }
    const k = objectKey(v, defaultNs);
    if (k) keys.add(k);
  };
  for (const s of sources) for (const d of parseYamlText(s.file, s.text, limits).documents) visit(d.value, 0);
  return keys;
}

/**
 * The preview: objects (from the cluster) that the file sources do not redefine. A file's object
 * replaces the cluster's object of the same kind, namespace and name, without a duplicate warning.
 */
export function overriddenBy(objects: readonly ObjectInput[], sources: readonly Source[], defaultNs: string, limits: InputLimits = DEFAULT_LIMITS): { kept: ObjectInput[]; replaced: string[] } {
  if (sources.length === 0) return { kept: [...objects], replaced: [] };
  const keys = sourceKeys(sources, defaultNs, limits);
  const kept: ObjectInput[] = [], replaced: string[] = [];
  for (const o of objects) {
    const k = objectKey(o.value, defaultNs);
    if (k && keys.has(k)) replaced.push(o.origin);
    else kept.push(o);
  }
  return { kept, replaced };
}
