import {
  BusinessCalendar,
  CalendarId,
  CalendarOverride,
  DEFAULT_CALENDAR,
} from '../../domain/calendar/business-calendar';
import type { Tx } from '../../persistence/database';
import { chineseDaysSource } from './cn-holiday-source';

// The package data is immutable for the life of the process: read it once.
const CN_SOURCE = chineseDaysSource();

/** A company override as stored, with who added it and from where. */
export interface StoredOverride extends CalendarOverride {
  origin: 'command' | 'directory';
  createdBy: string;
}

export const calendarStore = {
  async overrides(em: Tx, calendar?: CalendarId): Promise<StoredOverride[]> {
    const rows = await em.execute(
      `select calendar, date, kind, name, origin, created_by from business_holidays ${calendar ? 'where calendar = ?' : ''} order by calendar, date`,
      calendar ? [calendar] : [],
    );
    return rows.map((r: any) => ({
      calendar: r.calendar, date: String(r.date), kind: r.kind, name: r.name, origin: r.origin, createdBy: r.created_by,
    }));
  },

  /** The business calendar as it stands now (package data + company overrides). */
  async calendar(em: Tx, id: CalendarId = DEFAULT_CALENDAR): Promise<BusinessCalendar> {
    return buildCalendar(id, await this.overrides(em, id));
  },
};

export function buildCalendar(id: CalendarId, overrides: Iterable<CalendarOverride> = []): BusinessCalendar {
  return new BusinessCalendar(id, id === 'CN' ? CN_SOURCE : undefined, overrides);
}
