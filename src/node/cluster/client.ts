// Node-only: kubeconfig (kubectl's rules, through @kubernetes/client-node) and read-only GETs to
// the API server. Every failure becomes one clear line (ClusterError, exit 2), never a stack.
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { InputError } from '../read-sources.js';

/** A user-facing failure talking to the cluster (main.ts prints it, exit 2). */
export class ClusterError extends InputError {}

export interface ConnectOptions {
  kubeconfig?: string;
  context?: string;
}

export interface Connection {
  kc: KubeConfig;
  server: string;
  context: string;
  /** The context's namespace (kubectl's default for objects that name none). */
  namespace?: string;
}

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const ROLE_HINT = 'netpol needs get/list/watch on these resources; docs/cluster.md has the minimal read-only ClusterRole';

/** kubectl's order: --kubeconfig, $KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
export function connect(o: ConnectOptions = {}): Connection {
  const kc = new KubeConfig();
  const file = o.kubeconfig ?? (process.env.KUBECONFIG ? process.env.KUBECONFIG : undefined);
  try {
    if (o.kubeconfig) {
      if (!existsSync(o.kubeconfig)) throw new ClusterError(`cannot read the kubeconfig ${o.kubeconfig}: no such file`);
      kc.loadFromFile(o.kubeconfig);
    } else if (process.env.KUBECONFIG || existsSync(join(homedir(), '.kube', 'config'))) {
      kc.loadFromDefault();
    } else if (process.env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) {
      kc.loadFromCluster();
    } else {
      throw new ClusterError('no kubeconfig found: set $KUBECONFIG, pass --kubeconfig FILE, or run inside a pod with a service account');
    }
  } catch (e) {
    if (e instanceof ClusterError) throw e;
    throw new ClusterError(`bad kubeconfig${file ? ` ${file}` : ''}: ${oneLine((e as Error).message)}`);
  }
  if (o.context) {
    if (!kc.getContexts().some((c) => c.name === o.context)) {
      throw new ClusterError(`kubeconfig${file ? ` ${file}` : ''} has no context "${o.context}" (it has: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    kc.setCurrentContext(o.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new ClusterError(`bad kubeconfig${file ? ` ${file}` : ''}: the current context "${kc.getCurrentContext()}" names no cluster with a server`);
  const ctx = kc.getContextObject(kc.getCurrentContext());
  return { kc, server: cluster.server.replace(/\/+$/, ''), context: kc.getCurrentContext(), namespace: ctx?.namespace || undefined };
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** `list pods`, `watch networkpolicies.networking.k8s.io`: what RBAC calls the request. */
export interface Verb {
  verb: 'get' | 'list' | 'watch';
  resource: string;
}

/** Turns a non-2xx answer into the one line the user needs. */
export function statusError(c: Connection, code: number, body: string, what: Verb): ClusterError {
  let message = '';
  try {
    const s = JSON.parse(body) as { message?: unknown };
    if (typeof s.message === 'string') message = s.message;
  } catch { /* not a Status object */ }
  const detail = message ? `: ${oneLine(message).slice(0, 300)}` : '';
  const op = `${what.verb} ${what.resource}`;
  if (code === 401) {
    return new ClusterError(`the API server ${c.server} rejected the credentials of context "${c.context}" (401 Unauthorized) for ${op}${detail}; the token or certificate may have expired: log in again or refresh the kubeconfig`);
  }
  if (code === 403) return new ClusterError(`forbidden (403) to ${op} on ${c.server}${detail}; ${ROLE_HINT}`);
  return new ClusterError(`the API server ${c.server} answered ${code} to ${op}${detail}`);
}

/** A GET's answer: the status and the body text. Network failures become ClusterErrors. */
export async function request(c: Connection, path: string, what: Verb, stream?: (res: http.IncomingMessage) => Promise<void>): Promise<string> {
  const url = new URL(c.server + path);
  const opts: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  try {
    await c.kc.applyToHTTPSOptions(opts);
  } catch (e) {
    throw new ClusterError(`cannot get credentials for context "${c.context}": ${oneLine((e as Error).message)}`);
  }
  const lib = url.protocol === 'http:' ? http : https;
  if (url.protocol === 'http:') delete opts.agent;
  return new Promise<string>((resolve, reject) => {
    const req = lib.request(url, opts, (res) => {
      const code = res.statusCode ?? 0;
      if (code >= 200 && code < 300 && stream) {
        stream(res).then(() => resolve(''), reject);
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('error', (e) => reject(unreachable(c, e)));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (code >= 200 && code < 300) resolve(body);
        else reject(statusError(c, code, body, what));
      });
    });
    req.on('error', (e) => reject(unreachable(c, e)));
    req.end();
  });
}

function unreachable(c: Connection, e: Error & { code?: string }): ClusterError {
  const tls = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(e.code ?? '') || /certificate/i.test(e.message);
  if (tls) return new ClusterError(`cannot verify the API server ${c.server} (context "${c.context}"): ${oneLine(e.message)}; check the kubeconfig's certificate-authority`);
  return new ClusterError(`cannot reach the API server ${c.server} (context "${c.context}"): ${e.code ?? oneLine(e.message)}`);
}

export async function getJson(c: Connection, path: string, what: Verb): Promise<unknown> {
  const text = await request(c, path, what);
  try {
    return JSON.parse(text);
  } catch {
    throw new ClusterError(`the API server ${c.server} sent an answer to ${what.verb} ${what.resource} that is not JSON`);
  }
}
