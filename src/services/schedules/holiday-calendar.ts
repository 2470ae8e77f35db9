import { CalendarId, DEFAULT_CALENDAR, DayInfo } from '../../domain/calendar/business-calendar';
import { Result, ok, refuse } from '../../domain/result';
import { LocalDate, isLocalDate, localDateOf } from '../../domain/schedule';
import { partsOf } from '../../domain/schedule/calendar';
import type { Database, Tx } from '../../persistence/database';
import { directory } from '../../persistence/repositories/directory.repository';
import { appendAudit } from '../audit/audit-log';
import { calendarStore } from '../calendar/calendar-store';
import { lastPublishedYear } from '../calendar/cn-holiday-source';
import { nextRunOf, scheduleStore, withNextRun } from './schedule-store';

/** A company override as the commands show it. */
export interface Holiday {
  date: LocalDate;
  name: string;
  kind?: 'holiday' | 'workday';
}

/** One year of a calendar as `/pay holidays` shows it. */
export interface CalendarListing {
  calendar: CalendarId;
  year: number;
  /** No official list for the year: statutory holidays only, no make-up days. */
  provisional: boolean;
  /** The newest year the installed holiday data covers. */
  lastPublishedYear: number;
  /** Every date that differs from the plain weekday rule, in order. */
  days: DayInfo[];
}

/**
 * The business calendar (package data plus company overrides, edited by admins).
 * A change moves the next run of every live schedule in the same transaction.
 * Runs already handled stay handled: each schedule's cursor is a cadence date,
 * not a run date, so a late holiday can never make a paid date fall due again.
 */
export class HolidayCalendar {
  constructor(
    private readonly db: Database,
    private readonly clock: () => Date = () => new Date(),
    private readonly timeZone = 'Asia/Shanghai',
  ) {}

  /** The given year (default: this year) of a calendar. */
  async list(year?: number, calendar: CalendarId = DEFAULT_CALENDAR): Promise<CalendarListing> {
    const y = year ?? partsOf(localDateOf(this.clock(), this.timeZone)).year;
    const cal = await this.db.read((em) => calendarStore.calendar(em, calendar));
    return { calendar, year: y, provisional: cal.isProvisionalYear(y), lastPublishedYear: lastPublishedYear(), days: cal.specialDays(y) };
  }

  /** Years from this one up to `ahead` years on that have no official list yet (what admins are warned about). */
  provisionalYears(ahead = 1): number[] {
    const y = partsOf(localDateOf(this.clock(), this.timeZone)).year;
    const last = lastPublishedYear();
    return Array.from({ length: ahead + 1 }, (_, i) => y + i).filter((year) => year > last);
  }

  /** A company day off. */
  add(date: string, name: string, adminId: string, calendar: CalendarId = DEFAULT_CALENDAR): Promise<Result<Holiday>> {
    return this.put(date, name, adminId, calendar, 'holiday');
  }

  /** A company working day (a 调休 make-up day, or a published holiday the company works on). */
  workday(date: string, name: string, adminId: string, calendar: CalendarId = DEFAULT_CALENDAR): Promise<Result<Holiday>> {
    return this.put(date, name, adminId, calendar, 'workday');
  }

  private async put(date: string, name: string, adminId: string, calendar: CalendarId, kind: 'holiday' | 'workday'): Promise<Result<Holiday>> {
    if (!isLocalDate(date)) return refuse('SCHEDULE.BAD_DATE', { date: String(date) });
    const label = name?.trim() ?? '';
    if (!label) return refuse('SCHEDULE.HOLIDAY_NAME_REQUIRED');
    const action = kind === 'holiday' ? 'holiday.added' : 'holiday.workday_added';
    return this.edit(adminId, action, { date, name: label, kind, calendar }, async (em, actor) => {
      const rows = await em.execute(
        `insert into business_holidays (calendar, date, kind, origin, name, created_by, created_at) values (?, ?, ?, 'command', ?, ?, ?)
         on conflict (calendar, date) do nothing returning date`,
        [calendar, date, kind, label, actor, this.clock()],
      );
      return rows.length > 0 ? undefined : refuse('SCHEDULE.HOLIDAY_EXISTS', { date });
    });
  }

  /** Removes a company override; the date follows the published (or statutory) calendar again. */
  async remove(date: string, adminId: string, calendar: CalendarId = DEFAULT_CALENDAR): Promise<Result<Holiday>> {
    if (!isLocalDate(date)) return refuse('SCHEDULE.BAD_DATE', { date: String(date) });
    let removed: Holiday = { date, name: '' };
    const r = await this.edit(adminId, 'holiday.removed', { date, calendar }, async (em) => {
      const rows = await em.execute(`delete from business_holidays where calendar = ? and date = ? returning name, kind`, [calendar, date]);
      if (rows.length === 0) return refuse('SCHEDULE.HOLIDAY_NOT_FOUND', { date });
      removed = { date, name: rows[0].name, kind: rows[0].kind };
      return undefined;
    });
    return r.ok ? ok(removed) : r;
  }

  private async edit(
    adminId: string,
    action: string,
    change: { date: LocalDate; name?: string; kind?: 'holiday' | 'workday'; calendar: CalendarId },
    apply: (em: Tx, actor: string) => Promise<Result<never> | undefined>,
  ): Promise<Result<Holiday>> {
    return this.db.tx(async (em): Promise<Result<Holiday>> => {
      const admin = await directory.user(em, adminId);
      if (!admin || !admin.active || !admin.roles.includes('admin')) return refuse('SCHEDULE.ADMIN_ONLY');
      const actor = `user:${admin.handle}`;
      // Schedule rows first, audit chain second: the lock order every schedule writer keeps.
      const live = await scheduleStore.lockLive(em);
      const refused = await apply(em, actor);
      if (refused) return refused;
      const moved = await rescheduleLive(em, live, this.clock());
      await appendAudit(em, { actor, action, subjectType: 'holiday', subjectId: change.date, at: this.clock(), data: { ...change, moved } });
      return ok({ date: change.date, name: change.name ?? '', kind: change.kind });
    });
  }
}

/** Points every live schedule (locked by the caller) at its next run under the calendar as it is now; returns what moved. */
export async function rescheduleLive(em: Tx, live: Awaited<ReturnType<typeof scheduleStore.lockLive>>, now: Date): Promise<string[]> {
  const calendar = await scheduleStore.calendar(em);
  const moved: string[] = [];
  for (const s of live) {
    const next = withNextRun(s, nextRunOf(s, calendar));
    if (next.nextDueDate === s.nextDueDate && next.nextDueAt?.getTime() === s.nextDueAt?.getTime()) continue;
    await scheduleStore.update(em, next, now);
    moved.push(`${s.reference}:${s.nextDueDate ?? '-'}→${next.nextDueDate ?? '-'}`);
  }
  return moved;
}
