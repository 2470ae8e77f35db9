import type { Locale } from '../../src/domain/locale';
import { formatMoney } from '../../src/domain/money';
import type { PaymentSchedule } from '../../src/domain/schedule';
import { partsOf } from '../../src/domain/schedule/calendar';
import type { Holiday } from '../../src/services/schedules/holiday-calendar';
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

/** The holiday calendar, oldest first, with each date's weekday (a holiday on a weekend changes nothing). */
export function holidaysView(holidays: Holiday[], locale: Locale): ListView {
  return {
    kind: 'list',
    title: st(locale, 'HOLIDAYS.TITLE'),
    items: holidays.map((h) => ({
      key: `holiday:${h.date}`,
      title: `${h.date} (${st(locale, `WEEKDAY_SHORT.${partsOf(h.date).weekday}`)})`,
      subtitle: h.name,
    })),
    footer: st(locale, 'HOLIDAYS.HINT'),
    empty: st(locale, 'HOLIDAYS.EMPTY'),
  };
}
