import type { Locale } from '../../src/domain/locale';
import { formatMoney } from '../../src/domain/money';
import type { PaymentStatus } from '../../src/domain/payment/payment-status';
import { tr } from '../command.messages';
import { MessageView, Tone, message } from '../view/view';
import type { PaymentCardData } from '../views/payment-card.view';

/** Statuses the requester hears about directly, and how each reads. */
export const NOTIFY_REQUESTER: Partial<Record<PaymentStatus, Tone>> = {
  approved: 'good',
  settled: 'good',
  rejected: 'danger',
  failed: 'danger',
  expired: 'warning',
};

/** The direct message a requester gets when their payment reaches one of those statuses. */
export function requesterNoticeView(data: PaymentCardData, locale: Locale): MessageView {
  const p = data.payment;
  const rejection = [...data.votes].reverse().find((v) => v.decision === 'reject');
  const noReason = tr(locale, 'NOTICE.NO_REASON');
  const text = tr(locale, `NOTICE.${p.status}`, {
    reference: p.reference,
    amount: formatMoney(p.amount, locale),
    payee: data.payee?.name ?? '?',
    name: rejection?.approverName ?? '?',
    reason: (p.status === 'rejected' ? rejection?.reason : p.bankReason) ?? noReason,
  });
  return message(NOTIFY_REQUESTER[p.status] ?? 'info', text, [tr(locale, 'NOTICE.SHOW', { reference: p.reference })]);
}
