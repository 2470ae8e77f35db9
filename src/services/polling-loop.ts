/**
 * The wake-up loop every background deliverer shares: run a round now when
 * woken (NOTIFY, a new event), never two at once (a wake-up during a round runs
 * one more right after it), and otherwise poll every `pollMs`.
 */
export class PollingLoop {
  private timer?: NodeJS.Timeout;
  private soon?: NodeJS.Timeout;
  private soonAt = Infinity;
  private again = false;
  private stopped = true;
  /** The round in flight, if any. */
  running?: Promise<void>;

  constructor(
    private readonly o: {
      round: () => Promise<number>;
      pollMs: number;
      onError: (err: unknown) => void;
      /** Whether a round that did this much work is followed at once by another (default: any work). */
      rerunAfter?: (did: number) => boolean;
    },
  ) {}

  get active(): boolean {
    return !this.stopped;
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** No more rounds; resolves when the one in flight is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.soon) clearTimeout(this.soon);
    await this.running;
  }

  /** The interval between rounds nobody woke (e.g. shorter while NOTIFY is not available). */
  setPollMs(ms: number): void {
    this.o.pollMs = ms;
  }

  /** Runs a round in `ms` at the latest (a retry comes due before the next poll). */
  kickIn(ms: number): void {
    const at = Date.now() + Math.max(0, ms);
    if (this.stopped || ms >= this.o.pollMs || (this.soon && this.soonAt <= at)) return;
    if (this.soon) clearTimeout(this.soon);
    this.soonAt = at;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.kick();
    }, Math.max(0, ms));
  }

  /** Runs a round now (or right after the one in flight). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    const rerunAfter = this.o.rerunAfter ?? ((did: number) => did > 0);
    this.running = this.o
      .round()
      .then((did) => {
        if (rerunAfter(did)) this.again = true;
      })
      .catch((err) => this.o.onError(err))
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else this.timer = setTimeout(() => this.kick(), this.o.pollMs);
      });
  }
}
