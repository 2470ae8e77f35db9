import { Role } from '../approval/approval-policy';
import { Money } from '../money/money';
import { PaymentWarning } from '../payment/payment';
import { Severity } from './severity';

export const ALERT_KINDS = ['anomaly', 'low_balance', 'projected_low_balance', 'reconciliation'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const isAlertKind = (s: string): s is AlertKind => (ALERT_KINDS as readonly string[]).includes(s);

/** open → acknowledged (someone is on it; repeats stop) → resolved (the condition is gone). */
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Money inside jsonb: bigint does not survive JSON, so the minor units travel as a decimal string. */
export interface StoredMoney {
  minor: string;
  currency: string;
}
export const storeMoney = (m: Money): StoredMoney => ({ minor: m.minor.toString(), currency: m.currency });
export const loadMoney = (m: StoredMoney): Money => ({ minor: BigInt(m.minor), currency: m.currency });

/** What a payment anomaly alert shows; stored with the alert so the card needs no further reads. */
export interface PaymentAlertDetail {
  paymentId: string;
  reference: string;
  amount: StoredMoney;
  payee: string;
  account: string;
  warnings: PaymentWarning[];
  /** Waiting for a treasurer's approval (the hold); false when it was stopped before submission instead. */
  held: boolean;
  /** Stopped on its way to the bank; the requester has to request it again. */
  blocked?: boolean;
}

/** What a (projected) low-balance alert shows. */
export interface BalanceAlertDetail {
  accountId: string;
  accountCode: string;
  accountName: string;
  /** Already masked. */
  accountNumber: string;
  balance: StoredMoney;
  threshold: StoredMoney;
  projected: StoredMoney;
  outflows: { approved: StoredMoney; submitted: StoredMoney; scheduled: StoredMoney };
  projectionDays: number;
  asOf: string;
  /** Projected alerts: the first day the balance ends below the threshold, the balance then, and what takes it there. */
  crossesOn?: string;
  balanceThen?: StoredMoney;
  takenBy?: { source: string; count: number; amount: StoredMoney }[];
}

export interface Alert {
  id: string;
  kind: AlertKind;
  severity: Severity;
  status: AlertStatus;
  subjectType: string;
  subjectId: string;
  /** Two raises with one key while the first is unresolved make one alert. */
  dedupeKey: string;
  /** Plain English one-liner for logs and the audit trail; cards are written from `detail`. */
  title: string;
  detail: Record<string, unknown>;
  createdAt: Date;
  acknowledgedBy?: { id: string; name: string };
  acknowledgedAt?: Date;
  resolvedAt?: Date;
  resolvedBy?: string;
  lastNotifiedAt?: Date;
  notifyCount: number;
}

/** Managers act on alerts; a requester can read them but not wave them off. */
export const ACKNOWLEDGING_ROLES: readonly Role[] = ['approver', 'treasurer', 'admin'];
export const mayAcknowledge = (u: { roles: readonly Role[]; active: boolean }): boolean =>
  u.active && u.roles.some((r) => ACKNOWLEDGING_ROLES.includes(r));

/** The one key per subject and kind, so every producer de-duplicates the same way. */
export const alertKeys = {
  paymentAnomaly: (paymentId: string) => `anomaly:payment:${paymentId}`,
  blockedBeforeSubmit: (paymentId: string) => `anomaly:blocked:${paymentId}`,
  balance: (kind: 'low_balance' | 'projected_low_balance', accountId: string) => `${kind}:${accountId}`,
};

export const isPaymentAlertDetail = (d: Record<string, unknown>): d is PaymentAlertDetail & Record<string, unknown> =>
  typeof d.reference === 'string' && typeof d.paymentId === 'string' && Array.isArray(d.warnings);
export const isBalanceAlertDetail = (d: Record<string, unknown>): d is BalanceAlertDetail & Record<string, unknown> =>
  typeof d.accountId === 'string' && typeof d.balance === 'object' && typeof d.projected === 'object';
