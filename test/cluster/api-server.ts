// A loopback HTTPS server that speaks the Kubernetes API's shapes (API reference, "API
// Concepts"): discovery (/api, /apis, /apis/<group>/<version>), Lists with
// metadata.resourceVersion and continue tokens (limit), GET of one Namespace, watch streams
// (ADDED/MODIFIED/DELETED/BOOKMARK, ERROR with a 410 Status), and 401/403 Status objects.
// The certificate is self-signed, made at test time with openssl.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Obj = Record<string, any>;

interface Kind { kind: string; group: string; version: string; plural: string; namespaced: boolean }

export const KINDS: Kind[] = [
  { kind: 'Namespace', group: '', version: 'v1', plural: 'namespaces', namespaced: false },
  { kind: 'Node', group: '', version: 'v1', plural: 'nodes', namespaced: false },
  { kind: 'Pod', group: '', version: 'v1', plural: 'pods', namespaced: true },
  { kind: 'Service', group: '', version: 'v1', plural: 'services', namespaced: true },
  { kind: 'Secret', group: '', version: 'v1', plural: 'secrets', namespaced: true },
  { kind: 'ConfigMap', group: '', version: 'v1', plural: 'configmaps', namespaced: true },
  { kind: 'EndpointSlice', group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true },
  { kind: 'NetworkPolicy', group: 'networking.k8s.io', version: 'v1', plural: 'networkpolicies', namespaced: true },
  { kind: 'ClusterNetworkPolicy', group: 'policy.networking.k8s.io', version: 'v1alpha2', plural: 'clusternetworkpolicies', namespaced: false },
];

export interface ServerOptions {
  token?: string;
  /** `list pods`-style requests answered 403. */
  forbid?: string[];
  /** Serve policy.networking.k8s.io/v1alpha2 (ClusterNetworkPolicy). */
  tierApi?: boolean;
}

export interface Watcher { plural: string; res: ServerResponse; rv: number }

export class FakeApiServer {
  readonly objects = new Map<string, Obj[]>(KINDS.map((k) => [k.plural, []]));
  readonly requests: string[] = [];
  readonly watchers: Watcher[] = [];
  /** Events kept for watches that resume from an older resourceVersion. */
  private readonly history: { plural: string; rv: number; type: string; object: Obj }[] = [];
  /** Watches (and continue tokens) from before this resourceVersion get 410 Gone (the etcd compaction). */
  compactedBelow = 0;
  rv = 100;
  private uid = 0;
  server!: Server;
  url = '';
  dir = mkdtempSync(join(tmpdir(), 'netpol-fake-api-'));
  token: string;

  constructor(readonly opts: ServerOptions = {}) {
    this.token = opts.token ?? 'test-token';
  }

