// Talks to the engine worker; runs the engine in the page when workers are unavailable
// (e.g. the static build opened from file://). Every call of engine.ts goes through `call`.
// The engine itself is imported only for that fallback (a separate chunk), not with the page.
import type { Calls } from './calls';

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

  call<K extends keyof Calls>(kind: K, ...args: Parameters<Calls[K]>): Promise<ReturnType<Calls[K]>> {
    const local = () => import('./calls').then(({ CALLS }) => (CALLS[kind] as (...a: unknown[]) => ReturnType<Calls[K]>)(...args));
    if (!this.worker) return local();
    const id = this.next++;
    return new Promise<ReturnType<Calls[K]>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker!.postMessage({ id, kind, args });
    }).catch(() => local());
  }
}
