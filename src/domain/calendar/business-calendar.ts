import { LocalDate, addDays, isWeekend, partsOf } from '../schedule/calendar';
import { statutoryHolidays, type LunarAnchors } from './statutory-holidays';

/** What the due-date computation asks of a calendar. */
export interface BusinessDays {
  isBusinessDay(date: LocalDate): boolean;
  /** The date's year follows computed statutory holidays only (no official list yet), so it may still move. */
  isProvisional?(date: LocalDate): boolean;
}

/**
 * Calendars an account's bank can follow: `CN` = mainland China public holidays
 * and 调休 make-up working days; `weekends` = only Saturday and Sunday are off
 * (the fallback for banks of markets paydesk has no data for).
 */
export const CALENDAR_IDS = ['CN', 'weekends'] as const;
export type CalendarId = (typeof CALENDAR_IDS)[number];
export const DEFAULT_CALENDAR: CalendarId = 'CN';
export const isCalendarId = (s: string): s is CalendarId => (CALENDAR_IDS as readonly string[]).includes(s);

/** One year of officially published days off and make-up working days (name as `English,中文`). */
export interface PublishedYear {
  holidays: ReadonlyMap<LocalDate, string>;
  workdays: ReadonlyMap<LocalDate, string>;
}

/**
 * Where the CN calendar's data comes from: the published list per year, and the
 * lunar dates needed to compute the statutory holidays of a year with no list yet.
 */
export interface CalendarSource {
  published(year: number): PublishedYear | undefined;
  lunarAnchors(year: number): LunarAnchors;
}

/** A company decision for one date: a day off (`holiday`) or a working day (`workday`), overriding everything else. */
export interface CalendarOverride {
  calendar: CalendarId;
  date: LocalDate;
  kind: 'holiday' | 'workday';
  name: string;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

/** Why a date is or is not a business day. */
export interface DayInfo {
  date: LocalDate;
  business: boolean;
  kind: DayKind;
  /** Holiday or make-up day name (`English,中文` for published days, as the admin typed for company days). */
  name?: string;
  /** `published` official list, `statutory` computed because no list exists yet, `company` override, `weekday` plain rule. */
  origin: 'published' | 'statutory' | 'company' | 'weekday';
  /** The year has no published list: statutory holidays only and no make-up days, so the date may still change. */
  provisional: boolean;
}

/**
 * One business calendar: overrides first, then the published year, then (CN,
 * unpublished year) the statutory holidays, then weekends. Built per read; the
 * year tables are cached because schedules ask for the same years over and over.
 */
export class BusinessCalendar implements BusinessDays {
  private readonly overrides = new Map<LocalDate, CalendarOverride>();
  private readonly statutoryCache = new Map<number, ReadonlyMap<LocalDate, string>>();

  constructor(
    readonly id: CalendarId,
    private readonly source: CalendarSource | undefined,
    overrides: Iterable<CalendarOverride> = [],
  ) {
    for (const o of overrides) if (o.calendar === id) this.overrides.set(o.date, o);
  }

  isBusinessDay(date: LocalDate): boolean {
    return this.day(date).business;
  }

  isProvisional(date: LocalDate): boolean {
    return this.isProvisionalYear(partsOf(date).year);
  }

  /** The year follows computed statutory holidays because no official list was loaded for it. */
  isProvisionalYear(year: number): boolean {
    return this.id === 'CN' && this.source !== undefined && this.source.published(year) === undefined;
  }

  day(date: LocalDate): DayInfo {
    const year = partsOf(date).year;
    const provisional = this.isProvisionalYear(year);
    const o = this.overrides.get(date);
    if (o) return { date, business: o.kind === 'workday', kind: o.kind === 'holiday' ? 'holiday' : isWeekend(date) ? 'makeup_workday' : 'workday', name: o.name, origin: 'company', provisional };
    const weekend = isWeekend(date);
    if (this.id === 'CN' && this.source) {
      const published = this.source.published(year);
      if (published) {
        const holiday = published.holidays.get(date);
        if (holiday !== undefined) return { date, business: false, kind: 'holiday', name: holiday, origin: 'published', provisional };
        const workday = published.workdays.get(date);
        if (workday !== undefined) return { date, business: true, kind: 'makeup_workday', name: workday, origin: 'published', provisional };
      } else {
        const holiday = this.statutory(year).get(date);
        if (holiday !== undefined) return { date, business: false, kind: 'holiday', name: holiday, origin: 'statutory', provisional };
      }
    }
    return { date, business: !weekend, kind: weekend ? 'weekend' : 'workday', origin: 'weekday', provisional };
  }

  /** Every date of a year that differs from the plain weekday rule (holidays, make-up days, company overrides), in order. */
  specialDays(year: number): DayInfo[] {
    const out: DayInfo[] = [];
    for (let d = `${year}-01-01`; partsOf(d).year === year; d = addDays(d, 1)) {
      const info = this.day(d);
      if (info.origin !== 'weekday') out.push(info);
    }
    return out;
  }

  private statutory(year: number): ReadonlyMap<LocalDate, string> {
    let days = this.statutoryCache.get(year);
    if (!days) {
      days = statutoryHolidays(year, this.source!.lunarAnchors(year));
      this.statutoryCache.set(year, days);
    }
    return days;
  }
}

/** The calendar with only weekends off: what a schedule gets when no calendar data is at hand. */
export const WEEKENDS_ONLY: BusinessDays = { isBusinessDay: (date) => !isWeekend(date) };
