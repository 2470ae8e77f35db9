import { ApprovalVote, Payment } from '../domain/payment/payment';
import { PaymentStatus } from '../domain/payment/payment-status';

/** Facts published after a commit; chat adapters and jobs react to them. */
export type PaymentEvent =
  | { type: 'payment.created'; payment: Payment }
  | { type: 'payment.voted'; payment: Payment; vote: ApprovalVote }
  | { type: 'payment.status_changed'; payment: Payment; from: PaymentStatus };

type Listener = (e: PaymentEvent) => Promise<void> | void;

/**
 * In-process fan-out. Listeners run after the transaction committed and never
 * block or fail the caller: a chat platform being slow must not undo a decision.
 */
export class PaymentEvents {
  private readonly listeners: Listener[] = [];
  private pending = new Set<Promise<void>>();

  constructor(private readonly onError: (err: unknown, e: PaymentEvent) => void = () => {}) {}

  subscribe(l: Listener): () => void {
    this.listeners.push(l);
    return () => {
      const i = this.listeners.indexOf(l);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  publish(e: PaymentEvent): void {
    for (const l of this.listeners) {
      const p = Promise.resolve()
        .then(() => l(e))
        .catch((err) => this.onError(err, e))
        .finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  /** Waits for listeners in flight (graceful shutdown, tests). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
