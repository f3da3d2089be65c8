// The engine off the main thread: a large cluster never freezes typing or scrolling.
import { CALLS, type Request } from './calls';

const scope = self as unknown as { onmessage: ((e: MessageEvent<Request>) => void) | null; postMessage(m: unknown): void };

scope.onmessage = (e) => {
  const r = e.data;
  try {
    scope.postMessage({ id: r.id, result: (CALLS[r.kind] as (...a: unknown[]) => unknown)(...r.args) });
  } catch (err) {
    scope.postMessage({ id: r.id, error: String((err as Error)?.message ?? err) });
  }
};
