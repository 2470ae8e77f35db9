/**
 * Calendar and time-zone arithmetic with nothing but Intl and Date.
 *
 * A `LocalDate` is a wall-calendar date `YYYY-MM-DD` with no zone. Days are
 * counted on a UTC-midnight Date, which has no daylight-saving jumps, so adding
 * a day always moves exactly one calendar day.
 */

export type LocalDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Accepts only real dates (no 2026-02-30), so a typo never silently shifts a payment. */
export function isLocalDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function toDayNumber(date: LocalDate): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`not a local date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

export function fromDayNumber(day: number): LocalDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export const addDays = (date: LocalDate, n: number): LocalDate => fromDayNumber(toDayNumber(date) + n);

/** Parts of a local date; month 1–12, weekday 0 = Sunday … 6 = Saturday. */
export function partsOf(date: LocalDate): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(toDayNumber(date) * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export const isWeekend = (date: LocalDate): boolean => {
  const w = partsOf(date).weekday;
  return w === 0 || w === 6;
};

// Intl formatters are expensive to build; one per zone is plenty.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone || typeof timeZone !== 'string') return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of an instant in a zone: the one Intl reading every domain rule builds on. */
export function zonedFields(instant: number, timeZone: string): { date: LocalDate; minutes: number; asUtc: number } {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(instant))) parts[p.type] = p.value;
  const [y, mo, d, h, mi, s] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map((k) => Number(parts[k]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: h * 60 + mi,
    asUtc: Date.UTC(y, mo - 1, d, h, mi, s),
  };
}

/** Offset of the zone from UTC at an instant, in ms (Shanghai: +8 h). */
const offsetAt = (instant: number, timeZone: string): number => {
  const whole = Math.floor(instant / 1000) * 1000; // formatToParts has no milliseconds
  return zonedFields(whole, timeZone).asUtc - whole;
};

/** The calendar date an instant falls on in a zone (e.g. 2026-03-01T20:00Z is 03-02 in Shanghai). */
export const localDateOf = (instant: Date, timeZone: string): LocalDate => zonedFields(instant.getTime(), timeZone).date;

/**
 * The instant a wall-clock time happens on a date in a zone. A time that does
 * not exist (spring-forward gap) moves forward by the gap, as clocks do; a time
 * that happens twice (fall-back) takes the first occurrence, so a run is never late.
 */
export function zonedInstant(date: LocalDate, minutesOfDay: number, timeZone: string): Date {
  const asUtc = toDayNumber(date) * DAY_MS + minutesOfDay * 60_000;
  // A zone changes offset at most once within a day either side, so these two cover every case.
  const offsets = new Set([offsetAt(asUtc - DAY_MS, timeZone), offsetAt(asUtc + DAY_MS, timeZone), offsetAt(asUtc, timeZone)]);
  const candidates = [...offsets].map((o) => asUtc - o);
  const exact = candidates.filter((t) => {
    const w = zonedFields(t, timeZone);
    return w.date === date && w.minutes === minutesOfDay;
  });
  return new Date(exact.length > 0 ? Math.min(...exact) : Math.max(...candidates));
}
