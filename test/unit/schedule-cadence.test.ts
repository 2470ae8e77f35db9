import {
  ScheduleSpec, dueRunsUntil, localDateOf, nextDueDates, parseCadence, runAmount, runIdempotencyKey, scheduleMessages, validateTiming, zonedInstant,
} from '../../src/domain/schedule';
import { BusinessCalendar } from '../../src/domain/calendar/business-calendar';

const SH = 'Asia/Shanghai';

/** Validated spec for a cadence text; throws on refusal so a typo in a test is loud. */
function spec(
  cadence: string,
  startDate: string,
  extra: Partial<Omit<ScheduleSpec, 'cadence'>> & { timezone?: string; holidays?: string[] } = {},
): ScheduleSpec {
  const r = validateTiming({ cadence, startDate, timezone: extra.timezone, endDate: extra.endDate, maxRuns: extra.maxRuns });
  if (!r.ok) throw new Error(`refused ${r.code}`);
  // Company days off on the weekends-only calendar: the plain case, without any published holiday data.
  const overrides = (extra.holidays ?? []).map((date) => ({ calendar: 'weekends' as const, date, kind: 'holiday' as const, name: 'test' }));
  return { ...r.value, calendar: extra.calendar ?? new BusinessCalendar('weekends', undefined, overrides) };
}
const dates = (s: ScheduleSpec, after: string, n: number) => nextDueDates(s, new Date(after), n).map((r) => r.date);
const refusal = (r: { ok: boolean; code?: string }) => (r.ok ? 'ok' : r.code);

