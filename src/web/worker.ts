// The engine off the main thread: a large cluster never freezes typing or scrolling.
import { analyze, explain } from './engine';
import type { Request } from './engine-client';

const scope = self as unknown as { onmessage: ((e: MessageEvent<Request>) => void) | null; postMessage(m: unknown): void };

scope.onmessage = (e) => {
  const r = e.data;
  try {
    const result = r.kind === 'analyze' ? analyze(r.sources) : explain(r.from, r.to, r.port);
    scope.postMessage({ id: r.id, result });
  } catch (err) {
    scope.postMessage({ id: r.id, error: String((err as Error)?.message ?? err) });
  }
};
