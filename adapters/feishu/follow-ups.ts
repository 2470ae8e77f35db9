import type { Logger } from '../../src/logger';

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  /** Delay before the second try; doubles each time after. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500 };

/**
 * Work that happens after Feishu has had its answer (card patches, replies to commands).
 * Each piece is retried with back-off, logged when it finally fails, and tracked so
 * shutdown and tests can wait for it instead of racing it.
 */
export class FollowUps {
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly log: Logger, private readonly policy: RetryPolicy = DEFAULT_RETRY) {}

  /** Runs `fn` in the background; failures are logged, never thrown. */
  run(label: string, fn: () => Promise<void>): void {
    const p: Promise<void> = fn()
      .catch((err) => this.log.error({ err, task: label }, 'feishu follow-up failed'))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Calls `fn` until it succeeds or the attempts run out (then throws the last error). */
  async retry<T>(label: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (attempt >= this.policy.attempts || this.stopped) throw err;
        const delay = this.policy.baseDelayMs * 2 ** (attempt - 1);
        this.log.warn({ err, task: label, attempt, retryInMs: delay }, 'feishu call failed, retrying');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** Resolves once nothing is pending (work started by pending work included). */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** Stops retrying (a last attempt still runs) and waits for what is in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.settle();
  }
}
