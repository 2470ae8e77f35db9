import { BusinessDays, WEEKENDS_ONLY } from '../calendar/business-calendar';
import { LocalDate, addDays, localDateOf, toDayNumber, zonedInstant } from './calendar';
import { Cadence, occursOn, runMinutes } from './cadence';

/** Everything needed to compute when a schedule falls due. */
export interface ScheduleSpec {
  cadence: Cadence;
  /** IANA zone the cadence is read in (Asia/Shanghai by default). */
  timezone: string;
  startDate: LocalDate;
  /** Last cadence date that still counts (inclusive). */
  endDate?: LocalDate;
  /** How many cadence dates the schedule has in total, counted from the start date. */
  maxRuns?: number;
  /**
   * Cadence dates that roll onto the same business day become ONE run (one
   * payment for the sum) only when the schedule says so; by default each cadence
   * date stays its own run and payment, so no money is dropped.
   */
  combine?: boolean;
  /** The business calendar runs move on (public holidays, 调休 make-up days, company overrides); weekends only when absent. */
  calendar?: BusinessDays;
}

/** One run of a schedule: one payment. */
export interface DueRun {
  /** Local date the run happens on, after moving off weekends and holidays. */
  date: LocalDate;
  /** The UTC instant of the run time on that date. */
  at: Date;
  /**
   * Cadence dates this run stands for: one, or (schedules that `combine`) all
   * that rolled onto the same business day (a daily schedule's Saturday, Sunday
   * and Monday), paid as one payment for the sum.
   */
  nominalDates: LocalDate[];
  /** The run date lies in a year whose holidays are not published yet: it may still move. */
  provisional?: boolean;
  /** 1-based count of the last cadence date covered, from the start date (what maxRuns limits). */
  occurrence: number;
}

/** Stop looking this far past the start date: a cadence like cron `0 9 30 2 *` never falls due. */
const HORIZON_DAYS = 366 * 40;
/** No real calendar has a year of consecutive holidays; more means the holiday data is wrong. */
const MAX_ROLL_DAYS = 366;

/** The date itself when it is a business day, else the next one. */
export function nextBusinessDay(date: LocalDate, calendar: BusinessDays = WEEKENDS_ONLY): LocalDate {
  let d = date;
  for (let i = 0; !calendar.isBusinessDay(d); i++) {
    if (i > MAX_ROLL_DAYS) throw new Error(`no business day within ${MAX_ROLL_DAYS} days after ${date}; check the holiday list`);
    d = addDays(d, 1);
  }
  return d;
}

/**
 * Runs in order, skipping cadence dates on or before `afterNominal` (the
 * cursor of runs already handled). Rolled dates never go backwards, so runs
 * that land on the same day are neighbours (and merge into one when the
 * schedule combines them).
 */
function* runs(spec: ScheduleSpec, afterNominal?: LocalDate, notBefore?: LocalDate): Generator<DueRun> {
  const calendar = spec.calendar ?? WEEKENDS_ONLY;
  const minutes = runMinutes(spec.cadence);
  const cursor = afterNominal ? toDayNumber(afterNominal) : -Infinity;
  let pending: DueRun | undefined;
  let occurrence = 0;
  let date = spec.startDate;
  for (let i = 0; i <= HORIZON_DAYS; i++, date = addDays(date, 1)) {
    if (spec.endDate && date > spec.endDate) break;
    if (spec.maxRuns !== undefined && occurrence >= spec.maxRuns) break;
    if (!occursOn(spec.cadence, date, spec.startDate)) continue;
    if (spec.cadence.kind === 'business_days' && !calendar.isBusinessDay(date)) continue;
    occurrence += 1;
    if (toDayNumber(date) <= cursor) continue;
    const rolled = nextBusinessDay(date, calendar);
    // Runs on earlier local days are before the caller's instant; skipping them saves the zone arithmetic.
    if (notBefore && rolled < notBefore) continue;
    if (spec.combine && pending && pending.date === rolled) {
      pending.nominalDates.push(date);
      pending.occurrence = occurrence;
      continue;
    }
    if (pending) yield pending;
    pending = { date: rolled, at: zonedInstant(rolled, minutes, spec.timezone), nominalDates: [date], occurrence };
    if (calendar.isProvisional?.(rolled)) pending.provisional = true;
  }
  if (pending) yield pending;
}

/** The next `n` runs strictly after the instant `after` (and after the cursor `afterNominal`, when given). */
export function nextDueDates(spec: ScheduleSpec, after: Date, n: number, opts: { afterNominal?: LocalDate } = {}): DueRun[] {
  const out: DueRun[] = [];
  if (n <= 0) return out;
  for (const run of runs(spec, opts.afterNominal, localDateOf(after, spec.timezone))) {
    if (run.at.getTime() <= after.getTime()) continue;
    out.push(run);
    if (out.length >= n) break;
  }
  return out;
}

/** The first run after the cursor, whatever its time (past runs included): the schedule's next due run. */
export function firstRunAfter(spec: ScheduleSpec, afterNominal?: LocalDate): DueRun | undefined {
  return runs(spec, afterNominal).next().value ?? undefined;
}

/** Every run after the cursor that is due by `now`, oldest first: what a scheduler that was down has missed. */
export function dueRunsUntil(spec: ScheduleSpec, now: Date, afterNominal?: LocalDate): DueRun[] {
  const out: DueRun[] = [];
  for (const run of runs(spec, afterNominal)) {
    if (run.at.getTime() > now.getTime()) break;
    out.push(run);
  }
  return out;
}

/** The cursor after handling a run: its last cadence date. */
export const cursorAfter = (run: DueRun): LocalDate => run.nominalDates[run.nominalDates.length - 1];

/**
 * The run's payment idempotency key. One cadence date is one payment, so the
 * key names the cadence date (two dates rolled onto one business day are two
 * keys); a combined run names every date it pays for.
 */
export const runIdempotencyKey = (scheduleId: string, run: DueRun): string => `${scheduleId}:${run.nominalDates.join('+')}`;

/** How many cadence dates a schedule payment pays for, read back from its idempotency key (1 when the key is not a run key). */
export function runPeriodsOf(scheduleId: string, idempotencyKey: string | undefined): number {
  if (!idempotencyKey?.startsWith(`${scheduleId}:`)) return 1;
  return idempotencyKey.slice(scheduleId.length + 1).split('+').length;
}
