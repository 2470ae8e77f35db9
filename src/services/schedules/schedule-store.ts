import { randomUUID } from 'node:crypto';
import {
  DueRun, LocalDate, PaymentSchedule, ScheduleStatus, firstRunAfter, formatScheduleReference, specOf,
} from '../../domain/schedule';
import type { BusinessCalendar, BusinessDays } from '../../domain/calendar/business-calendar';
import type { Tx } from '../../persistence/database';
import { calendarStore } from '../calendar/calendar-store';

/**
 * Schedule reads and writes in plain SQL: the row lock (`FOR UPDATE`, or `SKIP
 * LOCKED` for the scheduler) is explicit, and nothing here depends on the ORM
 * having the scheduling entities registered.
 */
const opt = <T>(v: T | null | undefined): T | undefined => (v === null || v === undefined ? undefined : v);
const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const optDate = (v: unknown): Date | undefined => (v === null || v === undefined ? undefined : date(v));

export function scheduleFromRow(r: any): PaymentSchedule {
  return {
    id: r.id,
    reference: r.reference,
    payeeId: r.payee_id,
    debtorAccountId: r.debtor_account_id,
    amount: { minor: BigInt(r.amount_minor), currency: r.currency },
    purpose: r.purpose,
    cadence: r.cadence,
    timezone: r.timezone,
    startDate: r.start_date,
    endDate: opt(r.end_date),
    maxRuns: opt(r.max_runs),
    runsDone: r.runs_done,
    status: r.status as ScheduleStatus,
    requesterId: r.requester_id,
    approvedBy: opt(r.approved_by),
    approvedAt: optDate(r.approved_at),
    autoRunApproved: r.auto_run_approved,
    approvedAmount: r.approved_amount_minor == null ? undefined : { minor: BigInt(r.approved_amount_minor), currency: r.currency },
    pausedBy: opt(r.paused_by),
    combine: r.combine_runs === true ? true : undefined,
    nextDueAt: optDate(r.next_due_at),
    nextDueDate: opt(r.next_due_date),
    lastNominalDate: opt(r.last_nominal_date),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
    version: r.version,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// NO KEY UPDATE, not UPDATE: a run's payment references its schedule (payments.schedule_id), and that
// insert's KEY SHARE lock must not wait for the runner that holds the schedule while creating it.
const LOCKS = { none: '', wait: 'for no key update', skip: 'for no key update skip locked' } as const;

export type NewSchedule = Omit<PaymentSchedule, 'id' | 'reference' | 'version' | 'runsDone' | 'status'>;

export const scheduleStore = {
  /** By id or reference (`SCH-000012`, any case). */
  async find(em: Tx, ref: string, lock: keyof typeof LOCKS = 'none'): Promise<PaymentSchedule | undefined> {
    const [column, value] = UUID.test(ref) ? ['id', ref] : ['reference', ref.trim().toUpperCase()];
    const rows = await em.execute(`select * from payment_schedules where ${column} = ? ${LOCKS[lock]}`, [value]);
    return rows[0] ? scheduleFromRow(rows[0]) : undefined;
  },

  async list(em: Tx, filter: { statuses?: ScheduleStatus[]; requesterId?: string } = {}): Promise<PaymentSchedule[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.statuses?.length) {
      where.push(`status in (${filter.statuses.map(() => '?').join(',')})`);
      params.push(...filter.statuses);
    }
    if (filter.requesterId) {
      where.push('requester_id = ?');
      params.push(filter.requesterId);
    }
    const rows = await em.execute(
      `select * from payment_schedules ${where.length ? `where ${where.join(' and ')}` : ''} order by reference`,
      params,
    );
    return rows.map(scheduleFromRow);
  },

  /** Every schedule that may still run, locked in one order so two calendar edits cannot deadlock. */
  async lockLive(em: Tx): Promise<PaymentSchedule[]> {
    const rows = await em.execute(
      `select * from payment_schedules where status in ('pending_approval','active','paused') order by id for no key update`,
    );
    return rows.map(scheduleFromRow);
  },

  /** The business calendar schedules follow (CN: public holidays, 调休 make-up days and company overrides). */
  calendar(em: Tx): Promise<BusinessCalendar> {
    return calendarStore.calendar(em);
  },

  async insert(em: Tx, s: NewSchedule & { status: ScheduleStatus }): Promise<PaymentSchedule> {
    const seq = await em.execute(`select nextval('payment_schedule_reference_seq') as n`);
    const reference = formatScheduleReference(BigInt(seq[0].n));
    const rows = await em.execute(
      `insert into payment_schedules (id, reference, payee_id, debtor_account_id, amount_minor, currency, purpose, cadence,
         timezone, start_date, end_date, max_runs, runs_done, status, requester_id, auto_run_approved, next_due_at,
         next_due_date, last_nominal_date, created_at, updated_at, version, combine_runs)
       values (?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,false,?,?,?,?,?,1,?) returning *`,
      [
        randomUUID(), reference, s.payeeId, s.debtorAccountId, s.amount.minor.toString(), s.amount.currency, s.purpose,
        s.cadence, s.timezone, s.startDate, s.endDate ?? null, s.maxRuns ?? null, s.status, s.requesterId,
        s.nextDueAt ?? null, s.nextDueDate ?? null, s.lastNominalDate ?? null, s.createdAt, s.updatedAt, s.combine === true,
      ],
    );
    return scheduleFromRow(rows[0]);
  },

  /** Writes the fields that change over a schedule's life and bumps its version. */
  async update(em: Tx, s: PaymentSchedule, now: Date): Promise<PaymentSchedule> {
    const rows = await em.execute(
      `update payment_schedules set status = ?, runs_done = ?, approved_by = ?, approved_at = ?, auto_run_approved = ?,
         approved_amount_minor = ?, paused_by = ?, next_due_at = ?, next_due_date = ?, last_nominal_date = ?, updated_at = ?,
         version = version + 1
       where id = ? returning *`,
      [
        s.status, s.runsDone, s.approvedBy ?? null, s.approvedAt ?? null, s.autoRunApproved,
        s.approvedAmount?.minor.toString() ?? null, s.pausedBy ?? null, s.nextDueAt ?? null, s.nextDueDate ?? null, s.lastNominalDate ?? null,
        now, s.id,
      ],
    );
    return scheduleFromRow(rows[0]);
  },
};

/** The schedule's next run after its cursor, with the calendar as it is now. */
export function nextRunOf(s: PaymentSchedule, calendar: BusinessDays): DueRun | undefined {
  return firstRunAfter(specOf(s, calendar), s.lastNominalDate);
}

/** The schedule pointed at `run`; no run left means it has completed (if it was running). */
export function withNextRun<T extends object>(s: T, run: DueRun | undefined): T & Pick<PaymentSchedule, 'nextDueAt' | 'nextDueDate'> {
  return { ...s, nextDueAt: run?.at, nextDueDate: run?.date };
}
