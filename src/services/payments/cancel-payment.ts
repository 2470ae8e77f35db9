import { Payment } from '../../domain/payment/payment';
import { transition } from '../../domain/payment/payment-status';
import { Result, ok, refuse } from '../../domain/result';
import type { Database } from '../../persistence/database';
import { paymentFromRecord } from '../../persistence/mappers/payment.mapper';
import { directory } from '../../persistence/repositories/directory.repository';
import { appendAudit } from '../audit/audit-log';
import { PaymentEvents } from '../events';
import { claimReceiptIn, DUPLICATE_RECEIPT, type Receipt } from '../interaction-receipts';
import { paymentStore } from './payment-store';

/** The requester (or an admin) withdraws a payment that is still waiting for approval. */
export class CancelPayment {
  constructor(
    private readonly db: Database,
    private readonly events: PaymentEvents,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute(input: { reference: string; userId: string; reason?: string; receipt?: Receipt }): Promise<Result<Payment>> {
    const result = await this.db.tx(async (em) => {
      const row = await paymentStore.lock(em, { reference: input.reference.toUpperCase() });
      if (!row) return refuse('PAYMENT.NOT_FOUND', { reference: input.reference });
      if (input.receipt && !(await claimReceiptIn(em, input.receipt, this.clock()))) return refuse(DUPLICATE_RECEIPT);
      const user = await directory.user(em, input.userId);
      if (!user || !user.active) return refuse('AUTH.UNKNOWN_USER');
      if (row.requesterId !== user.id && !user.roles.includes('admin')) return refuse('PAYMENT.CANCEL_NOT_YOURS');
      if (row.status !== 'pending_approval') return refuse('PAYMENT.CANCEL_TOO_LATE', { status: row.status });
      const moved = transition('pending_approval', 'cancelled');
      if (!moved.ok) return moved;
      const now = this.clock();
      row.status = 'cancelled';
      row.version += 1;
      row.updatedAt = now;
      row.finalAt = now;
      await appendAudit(em, {
        actor: `user:${user.handle}`, action: 'payment.cancelled', subjectType: 'payment', subjectId: row.reference, at: now,
        data: { from: 'pending_approval', to: 'cancelled', ...(input.reason ? { reason: input.reason } : {}) },
      });
      await em.flush();
      const payment = paymentFromRecord(row);
      await this.events.record(em, { type: 'payment.status_changed', payment, from: 'pending_approval' });
      return ok(payment);
    });
    return result;
  }
}
