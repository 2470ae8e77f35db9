import { Result, ok, refuse } from '../../domain/result';
import { LocalDate, isLocalDate } from '../../domain/schedule';
import type { Database, Tx } from '../../persistence/database';
import { directory } from '../../persistence/repositories/directory.repository';
import { appendAudit } from '../audit/audit-log';
import { nextRunOf, scheduleStore, withNextRun } from './schedule-store';

export interface Holiday {
  date: LocalDate;
  name: string;
}

/**
 * The bank-holiday calendar (data, edited by admins). A change moves the next
 * run of every live schedule in the same transaction. Runs already handled stay
 * handled: each schedule's cursor is a cadence date, not a run date, so a late
 * holiday can never make a paid date fall due again.
 */
export class HolidayCalendar {
  constructor(
    private readonly db: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async list(): Promise<Holiday[]> {
    const rows = await this.db.read((em) => em.execute(`select date, name from business_holidays order by date`));
    return rows.map((r: any) => ({ date: String(r.date), name: r.name }));
  }

  async add(date: string, name: string, adminId: string): Promise<Result<Holiday>> {
    if (!isLocalDate(date)) return refuse('SCHEDULE.BAD_DATE', { date: String(date) });
    const label = name?.trim() ?? '';
    if (!label) return refuse('SCHEDULE.HOLIDAY_NAME_REQUIRED');
    return this.edit(adminId, 'holiday.added', { date, name: label }, async (em, actor) => {
      const rows = await em.execute(
        `insert into business_holidays (date, name, created_by, created_at) values (?, ?, ?, ?) on conflict (date) do nothing returning date`,
        [date, label, actor, this.clock()],
      );
      return rows.length > 0 ? undefined : refuse('SCHEDULE.HOLIDAY_EXISTS', { date });
    });
  }

  async remove(date: string, adminId: string): Promise<Result<Holiday>> {
    if (!isLocalDate(date)) return refuse('SCHEDULE.BAD_DATE', { date: String(date) });
    let name = '';
    const r = await this.edit(adminId, 'holiday.removed', { date }, async (em) => {
      const rows = await em.execute(`delete from business_holidays where date = ? returning name`, [date]);
      if (rows.length === 0) return refuse('SCHEDULE.HOLIDAY_NOT_FOUND', { date });
      name = rows[0].name;
      return undefined;
    });
    return r.ok ? ok({ date, name }) : r;
  }

  private async edit(
    adminId: string,
    action: string,
    holiday: Holiday | { date: LocalDate },
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
      const holidays = await scheduleStore.holidays(em);
      const now = this.clock();
      const moved: string[] = [];
      for (const s of live) {
        const next = withNextRun(s, nextRunOf(s, holidays));
        if (next.nextDueDate === s.nextDueDate && next.nextDueAt?.getTime() === s.nextDueAt?.getTime()) continue;
        await scheduleStore.update(em, next, now);
        moved.push(`${s.reference}:${s.nextDueDate ?? '-'}→${next.nextDueDate ?? '-'}`);
      }
      await appendAudit(em, { actor, action, subjectType: 'holiday', subjectId: holiday.date, at: now, data: { ...holiday, moved } });
      return ok({ name: '', ...holiday });
    });
  }
}
