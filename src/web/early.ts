// What the first picture waits for, started by the page's small entry (boot.ts) before the heavy
// modules (CodeMirror, Cytoscape, the page itself) are fetched and compiled: the engine worker
// loads its bundle and the served manifests arrive meanwhile.
import { EngineClient } from './engine-client';

export const client = new EngineClient();
/** `GET /api/sources` (preloaded by index.html); undefined on a static build without the server. */
export const served: Promise<Response | undefined> = fetch('./api/sources').catch(() => undefined);
