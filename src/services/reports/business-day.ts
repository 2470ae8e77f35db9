import type { LocalDate } from '../../domain/schedule';
import type { Tx } from '../../persistence/database';
import { calendarStore } from '../calendar/calendar-store';

/**
 * Whether the daily summary goes out on this date: the one business calendar
 * schedules and the off-hours rule use (mainland China public holidays and 调休
 * make-up working days, plus the company's overrides from `/pay holidays` and the
 * directory), so the summary skips 2027-01-01 and is posted on a working Saturday.
 */
export async function isBusinessDay(em: Tx, date: LocalDate): Promise<boolean> {
  return (await calendarStore.calendar(em)).isBusinessDay(date);
}
