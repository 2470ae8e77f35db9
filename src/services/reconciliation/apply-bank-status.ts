import { PaymentStatus, isPaymentStatus, transition } from '../../domain/payment/payment-status';
import type { Tx } from '../../persistence/database';
import { recordBankOutcome } from '../bank/record-bank-outcome';
import { paymentStore } from '../payments/payment-store';
import type { BankStatusChange } from './reconciliation.types';

export const BANK_FILE_ACTOR = 'system:bank:iso20022';

export type BankMove =
  | { kind: 'moved'; change: BankStatusChange }
  | { kind: 'unchanged' }
  | { kind: 'conflict'; status: PaymentStatus };

/** Moves a payment to what a bank file reported, under the row lock, through the shared bank-outcome path. */
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
  const payment = await recordBankOutcome(em, row, next, { actor: BANK_FILE_ACTOR, at: now, data: { source: next.source } });
  return { kind: 'moved', change: { payment, from } };
}
