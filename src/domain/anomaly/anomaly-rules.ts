import { bySeverityDesc } from '../alerts/severity';
import { formatMoney } from '../money/format-money';
import { PaymentWarning, Severity } from '../payment/payment';
import { AnomalyConfig, thresholdMinor } from './anomaly-config';
import { AnomalyFacts } from './anomaly-facts';
import { formatMinutes, isWeekendDay, wallClock } from './business-hours';

/** Stable rule codes; each is also the message key of its sentence (anomaly.messages.ts). */
export const ANOMALY = {
  DUPLICATE: 'ANOMALY.DUPLICATE',
  UNUSUAL_AMOUNT: 'ANOMALY.UNUSUAL_AMOUNT',
  NEW_PAYEE: 'ANOMALY.NEW_PAYEE',
  CHANGED_BANK_DETAILS: 'ANOMALY.CHANGED_BANK_DETAILS',
  VELOCITY: 'ANOMALY.VELOCITY',
  OUTSIDE_BUSINESS_HOURS: 'ANOMALY.OUTSIDE_BUSINESS_HOURS',
  ROUND_AMOUNT: 'ANOMALY.ROUND_AMOUNT',
  /** A schedule run above the amount its schedule was approved for. */
  SCHEDULE_ABOVE_TERMS: 'ANOMALY.SCHEDULE_ABOVE_TERMS',
  /** A schedule run the debtor account cannot cover. */
  SCHEDULE_BALANCE_TOO_LOW: 'ANOMALY.SCHEDULE_BALANCE_TOO_LOW',
} as const;
export type AnomalyCode = (typeof ANOMALY)[keyof typeof ANOMALY];

export type AnomalyRule = (f: AnomalyFacts, c: AnomalyConfig) => PaymentWarning | undefined;

const DAY_MS = 86_400_000;

/*
 * `detail` is shown after the sentence on every card, in both languages, so it
 * holds only language-neutral facts: amounts with ISO codes, dates, references.
 */
const warn = (code: AnomalyCode, severity: Severity, detail?: string): PaymentWarning =>
  detail ? { code, severity, detail } : { code, severity };
const money = (minor: bigint, currency: string): string => formatMoney({ minor, currency }, 'en');

export const duplicateRule: AnomalyRule = (f, c) => {
  if (!c.duplicate.enabled) return undefined;
  const refs = [...new Set([...f.sameExternalRef, ...f.sameAmountRecent])];
  if (refs.length === 0) return undefined;
  const shown = refs.slice(0, 3).join(', ') + (refs.length > 3 ? ` +${refs.length - 3}` : '');
  const byRef = f.externalRef && f.sameExternalRef.length > 0;
  return warn(ANOMALY.DUPLICATE, c.duplicate.severity, byRef ? `${f.externalRef} · ${shown}` : shown);
};

/** A schedule run within the amount its schedule was approved for: its size was judged when the schedule was approved. */
export function withinScheduleTerms(f: AnomalyFacts): boolean {
  const t = f.scheduleTerms;
  if (!t?.approvedAmount || t.approvedAmount.currency !== f.amount.currency) return false;
  return f.amount.minor <= t.approvedAmount.minor * BigInt(Math.max(1, t.periods));
}

export const unusualAmountRule: AnomalyRule = (f, c) => {
  const r = c.unusualAmount;
  if (withinScheduleTerms(f)) return undefined;
  const median = f.payeeHistory.median;
  // Too little history says nothing about what is usual.
  if (!r.enabled || f.payeeHistory.count < r.minHistory || median === undefined || median <= 0n) return undefined;
  if (f.amount.minor * 100n <= median * BigInt(r.factorPercent)) return undefined;
  const tenths = (f.amount.minor * 10n) / median;
  const ratio = tenths % 10n === 0n ? `${tenths / 10n}` : `${tenths / 10n}.${tenths % 10n}`;
  return warn(ANOMALY.UNUSUAL_AMOUNT, r.severity, `≈ ${ratio}× ${money(median, f.amount.currency)} (n=${f.payeeHistory.count})`);
};

export const newPayeeRule: AnomalyRule = (f, c) => {
  const r = c.newPayee;
  if (!r.enabled) return undefined;
  const min = thresholdMinor(r.minAmount, f.amount.currency);
  if (f.amount.minor <= min) return undefined;
  const cooling = f.payee.coolingOffUntil !== undefined && f.payee.coolingOffUntil.getTime() > f.now.getTime();
  const unproven = !f.payee.verified || cooling;
  // A proven payee's first payment is news, except for a schedule run: paying this payee is what was approved.
  if (!unproven && (f.payeeHistory.count > 0 || f.scheduleTerms?.approvedAt)) return undefined;
  const until = cooling ? ` · → ${wallClock(f.payee.coolingOffUntil!, c.timezone).date}` : '';
  return warn(ANOMALY.NEW_PAYEE, unproven ? r.severity : r.firstPaymentSeverity, `> ${money(min, f.amount.currency)}${until}`);
};

