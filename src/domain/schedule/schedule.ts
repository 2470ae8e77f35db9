import type { BusinessDays } from '../calendar/business-calendar';
import { Money } from '../money/money';
import { Result, ok, refuse } from '../result';
import { LocalDate, isLocalDate, isValidTimeZone } from './calendar';
import { Cadence, parseCadence } from './cadence';
import { ScheduleSpec, firstRunAfter } from './due-dates';

export const DEFAULT_SCHEDULE_TIMEZONE = 'Asia/Shanghai';

export const SCHEDULE_STATUSES = ['pending_approval', 'active', 'paused', 'cancelled', 'completed', 'rejected'] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

const TRANSITIONS: Record<ScheduleStatus, readonly ScheduleStatus[]> = {
  pending_approval: ['active', 'rejected', 'cancelled'],
  active: ['paused', 'cancelled', 'completed'],
  paused: ['active', 'cancelled'],
  cancelled: [],
  completed: [],
  rejected: [],
};

/** Refuses any move the schedule lifecycle does not allow (a cancelled schedule never comes back). */
export function scheduleTransition(from: ScheduleStatus, to: ScheduleStatus): Result<ScheduleStatus> {
  return TRANSITIONS[from].includes(to) ? ok(to) : refuse('SCHEDULE.ILLEGAL_TRANSITION', { from, to });
}

/** A recurring payment: each run creates one payment (source `schedule`). */
export interface PaymentSchedule {
  id: string;
  /** `SCH-000012` */
  reference: string;
  payeeId: string;
  debtorAccountId: string;
  amount: Money;
  purpose: string;
  /** The cadence as the requester wrote it. */
  cadence: string;
  timezone: string;
  startDate: LocalDate;
  endDate?: LocalDate;
  maxRuns?: number;
  /** Cadence dates rolled onto the same business day are paid as one payment for the sum (default: one payment each). */
  combine?: boolean;
  /** Cadence dates handled so far (paid, merged into another run, or skipped). */
  runsDone: number;
  status: ScheduleStatus;
  requesterId: string;
  approvedBy?: string;
  approvedAt?: Date;
  /** Runs up to `approvedAmount` are released without a fresh approval. */
  autoRunApproved: boolean;
  approvedAmount?: Money;
  /** Who paused it, until it is resumed: a pause by anyone but the requester is lifted only by a treasurer or admin. */
  pausedBy?: string;
  nextDueAt?: Date;
  nextDueDate?: LocalDate;
  /** Cursor: the last cadence date already handled. */
  lastNominalDate?: LocalDate;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export const formatScheduleReference = (n: bigint): string => `SCH-${n.toString().padStart(6, '0')}`;

export interface ScheduleTiming {
  cadence: string;
  timezone?: string;
  startDate: string;
  endDate?: string;
  maxRuns?: number;
}

/** Checks the timing of a schedule and returns what the due-date computation needs. */
export function validateTiming(t: ScheduleTiming): Result<Omit<ScheduleSpec, 'calendar'> & { cadence: Cadence }> {
  const cadence = parseCadence(t.cadence);
  if (!cadence.ok) return cadence;
  const timezone = t.timezone?.trim() || DEFAULT_SCHEDULE_TIMEZONE;
  if (!isValidTimeZone(timezone)) return refuse('SCHEDULE.BAD_TIMEZONE', { timezone });
  if (!isLocalDate(t.startDate)) return refuse('SCHEDULE.BAD_DATE', { date: String(t.startDate) });
  if (t.endDate !== undefined) {
    if (!isLocalDate(t.endDate)) return refuse('SCHEDULE.BAD_DATE', { date: String(t.endDate) });
    if (t.endDate < t.startDate) return refuse('SCHEDULE.END_BEFORE_START');
  }
  if (t.maxRuns !== undefined && (!Number.isInteger(t.maxRuns) || t.maxRuns < 1 || t.maxRuns > 10_000))
    return refuse('SCHEDULE.BAD_MAX_RUNS');
  const spec = { cadence: cadence.value, timezone, startDate: t.startDate, endDate: t.endDate, maxRuns: t.maxRuns };
  if (!firstRunAfter(spec)) return refuse('SCHEDULE.NO_RUNS');
  return ok(spec);
}

/** The due-date inputs of a stored schedule (its timing was validated when it was created). */
export function specOf(s: Pick<PaymentSchedule, 'cadence' | 'timezone' | 'startDate' | 'endDate' | 'maxRuns' | 'combine'>, calendar: BusinessDays): ScheduleSpec {
  const cadence = parseCadence(s.cadence);
  if (!cadence.ok) throw new Error(`stored schedule has an unreadable cadence: ${s.cadence}`);
  return { cadence: cadence.value, timezone: s.timezone, startDate: s.startDate, endDate: s.endDate, maxRuns: s.maxRuns, combine: s.combine, calendar };
}

/** What one run pays: the schedule's amount, times the cadence dates a combined run stands for. */
export function runAmount(amount: Money, run: { nominalDates: readonly LocalDate[] }): Money {
  return { minor: amount.minor * BigInt(run.nominalDates.length), currency: amount.currency };
}
