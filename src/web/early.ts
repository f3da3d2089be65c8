// What the first picture waits for, started by the page's small entry (boot.ts) before the heavy
// modules (Cytoscape, the page itself) are fetched and compiled: the engine worker loads its
// bundle, the served manifests arrive, and the worker analyses them while the page still loads.
import type { Source } from '../index';
import type { Analysis } from './engine';
import { EngineClient } from './engine-client';

performance.mark('netpol:entry'); // bench/page.ts prints the page's marks
export const client = new EngineClient();

/** `GET /api/sources` (preloaded by index.html); [] on a static build without the server. */
export const served: Promise<Source[]> = fetch('./api/sources')
  .then((r) => (r.ok ? (r.json() as Promise<unknown>) : []))
  .then((s) => (Array.isArray(s) ? (s as Source[]) : []))
  .catch(() => [])
  .finally(() => performance.mark('netpol:sources'));

/** The engine's analysis of the served manifests as version 1, asked as soon as they arrive. */
const first = served.then((s) => (s.length ? { sources: s, analysis: client.call('analyze', s.map((f) => ({ ...f })), 1) } : undefined));
// A failure is the page's to report (analysis-run.ts); the mark says when the answer came.
first.then((f) => f?.analysis.then(() => performance.mark('netpol:early-analysis'), () => undefined), () => undefined);

/**
 * The early analysis, once, if the page's first analysis is version 1 of exactly the served
 * files (same names, texts and order); else undefined and the page asks the engine itself.
 */
export async function takeFirst(version: number, files: readonly Source[]): Promise<Analysis | undefined> {
  const f = await first;
  if (!f || version !== 1 || taken) return undefined;
  taken = true;
  const same = f.sources.length === files.length && f.sources.every((s, i) => s.file === files[i]!.file && s.text === files[i]!.text);
  if (!same) return undefined;
  performance.mark('netpol:early-used');
  return f.analysis;
}
let taken = false;
