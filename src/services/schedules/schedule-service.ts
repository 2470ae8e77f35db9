import { tierFor } from '../../domain/approval/approval-policy';
import { User } from '../../domain/directory';
import { Money } from '../../domain/money/money';
import type { BankTextProfile } from '../../domain/bank-text';
import { Result, ok, refuse } from '../../domain/result';
import {
  DEFAULT_SCHEDULE_TIMEZONE, DueRun, PaymentSchedule, ScheduleStatus, cursorAfter, dueRunsUntil, isValidTimeZone,
  localDateOf, nextDueDates, scheduleTransition, specOf, validateTiming,
} from '../../domain/schedule';
import type { Database, Tx } from '../../persistence/database';
import { resolvePaymentParties } from '../payments/payment-parties';
import { checkPurpose } from '../payments/purpose';
import { directory } from '../../persistence/repositories/directory.repository';
import { appendAudit } from '../audit/audit-log';
import type { BusinessDays } from '../../domain/calendar/business-calendar';
import { CalendarListing, Holiday, HolidayCalendar } from './holiday-calendar';
import { mayPreApproveRuns } from './schedule-approval';
import { nextRunOf, scheduleStore, withNextRun } from './schedule-store';

export interface CreateScheduleInput {
  requesterId: string;
  debtorAccountId: string;
  payeeId: string;
  amount: Money;
  purpose: string;
  /** `monthly on day 25`, `每周五`, `every 2 weeks`, a cron expression… */
  cadence: string;
  /** IANA zone; the service's default (Asia/Shanghai unless configured) when absent. */
  timezone?: string;
  /** YYYY-MM-DD; today (in the schedule's zone) when absent. */
  startDate?: string;
  endDate?: string;
  maxRuns?: number;
  /** Pay cadence dates that roll onto one business day as one payment for the sum (default: one payment each). */
  combine?: boolean;
}

/** A schedule with its next runs, as `show` and `create` return it. */
export interface ScheduleDetails {
  schedule: PaymentSchedule;
  upcoming: DueRun[];
}

/**
 * Recurring payments: created by a requester, activated by a different
 * approver (maker–checker), then paused, resumed or cancelled. Every change
 * locks the schedule row and writes its audit event in the same transaction.
 */
export class ScheduleService {
  readonly calendar: HolidayCalendar;

  constructor(
    private readonly db: Database,
    private readonly clock: () => Date = () => new Date(),
    /** Zone for schedules created without one (the app's TIMEZONE setting). */
    private readonly defaultTimezone: string = DEFAULT_SCHEDULE_TIMEZONE,
    /** The bank gateway's character set: a purpose no file could carry is refused now, not at the first run. */
    private readonly bankText: BankTextProfile = 'cnaps',
  ) {
    this.calendar = new HolidayCalendar(db, clock, defaultTimezone);
  }

  async create(input: CreateScheduleInput): Promise<Result<ScheduleDetails>> {
    const checked = checkPurpose(input.purpose, this.bankText);
    if (!checked.ok) return checked;
    const purpose = checked.value;
    if (input.amount.minor <= 0n) return refuse('MONEY.ZERO');
    const now = this.clock();
    const timezone = input.timezone?.trim() || this.defaultTimezone;
    if (!isValidTimeZone(timezone)) return refuse('SCHEDULE.BAD_TIMEZONE', { timezone });
    const startDate = input.startDate ?? localDateOf(now, timezone);
    const timing = validateTiming({ cadence: input.cadence, timezone, startDate, endDate: input.endDate, maxRuns: input.maxRuns });
    if (!timing.ok) return timing;
    if (startDate < localDateOf(now, timezone)) return refuse('SCHEDULE.START_IN_PAST');

    return this.db.tx(async (em): Promise<Result<ScheduleDetails>> => {
      const parties = await resolvePaymentParties(em, input);
      if (!parties.ok) return parties;
      const { account, payee } = parties.value;
      const requester = parties.value.requester!; // requesterId is required for schedules

      const holidays = await scheduleStore.calendar(em);
      const draft = {
        payeeId: payee.id, debtorAccountId: account.id, amount: input.amount, purpose, cadence: input.cadence.trim(),
        timezone, startDate, endDate: input.endDate, maxRuns: input.maxRuns, requesterId: requester.id,
        autoRunApproved: false, createdAt: now, updatedAt: now, ...(input.combine ? { combine: true } : {}),
      };
      // No cursor yet: a run due later today (start = today) is still this schedule's first run.
      const first = nextDueDates(specOf(draft, holidays), new Date(0), 1)[0];
      const schedule = await scheduleStore.insert(em, { ...withNextRun(draft, first), status: 'pending_approval' });
      await appendAudit(em, {
        actor: `user:${requester.handle}`, action: 'schedule.created', subjectType: 'schedule', subjectId: schedule.reference, at: now,
        data: {
          amount: schedule.amount.minor, currency: schedule.amount.currency, payee: payee.code, account: account.code, purpose,
          cadence: schedule.cadence, timezone, startDate, endDate: input.endDate ?? null, maxRuns: input.maxRuns ?? null,
          firstDue: first?.date ?? null, combine: input.combine === true,
        },
      });
      return ok({ schedule, upcoming: upcomingRuns(schedule, holidays, now) });
    });
  }

