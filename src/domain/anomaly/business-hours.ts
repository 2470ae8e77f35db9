import { partsOf, zonedFields } from '../schedule/calendar';

/** Wall-clock reading of an instant in a zone, enough to tell business hours from the night and the weekend. */
export interface WallClock {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Minutes after local midnight. */
  minutes: number;
}

/** Built on the calendar's zoned reading, so business hours and schedules agree on what "today" is. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const f = zonedFields(instant.getTime(), timeZone);
  return { date: f.date, weekday: partsOf(f.date).weekday, minutes: f.minutes };
}

export const isWeekendDay = (c: WallClock): boolean => c.weekday === 0 || c.weekday === 6;

export const formatMinutes = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
