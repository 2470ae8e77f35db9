import type { Locale } from '../../src/domain/locale';
import { formatMoney } from '../../src/domain/money';
import type { PaymentSchedule } from '../../src/domain/schedule';
import { addDays, partsOf } from '../../src/domain/schedule/calendar';
import type { DayInfo } from '../../src/domain/calendar/business-calendar';
import type { CalendarListing } from '../../src/services/schedules/holiday-calendar';
import type { ListView } from '../view/view';
import { SCHEDULE_STATUS_TONE, describeCadence, scheduleCardKey } from './schedule-card.view';
import { st } from './schedule-command.messages';
import type { ScheduleListFilter } from './schedule-command.types';

export interface ScheduleListRow {
  schedule: PaymentSchedule;
  payeeName?: string;
  requesterName?: string;
}

export function scheduleListView(rows: ScheduleListRow[], filter: ScheduleListFilter, locale: Locale): ListView {
  const title =
    filter === 'live' || filter === 'all' || filter === 'mine'
      ? st(locale, `SCHEDULE_LIST.TITLE.${filter}`)
      : st(locale, 'SCHEDULE_LIST.TITLE.status', { status: st(locale, `SCHEDULE.STATUS.${filter}`) });
  return {
    kind: 'list',
    title,
    items: rows.map(({ schedule: s, payeeName, requesterName }) => ({
      key: scheduleCardKey(s.id),
      title: st(locale, 'SCHEDULE_LIST.ITEM_TITLE', { reference: s.reference, amount: formatMoney(s.amount, locale), payee: payeeName ?? '?' }),
      subtitle: st(locale, 'SCHEDULE_LIST.ITEM_SUBTITLE', {
        cadence: describeCadence(s.cadence, s.startDate, locale),
        // The stored next run is in the schedule's own zone: its local date is what people expect to see.
        next: s.nextDueDate ?? st(locale, 'SCHEDULE_LIST.NO_NEXT'),
        requester: requesterName ?? '?',
      }),
      status: { label: st(locale, `SCHEDULE.STATUS.${s.status}`), tone: SCHEDULE_STATUS_TONE[s.status] },
    })),
    footer: st(locale, 'SCHEDULE_LIST.HINT'),
    empty: st(locale, 'SCHEDULE_LIST.EMPTY'),
  };
}

/** A published name is `English,中文`; a company override is shown as the admin typed it. */
function dayName(name: string | undefined, locale: Locale): string {
  if (!name) return '';
  const [en, zh] = name.split(',');
  return zh === undefined ? name : locale === 'zh-CN' ? zh : en;
}

/** Consecutive days with the same name, kind and origin read as one line (春节 is nine days, not nine lines). */
function runsOf(days: DayInfo[]): DayInfo[][] {
  const out: DayInfo[][] = [];
  for (const d of days) {
    const last = out[out.length - 1]?.at(-1);
    const same = last && addDays(last.date, 1) === d.date && last.name === d.name && last.kind === d.kind && last.origin === d.origin;
    if (same) out[out.length - 1].push(d);
    else out.push([d]);
  }
  return out;
}

/** One year of the business calendar: holidays, 调休 make-up working days and company overrides, and whether the year is provisional. */
export function holidaysView(listing: CalendarListing, locale: Locale): ListView {
  const day = (d: string) => st(locale, 'HOLIDAYS.DAY', { date: d, weekday: st(locale, `WEEKDAY_SHORT.${partsOf(d).weekday}`) });
  const footer = [st(locale, 'HOLIDAYS.HINT')];
  if (listing.provisional)
    footer.unshift(st(locale, 'HOLIDAYS.PROVISIONAL', { year: listing.year, last: listing.lastPublishedYear }));
  return {
    kind: 'list',
    title: st(locale, listing.provisional ? 'HOLIDAYS.TITLE_PROVISIONAL' : 'HOLIDAYS.TITLE', { calendar: listing.calendar, year: listing.year }),
    items: runsOf(listing.days).map((run) => {
      const [first, last] = [run[0], run[run.length - 1]];
      return {
        key: `holiday:${first.date}`,
        title: run.length === 1 ? day(first.date) : st(locale, 'HOLIDAYS.RANGE', { from: day(first.date), to: day(last.date), count: run.length }),
        subtitle: [dayName(first.name, locale), st(locale, `HOLIDAYS.ORIGIN.${first.origin}`)].filter(Boolean).join(' · '),
        status: first.business
          ? { label: st(locale, 'HOLIDAYS.KIND.workday'), tone: 'good' as const }
          : { label: st(locale, 'HOLIDAYS.KIND.holiday'), tone: 'neutral' as const },
      };
    }),
    footer: footer.join('\n'),
    empty: st(locale, 'HOLIDAYS.EMPTY'),
  };
}
