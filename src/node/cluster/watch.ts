// Node-only: `netpol watch`. List, then watch Namespaces, Pods and NetworkPolicies (the objects
// the incremental engine models); every event goes through the loader (one object) into
// LiveReachability, and the pairs it opened or closed are printed. BOOKMARKs move the resume
// point; an ERROR 410 (Gone: the resume point was compacted away) relists everything and prints
// what changed across the gap, whose causes were missed.
import { Watch } from '@kubernetes/client-node';
import { LiveReachability, pairCount, type Flips, type PairChange } from '../../analysis/watch/tracker.js';
import { loadSources } from '../../load/load.js';
import type { Probe } from '../../matrix/ports.js';
import type { Cluster, ClusterPolicy } from '../../model/types.js';
import { renderDiagnosticsText } from '../../render/diagnostics.js';
import { safeJson, terminalText } from '../../render/escape.js';
import { statusError, type Connection } from './client.js';
import { readCluster, toInput, type ClusterRead } from './read.js';
import { collectionPath, rbacName, RESOURCES, type Resource } from './resources.js';

export type WatchFormat = 'text' | 'json';

/** Text lines of blocks beyond this many are summarised (JSON lists every one). */
const TEXT_BLOCKS = 20;

// Services and EndpointSlices change no pod pair's verdict, so they are not followed.
const WATCHED = ['namespaces', 'nodes', 'pods', 'networkpolicies', 'clusternetworkpolicies', 'adminnetworkpolicies', 'baselineadminnetworkpolicies'];
const TIER_PLURALS = ['clusternetworkpolicies', 'adminnetworkpolicies', 'baselineadminnetworkpolicies'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** The state between events: what the loader makes of each object, and the printing. */
export class WatchSession {
  readonly live: LiveReachability;

  constructor(cluster: Cluster, private readonly format: WatchFormat, probes?: readonly Probe[], private readonly warn: (text: string) => void = () => {}) {
    this.live = new LiveReachability(cluster, probes);
  }

  /** One watch event; returns the text to print ('' when no pair flipped). */
  apply(r: Resource, type: string, object: Obj): string {
    const input = toInput(object, r);
    const meta = isObj(input.value) && isObj((input.value as Obj).metadata) ? (input.value as Obj).metadata as Obj : {};
    const name = typeof meta.name === 'string' ? meta.name : '';
    const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
    let model: Cluster | undefined;
    if (type !== 'DELETED') {
      const loaded = loadSources([], { objects: [input], namespace: ns || 'default' });
      const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length) {
        this.warn(`${renderDiagnosticsText(errors, loaded.sources)}\nnetpol: ${type} ${r.kind} ${ns ? `${ns}/` : ''}${name} is invalid; kept the previous state`);
        return '';
      }
      model = loaded.cluster;
    }
    let flips: Flips;
    if (r.plural === 'pods') flips = this.live.pod(ns, name, model?.pods[0]);
    else if (r.plural === 'networkpolicies') flips = this.live.policy(ns, name, model?.policies[0]);
    else if (TIER_PLURALS.includes(r.plural)) flips = this.live.clusterPolicy(r.kind as ClusterPolicy['kind'], name, model?.clusterPolicies?.[0]);
    else if (r.plural === 'nodes') flips = this.live.node(name, model?.nodes?.[0]);
    else flips = this.live.namespace(name, model?.namespaces.find((n) => n.name === name));
    return this.print({ type, kind: r.kind, object: ns ? `${ns}/${name}` : name }, flips);
  }

  /** After a relist: the flips across the gap. */
  gap(cluster: Cluster, reason: string): string {
    const flips = this.live.replace(cluster);
    return this.print({ type: 'GAP', kind: '', object: '', reason }, flips, true);
  }

  print(event: { type: string; kind: string; object: string; reason?: string }, f: Flips, always = false): string {
    if (!always && f.opened.length + f.closed.length === 0) return '';
    const opened = f.opened.reduce((n, c) => n + pairCount(c), 0), closed = f.closed.reduce((n, c) => n + pairCount(c), 0);
    if (this.format === 'json') return safeJson({ ...event, openedPairs: opened, closedPairs: closed, opened: f.opened, closed: f.closed });
    const head = event.type === 'GAP'
      ? `GAP ${event.reason}: relisted; across the gap (causes not seen): opened ${opened}, closed ${closed} pod pairs`
      : `${event.type} ${event.kind} ${event.object}: opened ${opened}, closed ${closed} pod pairs`;
    const lines = [...f.opened.map((c) => `  + ${block(c)}`), ...f.closed.map((c) => `  - ${block(c)}`)];
    const shown = lines.slice(0, TEXT_BLOCKS);
    if (lines.length > TEXT_BLOCKS) shown.push(`  … and ${lines.length - TEXT_BLOCKS} more (--format json lists every pod)`);
    return [head, ...shown].map(terminalText).join('\n');
  }
}

/** `prod/web-0 -> prod/db-0 3306/TCP`, or `3 pods (a, b, …) -> …` for a block of pods. */
function block(c: PairChange): string {
  const side = (ids: readonly string[]) => (ids.length === 1 ? ids[0]! : `${ids.length} pods (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''})`);
  return `${side(c.from)} -> ${c.from === c.to ? 'each other' : side(c.to)} ${c.port}/${c.protocol}`;
}

export interface WatchOptions {
  connection: Connection;
  namespaces?: readonly string[];
  probes?: readonly Probe[];
  format: WatchFormat;
  out: (line: string) => void;
  err: (line: string) => void;
  signal: AbortSignal;
  pageSize?: number;
}

