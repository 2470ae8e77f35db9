import { Result, ok, refuse } from '../result';
import { LocalDate, daysInMonth, partsOf, toDayNumber } from './calendar';
import { CronCadence, cronMatches, parseCron } from './cron';

/** When nothing else is said, scheduled payments go out at 09:00 local time. */
export const DEFAULT_RUN_MINUTES = 9 * 60;

/** How often a schedule falls due. `minutesOfDay` is the local run time when the text named one. */
export type Cadence =
  | { kind: 'daily'; minutesOfDay?: number }
  /** Every business day of the schedule's calendar: days off are skipped, not rolled (no catch-up payments). */
  | { kind: 'business_days'; minutesOfDay?: number }
  | { kind: 'weekly'; weekday: number; minutesOfDay?: number }
  /** Every `interval` weeks counted from the start date (the start date's weekday). */
  | { kind: 'weeks'; interval: number; minutesOfDay?: number }
  /** Day 29–31 in a shorter month means that month's last day. */
  | { kind: 'monthly'; day: number; minutesOfDay?: number }
  | CronCadence;

const EN_WEEKDAYS: Record<string, number> = {
  sunday: 0, sun: 0, monday: 1, mon: 1, tuesday: 2, tue: 2, tues: 2, wednesday: 3, wed: 3,
  thursday: 4, thu: 4, thur: 4, thurs: 4, friday: 5, fri: 5, saturday: 6, sat: 6,
};
const ZH_WEEKDAYS: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };
const ZH_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 1–99 written in digits or Chinese numerals (二十五, 十一, 两); undefined otherwise. */
function smallNumber(s: string): number | undefined {
  if (/^\d{1,2}$/.test(s)) return Number(s);
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return undefined;
  const [, tens, ten, ones] = m;
  if (!ten) return tens && !ones ? ZH_DIGITS[tens] : undefined;
  return (tens ? ZH_DIGITS[tens] : 1) * 10 + (ones ? ZH_DIGITS[ones] : 0);
}

type Form = [RegExp, (m: RegExpExecArray) => Result<Cadence>];

const monthly = (raw: string): Result<Cadence> => {
  const day = raw === 'last' ? 31 : smallNumber(raw);
  if (day === undefined || day < 1 || day > 31) return refuse('SCHEDULE.BAD_DAY', { day: raw });
  return ok({ kind: 'monthly', day });
};
const weeks = (raw: string): Result<Cadence> => {
  const interval = smallNumber(raw);
  if (interval === undefined || interval < 1 || interval > 52) return refuse('SCHEDULE.BAD_INTERVAL', { weeks: raw });
  return ok({ kind: 'weeks', interval });
};
const weekly = (weekday: number): Result<Cadence> => ok({ kind: 'weekly', weekday });

const EN_DAY = '(sunday|sun|monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat)';
const FORMS: Form[] = [
  [/^(daily|every day|each day)$/, () => ok({ kind: 'daily' })],
  [/^(?:every|each) (?:business|working|work|bank) ?day$/, () => ok({ kind: 'business_days' })],
  [/^(?:business|working) daily$/, () => ok({ kind: 'business_days' })],
  [/^每(?:个)?工作日$/, () => ok({ kind: 'business_days' })],
  [new RegExp(`^(?:every|each) ${EN_DAY}$`), (m) => weekly(EN_WEEKDAYS[m[1]])],
  [new RegExp(`^(?:weekly|every week) on ${EN_DAY}$`), (m) => weekly(EN_WEEKDAYS[m[1]])],
  [/^(weekly|every week)$/, () => weeks('1')],
  [/^(biweekly|fortnightly|every other week)$/, () => weeks('2')],
  [/^every (\d{1,2}) weeks?$/, (m) => weeks(m[1])],
  [/^(?:monthly|every month) on (?:the )?(?:day )?(\d{1,2})(?:st|nd|rd|th)?$/, (m) => monthly(m[1])],
  [/^(?:monthly|every month) on (?:the )?last day$/, () => monthly('last')],
  [/^每(?:天|日)$/, () => ok({ kind: 'daily' })],
  [/^每(?:周|星期|礼拜)([日天一二三四五六])$/, (m) => weekly(ZH_WEEKDAYS[m[1]])],
  [/^每(?:周|星期)$/, () => weeks('1')],
  [/^每隔一周$/, () => weeks('2')],
  [/^每(\d{1,2}|[一二两三四五六七八九十]{1,3})(?:个)?(?:周|星期)$/, (m) => weeks(m[1])],
  [/^每(?:个)?月(\d{1,2}|[一二三四五六七八九十]{1,3})(?:日|号)$/, (m) => monthly(m[1])],
  [/^每(?:个)?月(?:最后一天|月底)$/, () => monthly('last')],
];

const TIME_SUFFIX = /^(.*?)(?:\s+at\s+|\s*)(\d{1,2}):(\d{2})$/;

/**
 * Reads a cadence as people write it: `monthly on day 25`, `每月25日`,
 * `every friday`, `每周五`, `every 2 weeks`, `daily`, `weekly on monday`,
 * optionally followed by a time (`… at 10:30`, `每月25日 10:30`), or a 5-field
 * cron expression.
 */
export function parseCadence(text: string): Result<Cadence> {
  const normalized = (text ?? '').trim().replace(/\s+/g, ' ');
  if (!normalized) return refuse('SCHEDULE.BAD_CADENCE', { cadence: '' });
  const lower = normalized.toLowerCase();
  const timed = TIME_SUFFIX.exec(lower);
  for (const body of timed ? [lower, timed[1].trim()] : [lower]) {
    for (const [re, build] of FORMS) {
      const m = re.exec(body);
      if (!m) continue;
      const cadence = build(m);
      if (!cadence.ok || body === lower) return cadence;
      const [h, min] = [Number(timed![2]), Number(timed![3])];
      if (h > 23 || min > 59) return refuse('SCHEDULE.BAD_TIME', { time: `${timed![2]}:${timed![3]}` });
      return ok({ ...cadence.value, minutesOfDay: h * 60 + min } as Cadence);
    }
  }
  if (normalized.split(' ').length === 5) return parseCron(normalized);
  return refuse('SCHEDULE.BAD_CADENCE', { cadence: normalized });
}

export const runMinutes = (c: Cadence): number => c.minutesOfDay ?? DEFAULT_RUN_MINUTES;

/** Whether the cadence falls on a date (before any business-day adjustment). */
export function occursOn(c: Cadence, date: LocalDate, startDate: LocalDate): boolean {
  switch (c.kind) {
    case 'daily':
    case 'business_days': // the calendar decides, in due-dates
      return true;
    case 'weekly':
      return partsOf(date).weekday === c.weekday;
    case 'weeks': {
      const diff = toDayNumber(date) - toDayNumber(startDate);
      return diff >= 0 && diff % (7 * c.interval) === 0;
    }
    case 'monthly': {
      const { year, month, day } = partsOf(date);
      return day === Math.min(c.day, daysInMonth(year, month));
    }
    case 'cron':
      return cronMatches(c, date);
  }
}
