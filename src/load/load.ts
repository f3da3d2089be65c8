// Sources (file name + text) -> Cluster + diagnostics. Browser-safe: reading files is the caller's job.
import { diagnostic, hasErrors, type Diagnostic, type DocumentOrigin } from '../diagnostics/diagnostic.js';
import { NAMESPACE_NAME_LABEL, type Cluster, type ClusterPolicy, type ClusterPolicyKind, type Namespace, type NetworkPolicy, type Node, type Pod, type Service, type ServiceEndpoint } from '../model/types.js';
import { checkNetworkPolicy, checkObject } from '../validate/index.js';
import { checkTierPolicy, TIER_KINDS } from '../validate/tiers.js';
import { toClusterPolicy } from './convert-tiers.js';
import { toNode } from './convert-nodes.js';
import { toNetworkPolicy } from './convert-policy.js';
import { readService } from './convert-services.js';
import { readEndpointSlice } from './convert-endpointslices.js';
import { controllerOf, readNamespace, readPod, readWorkload, WORKLOAD_KINDS } from './convert-workloads.js';
import { groupWorkloads, type ReadPod, type WorkloadInfo } from './owners.js';
import { DEFAULT_LIMITS, type InputLimits } from './limits.js';
import { parseYamlText, type ParsedDocument } from './parse-yaml.js';
import { classifyKind } from './kinds.js';
import { objectOrigin, type ObjectInput } from './load-objects.js';
import type { Source } from './source.js';

export type { Source } from './source.js';

export interface LoadOptions {
  /** Namespace for objects that name none (kubectl's context namespace). */
  namespace?: string;
  limits?: InputLimits;
  /** false: read JSON text with the YAML parser too (for tests: both paths must agree). */
  json?: boolean;
  /** Already-parsed objects (from an API server), read before the sources (load-objects.ts). */
  objects?: readonly ObjectInput[];
  /**
   * Parses one file instead of parseYamlText (same contract): the web page's engine passes a
   * cached parse, so an edit re-parses only the file that changed. The result is only read.
   */
  parse?: typeof parseYamlText;
  /**
   * Parsed documents (their value objects) already checked without a single finding: not checked
   * again (checking reads only the value). The page's engine keeps one across edits; its parse
   * cache gives an unchanged document the same value object, so an edit checks what changed.
   */
  checked?: WeakSet<object>;
}

export interface LoadResult {
  cluster: Cluster;
  diagnostics: Diagnostic[];
  /** Source texts by file name, for code frames. */
  sources: Map<string, string>;
  /** NetworkPolicies that failed checking and are therefore not part of `cluster`. */
  rejectedPolicies: number;
  /** Tier policies (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy) that failed checking. */
  rejectedClusterPolicies: number;
  /** Namespaces, Pods and workloads left out because of an error (also listed in `skipped`). */
  rejectedObjects: number;
  /** Every object (or unreadable document) left out of `cluster` because of an error. */
  skipped: SkippedObject[];
}