function modelOf(read: ClusterRead, namespace: string | undefined, err: (l: string) => void): Cluster {
  const loaded = loadSources([], { objects: read.objects, namespace });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) err(`${renderDiagnosticsText(errors, loaded.sources)}\nnetpol: watch: ${loaded.skipped.length} invalid object(s) left out`);
  return loaded.cluster;
}

export async function watchCluster(o: WatchOptions): Promise<void> {
  const c = o.connection;
  const readAll = () => readCluster(c, { namespaces: o.namespaces, pageSize: o.pageSize });
  let read = await readAll();
  const session = new WatchSession(modelOf(read, c.namespace, o.err), o.format, o.probes, o.err);
  const s = session.live.size;
  o.err(`netpol: watching context "${c.context}": ${s.pods} pods, ${s.policies} NetworkPolicies, ${s.namespaces} namespaces, ${s.probes} ports, ${s.clusterPolicies} tier policies, ${s.nodes} nodes`);

  const watcher = new Watch(c.kc);
  // One resume point per stream; events from all streams are applied in order, one at a time.
  // Only what the server serves (discovery decided what was listed: the tier kinds are optional).
  const streams = RESOURCES.filter((r) => WATCHED.includes(r.plural) && read.lists.some((l) => l.resource.plural === r.plural)).flatMap((r) =>
    (r.namespaced && o.namespaces ? o.namespaces : [undefined]).map((ns) => ({ r, ns, rv: '', abort: undefined as AbortController | undefined })));
  const setVersions = () => { for (const st of streams) st.rv = read.lists.find((l) => l.resource.plural === st.r.plural)?.resourceVersion ?? ''; };
  setVersions();
  let queue = Promise.resolve();
  let relisting = false;
  let failure: Error | undefined;
  let stopAll = () => {};
  const fail = (e: Error) => { failure ??= e; stopAll(); };
  // Streams of before a relist are stale: their late events and errors are ignored.
  let generation = 0;
  const wanted = (r: Resource, obj: Obj) => {
    if (!o.namespaces) return true;
    if (!r.namespaced && r.plural !== 'namespaces') return true; // Nodes and tier policies are cluster-wide
    const meta = isObj(obj.metadata) ? obj.metadata : {};
    const ns = typeof meta.namespace === 'string' ? meta.namespace : meta.name;
    return o.namespaces.includes(ns as string);
  };

  const relist = async (why: string) => {
    if (relisting) return;
    relisting = true;
    generation++;
    for (const st of streams) st.abort?.abort();
    try {
      read = await readAll();
    } catch (e) {
      fail(e as Error); // the relist itself failed (rights, reachability): nothing to watch from
      return;
    }
    setVersions();
    o.out(session.gap(modelOf(read, c.namespace, o.err), why));
    relisting = false;
    for (const st of streams) void start(st);
  };

  const start = async (st: (typeof streams)[number]): Promise<void> => {
    // During a relist every stream is restarted by it, from the new list's version.
    if (o.signal.aborted || relisting) return;
    const path = collectionPath(st.r, st.ns);
    const gen = generation;
    let ended = false;
    const restart = (delay: number) => {
      if (ended) return;
      ended = true;
      if (!o.signal.aborted && !relisting) setTimeout(() => void start(st), delay);
    };
    st.abort = await watcher.watch(path, { resourceVersion: st.rv || undefined, allowWatchBookmarks: true }, (type: string, obj: unknown) => {
      queue = queue.then(async () => {
        if (relisting || gen !== generation || !isObj(obj)) return;
        const meta = isObj(obj.metadata) ? obj.metadata : {};
        if (type === 'ERROR') {
          if (obj.code === 410) {
            ended = true;
            await relist(`${st.r.plural} watch expired (410 Gone: ${typeof obj.message === 'string' ? obj.message : 'resource version too old'})`);
          } else o.err(`netpol: watch ${st.r.plural}: the server sent an error: ${terminalText(String(obj.message ?? obj.reason ?? 'unknown'))}`);
          return;
        }
        if (typeof meta.resourceVersion === 'string') st.rv = meta.resourceVersion;
        if (type === 'BOOKMARK' || !wanted(st.r, obj)) return;
        const text = session.apply(st.r, type, obj);
        if (text) o.out(text);
      }).catch((e: unknown) => o.err(`netpol: watch: ${(e as Error).message}`));
    }, (e: unknown) => {
      // A watch ends at the server's timeout (resume from the last version) or on an error.
      if (gen !== generation) return;
      if (e && !o.signal.aborted && !(isObj(e) && (e as { name?: string }).name === 'AbortError')) {
        const code = isObj(e) ? (e as { statusCode?: number }).statusCode : undefined;
        if (code === 410) { ended = true; void (queue = queue.then(() => relist(`${st.r.plural} watch expired (410 Gone)`))); return; }
        // Credentials or rights lost: retrying will not help; one clear line, exit 2.
        if (code === 401 || code === 403) { ended = true; fail(statusError(c, code, '', { verb: 'watch', resource: rbacName(st.r) })); return; }
        o.err(`netpol: watch ${st.r.plural}: ${code ? `the server answered ${code}` : (e as Error).message ?? String(e)}; retrying`);
        restart(1000);
      } else restart(0);
    });
  };

  for (const st of streams) void start(st);
  await new Promise<void>((done) => {
    stopAll = () => { for (const st of streams) st.abort?.abort(); done(); };
    if (o.signal.aborted) return done();
    o.signal.addEventListener('abort', stopAll, { once: true });
  });
  if (failure) throw failure;
}