export const changedBankDetailsRule: AnomalyRule = (f, c) => {
  const r = c.changedBankDetails;
  const at = f.payee.bankDetailsChangedAt;
  if (!r.enabled || !at) return undefined;
  // A schedule was approved with the bank details of its approval day: a change since is a departure
  // from the terms (held, whatever the rule's severity); an older change was seen by the approver.
  const approvedAt = f.scheduleTerms?.approvedAt;
  if (approvedAt) {
    if (at.getTime() <= approvedAt.getTime()) return undefined;
    return warn(ANOMALY.CHANGED_BANK_DETAILS, 'high', `${f.scheduleTerms!.reference} · ${wallClock(at, c.timezone).date}`);
  }
  if (f.now.getTime() - at.getTime() > r.withinDays * DAY_MS) return undefined;
  return warn(ANOMALY.CHANGED_BANK_DETAILS, r.severity, wallClock(at, c.timezone).date);
};

export const velocityRule: AnomalyRule = (f, c) => {
  const r = c.velocity;
  if (!r.enabled) return undefined;
  const count = f.accountWindow.count + 1;
  const total = f.accountWindow.total + f.amount.minor;
  const max = thresholdMinor(r.maxAmount, f.amount.currency);
  if (count <= r.maxCount && total <= max) return undefined;
  return warn(ANOMALY.VELOCITY, r.severity, `${count} · ${money(total, f.amount.currency)} / ${Math.round(r.windowMs / 60_000)} min`);
};

export const businessHoursRule: AnomalyRule = (f, c) => {
  const r = c.businessHours;
  if (!r.enabled || (f.source && r.exemptSources.includes(f.source))) return undefined;
  const clock = wallClock(f.now, c.timezone);
  const workingDay = f.businessDay ?? (!isWeekendDay(clock) && !f.holiday);
  const open = workingDay && clock.minutes >= r.startMinutes && clock.minutes < r.endMinutes;
  if (open) return undefined;
  const hours = `${formatMinutes(r.startMinutes)}–${formatMinutes(r.endMinutes)}`;
  return warn(ANOMALY.OUTSIDE_BUSINESS_HOURS, r.severity, `${clock.date} ${formatMinutes(clock.minutes)} (${hours}, ${c.timezone})`);
};

export const roundAmountRule: AnomalyRule = (f, c) => {
  const r = c.roundAmount;
  if (!r.enabled || withinScheduleTerms(f)) return undefined;
  const unit = thresholdMinor(r.unit, f.amount.currency);
  if (unit <= 0n || f.amount.minor < thresholdMinor(r.minAmount, f.amount.currency) || f.amount.minor % unit !== 0n) return undefined;
  return warn(ANOMALY.ROUND_AMOUNT, r.severity);
};

/**
 * A run of an approved schedule that departs from its terms: more than the
 * approved amount, or more than the account can cover. Always held (high): the
 * approver agreed to something else.
 */
export const scheduleTermsRule: AnomalyRule = (f) => {
  const t = f.scheduleTerms;
  if (!t) return undefined;
  if (t.approvedAmount && !withinScheduleTerms(f)) {
    const approved = t.approvedAmount.minor * BigInt(Math.max(1, t.periods));
    return warn(ANOMALY.SCHEDULE_ABOVE_TERMS, 'high', `${t.reference} · ${money(f.amount.minor, f.amount.currency)} > ${money(approved, t.approvedAmount.currency)}`);
  }
  if (t.available && t.available.currency === f.amount.currency && t.available.minor < f.amount.minor)
    return warn(ANOMALY.SCHEDULE_BALANCE_TOO_LOW, 'high', `${t.reference} · ${money(t.available.minor, t.available.currency)} < ${money(f.amount.minor, f.amount.currency)}`);
  return undefined;
};

export const ANOMALY_RULES: readonly AnomalyRule[] = [
  duplicateRule,
  unusualAmountRule,
  newPayeeRule,
  changedBankDetailsRule,
  velocityRule,
  businessHoursRule,
  roundAmountRule,
  scheduleTermsRule,
];

/** Every rule that fires, most severe first. */
export function evaluateAnomalies(f: AnomalyFacts, c: AnomalyConfig): PaymentWarning[] {
  return ANOMALY_RULES.map((rule) => rule(f, c))
    .filter((w): w is PaymentWarning => w !== undefined)
    .sort(bySeverityDesc);
}

export const hasHighSeverity = (warnings: readonly { severity: Severity }[]): boolean =>
  warnings.some((w) => w.severity === 'high');

