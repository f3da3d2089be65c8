// Node-only: reads the cluster into loader objects. Discovery decides which optional kinds are
// served; lists are paginated (limit/continue), so only one page of raw JSON is held at a time.
import type { ObjectInput } from '../../load/load-objects.js';
import { ClusterError, getJson, type Connection } from './client.js';
import { apiVersionOf, collectionPath, originOf, rbacName, RESOURCES, type Resource } from './resources.js';

export interface ReadOptions {
  /** Limit namespaced lists (and the Namespaces read) to these; undefined: every namespace. */
  namespaces?: readonly string[];
  /** Items per page (the API's `limit`). */
  pageSize?: number;
  /** Progress lines (only on a terminal: the CLI passes process.stderr when it is a TTY). */
  progress?: NodeJS.WriteStream;
}

export interface ClusterRead {
  objects: ObjectInput[];
  /** The resources read, with the list's resourceVersion (where a watch resumes). */
  lists: { resource: Resource; resourceVersion: string }[];
  /** Optional resources the API does not serve (reported, not an error). */
  notServed: Resource[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Server bookkeeping no answer depends on; dropped as objects arrive (managedFields is most of a pod's bytes). */
export function stripObject(item: Obj, r: Resource): Obj {
  const meta = isObj(item.metadata) ? { ...item.metadata } : undefined;
  if (meta) {
    delete meta.managedFields;
    if (isObj(meta.annotations) && 'kubectl.kubernetes.io/last-applied-configuration' in meta.annotations) {
      const { ['kubectl.kubernetes.io/last-applied-configuration']: _, ...rest } = meta.annotations;
      meta.annotations = rest;
    }
  }
  return { apiVersion: apiVersionOf(r), kind: r.kind, ...item, ...(meta ? { metadata: meta } : {}) };
}

export function toInput(item: Obj, r: Resource): ObjectInput {
  const value = stripObject(item, r);
  const meta = isObj(value.metadata) ? value.metadata : {};
  const ns = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  return { origin: originOf(r, ns, typeof meta.name === 'string' ? meta.name : ''), value };
}

/** Which optional resources the API serves: /apis, then each group-version's resource list. */
export async function discover(c: Connection): Promise<{ served: Resource[]; notServed: Resource[] }> {
  const core = await getJson(c, '/api', { verb: 'get', resource: 'discovery /api' });
  if (!isObj(core) || !Array.isArray(core.versions) || !core.versions.includes('v1')) {
    throw new ClusterError(`${c.server} does not look like a Kubernetes API server (/api does not list v1)`);
  }
  const groups = await getJson(c, '/apis', { verb: 'get', resource: 'discovery /apis' });
  const offered = new Set<string>();
  if (isObj(groups) && Array.isArray(groups.groups)) {
    for (const g of groups.groups) {
      if (!isObj(g) || !Array.isArray(g.versions)) continue;
      for (const v of g.versions) if (isObj(v) && typeof v.groupVersion === 'string') offered.add(v.groupVersion);
    }
  }
  const resourcesOf = new Map<string, Set<string>>();
  const served: Resource[] = [], notServed: Resource[] = [];
  for (const r of RESOURCES) {
    if (!r.optional) { served.push(r); continue; }
    const gv = apiVersionOf(r);
    if (!offered.has(gv)) { notServed.push(r); continue; }
    let names = resourcesOf.get(gv);
    if (!names) {
      const list = await getJson(c, `/apis/${gv}`, { verb: 'get', resource: `discovery /apis/${gv}` });
      names = new Set(isObj(list) && Array.isArray(list.resources) ? list.resources.flatMap((x) => (isObj(x) && typeof x.name === 'string' ? [x.name] : [])) : []);
      resourcesOf.set(gv, names);
    }
    (names.has(r.plural) ? served : notServed).push(r);
  }
  return { served, notServed };
}

/** One paginated list; `each` gets every item. Returns the list's resourceVersion. */
export async function listAll(c: Connection, r: Resource, namespace: string | undefined, pageSize: number, each: (item: Obj) => void, progress?: (n: number) => void): Promise<string> {
  let token: string | undefined;
  let resourceVersion = '';
  let n = 0;
  do {
    const q = new URLSearchParams({ limit: String(pageSize) });
    if (token) q.set('continue', token);
    const page = await getJson(c, `${collectionPath(r, namespace)}?${q}`, { verb: 'list', resource: rbacName(r) });
    if (!isObj(page) || !Array.isArray(page.items)) throw new ClusterError(`the API server ${c.server} sent a ${r.kind} list without items`);
    const meta = isObj(page.metadata) ? page.metadata : {};
    if (!token) resourceVersion = typeof meta.resourceVersion === 'string' ? meta.resourceVersion : '';
    for (const item of page.items) if (isObj(item)) { each(item); n++; }
    progress?.(n);
    token = typeof meta.continue === 'string' && meta.continue !== '' ? meta.continue : undefined;
  } while (token);
  return resourceVersion;
}

/** Everything netpol reads, as loader objects. */
export async function readCluster(c: Connection, o: ReadOptions = {}): Promise<ClusterRead> {
  const { served, notServed } = await discover(c);
  const objects: ObjectInput[] = [];
  const lists: ClusterRead['lists'] = [];
  const pageSize = o.pageSize ?? 500;
  const say = (text: string) => o.progress?.write(`\r\x1b[K${text}`);
  for (const r of served) {
    const push = (item: Obj) => objects.push(toInput(item, r));
    if (r.kind === 'Namespace' && o.namespaces) {
      // Only the namespaces asked for: get each (their labels decide namespaceSelectors).
      for (const ns of o.namespaces) {
        const item = await getJson(c, `/api/v1/namespaces/${encodeURIComponent(ns)}`, { verb: 'get', resource: 'namespaces' }).catch((e: unknown) => {
          if (e instanceof ClusterError && / answered 404 /.test(e.message)) throw new ClusterError(`namespace "${ns}" (from -n) does not exist in the cluster`);
          throw e;
        });
        if (isObj(item)) push(item);
      }
      lists.push({ resource: r, resourceVersion: '' });
      continue;
    }
    const scopes = r.namespaced && o.namespaces ? o.namespaces : [undefined];
    let rv = '';
    for (const ns of scopes) rv = await listAll(c, r, ns, pageSize, push, (n) => say(`netpol: reading ${r.plural}${ns ? ` in ${ns}` : ''}: ${n}`));
    lists.push({ resource: r, resourceVersion: scopes.length === 1 ? rv : '' });
  }
  say('');
  return { objects, lists, notServed };
}
