import { Money } from '../money/money';

/**
 * Everything the anomaly rules look at, gathered beforehand (by SQL in the
 * monitoring service), so the rules themselves are pure and tested without a database.
 */
export interface AnomalyFacts {
  now: Date;
  amount: Money;
  /** chat | api | schedule | import, when the caller knows it. */
  source?: string;
  externalRef?: string;
  payee: {
    verified: boolean;
    coolingOffUntil?: Date;
    bankDetailsChangedAt?: Date;
  };
  /** References of live payments to this payee for the same amount inside the duplicate window. */
  sameAmountRecent: string[];
  /** References of live payments carrying the same external (invoice) reference. */
  sameExternalRef: string[];
  /** Payments to this payee in this currency that went through (approved, submitted or settled). */
  payeeHistory: { count: number; median?: bigint };
  /** Live payments from the same debtor account inside the velocity window, this one excluded. */
  accountWindow: { count: number; total: bigint };
  /** A public holiday in the business calendar, when one is kept. */
  holiday?: boolean;
  /**
   * Whether today is a business day in the business calendar (public holidays
   * and 调休 make-up working days included). When given it decides instead of
   * the weekend rule: a make-up Saturday is a working day.
   */
  businessDay?: boolean;
  /**
   * For a run of an approved schedule: the terms it was approved on. Such a run
   * is checked against these terms, not against the schedule's own earlier runs
   * (the facts query leaves those out): an approved round amount stays approved,
   * and a run is not a duplicate of its siblings.
   */
  scheduleTerms?: ScheduleTerms;
}

export interface ScheduleTerms {
  reference: string;
  /** Per cadence date; a combined run may pay `periods` times this. */
  approvedAmount?: Money;
  approvedAt?: Date;
  periods: number;
  /** Debtor account balance less what is approved and not yet sent (this payment excluded). */
  available?: Money;
}
