import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The HTTP request a piece of work belongs to. The HTTP server enters it for
 * every request, so every log line written while answering (routes, Bolt
 * listeners, services they call) carries the same `reqId` without passing it
 * down by hand. Work started later from another context (jobs, the webhook
 * dispatcher) has none unless it stored the id itself.
 */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The id of the HTTP request being answered, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
