import { BankOutbox } from './bank-outbox';

/**
 * A plain interval driver for the bank outbox, for tests and tools that run
 * without Agenda (the app itself runs the outbox as Agenda jobs). Safe beside
 * other workers because each payment is claimed under SKIP LOCKED.
 */
export class OutboxLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly outbox: BankOutbox,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    this.stopped = false;
    const tick = async () => {
      try {
        await this.outbox.submitApproved();
        await this.outbox.pollSubmitted();
      } catch (err) {
        this.onError(err);
      }
    };
    const loop = () => {
      if (this.stopped) return;
      this.running = tick().finally(() => {
        if (!this.stopped) this.timer = setTimeout(loop, this.intervalMs);
      });
    };
    loop();
  }

  /** Lets the round in flight finish, so no bank call is abandoned half-recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
