// Sources (file name + text) -> Cluster + diagnostics. Browser-safe: reading files is the caller's job.
import { diagnostic, hasErrors, type Diagnostic, type DocumentOrigin } from '../diagnostics/diagnostic.js';
import { NAMESPACE_NAME_LABEL, type Cluster, type Namespace, type NetworkPolicy, type Pod } from '../model/types.js';
import { checkNetworkPolicy } from '../validate/index.js';
import { checkObject } from '../validate/objects.js';
import { toNetworkPolicy } from './convert-policy.js';
import { readNamespace, readPod, readWorkload, WORKLOAD_KINDS } from './convert-workloads.js';
import { DEFAULT_LIMITS, type InputLimits } from './limits.js';
import { parseYamlText, type ParsedDocument } from './parse-yaml.js';
import { classifyKind } from './kinds.js';

export interface Source {
  file: string;
  text: string;
}

export interface LoadOptions {
  /** Namespace for objects that name none (kubectl's context namespace). */
  namespace?: string;
  limits?: InputLimits;
}

export interface LoadResult {
  cluster: Cluster;
  diagnostics: Diagnostic[];
  /** Source texts by file name, for code frames. */
  sources: Map<string, string>;
  /** NetworkPolicies that failed checking and are therefore not part of `cluster`. */
  rejectedPolicies: number;
  /** Namespaces, Pods and workloads left out for invalid metadata (names, labels, ...). */
  rejectedObjects: number;
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

export function loadSources(sources: readonly Source[], options: LoadOptions = {}): LoadResult {
  const defaultNs = options.namespace ?? 'default';
  const diagnostics: Diagnostic[] = [];
  const texts = new Map<string, string>();
  const namespaces = new Map<string, Namespace>();
  const pods = new Map<string, Pod>();
  const policies = new Map<string, NetworkPolicy>();
  let rejectedPolicies = 0;
  let rejectedObjects = 0;
  /** Metadata checked as the API server does; an object that fails is left out, like a policy. */
  const acceptObject = (kind: string, value: Obj, origin: DocumentOrigin): boolean => {
    const templatePath = kind in WORKLOAD_KINDS ? WORKLOAD_KINDS[kind]!({}).templatePath : undefined;
    const problems = checkObject(kind, value, origin, templatePath);
    diagnostics.push(...problems);
    if (!hasErrors(problems)) return true;
    rejectedObjects++;
    return false;
  };
  const sink = { diagnostics };

  const add = <T extends { namespace?: string; name: string; origin?: DocumentOrigin }>(
    map: Map<string, T>, kind: string, item: T,
  ): void => {
    const id = item.namespace ? `${item.namespace}/${item.name}` : item.name;
    const prev = map.get(id);
    if (prev && item.origin) {
      diagnostics.push(diagnostic(item.origin, 'warning', 'Duplicate value', 'metadata.name',
        `${kind} ${id} is defined more than once; the last definition wins`,
        { hint: prev.origin ? `also defined in ${prev.origin.file}:${prev.origin.locate('metadata.name').line}` : undefined }));
    }
    map.set(id, item);
  };

  const handle = (value: unknown, origin: DocumentOrigin): void => {
    if (!isObj(value)) {
      diagnostics.push(diagnostic(origin, 'error', 'Type mismatch', '', 'a Kubernetes object must be a mapping'));
      return;
    }
    const kind = value.kind;
    if (typeof kind !== 'string' || kind === '') {
      diagnostics.push(diagnostic(origin, 'error', 'Required value', 'kind', "Object 'Kind' is missing",
        { hint: 'add e.g. `kind: NetworkPolicy` and `apiVersion: networking.k8s.io/v1`' }));
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
    const modelled = kind === 'NetworkPolicy' || kind === 'Namespace' || kind === 'Pod' || kind in WORKLOAD_KINDS;
    const verdict = classifyKind(kind, value.apiVersion, modelled);
    const meta = isObj(value.metadata) ? value.metadata : {};
    const named = typeof meta.name === 'string' ? ` ${typeof meta.namespace === 'string' ? `${meta.namespace}/` : ''}${meta.name}` : '';
    if (verdict.action === 'error') {
      diagnostics.push(diagnostic(origin, 'error', 'No kind match', 'kind', verdict.message, { hint: verdict.hint }));
      return;
    }
    if (verdict.action === 'warn') {
      diagnostics.push(diagnostic(origin, 'warning', 'No kind match', 'kind',
        `${kind}${named} (${String(value.apiVersion)}) allows or denies connections, but netpol does not model it: the verdicts ignore it and consider only Kubernetes NetworkPolicies`,
        { hint: 'verdicts may show connections as allowed that this object denies (or the reverse)' }));
      return;
    }
    if (verdict.action === 'info') {
      diagnostics.push(diagnostic(origin, 'info', 'No kind match', 'kind', `kind "${kind}" does not affect NetworkPolicy evaluation; skipped`));
      return;
    }
    if (kind === 'NetworkPolicy') {
      const problems = checkNetworkPolicy(value, origin);
      diagnostics.push(...problems);
      if (hasErrors(problems)) rejectedPolicies++;
      else add(policies, 'NetworkPolicy', toNetworkPolicy(value, origin, defaultNs));
    } else if ((kind === 'Namespace' || kind === 'Pod' || kind in WORKLOAD_KINDS) && !acceptObject(kind, value, origin)) {
      return;
    } else if (kind === 'Namespace') {
      const ns = readNamespace(value, origin, sink);
      if (ns) add(namespaces, 'Namespace', ns);
    } else if (kind === 'Pod') {
      const pod = readPod(value, origin, sink, defaultNs);
      if (pod) add(pods, 'Pod', pod);
    } else {
      for (const pod of readWorkload(kind, value, origin, sink, defaultNs)) add(pods, 'Pod', pod);
    }
  };

  // An empty input must not pass in silence: it usually means a wrong path or an empty render.
  const nothing = (file: string, message: string) => diagnostics.push({ severity: 'warning', type: 'Required value', path: '', file, document: 0, line: 1, column: 1, message });
  let emptyFiles = 0;
  if (sources.length === 0) nothing('<input>', 'no manifests in the input (no files, or none named *.yaml, *.yml or *.json): nothing was checked');
  for (const src of sources) {
    texts.set(src.file, src.text);
    const parsed = parseYamlText(src.file, src.text, options.limits ?? DEFAULT_LIMITS);
    diagnostics.push(...parsed.diagnostics);
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
  // Objects were read, but none netpol evaluates (only Services, ConfigMaps, …): say so once.
  if (sources.length > emptyFiles && namespaces.size + pods.size + policies.size + rejectedPolicies === 0 && !hasErrors(diagnostics)) {
    nothing('<input>', 'nothing to check: no NetworkPolicy, Namespace, Pod or workload with pods was read from the input');
  }

  // Namespaces referenced but not declared exist implicitly, with only the name label.
  const referenced = [...pods.values(), ...policies.values()].map((o) => o.namespace);
  for (const name of referenced) {
    if (!namespaces.has(name)) namespaces.set(name, { kind: 'Namespace', name, labels: { [NAMESPACE_NAME_LABEL]: name }, implicit: true });
  }
  const byName = <T extends { namespace?: string; name: string }>(a: T, b: T) =>
    (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name, 'en', { numeric: true });
  return {
    cluster: {
      namespaces: [...namespaces.values()].sort(byName),
      pods: [...pods.values()].sort(byName),
      policies: [...policies.values()].sort(byName),
    },
    diagnostics,
    sources: texts,
    rejectedPolicies,
    rejectedObjects,
  };
}
