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

export const unusualAmountRule: AnomalyRule = (f, c) => {
  const r = c.unusualAmount;
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
  if (!unproven && f.payeeHistory.count > 0) return undefined;
  const until = cooling ? ` · → ${wallClock(f.payee.coolingOffUntil!, c.timezone).date}` : '';
  return warn(ANOMALY.NEW_PAYEE, unproven ? r.severity : r.firstPaymentSeverity, `> ${money(min, f.amount.currency)}${until}`);
};

export const changedBankDetailsRule: AnomalyRule = (f, c) => {
  const r = c.changedBankDetails;
  const at = f.payee.bankDetailsChangedAt;
  if (!r.enabled || !at) return undefined;
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
  if (!r.enabled) return undefined;
  const unit = thresholdMinor(r.unit, f.amount.currency);
  if (unit <= 0n || f.amount.minor < thresholdMinor(r.minAmount, f.amount.currency) || f.amount.minor % unit !== 0n) return undefined;
  return warn(ANOMALY.ROUND_AMOUNT, r.severity);
};

export const ANOMALY_RULES: readonly AnomalyRule[] = [
  duplicateRule,
  unusualAmountRule,
  newPayeeRule,
  changedBankDetailsRule,
  velocityRule,
  businessHoursRule,
  roundAmountRule,
];

/** Every rule that fires, most severe first. */
export function evaluateAnomalies(f: AnomalyFacts, c: AnomalyConfig): PaymentWarning[] {
  return ANOMALY_RULES.map((rule) => rule(f, c))
    .filter((w): w is PaymentWarning => w !== undefined)
    .sort(bySeverityDesc);
}

export const hasHighSeverity = (warnings: readonly { severity: Severity }[]): boolean =>
  warnings.some((w) => w.severity === 'high');