  /** Maker–checker: an approver or treasurer other than the requester activates the schedule. */
  async approveSchedule(ref: string, approverId: string): Promise<Result<PaymentSchedule>> {
    return this.change(ref, approverId, 'schedule.approved', async (em, s, approver) => {
      const checked = checkDecider(s, approver);
      if (!checked.ok) return checked;
      const policy = await directory.policy(em, s.amount.currency);
      const tier = policy && tierFor(policy, s.amount);
      const preApproved = !!tier && mayPreApproveRuns(tier, approver, s.amount);
      // Runs that fell due while the schedule waited for approval are caught up like missed runs.
      return ok({
        next: { ...s, status: 'active', approvedBy: approver.id, approvedAt: this.clock(), autoRunApproved: preApproved, approvedAmount: preApproved ? s.amount : undefined },
        data: { autoRunApproved: preApproved, approvedAmount: preApproved ? s.amount.minor : null },
      });
    });
  }

  async rejectSchedule(ref: string, approverId: string, reason: string): Promise<Result<PaymentSchedule>> {
    const why = reason?.trim() ?? '';
    return this.change(ref, approverId, 'schedule.rejected', async (_em, s, approver) => {
      const checked = checkDecider(s, approver);
      if (!checked.ok) return checked;
      if (why.length < 2) return refuse('SCHEDULE.REASON_REQUIRED');
      return ok({ next: withNextRun({ ...s, status: 'rejected' }, undefined), data: { reason: why } });
    });
  }

  async pause(ref: string, userId: string): Promise<Result<PaymentSchedule>> {
    return this.change(ref, userId, 'schedule.paused', async (_em, s, user) => {
      if (!mayChange(s, user)) return refuse('SCHEDULE.NOT_YOURS');
      if (s.status !== 'active') return refuse('SCHEDULE.NOT_ACTIVE', { status: s.status });
      return ok({ next: { ...s, status: 'paused', pausedBy: user.id }, data: {} });
    });
  }

  /**
   * Runs that fell due while paused are skipped (the pause was a decision not to pay), and recorded as such.
   * A pause by someone other than the requester (a treasurer or admin stopping it) is lifted only by a
   * treasurer or admin who is not the requester: otherwise the requester could undo the stop and the
   * runs would go straight back to being released under the schedule's approval.
   */
  async resume(ref: string, userId: string): Promise<Result<PaymentSchedule>> {
    return this.change(ref, userId, 'schedule.resumed', async (em, s, user) => {
      if (!mayChange(s, user)) return refuse('SCHEDULE.NOT_YOURS');
      if (s.status !== 'paused') return refuse('SCHEDULE.NOT_PAUSED', { status: s.status });
      if (!mayResume(s, user)) {
        const pauser = s.pausedBy ? await directory.user(em, s.pausedBy) : undefined;
        return refuse('SCHEDULE.PAUSED_BY_OTHER', { by: pauser?.name ?? '?' });
      }
      const now = this.clock();
      const skipped = dueRunsUntil(specOf(s, await scheduleStore.calendar(em)), now, s.lastNominalDate);
      for (const run of skipped)
        await appendAudit(em, {
          actor: `user:${user.handle}`, action: 'schedule.run_skipped', subjectType: 'schedule', subjectId: s.reference, at: now,
          data: { dueDate: run.date, nominalDates: run.nominalDates, reason: 'paused' },
        });
      const last = skipped[skipped.length - 1];
      const moved: PaymentSchedule = last
        ? { ...s, lastNominalDate: cursorAfter(last), runsDone: s.runsDone + skipped.reduce((n, r) => n + r.nominalDates.length, 0) }
        : s;
      return ok({
        next: { ...moved, status: 'active', pausedBy: undefined },
        data: { skipped: skipped.map((r) => r.date), pausedBy: s.pausedBy ?? null },
      });
    });
  }

