import { Payment } from '../../domain/payment/payment';
import { transition } from '../../domain/payment/payment-status';
import { Result, ok, refuse } from '../../domain/result';
import type { Database } from '../../persistence/database';
import { paymentFromRecord } from '../../persistence/mappers/payment.mapper';
import { appendAudit } from '../audit/audit-log';
import { PaymentEvents } from '../events';
import { paymentStore } from '../payments/payment-store';
import { ApiToken, apiActor } from './api-tokens';

/**
 * CancelPayment's twin for API tokens: a token may withdraw only the payments it
 * created itself (requested_by = its actor), and only while they await approval.
 * Same lock, transition and audit as the user path.
 */
export async function cancelApiPayment(
  db: Database,
  events: PaymentEvents,
  input: { reference: string; token: ApiToken; reason?: string },
  clock: () => Date = () => new Date(),
): Promise<Result<Payment>> {
  const actor = apiActor(input.token);
  const result = await db.tx(async (em): Promise<Result<Payment>> => {
    const row = await paymentStore.lock(em, { reference: input.reference.toUpperCase() });
    if (!row) return refuse('PAYMENT.NOT_FOUND', { reference: input.reference });
    if (row.source !== 'api' || row.requestedBy !== actor) return refuse('PAYMENT.CANCEL_NOT_YOURS');
    if (row.status !== 'pending_approval') return refuse('PAYMENT.CANCEL_TOO_LATE', { status: row.status });
    const moved = transition('pending_approval', 'cancelled');
    if (!moved.ok) return moved;
    const now = clock();
    row.status = 'cancelled';
    row.version += 1;
    row.updatedAt = now;
    row.finalAt = now;
    await appendAudit(em, {
      actor, action: 'payment.cancelled', subjectType: 'payment', subjectId: row.reference, at: now,
      data: { from: 'pending_approval', to: 'cancelled', ...(input.reason ? { reason: input.reason } : {}) },
    });
    await em.flush();
    const payment = paymentFromRecord(row);
    await events.record(em, { type: 'payment.status_changed', payment, from: 'pending_approval' });
    return ok(payment);
  });
  return result;
}