/** What `--skip-invalid` reports as left out (the JSON `skipped` entries). */
export interface SkippedObject {
  file: string;
  /** 0-based document index in the file. */
  document: number;
  /** '' when the document could not be read as an object. */
  kind: string;
  /** metadata.name as written ('' when absent); namespaced objects as `namespace/name`. */
  name: string;
  /** The first error, `path: message`, and how many more there were. */
  reason: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** An origin for an item of a `List`: paths inside it are prefixed with `items[i]`. */
function prefixed(origin: DocumentOrigin, prefix: string): DocumentOrigin {
  return {
    file: origin.file,
    document: origin.document,
    locate: (p) => origin.locate(p === '' ? prefix : `${prefix}.${p}`),
    locateKey: (p, k) => origin.locateKey?.(p === '' ? prefix : `${prefix}.${p}`, k),
    sourceText: (p) => origin.sourceText?.(p === '' ? prefix : `${prefix}.${p}`),
  };
}

// The orders of localeCompare() and localeCompare(_, 'en', { numeric: true }), built once:
// localeCompare with options builds a collator per call (a quarter of loading 20k pods).
const NS_ORDER = new Intl.Collator();
const NAME_ORDER = new Intl.Collator('en', { numeric: true });

export function loadSources(sources: readonly Source[], options: LoadOptions = {}): LoadResult {
  const defaultNs = options.namespace ?? 'default';
  const diagnostics: Diagnostic[] = [];
  const texts = new Map<string, string>();
  const namespaces = new Map<string, Namespace>();
  const pods = new Map<string, Pod>();
  const policies = new Map<string, NetworkPolicy>();
  const services = new Map<string, Service>();
  // EndpointSlices by `namespace/service`, joined to their Services once everything is read.
  const slices = new Map<string, ServiceEndpoint[]>();
  let rejectedPolicies = 0;
  // Tier policies by kind and name (an ANP and a CNP may share a name); Nodes by name.
  const clusterPolicies = new Map<string, ClusterPolicy>();
  const nodes = new Map<string, Node>();
  let rejectedClusterPolicies = 0;
  let rejectedObjects = 0;
  const sink = { diagnostics };

  const add = <T extends { namespace?: string; name: string; origin?: DocumentOrigin }>(
    map: Map<string, T>, kind: string, item: T, key?: string,
  ): void => {
    const id = item.namespace ? `${item.namespace}/${item.name}` : item.name;
    const prev = map.get(key ?? id);
    if (prev && item.origin) {
      diagnostics.push(diagnostic(item.origin, 'warning', 'Duplicate value', 'metadata.name',
        `${kind} ${id} is defined more than once; the last definition wins`,
        { hint: prev.origin ? `also defined in ${prev.origin.file}:${prev.origin.locate('metadata.name').line}` : undefined }));
    }
    map.set(key ?? id, item);
  };

  const skipped: SkippedObject[] = [];
  const workloads: WorkloadInfo[] = [];
  const dumpedPods: ReadPod[] = [];
  const skip = (origin: DocumentOrigin, kind: string, value: unknown, errors: readonly Diagnostic[]): void => {
    const meta = isObj(value) && isObj(value.metadata) ? value.metadata : {};
    const name = typeof meta.name === 'string' ? meta.name : '';
    const clusterScoped = kind === 'Namespace' || kind === 'Node' || (TIER_KINDS as readonly string[]).includes(kind);
    const ns = clusterScoped ? '' : typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : defaultNs;
    const first = errors[0]!;
    skipped.push({
      file: origin.file, document: origin.document, kind, name: name && ns && kind ? `${ns}/${name}` : name,
      reason: `${first.path ? `${first.path}: ` : ''}${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
    });
  };

  /** Check and read one object; it joins the cluster only when it produced no error. */
  const handleObject = (kind: string, value: Obj, origin: DocumentOrigin): void => {
    const before = diagnostics.length;
    const check = (run: () => Diagnostic[]): Diagnostic[] => {
      if (options.checked?.has(value)) return [];
      const problems = run();
      if (problems.length === 0) options.checked?.add(value);
      return problems;
    };
    const commit: (() => void)[] = [];
    if (kind === 'NetworkPolicy') {
      const problems = check(() => checkNetworkPolicy(value, origin));
      diagnostics.push(...problems);
      if (hasErrors(problems)) rejectedPolicies++;
      else commit.push(() => add(policies, 'NetworkPolicy', toNetworkPolicy(value, origin, defaultNs)));
    } else if ((TIER_KINDS as readonly string[]).includes(kind)) {
      const checked = checkTierPolicy(kind as ClusterPolicyKind, value, origin);
      diagnostics.push(...checked.diagnostics);
      if (!checked.decoded) rejectedClusterPolicies++;
      else {
        const p = toClusterPolicy(kind as ClusterPolicyKind, checked.decoded, origin);
        commit.push(() => add(clusterPolicies, kind, p, `${kind}/${p.name}`));
      }
    } else if (kind === 'Node') {
      const problems = check(() => checkObject(kind, value, origin));
      diagnostics.push(...problems);
      if (!hasErrors(problems)) commit.push(() => add(nodes, 'Node', toNode(value, origin)));
    } else if (kind === 'Namespace' || kind === 'Pod' || kind in WORKLOAD_KINDS) {
      const problems = check(() => checkObject(kind, value, origin));
      diagnostics.push(...problems);
      if (!hasErrors(problems)) {
        if (kind === 'Namespace') {
          const ns = readNamespace(value, origin, sink);
          if (ns) commit.push(() => add(namespaces, 'Namespace', ns));
        } else if (kind === 'Pod') {
          const pod = readPod(value, origin, sink, defaultNs);
          const owner = controllerOf(value);
          if (pod) commit.push(() => dumpedPods.push(owner ? { pod, owner } : { pod }));
        } else {
          const w = readWorkload(kind, value, origin, sink, defaultNs);
          if (w) commit.push(() => workloads.push(w));
        }
      }
    } else if (kind === 'Service') {
      const problems = check(() => checkObject(kind, value, origin));
      diagnostics.push(...problems);
      const svc = hasErrors(problems) ? undefined : readService(value, origin, defaultNs);
      if (svc) commit.push(() => add(services, 'Service', svc));
    } else if (kind === 'EndpointSlice') {
      const slice = readEndpointSlice(value, defaultNs);
      if (slice) commit.push(() => slices.set(slice.service, [...(slices.get(slice.service) ?? []), ...slice.endpoints]));
      else diagnostics.push(diagnostic(origin, 'info', 'No kind match', 'metadata.labels', 'an EndpointSlice without the kubernetes.io/service-name label belongs to no Service; skipped'));
    } else {
      diagnostics.push(diagnostic(origin, 'info', 'No kind match', 'kind', `kind "${kind}" does not affect NetworkPolicy evaluation; skipped`));
    }
    const errors = diagnostics.slice(before).filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      skip(origin, kind, value, errors);
      if (kind !== 'NetworkPolicy' && kind !== 'Service' && !(TIER_KINDS as readonly string[]).includes(kind)) rejectedObjects++;
    } else {
      for (const c of commit) c();
    }
  };

  const handle = (value: unknown, origin: DocumentOrigin): void => {
    if (!isObj(value)) {
      const d = diagnostic(origin, 'error', 'Type mismatch', '', 'a Kubernetes object must be a mapping');
      diagnostics.push(d);
      skip(origin, '', value, [d]);
      return;
    }
    const kind = value.kind;
    if (typeof kind !== 'string' || kind === '') {
      const d = diagnostic(origin, 'error', 'Required value', 'kind', "Object 'Kind' is missing",
        { hint: 'add e.g. `kind: NetworkPolicy` and `apiVersion: networking.k8s.io/v1`' });
      diagnostics.push(d);
      skip(origin, '', value, [d]);
      return;
    }
    // Lists may hold Lists (`kubectl get … -o yaml` of several Lists): read them all. The
    // nesting is bounded by the parser's maxDepth, so this recursion is too.
    if (kind === 'List' || (kind.endsWith('List') && Array.isArray(value.items))) {
      // A typed list (PodList, what the API returns) gives its items their kind, as kubectl does.
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      (Array.isArray(value.items) ? value.items : []).forEach((item, i) => {
        const filled = itemKind && isObj(item) && (item.kind === undefined || item.kind === null || item.kind === '')
          ? { ...item, kind: itemKind, apiVersion: item.apiVersion ?? value.apiVersion }
          : item;
        handle(filled, prefixed(origin, `items[${i}]`));
      });
      return;
    }
    const modelled = kind === 'NetworkPolicy' || kind === 'Namespace' || kind === 'Pod' || kind in WORKLOAD_KINDS ||
      kind === 'Node' || (TIER_KINDS as readonly string[]).includes(kind);
    const verdict = classifyKind(kind, value.apiVersion, modelled);
    const meta = isObj(value.metadata) ? value.metadata : {};
    const named = typeof meta.name === 'string' ? ` ${typeof meta.namespace === 'string' ? `${meta.namespace}/` : ''}${meta.name}` : '';
    if (verdict.action === 'error') {
      const d = diagnostic(origin, 'error', 'No kind match', 'kind', verdict.message, { hint: verdict.hint });
      diagnostics.push(d);
      skip(origin, kind, value, [d]);
      return;
    }
    if (verdict.action === 'warn') {
      diagnostics.push(diagnostic(origin, 'warning', 'No kind match', 'kind',
        `${kind}${named} (${String(value.apiVersion)}) allows or denies connections, but netpol does not model it: the verdicts ignore it and consider only Kubernetes NetworkPolicies`,
        { hint: 'verdicts may show connections as allowed that this object denies (or the reverse)' }));
      return;
    }
    // 'info' and 'read': handleObject reads what netpol models and notes (and checks Services) the rest.
    handleObject(kind, value, origin);
  };

  // An empty input must not pass in silence: it usually means a wrong path or an empty render.
  const nothing = (file: string, message: string) => diagnostics.push({ severity: 'warning', type: 'Required value', path: '', file, document: 0, line: 1, column: 1, message });
  let emptyFiles = 0;
  const objects = options.objects ?? [];
  for (const o of objects) handle(o.value, objectOrigin(o.origin));
  if (sources.length === 0 && objects.length === 0) nothing('<input>', 'no manifests in the input (no files, or none named *.yaml, *.yml or *.json): nothing was checked');
  for (const src of sources) {
    texts.set(src.file, src.text);
    const parsed = (options.parse ?? parseYamlText)(src.file, src.text, options.limits ?? DEFAULT_LIMITS, { json: options.json });
    diagnostics.push(...parsed.diagnostics);
    // A document (or file) that does not parse is left out whole.
    const unreadable = new Map<number, Diagnostic[]>();
    for (const d of parsed.diagnostics) if (d.severity === 'error') unreadable.set(d.document, [...(unreadable.get(d.document) ?? []), d]);
    for (const [document, errs] of unreadable) skip({ file: src.file, document, locate: () => ({ line: 1, column: 1 }) }, '', undefined, errs);
    if (parsed.documents.length === 0 && parsed.diagnostics.length === 0) {
      nothing(src.file, 'the file is empty: no Kubernetes objects in it');
      emptyFiles++;
    }
    // A stray file (a tool's JSON output, a values file) holds no Kubernetes object at all:
    // say so once and go on, as kubectl's builder does, instead of one error per document.
    const stray = parsed.documents.length > 0 && !hasErrors(parsed.diagnostics)
      && parsed.documents.every((d) => !isObj(d.value) || (d.value.kind === undefined && d.value.apiVersion === undefined));
    if (stray) {
      diagnostics.push(diagnostic(parsed.documents[0]!.origin, 'warning', 'No kind match', '',
        'no Kubernetes object in this file (no document has apiVersion or kind); file skipped',
        { hint: 'if this file is not a manifest, leave it out of the paths given to netpol' }));
      emptyFiles++;
      continue;
    }
    for (const doc of parsed.documents as ParsedDocument[]) handle(doc.value, doc.origin);
  }

  const grouped = groupWorkloads(workloads, dumpedPods);
  for (const pod of grouped.pods) add(pods, 'Pod', pod);

  // Objects were read, but none netpol evaluates (only Services, ConfigMaps, …): say so once.
  if (sources.length + objects.length > emptyFiles && namespaces.size + pods.size + policies.size + rejectedPolicies + clusterPolicies.size + nodes.size === 0 && !hasErrors(diagnostics)) {
    nothing('<input>', 'nothing to check: no NetworkPolicy, Namespace, Pod or workload with pods was read from the input');
  }

  // Namespaces referenced but not declared exist implicitly, with only the name label.
  const referenced = [...pods.values(), ...policies.values()].map((o) => o.namespace);
  for (const name of referenced) {
    if (!namespaces.has(name)) namespaces.set(name, { kind: 'Namespace', name, labels: { [NAMESPACE_NAME_LABEL]: name }, implicit: true });
  }
  const byKindName = (a: ClusterPolicy, b: ClusterPolicy) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : NAME_ORDER.compare(a.name, b.name));
  const byName = <T extends { namespace?: string; name: string }>(a: T, b: T) =>
    NS_ORDER.compare(a.namespace ?? '', b.namespace ?? '') || NAME_ORDER.compare(a.name, b.name);
  return {
    cluster: {
      namespaces: [...namespaces.values()].sort(byName),
      pods: [...pods.values()].sort(byName),
      policies: [...policies.values()].sort(byName),
      workloads: grouped.workloads.sort(byName),
      // Absent when the input has none (the model's "none declared").
      ...(clusterPolicies.size ? { clusterPolicies: [...clusterPolicies.values()].sort(byKindName) } : {}),
      ...(nodes.size ? { nodes: [...nodes.values()].sort(byName) } : {}),
      ...(services.size ? { services: [...services.values()].map((svc) => withSlices(svc, slices)).sort(byName) } : {}),
    },
    diagnostics,
    sources: texts,
    rejectedPolicies,
    rejectedClusterPolicies,
    rejectedObjects,
    // Unreadable documents are found before the objects around them: file and document order.
    skipped: skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.document - b.document)),
  };
}

/** A Service read with EndpointSlices gets their endpoints (then they, not the selector, say who backs it). */
function withSlices(svc: Service, slices: ReadonlyMap<string, readonly ServiceEndpoint[]>): Service {
  const endpoints = slices.get(`${svc.namespace}/${svc.name}`);
  return endpoints ? { ...svc, endpoints } : svc;
}