  async cancel(ref: string, userId: string, reason?: string): Promise<Result<PaymentSchedule>> {
    return this.change(ref, userId, 'schedule.cancelled', async (_em, s, user) => {
      if (!mayChange(s, user)) return refuse('SCHEDULE.NOT_YOURS');
      if (!['pending_approval', 'active', 'paused'].includes(s.status)) return refuse('SCHEDULE.FINISHED', { status: s.status });
      return ok({ next: withNextRun({ ...s, status: 'cancelled' }, undefined), data: reason?.trim() ? { reason: reason.trim() } : {} });
    });
  }

  async list(filter: { statuses?: ScheduleStatus[]; requesterId?: string } = {}): Promise<PaymentSchedule[]> {
    return this.db.read((em) => scheduleStore.list(em, filter));
  }

  /** The schedule and its next three runs (overdue ones first, if the scheduler has not caught up yet). */
  async show(ref: string): Promise<Result<ScheduleDetails>> {
    return this.db.read(async (em) => {
      const schedule = await scheduleStore.find(em, ref);
      if (!schedule) return refuse('SCHEDULE.NOT_FOUND', { reference: ref });
      return ok({ schedule, upcoming: upcomingRuns(schedule, await scheduleStore.calendar(em), this.clock()) });
    });
  }

  /** Admins keep the bank-holiday calendar; a change moves the next run of every live schedule. */
  addHoliday(date: string, name: string, adminId: string): Promise<Result<Holiday>> {
    return this.calendar.add(date, name, adminId);
  }

  removeHoliday(date: string, adminId: string): Promise<Result<Holiday>> {
    return this.calendar.remove(date, adminId);
  }

  workday(date: string, name: string, adminId: string): Promise<Result<Holiday>> {
    return this.calendar.workday(date, name, adminId);
  }

  holidays(year?: number): Promise<CalendarListing> {
    return this.calendar.list(year);
  }

  /**
   * Lock, check, change, audit, in one transaction. The lock comes before the
   * audit chain's lock, the order every schedule writer keeps (see ScheduleRunner).
   */
  private async change(
    ref: string,
    userId: string,
    action: string,
    decide: (em: Tx, s: PaymentSchedule, user: User) => Promise<Result<{ next: PaymentSchedule; data: Record<string, unknown> }>>,
  ): Promise<Result<PaymentSchedule>> {
    return this.db.tx(async (em): Promise<Result<PaymentSchedule>> => {
      const s = await scheduleStore.find(em, ref, 'wait');
      if (!s) return refuse('SCHEDULE.NOT_FOUND', { reference: ref });
      const user = await directory.user(em, userId);
      if (!user || !user.active) return refuse('AUTH.UNKNOWN_USER');
      const decided = await decide(em, s, user);
      if (!decided.ok) return decided;
      let next = decided.value.next;
      const moved = scheduleTransition(s.status, next.status);
      if (!moved.ok) return moved;
      const now = this.clock();
      if (next.status === 'active') {
        const run = nextRunOf(next, await scheduleStore.calendar(em));
        next = withNextRun(run ? next : { ...next, status: 'completed' }, run);
      }
      const saved = await scheduleStore.update(em, next, now);
      await appendAudit(em, {
        actor: `user:${user.handle}`, action, subjectType: 'schedule', subjectId: s.reference, at: now,
        data: { from: s.status, to: saved.status, ...decided.value.data, nextDue: saved.nextDueDate ?? null },
      });
      return ok(saved);
    });
  }
}

function checkDecider(s: PaymentSchedule, approver: User): Result<true> {
  if (s.status !== 'pending_approval') return refuse('SCHEDULE.NOT_PENDING', { status: s.status });
  if (s.requesterId === approver.id) return refuse('SCHEDULE.SELF_APPROVAL');
  if (!approver.roles.some((r) => r === 'approver' || r === 'treasurer')) return refuse('SCHEDULE.ROLE_NOT_ALLOWED');
  return ok(true);
}

const mayChange = (s: PaymentSchedule, user: User): boolean =>
  s.requesterId === user.id || user.roles.includes('treasurer') || user.roles.includes('admin');

/** A pause with no recorded pauser (paused before it was recorded) counts as someone else's: the safe side. */
function mayResume(s: PaymentSchedule, user: User): boolean {
  if (s.pausedBy !== undefined && s.pausedBy === s.requesterId) return true;
  return user.id !== s.requesterId && (user.roles.includes('treasurer') || user.roles.includes('admin'));
}

/** Next three runs. A paused schedule will skip what falls due before it resumes, so only future runs count there. */
function upcomingRuns(s: PaymentSchedule, calendar: BusinessDays, now: Date): DueRun[] {
  if (!['pending_approval', 'active', 'paused'].includes(s.status)) return [];
  return nextDueDates(specOf(s, calendar), s.status === 'paused' ? now : new Date(0), 3, { afterNominal: s.lastNominalDate });
}
