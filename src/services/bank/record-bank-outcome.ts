import { Payment } from '../../domain/payment/payment';
import { PaymentStatus, transition } from '../../domain/payment/payment-status';
import type { Tx } from '../../persistence/database';
import type { PaymentRecord } from '../../persistence/entities';
import { paymentFromRecord } from '../../persistence/mappers/payment.mapper';
import { appendAudit } from '../audit/audit-log';
import { recordEvents } from '../events';

export interface BankOutcome {
  to: PaymentStatus;
  /** What the bank said; none while a payment is only queued for a file the bank has not seen. */
  bankStatus: string | null;
  reason?: string;
}

/**
 * Records what a bank said about a payment whose row the caller holds locked:
 * the state machine's move, our book debited on settlement, and the audit event,
 * in the caller's transaction. Every bank path (the outbox's API calls, pain.002
 * and camt.053 files) goes through here, so they cannot drift apart. Its
 * `payment.status_changed` event goes into the outbox in the same transaction.
 */
export async function recordBankOutcome(
  em: Tx,
  row: PaymentRecord,
  next: BankOutcome,
  audit: { actor: string; at: Date; data?: Record<string, unknown> },
): Promise<Payment> {
  const from = row.status as PaymentStatus;
  const moved = transition(from, next.to);
  if (!moved.ok) throw new Error(`bank outcome: ${moved.code} ${from}→${next.to}`);
  const now = audit.at;
  row.status = next.to;
  row.bankStatus = next.bankStatus;
  row.bankReason = next.reason ?? null;
  row.version += 1;
  row.updatedAt = now;
  if (next.to === 'submitted') row.submittedAt = now;
  else if (next.to !== 'queued') {
    row.finalAt = now;
    // Settled or failed straight from queued (a bank report beat the outbox's publish record): it did reach the bank.
    if (from === 'queued') row.submittedAt ??= now;
  }
  if (next.to === 'settled') {
    // Our booked balance follows settled payments between refreshes from the bank; one UPDATE,
    // no FOR UPDATE, so new payments' foreign-key checks on the account never wait for it.
    await em.execute(`update bank_accounts set balance_minor = balance_minor - ?, balance_as_of = ? where id = ?`, [
      String(row.amountMinor), now, row.debtorAccountId,
    ]);
  }
  await em.flush();
  const payment = paymentFromRecord(row);
  await recordEvents(em, { type: 'payment.status_changed', payment, from });
  // Last, so the chain-wide audit lock is held only for the event itself and the commit.
  await appendAudit(em, {
    actor: audit.actor, action: `payment.${next.to}`, subjectType: 'payment', subjectId: row.reference, at: now,
    data: {
      from, to: next.to, bankStatus: next.bankStatus, endToEndId: row.endToEndId,
      ...(next.reason ? { reason: next.reason } : {}), ...audit.data,
    },
  });
  return payment;
}
