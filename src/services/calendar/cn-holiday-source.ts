import { getSolarDateFromLunar, getSolarTerms } from 'chinese-days';
import data from 'chinese-days/dist/chinese-days.json';
import type { CalendarSource, PublishedYear } from '../../domain/calendar/business-calendar';
import type { LunarAnchors } from '../../domain/calendar/statutory-holidays';

type Raw = Record<string, string>;

/** `Spring Festival,春节,4` → `Spring Festival,春节` (the day count is the package's, not ours). */
const nameOf = (raw: string): string => raw.split(',').slice(0, 2).join(',');

function byYear(raw: Raw): Map<number, Map<string, string>> {
  const out = new Map<number, Map<string, string>>();
  for (const [date, name] of Object.entries(raw)) {
    const year = Number(date.slice(0, 4));
    if (!out.has(year)) out.set(year, new Map());
    out.get(year)!.set(date, nameOf(name));
  }
  return out;
}

/**
 * The mainland China calendar from the `chinese-days` package (official State
 * Council schedules with 调休, one release per year). A year is published when the
 * package lists holidays for it; the package itself treats an unknown year as
 * plain weekdays (2027-01-01 a workday), so paydesk never asks it `isWorkday`.
 */
export function chineseDaysSource(): CalendarSource {
  const holidays = byYear((data as { holidays: Raw }).holidays);
  const workdays = byYear((data as { workdays: Raw }).workdays);
  const anchors = new Map<number, LunarAnchors>();
  return {
    published(year: number): PublishedYear | undefined {
      const h = holidays.get(year);
      return h ? { holidays: h, workdays: workdays.get(year) ?? new Map() } : undefined;
    },
    lunarAnchors(year: number): LunarAnchors {
      let a = anchors.get(year);
      if (!a) {
        const qingming = getSolarTerms(`${year}-04-01`, `${year}-04-10`).find((t) => t.term === 'pure_brightness');
        a = {
          springFestival: getSolarDateFromLunar(`${year}-01-01`).date,
          qingming: qingming?.date ?? `${year}-04-05`,
          dragonBoat: getSolarDateFromLunar(`${year}-05-05`).date,
          midAutumn: getSolarDateFromLunar(`${year}-08-15`).date,
        };
        anchors.set(year, a);
      }
      return a;
    },
  };
}

/** The last year the installed package has an official list for (what admins are told to update past). */
export function lastPublishedYear(): number {
  return Math.max(...Object.keys((data as { holidays: Raw }).holidays).map((d) => Number(d.slice(0, 4))));
}
