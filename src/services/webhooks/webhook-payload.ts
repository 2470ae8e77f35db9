import { toDecimalString } from '../../domain/money/money';
import { Payment } from '../../domain/payment/payment';
import { ISO20022_STATUS, PaymentStatus } from '../../domain/payment/payment-status';

/** Stable per status change: a payment's version only grows, so (id, version) names one change. */
export const statusEventId = (p: Payment): string => `${p.id}:v${p.version}`;

/** The JSON a subscriber receives for one status change (amounts as exact decimal strings). */
export function statusChangedPayload(p: Payment, from: PaymentStatus, at: Date = new Date()) {
  return {
    id: statusEventId(p),
    type: 'payment.status_changed' as const,
    created_at: at.toISOString(),
    data: {
      reference: p.reference,
      status: p.status,
      iso_status: ISO20022_STATUS[p.status],
      previous_status: from,
      amount: toDecimalString(p.amount),
      currency: p.amount.currency,
      amount_minor: p.amount.minor.toString(),
      external_ref: p.externalRef ?? null,
      end_to_end_id: p.endToEndId,
      bank_status: p.bankStatus ?? null,
      bank_reason: p.bankReason ?? null,
      updated_at: p.updatedAt.toISOString(),
    },
  };
}
