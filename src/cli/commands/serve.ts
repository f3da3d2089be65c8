// netpol serve: the web page (dist-web, built by `npm ci`/`npm pack` or `npm run build:web`) with the given manifests
// preloaded. Loopback only by default; the manifests never leave this machine.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { extname, join, relative, resolve, sep } from 'node:path';
import { overriddenBy, type Source } from '../../index.js';
import { readSources } from '../../node/read-sources.js';
import { snapshotText } from '../../node/cluster/snapshot.js';
import { CliError, maxBytesOption, readLiveFor, write, type LoadFlags } from '../shared.js';

export const WEB_ROOT = fileURLToPath(new URL('../../../dist-web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.map': 'application/json',
};
// Styles are injected by CodeMirror and Cytoscape at run time, hence 'unsafe-inline' for styles only.
const CSP = "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export interface ServeOptions {
  root: string;
  sources: Source[];
  host: string;
  port: number;
}

/** Requests naming another host are refused (DNS rebinding would expose the manifests). */
function hostAllowed(header: string | undefined, bound: string): boolean {
  if (!header) return false;
  const name = header.replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase();
  return ['localhost', '127.0.0.1', '::1', bound.toLowerCase()].includes(name) || bound === '0.0.0.0' || bound === '::';
}

/** Longer request targets are refused (414): nothing this page serves has a long name. */
export const MAX_URL = 4096;

/**
 * The decoded path of a request target, or undefined when it is malformed: not origin-form
 * (`/…`; browsers send nothing else to a server that is not a proxy), bad percent-encoding, NUL
 * or backslash, or a `..` segment. Nothing the page serves needs any of these, so they are
 * refused outright rather than resolved.
 */
export function requestPath(target: string): string | undefined {
  const raw = target.split(/[?#]/, 1)[0]!;
  if (!raw.startsWith('/')) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (/[\0\\]/.test(path) || path.split('/').includes('..')) return undefined;
  return path;
}

export function startServer(o: ServeOptions): Promise<{ server: Server; url: string }> {
  const root = resolve(o.root);
  const body = JSON.stringify(o.sources);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = { 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': CSP, 'Cache-Control': 'no-cache', 'Referrer-Policy': 'no-referrer' };
    const send = (code: number, type: string, data: string | Buffer) => {
      res.writeHead(code, { ...headers, 'Content-Type': type });
      res.end(req.method === 'HEAD' ? undefined : data);
    };
    const text = (code: number, message: string) => send(code, 'text/plain; charset=utf-8', `${message}\n`);
    if (!hostAllowed(req.headers.host, o.host)) return text(403, 'forbidden host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'method not allowed');
    const target = req.url ?? '/';
    if (target.length > MAX_URL) return text(414, 'URI too long');
    const path = requestPath(target);
    if (path === undefined) return text(400, 'bad request');
    if (path === '/api/sources') return send(200, TYPES['.json']!, body);
    const file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    if (file !== root && !file.startsWith(root + sep)) return text(403, 'forbidden');
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch {
      return text(404, 'not found');
    }
    send(200, TYPES[extname(file)] ?? 'application/octet-stream', data);
  };
  // No request may take the server down: whatever escapes the handler becomes a 500.
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      try {
        if (res.headersSent) throw new Error('too late for a status');
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('internal error\n');
      } catch {
        res.destroy();
      }
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : o.port;
      const host = o.host.includes(':') ? `[${o.host}]` : o.host;
      resolvePromise({ server, url: `http://${host}:${port}/` });
    });
  });
}

export interface ServeFlags extends LoadFlags {
  port: string;
  host: string;
  maxBytes?: string;
}

export async function serveCommand(paths: string[], flags: ServeFlags, root = WEB_ROOT): Promise<number> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a number from 0 to 65535 (got "${flags.port}")`, 2);
  const maxBytes = maxBytesOption(flags.maxBytes);
  if (!existsSync(join(root, 'index.html'))) {
    throw new CliError(`netpol: the web page is not built (${root} has no index.html); run \`npm run build:web\` first`, 2);
  }
  const read = await readSources(paths, maxBytes);
  // Show paths as the user knows them: relative to the current folder.
  const sources = read.map((s) => ({ file: s.file === '<stdin>' ? s.file : relative(process.cwd(), s.file) || s.file, text: s.text }));
  if (flags.cluster) {
    // The page edits text: the cluster opens as its snapshot, without what the files override.
    const live = await readLiveFor(flags);
    const namespace = flags.namespace?.includes(',') ? live.connection.namespace : flags.namespace ?? live.connection.namespace;
    const { kept } = overriddenBy(live.objects, read, namespace ?? 'default');
    sources.unshift({ file: `cluster-${live.connection.context}.yaml`, text: snapshotText(kept, 'yaml') });
  }
  let started;
  try {
    started = await startServer({ root, sources, host: flags.host, port });
  } catch (e) {
    throw new CliError(`netpol: cannot listen on ${flags.host}:${port}: ${(e as Error).message}`, 2);
  }
  write(`netpol: serving the web page with ${sources.length} file${sources.length === 1 ? '' : 's'} at ${started.url}  (Ctrl+C to stop)`);
  if (!['127.0.0.1', 'localhost', '::1'].includes(flags.host)) write(`netpol: warning: listening on ${flags.host}, not loopback only: anyone who can reach it can read these manifests`);
  await new Promise<void>((done) => {
    const stop = () => started.server.close(() => done());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
