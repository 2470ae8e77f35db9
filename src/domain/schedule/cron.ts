import { Result, ok, refuse } from '../result';
import { LocalDate, partsOf } from './calendar';

/** A parsed 5-field cron expression (minute hour day-of-month month day-of-week), read in the schedule's zone. */
export interface CronCadence {
  kind: 'cron';
  expression: string;
  /** Minutes after local midnight; a payment schedule runs at one time of day. */
  minutesOfDay: number;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  /** Standard cron: when both day fields are restricted, either one matching is enough. */
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec { min: number; max: number; names?: string[]; nameBase?: number }
const SPECS: FieldSpec[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { min: 0, max: 7, names: WEEKDAYS, nameBase: 0 },
];

function atom(s: string, spec: FieldSpec): number | undefined {
  if (/^\d{1,2}$/.test(s)) return Number(s);
  const i = spec.names?.indexOf(s.toLowerCase()) ?? -1;
  return i >= 0 ? i + (spec.nameBase ?? 0) : undefined;
}

/** One field into its set of values; undefined when malformed or out of range. */
function parseField(text: string, spec: FieldSpec): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d{1,2}))?$/.exec(part);
    if (!m) return undefined;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return undefined;
    let lo: number | undefined;
    let hi: number | undefined;
    if (m[1] === '*') [lo, hi] = [spec.min, spec.max];
    else {
      const range = m[1].split('-');
      if (range.length > 2) return undefined;
      lo = atom(range[0], spec);
      hi = range.length === 2 ? atom(range[1], spec) : m[2] === undefined ? lo : spec.max;
    }
    if (lo === undefined || hi === undefined || lo < spec.min || hi > spec.max || lo > hi) return undefined;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/**
 * Parses a 5-field cron expression. Refuses expressions that fire more than once
 * a day: a schedule makes at most one payment per local date (that date is part
 * of the run's idempotency key).
 */
export function parseCron(expression: string): Result<CronCadence> {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return refuse('SCHEDULE.BAD_CADENCE', { cadence: expression });
  const sets = fields.map((f, i) => parseField(f, SPECS[i]));
  if (sets.some((s) => s === undefined)) return refuse('SCHEDULE.BAD_CADENCE', { cadence: expression });
  const [minutes, hours, days, months, weekdays] = sets as Set<number>[];
  if (minutes.size !== 1 || hours.size !== 1) return refuse('SCHEDULE.CRON_TOO_FREQUENT', { cadence: expression });
  if (weekdays.has(7)) {
    weekdays.delete(7);
    weekdays.add(0); // 7 is Sunday too
  }
  return ok({
    kind: 'cron',
    expression: fields.join(' '),
    minutesOfDay: [...hours][0] * 60 + [...minutes][0],
    days,
    months,
    weekdays,
    // Vixie cron: a day field starting with '*' (also '*/2') does not take part in the either-or rule.
    daysRestricted: !fields[2].startsWith('*'),
    weekdaysRestricted: !fields[4].startsWith('*'),
  });
}

export function cronMatches(c: CronCadence, date: LocalDate): boolean {
  const { month, day, weekday } = partsOf(date);
  if (!c.months.has(month)) return false;
  const dayOk = c.days.has(day);
  const weekdayOk = c.weekdays.has(weekday);
  if (c.daysRestricted && c.weekdaysRestricted) return dayOk || weekdayOk;
  return dayOk && weekdayOk;
}