describe('cadence forms', () => {
  test('monthly on day 25 and 每月25日 agree; a Saturday 25th moves to Monday', () => {
    for (const text of ['monthly on day 25', 'Monthly on the 25th', '每月25日', '每月二十五号']) {
      expect(dates(spec(text, '2026-02-01'), '2026-02-01T00:00:00Z', 3)).toEqual(['2026-02-25', '2026-03-25', '2026-04-27']);
    }
  });

  test('every friday and 每周五', () => {
    for (const text of ['every friday', 'every Fri', '每周五', '每星期五'])
      expect(dates(spec(text, '2026-11-23'), '2026-11-23T00:00:00Z', 3)).toEqual(['2026-11-27', '2026-12-04', '2026-12-11']);
  });

  test('every 2 weeks counts from the start date', () => {
    for (const text of ['every 2 weeks', 'every other week', '每两周', '每2周'])
      expect(dates(spec(text, '2026-11-25'), '2026-11-01T00:00:00Z', 3)).toEqual(['2026-11-25', '2026-12-09', '2026-12-23']);
  });

  test('weekly on monday', () => {
    expect(dates(spec('weekly on monday', '2026-11-26'), '2026-11-26T00:00:00Z', 2)).toEqual(['2026-11-30', '2026-12-07']);
    expect(dates(spec('每周一', '2026-11-26'), '2026-11-26T00:00:00Z', 2)).toEqual(['2026-11-30', '2026-12-07']);
  });

  test('daily: Saturday, Sunday and Monday are three Monday runs, one per cadence date (no money dropped)', () => {
    for (const text of ['daily', 'every day', '每天']) {
      const runs = nextDueDates(spec(text, '2026-11-26'), new Date('2026-11-25T00:00:00Z'), 6);
      expect(runs.map((r) => r.date)).toEqual(['2026-11-26', '2026-11-27', '2026-11-30', '2026-11-30', '2026-11-30', '2026-12-01']);
      expect(runs.slice(2, 5).map((r) => r.nominalDates)).toEqual([['2026-11-28'], ['2026-11-29'], ['2026-11-30']]);
      expect(runs.map((r) => r.occurrence)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(new Set(runs.map((r) => runIdempotencyKey('s1', r))).size).toBe(6);
    }
  });

  test('daily with combine: Saturday, Sunday and Monday become one Monday run for three times the amount', () => {
    const runs = nextDueDates({ ...spec('daily', '2026-11-26'), combine: true }, new Date('2026-11-25T00:00:00Z'), 4);
    expect(runs.map((r) => r.date)).toEqual(['2026-11-26', '2026-11-27', '2026-11-30', '2026-12-01']);
    expect(runs[2].nominalDates).toEqual(['2026-11-28', '2026-11-29', '2026-11-30']);
    expect(runs.map((r) => r.occurrence)).toEqual([1, 2, 5, 6]);
    expect(runAmount({ minor: 100_000n, currency: 'CNY' }, runs[2])).toEqual({ minor: 300_000n, currency: 'CNY' });
    expect(runIdempotencyKey('s1', runs[2])).toBe('s1:2026-11-28+2026-11-29+2026-11-30');
  });

  test('every monday across a holiday week: two Mondays rolled onto one day are two payments', () => {
    const s = spec('every monday', '2026-09-28', { holidays: ['2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09', '2026-10-12'] });
    const runs = nextDueDates(s, new Date('2026-10-01T00:00:00Z'), 3);
    expect(runs.map((r) => [r.date, r.nominalDates])).toEqual([
      ['2026-10-13', ['2026-10-05']], ['2026-10-13', ['2026-10-12']], ['2026-10-19', ['2026-10-19']],
    ]);
  });

  test('cron expressions, 5 fields, read in the schedule zone', () => {
    const runs = nextDueDates(spec('30 10 25 * *', '2026-02-01'), new Date('2026-02-01T00:00:00Z'), 2);
    expect(runs.map((r) => r.at.toISOString())).toEqual(['2026-02-25T02:30:00.000Z', '2026-03-25T02:30:00.000Z']);
    expect(dates(spec('0 9 * * MON-FRI', '2026-11-26'), '2026-11-26T00:00:00Z', 3)).toEqual(['2026-11-26', '2026-11-27', '2026-11-30']);
    // Both day fields restricted: either matches (Vixie cron).
    expect(dates(spec('0 9 1 * 3', '2026-11-26'), '2026-11-26T00:00:00Z', 3)).toEqual(['2026-12-01', '2026-12-02', '2026-12-09']);
  });

  test('a run time in the text; default is 09:00 local', () => {
    const [plain] = nextDueDates(spec('monthly on day 25', '2026-02-01'), new Date('2026-02-01T00:00:00Z'), 1);
    expect(plain.at.toISOString()).toBe('2026-02-25T01:00:00.000Z');
    const [timed] = nextDueDates(spec('monthly on day 25 at 14:30', '2026-02-01'), new Date('2026-02-01T00:00:00Z'), 1);
    expect(timed.at.toISOString()).toBe('2026-02-25T06:30:00.000Z');
    expect(parseCadence('每月25日 14:30')).toEqual({ ok: true, value: { kind: 'monthly', day: 25, minutesOfDay: 870 } });
  });
});

describe('time zones', () => {
  test('a run whose Shanghai date is a day ahead of its UTC date', () => {
    const s = spec('0 7 1 * *', '2026-05-01');
    const [june, july] = nextDueDates(s, new Date('2026-05-15T00:00:00Z'), 2);
    expect(june.date).toBe('2026-06-01');
    expect(june.at.toISOString()).toBe('2026-05-31T23:00:00.000Z');
    // 23:30Z on May 31 is already 07:30 on June 1 in Shanghai: June's run is behind us.
    expect(nextDueDates(s, new Date('2026-05-31T23:30:00Z'), 1)[0].date).toBe(july.date);
    expect(july.at.toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(localDateOf(new Date('2026-05-31T23:30:00Z'), SH)).toBe('2026-06-01');
  });

  test('the same cadence in another zone runs at that zone’s 09:00', () => {
    const [ny] = nextDueDates(spec('monthly on day 25', '2026-06-01', { timezone: 'America/New_York' }), new Date('2026-06-01T00:00:00Z'), 1);
    expect(ny.at.toISOString()).toBe('2026-06-25T13:00:00.000Z'); // EDT, UTC-4
  });

  test('daylight saving: a missing time moves forward, a repeated time takes the first', () => {
    expect(zonedInstant('2026-03-08', 150, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(zonedInstant('2026-11-01', 90, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(zonedInstant('2026-07-01', 540, SH).toISOString()).toBe('2026-07-01T01:00:00.000Z');
  });
});

describe('business days', () => {
  test('a holiday moves the run to the next business day, past a weekend if need be', () => {
    const golden = ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'];
    const s = spec('monthly on day 1', '2026-09-01', { holidays: golden });
    const runs = nextDueDates(s, new Date('2026-09-15T00:00:00Z'), 2);
    expect(runs.map((r) => r.date)).toEqual(['2026-10-08', '2026-11-02']);
    expect(runs[0].nominalDates).toEqual(['2026-10-01']);
  });

  test('monthly on day 31 uses the last day of shorter months', () => {
    const runs = nextDueDates(spec('monthly on day 31', '2026-01-01'), new Date('2026-01-01T00:00:00Z'), 4);
    expect(runs.map((r) => r.nominalDates[0])).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(runs.map((r) => r.date)).toEqual(['2026-02-02', '2026-03-02', '2026-03-31', '2026-04-30']);
    expect(nextDueDates(spec('monthly on day 30', '2028-02-01'), new Date('2028-02-01T00:00:00Z'), 1)[0].nominalDates).toEqual(['2028-02-29']);
  });
});

describe('limits', () => {
  test('end date: a cadence date on the end date still runs, even when it rolls past it', () => {
    const s = spec('monthly on day 25', '2026-01-01', { endDate: '2026-04-25' });
    expect(dates(s, '2026-01-01T00:00:00Z', 10)).toEqual(['2026-01-26', '2026-02-25', '2026-03-25', '2026-04-27']);
  });

  test('max runs counts cadence dates from the start, whatever the cursor', () => {
    const s = spec('every friday', '2026-11-23', { maxRuns: 2 });
    expect(dates(s, '2026-11-01T00:00:00Z', 10)).toEqual(['2026-11-27', '2026-12-04']);
    expect(nextDueDates(s, new Date(0), 10, { afterNominal: '2026-11-27' }).map((r) => r.date)).toEqual(['2026-12-04']);
    expect(nextDueDates(s, new Date('2026-12-05T00:00:00Z'), 10)).toEqual([]);
  });

  test('runs missed while down: all due runs after the cursor, oldest first', () => {
    const s = spec('daily', '2026-11-23');
    const missed = dueRunsUntil(s, new Date('2026-11-26T02:00:00Z'), '2026-11-23');
    expect(missed.map((r) => r.date)).toEqual(['2026-11-24', '2026-11-25', '2026-11-26']);
  });
});

describe('refusals', () => {
  const cases: [Parameters<typeof validateTiming>[0], string][] = [
    [{ cadence: 'sometimes', startDate: '2026-01-01' }, 'SCHEDULE.BAD_CADENCE'],
    [{ cadence: '', startDate: '2026-01-01' }, 'SCHEDULE.BAD_CADENCE'],
    [{ cadence: 'monthly on day 32', startDate: '2026-01-01' }, 'SCHEDULE.BAD_DAY'],
    [{ cadence: '每月0日', startDate: '2026-01-01' }, 'SCHEDULE.BAD_DAY'],
    [{ cadence: 'every 0 weeks', startDate: '2026-01-01' }, 'SCHEDULE.BAD_INTERVAL'],
    [{ cadence: 'daily at 25:00', startDate: '2026-01-01' }, 'SCHEDULE.BAD_TIME'],
    [{ cadence: '*/5 * * * *', startDate: '2026-01-01' }, 'SCHEDULE.CRON_TOO_FREQUENT'],
    [{ cadence: '0 9,17 * * *', startDate: '2026-01-01' }, 'SCHEDULE.CRON_TOO_FREQUENT'],
    [{ cadence: '0 9 32 * *', startDate: '2026-01-01' }, 'SCHEDULE.BAD_CADENCE'],
    [{ cadence: '0 9 * * FOO', startDate: '2026-01-01' }, 'SCHEDULE.BAD_CADENCE'],
    [{ cadence: 'daily', timezone: 'Mars/Olympus', startDate: '2026-01-01' }, 'SCHEDULE.BAD_TIMEZONE'],
    [{ cadence: 'daily', startDate: '2026-02-30' }, 'SCHEDULE.BAD_DATE'],
    [{ cadence: 'daily', startDate: '2026-01-01', endDate: '2025-12-31' }, 'SCHEDULE.END_BEFORE_START'],
    [{ cadence: 'daily', startDate: '2026-01-01', maxRuns: 0 }, 'SCHEDULE.BAD_MAX_RUNS'],
    [{ cadence: '0 9 30 2 *', startDate: '2026-01-01' }, 'SCHEDULE.NO_RUNS'],
    [{ cadence: 'monthly on day 25', startDate: '2026-01-01', endDate: '2026-01-20' }, 'SCHEDULE.NO_RUNS'],
  ];
  test.each(cases)('%j → %s', (input, code) => {
    expect(refusal(validateTiming(input))).toBe(code);
  });

  test('every refusal code has an English and a Chinese message', () => {
    for (const [, code] of cases) {
      expect(scheduleMessages.en[code]).toBeDefined();
      expect(scheduleMessages['zh-CN'][code]).toBeDefined();
    }
    expect(Object.keys(scheduleMessages['zh-CN']).sort()).toEqual(Object.keys(scheduleMessages.en).sort());
  });
});
