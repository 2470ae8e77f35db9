import { isWeekend, type LocalDate } from '../../domain/schedule';
import type { Tx } from '../../persistence/database';

/**
 * Whether the daily summary goes out on this date. The one place reports ask
 * the business calendar: today weekends plus the admins' holiday list
 * (`/pay holidays`, table business_holidays), the same rule schedules roll
 * their runs by. When the maintained calendar (public holidays and 调休
 * make-up days, issue 15) lands, point this function at it and nothing else
 * in reports changes.
 */
export async function isBusinessDay(em: Tx, date: LocalDate): Promise<boolean> {
  if (isWeekend(date)) return false;
  const present = await em.execute(`select to_regclass('business_holidays') is not null as present`);
  if (!present[0].present) return true;
  const rows = await em.execute(`select 1 from business_holidays where date = ?`, [date]);
  return rows.length === 0;
}
