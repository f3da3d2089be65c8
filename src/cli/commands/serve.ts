// netpol serve: the web page (dist-web, from `npm run build:web`) with the given manifests
// preloaded. Loopback only by default; the manifests never leave this machine.
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { extname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import type { Source } from '../../index.js';
import { readSources } from '../../node/read-sources.js';
import { CliError, write } from '../shared.js';
import type { Run } from '../main.js';

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

export function startServer(o: ServeOptions): Promise<{ server: Server; url: string }> {
  const root = resolve(o.root);
  const body = JSON.stringify(o.sources);
  const server = createServer((req, res) => {
    const headers = { 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': CSP, 'Cache-Control': 'no-cache', 'Referrer-Policy': 'no-referrer' };
    const send = (code: number, type: string, data: string | Buffer) => {
      res.writeHead(code, { ...headers, 'Content-Type': type });
      res.end(req.method === 'HEAD' ? undefined : data);
    };
    if (!hostAllowed(req.headers.host, o.host)) return send(403, 'text/plain; charset=utf-8', 'forbidden host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain; charset=utf-8', 'method not allowed\n');
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/api/sources') return send(200, TYPES['.json']!, body);
    const file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    if (file !== root && !file.startsWith(root + sep)) return send(403, 'text/plain; charset=utf-8', 'forbidden\n');
    readFile(file).then(
      (data) => send(200, TYPES[extname(file)] ?? 'application/octet-stream', data),
      () => send(404, 'text/plain; charset=utf-8', 'not found\n'),
    );
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

export interface ServeFlags {
  port: string;
  host: string;
  maxBytes?: string;
}

export async function serveCommand(paths: string[], flags: ServeFlags, root = WEB_ROOT): Promise<number> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a number from 0 to 65535 (got "${flags.port}")`, 2);
  if (!existsSync(join(root, 'index.html'))) {
    throw new CliError(`netpol: the web page is not built (${root} has no index.html); run \`npm run build:web\` first`, 2);
  }
  const read = await readSources(paths, flags.maxBytes ? Number(flags.maxBytes) : undefined);
  // Show paths as the user knows them: relative to the current folder.
  const sources = read.map((s) => ({ file: s.file === '<stdin>' ? s.file : relative(process.cwd(), s.file) || s.file, text: s.text }));
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

export function register(program: Command, run: Run): void {
  program.command('serve').argument('[paths...]', 'files or folders of manifests to open (default: the built-in example)')
    .description('open the web page (editor, matrix, graph, explained verdicts) on these manifests')
    .option('--port <port>', 'port to listen on (0: any free port)', '8080')
    .option('--host <host>', 'address to bind; keep the loopback default unless you mean to share the manifests', '127.0.0.1')
    .option('--max-bytes <n>', 'largest input file accepted, in bytes')
    .action((paths: string[], o) => run(serveCommand(paths, o)));
}
