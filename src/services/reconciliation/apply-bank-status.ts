import { LockMode } from '@mikro-orm/core';
import { PaymentStatus, isPaymentStatus, transition } from '../../domain/payment/payment-status';
import type { Tx } from '../../persistence/database';
import { BankAccountEntity } from '../../persistence/entities';
import { paymentFromRecord } from '../../persistence/mappers/payment.mapper';
import { appendAudit } from '../audit/audit-log';
import { paymentStore } from '../payments/payment-store';
import type { BankStatusChange } from './reconciliation.types';

export const BANK_FILE_ACTOR = 'system:bank:iso20022';

export type BankMove =
  | { kind: 'moved'; change: BankStatusChange }
  | { kind: 'unchanged' }
  | { kind: 'conflict'; status: PaymentStatus };

/**
 * Moves a payment to what the bank reported, the way BankOutbox does: under the
 * row lock, through the state machine, with the audit event in the same
 * transaction, and our book of the account debited when it settles.
 */
export async function moveByBankReport(
  em: Tx,
  paymentId: string,
  next: { to: PaymentStatus; bankStatus: string; reason?: string; source: string },
  now: Date,
): Promise<BankMove> {
  const row = await paymentStore.lock(em, { id: paymentId });
  if (!row || !isPaymentStatus(row.status)) return { kind: 'unchanged' };
  const from = row.status;
  if (from === next.to) return { kind: 'unchanged' };
  if (!transition(from, next.to).ok) return { kind: 'conflict', status: from };
  row.status = next.to;
  row.bankStatus = next.bankStatus;
  row.bankReason = next.reason ?? null;
  row.version += 1;
  row.updatedAt = now;
  if (next.to === 'submitted') row.submittedAt = now;
  else row.finalAt = now;
  if (next.to === 'settled') {
    const account = await em.findOne(BankAccountEntity, { id: row.debtorAccountId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (account) {
      account.balanceMinor = BigInt(account.balanceMinor) - BigInt(row.amountMinor);
      account.balanceAsOf = now;
    }
  }
  await appendAudit(em, {
    actor: BANK_FILE_ACTOR, action: `payment.${next.to}`, subjectType: 'payment', subjectId: row.reference, at: now,
    data: {
      from, to: next.to, bankStatus: next.bankStatus, endToEndId: row.endToEndId, source: next.source,
      ...(next.reason ? { reason: next.reason } : {}),
    },
  });
  await em.flush();
  return { kind: 'moved', change: { payment: paymentFromRecord(row), from } };
}
