import { addDays, localDateOf } from '../../domain/schedule';
import { lastPublishedYear } from './cn-holiday-source';

/** How long before a year starts paydesk begins to warn that its official holiday list is missing. */
export const CALENDAR_WARNING_LEAD_DAYS = 61;

/**
 * The years whose mainland China holiday list is not loaded yet and already matter:
 * this year, and next year once it is less than `leadDays` away (the State Council
 * publishes around December, so warning all year long would only teach people to
 * ignore it). Such years run on the computed statutory holidays with no 调休 days.
 */
export function provisionalYearsToWarn(
  now: Date,
  timeZone: string,
  lastPublished = lastPublishedYear(),
  leadDays = CALENDAR_WARNING_LEAD_DAYS,
): number[] {
  const today = localDateOf(now, timeZone);
  const year = Number(today.slice(0, 4));
  const soon = Number(addDays(today, leadDays).slice(0, 4));
  const years = soon > year ? [year, soon] : [year];
  return years.filter((y) => y > lastPublished);
}