  async start(): Promise<void> {
    const key = join(this.dir, 'key.pem'), cert = join(this.dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    this.server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => this.handle(req, res));
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.res.end();
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  /** A kubeconfig for this server (token user, the self-signed cert as its CA). */
  kubeconfig(o: { token?: string; namespace?: string; server?: string; exec?: { command: string; args: string[] } } = {}): string {
    const ca = readFileSync(join(this.dir, 'cert.pem')).toString('base64');
    const file = join(this.dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, [
      'apiVersion: v1', 'kind: Config', 'current-context: fake',
      'clusters:', `- name: fake`, '  cluster:', `    server: ${o.server ?? this.url}`, `    certificate-authority-data: ${ca}`,
      'users:', '- name: tester', '  user:',
      ...(o.exec
        ? ['    exec:', '      apiVersion: client.authentication.k8s.io/v1', `      command: ${JSON.stringify(o.exec.command)}`, '      interactiveMode: Never', '      args:', ...o.exec.args.map((a) => `      - ${JSON.stringify(a)}`)]
        : [`    token: ${o.token ?? this.token}`]),
      'contexts:', '- name: fake', '  context:', '    cluster: fake', '    user: tester', ...(o.namespace ? [`    namespace: ${o.namespace}`] : []),
      '- name: other', '  context:', '    cluster: fake', '    user: tester',
    ].join('\n'));
    return file;
  }

  // ---- the store --------------------------------------------------------------------------

  /** Adds an object as the API server would: uid, resourceVersion, managedFields noise. */
  put(plural: string, obj: Obj, type?: 'ADDED' | 'MODIFIED'): Obj {
    const list = this.objects.get(plural)!;
    const meta = obj.metadata;
    const i = list.findIndex((o) => o.metadata.name === meta.name && o.metadata.namespace === meta.namespace);
    this.rv++;
    const stored = {
      ...obj,
      metadata: {
        ...meta, uid: i >= 0 ? list[i]!.metadata.uid : `uid-${++this.uid}`, resourceVersion: String(this.rv),
        creationTimestamp: '2026-11-28T10:00:00Z',
        managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', time: '2026-11-28T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} } } }],
      },
    };
    delete stored.kind;
    delete stored.apiVersion;
    if (i >= 0) list[i] = stored;
    else list.push(stored);
    this.event(plural, type ?? (i >= 0 ? 'MODIFIED' : 'ADDED'), stored);
    return stored;
  }

  /** A change the watches never see (it happens while they are gone): only a relist finds it. */
  putUnseen(plural: string, obj: Obj): void {
    const watchers = this.watchers.splice(0);
    const n = this.history.length;
    this.put(plural, obj);
    this.history.length = n;
    this.watchers.push(...watchers);
  }

  /** Ends every watch normally (as at the server's watch timeout); clients resume from their last version. */
  endWatches(): void {
    for (const w of this.watchers.splice(0)) w.res.end();
  }

  remove(plural: string, namespace: string | undefined, name: string): void {
    const list = this.objects.get(plural)!;
    const i = list.findIndex((o) => o.metadata.name === name && o.metadata.namespace === namespace);
    if (i < 0) return;
    const [gone] = list.splice(i, 1);
    this.rv++;
    this.event(plural, 'DELETED', { ...gone, metadata: { ...gone!.metadata, resourceVersion: String(this.rv) } });
  }

  private event(plural: string, type: string, object: Obj): void {
    const k = KINDS.find((x) => x.plural === plural)!;
    const full = { apiVersion: k.group ? `${k.group}/${k.version}` : k.version, kind: k.kind, ...object };
    this.history.push({ plural, rv: this.rv, type, object: full });
    for (const w of this.watchers) if (w.plural === plural && !w.res.writableEnded) w.res.write(`${JSON.stringify({ type, object: full })}\n`);
  }

  /** Sends a BOOKMARK to every open watch (its resourceVersion is the current one). */
  bookmark(): void {
    for (const w of this.watchers) {
      const k = KINDS.find((x) => x.plural === w.plural)!;
      if (!w.res.writableEnded) w.res.write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: k.kind, apiVersion: k.group ? `${k.group}/${k.version}` : 'v1', metadata: { resourceVersion: String(this.rv), annotations: { 'k8s.io/initial-events-end': 'true' } } } })}\n`);
    }
  }

  /** Ends every open watch with an ERROR 410 (as after a compaction) and refuses older versions. */
  expireWatches(): void {
    this.compactedBelow = this.rv;
    for (const w of this.watchers.splice(0)) {
      if (w.res.writableEnded) continue;
      w.res.end(`${JSON.stringify({ type: 'ERROR', object: gone(w.rv) })}\n`);
    }
  }

  openWatches(plural?: string): number {
    return this.watchers.filter((w) => !w.res.writableEnded && (!plural || w.plural === plural)).length;
  }

  // ---- HTTP -------------------------------------------------------------------------------

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://x');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, status(405, 'MethodNotAllowed', 'netpol must never write'));
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    const p = url.pathname;
    if (p === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] });
    const groups = [...new Set(KINDS.filter((k) => k.group && (this.opts.tierApi || k.group !== 'policy.networking.k8s.io')).map((k) => `${k.group}/${k.version}`))];
    if (p === '/apis') {
      return send(200, {
        kind: 'APIGroupList', apiVersion: 'v1',
        groups: groups.map((gv) => ({ name: gv.split('/')[0], versions: [{ groupVersion: gv, version: gv.split('/')[1] }], preferredVersion: { groupVersion: gv, version: gv.split('/')[1] } })),
      });
    }
    const gvMatch = /^\/apis\/([^/]+\/[^/]+)$/.exec(p);
    if (gvMatch) {
      if (!groups.includes(gvMatch[1]!)) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return send(200, {
        kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gvMatch[1],
        resources: KINDS.filter((k) => `${k.group}/${k.version}` === gvMatch[1]).map((k) => ({ name: k.plural, singularName: '', namespaced: k.namespaced, kind: k.kind, verbs: ['get', 'list', 'watch'] })),
      });
    }
    // /api/v1[/namespaces/NS]/PLURAL[/NAME] or /apis/G/V[/namespaces/NS]/PLURAL[/NAME]
    const m = /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(p);
    const kind = m && KINDS.find((k) => k.plural === m[2]);
    if (!m || !kind) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const ns = m[1] && decodeURIComponent(m[1]);
    const name = m[3] && decodeURIComponent(m[3]);
    const watch = url.searchParams.get('watch') === 'true';
    const verb = name ? 'get' : watch ? 'watch' : 'list';
    if (this.opts.forbid?.includes(`${verb} ${kind.plural}`)) {
      return send(403, status(403, 'Forbidden', `${kind.plural} is forbidden: User "system:serviceaccount:netpol:reader" cannot ${verb} resource "${kind.plural}" in API group "${kind.group}" at the cluster scope`, { kind: kind.plural, group: kind.group }));
    }
    const all = this.objects.get(kind.plural)!.filter((o) => !ns || o.metadata.namespace === ns);
    if (name) {
      // A Namespace's name is the last segment (/api/v1/namespaces/NAME).
      const hit = kind.plural === 'namespaces' ? this.objects.get('namespaces')!.find((o) => o.metadata.name === ns || o.metadata.name === name) : all.find((o) => o.metadata.name === name);
      return hit ? send(200, { apiVersion: 'v1', kind: kind.kind, ...hit }) : send(404, status(404, 'NotFound', `${kind.plural} "${name}" not found`));
    }
    if (watch) return this.startWatch(kind, url, res);
    // A List: a consistent page of `limit` items; `continue` carries the position and version.
    const limit = Number(url.searchParams.get('limit') ?? '0');
    const token = url.searchParams.get('continue');
    let start = 0, rv = this.rv;
    if (token) {
      const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { start: number; rv: number };
      if (t.rv < this.compactedBelow) return send(410, status(410, 'Expired', 'The provided continue parameter is too old'));
      start = t.start; rv = t.rv;
    }
    const page = limit > 0 ? all.slice(start, start + limit) : all.slice(start);
    const more = limit > 0 && start + limit < all.length;
    send(200, {
      kind: `${kind.kind}List`, apiVersion: kind.group ? `${kind.group}/${kind.version}` : 'v1',
      metadata: { resourceVersion: String(rv), ...(more ? { continue: Buffer.from(JSON.stringify({ start: start + limit, rv })).toString('base64'), remainingItemCount: all.length - start - limit } : {}) },
      items: page,
    });
  }

  private startWatch(kind: Kind, url: URL, res: ServerResponse): void {
    const from = Number(url.searchParams.get('resourceVersion') ?? '0');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    if (from > 0 && from < this.compactedBelow) {
      res.end(`${JSON.stringify({ type: 'ERROR', object: gone(from) })}\n`);
      return;
    }
    // Events after the version asked for, then live ones.
    for (const h of this.history) if (h.plural === kind.plural && h.rv > from) res.write(`${JSON.stringify({ type: h.type, object: h.object })}\n`);
    const w = { plural: kind.plural, res, rv: from };
    this.watchers.push(w);
    res.on('close', () => { const i = this.watchers.indexOf(w); if (i >= 0) this.watchers.splice(i, 1); });
  }
}

export function status(code: number, reason: string, message: string, details?: Obj): Obj {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

const gone = (rv: number) => status(410, 'Expired', `too old resource version: ${rv} (${rv + 1})`);
