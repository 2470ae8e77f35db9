import type { Logger } from '../../src/logger';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8000 };

// Slack answers these when the fault is on its side or is temporary; anything else
// (channel_not_found, invalid_blocks, message_not_found…) will fail the same way again.
const TRANSIENT = new Set([
  'ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org',
]);

export function isTransient(err: unknown): boolean {
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number };
  switch (e?.code) {
    case 'slack_webapi_platform_error':
      return TRANSIENT.has(e.data?.error ?? '');
    case 'slack_webapi_http_error':
    case 'slack_bolt_respond_error': // respond() to a response_url
      return (e.statusCode ?? 500) >= 500 || e.statusCode === 429;
    case 'slack_webapi_request_error': // connection refused, reset, timed out
    case 'slack_webapi_rate_limited_error':
      return true;
    default:
      // fetch() itself failing (response_url unreachable) is a network fault; anything else is our bug.
      return (err as Error)?.name === 'TypeError' && /fetch failed/i.test((err as Error).message);
  }
}

export function slackError(err: unknown): string {
  const e = err as { data?: { error?: string }; message?: string };
  return e?.data?.error ?? e?.message ?? String(err);
}

/**
 * Runs the work that follows an acknowledgement (card updates, DMs, ephemerals). A
 * decision is already committed by then, so a failure must not surface to the user as
 * "failed": it is retried with exponential back-off and, if it still fails, logged at
 * error level with what was being done, never dropped silently.
 */
export class FollowUps {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly log: Logger,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /** Resolves with the result, or undefined after the last failed attempt (already logged). */
  run<T>(what: string, context: Record<string, unknown>, fn: () => Promise<T>): Promise<T | undefined> {
    const p = this.attempt(what, context, fn);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return p;
  }

  /** Fire-and-forget form for work the caller does not wait on. */
  spawn(what: string, context: Record<string, unknown>, fn: () => Promise<unknown>): void {
    void this.run(what, context, fn);
  }

  /** Waits for every follow-up in flight (shutdown, tests). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async attempt<T>(what: string, context: Record<string, unknown>, fn: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const last = attempt >= this.policy.attempts || !isTransient(err);
        if (last) {
          this.log.error({ err, what, attempt, slackError: slackError(err), ...context }, 'slack follow-up failed; giving up');
          return undefined;
        }
        const delay = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1));
        this.log.warn({ what, attempt, delayMs: delay, slackError: slackError(err), ...context }, 'slack follow-up failed; retrying');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
