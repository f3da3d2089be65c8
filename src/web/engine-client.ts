// Talks to the engine worker; runs the engine in the page when workers are unavailable
// (e.g. the static build opened from file://).
import type { Source } from '../index';
import { analyze, explain, type Analysis, type Explained } from './engine';

type Call = { kind: 'analyze'; sources: Source[] } | { kind: 'explain'; from: string; to: string; port: string };
export type Request = Call & { id: number };

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class EngineClient {
  private worker?: Worker;
  private next = 1;
  private pending = new Map<number, Pending>();

  constructor() {
    try {
      this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (e: MessageEvent<{ id: number; result?: unknown; error?: string }>) => {
        const p = this.pending.get(e.data.id);
        this.pending.delete(e.data.id);
        if (e.data.error !== undefined) p?.reject(new Error(e.data.error));
        else p?.resolve(e.data.result);
      };
      this.worker.onerror = () => this.fallBack();
    } catch {
      this.worker = undefined;
    }
  }

  /** A worker that fails to start: answer what it was asked in the page instead. */
  private fallBack(): void {
    this.worker?.terminate();
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(new Error('engine worker failed; retrying in the page'));
    this.pending.clear();
  }

  private call<T>(req: Call, local: () => T): Promise<T> {
    if (!this.worker) return Promise.resolve().then(local);
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker!.postMessage({ ...req, id });
    }).catch(() => local());
  }

  analyze(sources: Source[]): Promise<Analysis> {
    return this.call({ kind: 'analyze', sources }, () => analyze(sources));
  }

  explain(from: string, to: string, port: string): Promise<Explained> {
    return this.call({ kind: 'explain', from, to, port }, () => explain(from, to, port));
  }
}
