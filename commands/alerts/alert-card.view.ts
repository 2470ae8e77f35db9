import { cardAmount } from '../views/format';
import { Alert, isBalanceAlertDetail, isPaymentAlertDetail, loadMoney, StoredMoney } from '../../src/domain/alerts/alert';
import { warningText } from '../../src/domain/anomaly/anomaly.messages';
import { t } from '../../src/domain/i18n';
import type { Locale } from '../../src/domain/locale';
import { formatMoney } from '../../src/domain/money/format-money';
import { fromDecimalString, Money } from '../../src/domain/money/money';
import { isPaymentStatus } from '../../src/domain/payment/payment-status';
import { ACTION_IDS, LocalisedCard } from '../contracts';
import type { CardView, Tone, ViewField } from '../view/view';
import './alerts.messages';

const DEFAULT_ZONE = 'Asia/Shanghai';

/** `2026-11-28 14:05` in the treasury's zone, as on payment cards. */
export function formatAt(d: Date, timeZone = DEFAULT_ZONE): string {
  const p: Record<string, string> = {};
  const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  for (const part of f.formatToParts(d)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** What the alert is about, in a few words: the payment reference or the account. */
export function alertSubject(alert: Alert): string {
  const d = alert.detail;
  if (isPaymentAlertDetail(d)) return d.reference;
  if (isBalanceAlertDetail(d)) return `${d.accountName} (${d.accountNumber})`;
  return alert.subjectId;
}

export function alertTitle(alert: Alert, locale: Locale): string {
  return t(locale, `ALERTCARD.TITLE.${alert.kind}`, { subject: alertSubject(alert) });
}

function tone(alert: Alert): Tone {
  if (alert.status === 'resolved') return 'good';
  if (alert.status === 'acknowledged') return 'info';
  return alert.severity === 'high' ? 'danger' : 'warning';
}


/** What a reconciliation alert stores (see the inbox's onUnmatched hook): one statement line paydesk could not account for. */
export interface ReconciliationAlertDetail {
  /** A FindingReason (src/services/reconciliation/reconciliation.types.ts). */
  reason: string;
  statementId: string;
  line: number;
  /** `CNY 15.00` as the hook writes it, or stored money. */
  amount: string | StoredMoney;
  bookingDate: string;
  /** The payment the line seemed to belong to. */
  reference?: string;
  creditDebit?: 'CRDT' | 'DBIT';
  counterparty?: string;
}
// Every FindingReason has ALERTCARD.RECON.<reason> in both languages; anything else falls back to the stored title.
const FINDING_REASONS = new Set(['no_match', 'ambiguous', 'amount_mismatch', 'account_mismatch', 'status_conflict', 'already_reconciled', 'returned_payment', 'reversal']);

export const isReconciliationAlertDetail = (d: Record<string, unknown>): d is ReconciliationAlertDetail & Record<string, unknown> =>
  typeof d.reason === 'string' && typeof d.statementId === 'string' && typeof d.bookingDate === 'string' && (typeof d.amount === 'string' || typeof d.amount === 'object');

/** The stored amount as money, when it reads as such; the text as stored otherwise. */
function reconAmount(a: ReconciliationAlertDetail['amount']): Money | string {
  if (typeof a === 'object' && a && typeof a.minor === 'string' && /^-?\d+$/.test(a.minor)) return loadMoney(a);
  const m = typeof a === 'string' ? /^([A-Z]{3}) (-?\d+(?:\.\d+)?)$/.exec(a) : null;
  const parsed = m ? fromDecimalString(m[2], m[1]) : undefined;
  return parsed?.ok ? parsed.value : String(typeof a === 'string' ? a : '');
}

/**
 * The alert card, a function of the reader's language. Everything it shows was
 * stored with the alert, so rendering reads nothing and every surface shows the same.
 */
export function alertCard(alert: Alert, opts: { timeZone?: string } = {}): LocalisedCard {
  return (locale: Locale): CardView => {
    const zone = opts.timeZone ?? DEFAULT_ZONE;
    const d = alert.detail;
    const severity = t(locale, `ALERTCARD.SEVERITY.${alert.severity}`);
    const fields: ViewField[] = [{ label: t(locale, 'ALERTCARD.SEVERITY'), value: severity }];
    const warnings: string[] = [];
    const context: string[] = [];
    let amount: CardView['amount'];

    if (isPaymentAlertDetail(d)) {
      amount = cardAmount(loadMoney(d.amount), locale);
      fields.push({ label: t(locale, 'ALERTCARD.PAYEE'), value: d.payee }, { label: t(locale, 'ALERTCARD.FROM'), value: d.account });
      warnings.push(...d.warnings.map((w) => warningText(locale, w)));
      if (d.blocked) context.push(t(locale, 'ALERTCARD.BLOCKED'));
      else if (d.held && alert.status !== 'resolved') context.push(t(locale, 'ALERTCARD.HELD', { reference: d.reference }));
    } else if (isBalanceAlertDetail(d)) {
      const m = (x: typeof d.balance) => formatMoney(loadMoney(x), locale);
      amount = cardAmount(loadMoney(alert.kind === 'projected_low_balance' ? d.projected : d.balance), locale);
      fields.push(
        { label: t(locale, 'ALERTCARD.ACCOUNT'), value: `${d.accountName} (${d.accountNumber})` },
        { label: t(locale, 'ALERTCARD.BALANCE'), value: m(d.balance) },
        { label: t(locale, 'ALERTCARD.THRESHOLD'), value: m(d.threshold) },
        { label: t(locale, 'ALERTCARD.PROJECTED', { days: d.projectionDays }), value: m(d.projected) },
        {
          label: t(locale, 'ALERTCARD.OUTFLOWS'),
          value: t(locale, 'ALERTCARD.OUTFLOWS_VALUE', { approved: m(d.outflows.approved), submitted: m(d.outflows.submitted), scheduled: m(d.outflows.scheduled) }),
        },
      );
      warnings.push(
        alert.kind === 'low_balance'
          ? t(locale, 'ALERTCARD.BELOW_ACTUAL', { balance: m(d.balance), threshold: m(d.threshold) })
          : t(locale, 'ALERTCARD.BELOW_PROJECTED', { projected: m(d.projected), threshold: m(d.threshold) }),
      );
      // Which day it happens and which payments take it there: what a treasurer needs to act before then.
      if (alert.kind === 'projected_low_balance' && d.crossesOn && d.balanceThen) {
        fields.push({
          label: t(locale, 'ALERTCARD.CROSSES_ON'),
          value: t(locale, 'ALERTCARD.CROSSES_ON_VALUE', { date: d.crossesOn, balance: m(d.balanceThen) }),
        });
        if (d.takenBy?.length)
          fields.push({
            label: t(locale, 'ALERTCARD.TAKEN_BY'),
            value: d.takenBy.map((x) => t(locale, 'ALERTCARD.TAKEN_BY_ITEM', { source: x.source, count: x.count, amount: m(x.amount) })).join('\n'),
          });
      }
    } else if (alert.kind === 'reconciliation' && isReconciliationAlertDetail(d)) {
      const m = reconAmount(d.amount);
      if (typeof m !== 'string') amount = cardAmount(m, locale);
      fields.push({ label: t(locale, 'ALERTCARD.RECON.AMOUNT'), value: typeof m === 'string' ? m : formatMoney(m, locale) });
      if (d.creditDebit) fields.push({ label: t(locale, 'ALERTCARD.RECON.DIRECTION'), value: t(locale, `ALERTCARD.RECON.${d.creditDebit}`) });
      fields.push(
        { label: t(locale, 'ALERTCARD.RECON.BOOKED'), value: d.bookingDate },
        { label: t(locale, 'ALERTCARD.RECON.STATEMENT'), value: t(locale, 'ALERTCARD.RECON.STATEMENT_LINE', { statement: d.statementId, line: d.line }) },
      );
      if (d.counterparty) fields.push({ label: t(locale, 'ALERTCARD.RECON.COUNTERPARTY'), value: d.counterparty });
      if (d.reference) fields.push({ label: t(locale, 'ALERTCARD.RECON.PAYMENT'), value: d.reference });
      warnings.push(FINDING_REASONS.has(d.reason) ? t(locale, `ALERTCARD.RECON.${d.reason}`, { reference: d.reference ?? '—' }) : alert.title);
    } else {
      warnings.push(alert.title);
    }

    context.push(t(locale, 'ALERTCARD.RAISED', { at: formatAt(alert.createdAt, zone) }));
    if (alert.status === 'open' && alert.notifyCount > 1) context.push(t(locale, 'ALERTCARD.REMINDER', { count: alert.notifyCount - 1 }));
    if (alert.acknowledgedAt)
      context.push(t(locale, 'ALERTCARD.ACKNOWLEDGED', { name: alert.acknowledgedBy?.name ?? '', at: formatAt(alert.acknowledgedAt, zone) }));
    if (alert.resolvedAt) {
      const status = /^system:payment:(.+)$/.exec(alert.resolvedBy ?? '')?.[1];
      context.push(
        status && isPaymentStatus(status)
          ? t(locale, 'ALERTCARD.RESOLVED_PAYMENT', { at: formatAt(alert.resolvedAt, zone), status: t(locale, `STATUS.${status}`) })
          : t(locale, 'ALERTCARD.RESOLVED', { at: formatAt(alert.resolvedAt, zone) }),
      );
    }

    return {
      kind: 'card',
      key: `alert:${alert.id}`,
      title: alertTitle(alert, locale),
      status: { label: t(locale, `ALERTCARD.STATUS.${alert.status}`), tone: tone(alert), code: alert.status },
      ...(amount ? { amount } : {}),
      fields,
      warnings,
      context,
      buttons:
        alert.status === 'open'
          ? [{ actionId: ACTION_IDS.acknowledgeAlert, label: t(locale, 'ALERTCARD.ACK'), style: 'primary', value: JSON.stringify({ id: alert.id }) }]
          : [],
    };
  };
}
