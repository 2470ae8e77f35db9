import { BusinessCalendar } from '../../src/domain/calendar/business-calendar';
import { nextDueDates, validateTiming } from '../../src/domain/schedule';
import { buildCalendar } from '../../src/services/calendar/calendar-store';
import { lastPublishedYear } from '../../src/services/calendar/cn-holiday-source';

const cn = buildCalendar('CN');
const runDates = (cadence: string, startDate: string, after: string, n: number, calendar = cn) => {
  const r = validateTiming({ cadence, startDate });
  if (!r.ok) throw new Error(r.code);
  return nextDueDates({ ...r.value, calendar }, new Date(after), n);
};

describe('CN calendar from the published data', () => {
  test('public holidays are days off and 调休 make-up Saturdays are working days', () => {
    expect(cn.day('2026-01-01')).toMatchObject({ business: false, kind: 'holiday', origin: 'published', provisional: false });
    expect(cn.day('2026-02-14')).toMatchObject({ business: true, kind: 'makeup_workday', origin: 'published' });
    expect(cn.day('2026-02-17')).toMatchObject({ business: false, name: 'Spring Festival,春节' });
    expect(cn.isBusinessDay('2026-02-13')).toBe(true); // a plain Friday
    expect(cn.isBusinessDay('2026-02-21')).toBe(false); // Saturday inside the break
    expect(cn.isBusinessDay('2026-10-07')).toBe(false); // National Day week
    expect(cn.isBusinessDay('2026-10-10')).toBe(true); // its make-up Saturday
  });

  test('the installed data ends with 2026, so 2027 is provisional', () => {
    expect(lastPublishedYear()).toBe(2026);
    expect(cn.isProvisionalYear(2026)).toBe(false);
    expect(cn.isProvisionalYear(2027)).toBe(true);
  });
});

describe('a year without published data falls back to the statutory holidays', () => {
  test('2027: 元旦, 春节 (除夕 to 初三), 清明, 劳动节, 端午, 中秋, 国庆, no make-up days', () => {
    const off = cn.specialDays(2027).filter((d) => !d.business);
    expect(off.every((d) => d.origin === 'statutory' && d.provisional)).toBe(true);
    expect(off.map((d) => d.date)).toEqual([
      '2027-01-01',
      '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', // lunar new year is 2027-02-06
      '2027-04-05',
      '2027-05-01', '2027-05-02',
      '2027-06-09', // 五月初五
      '2027-09-15', // 八月十五
      '2027-10-01', '2027-10-02', '2027-10-03',
    ]);
    expect(cn.specialDays(2027).some((d) => d.business)).toBe(false);
    // The data package itself would call 2027-01-01 a workday; paydesk does not.
    expect(cn.isBusinessDay('2027-01-01')).toBe(false);
  });
});

describe('company overrides', () => {
  test('a company holiday and a company working day win over the published data, per calendar', () => {
    const cal = new BusinessCalendar('CN', undefined, [
      { calendar: 'CN', date: '2026-03-02', kind: 'holiday', name: 'Founders day' },
      { calendar: 'weekends', date: '2026-03-03', kind: 'holiday', name: 'other calendar' },
    ]);
    expect(cal.isBusinessDay('2026-03-02')).toBe(false);
    expect(cal.isBusinessDay('2026-03-03')).toBe(true);
    const withWork = buildCalendar('CN', [{ calendar: 'CN', date: '2026-10-08', kind: 'workday', name: 'Quarter close' }]);
    expect(withWork.day('2026-10-08')).toMatchObject({ business: true, origin: 'company' });
  });

  test('the weekends calendar knows no public holidays', () => {
    const weekends = buildCalendar('weekends');
    expect(weekends.isBusinessDay('2026-10-01')).toBe(true);
    expect(weekends.isBusinessDay('2026-02-14')).toBe(false);
  });
});

describe('schedules on the CN calendar (the issue\'s examples)', () => {
  test('every business day skips 2027-01-01 and marks 2027 runs provisional', () => {
    const runs = runDates('every business day', '2026-12-28', '2026-12-28T00:00:00Z', 5);
    expect(runs.map((r) => r.date)).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-04']);
    // Skipped, not rolled: one payment per business day, never a catch-up.
    expect(runs.every((r) => r.nominalDates.length === 1 && r.nominalDates[0] === r.date)).toBe(true);
    expect(runs.map((r) => Boolean(r.provisional))).toEqual([false, false, false, false, true]);
  });

  test('monthly on day 14 from 2026-01 pays on the make-up Saturday 2026-02-14 and skips the Spring Festival', () => {
    const runs = runDates('monthly on day 14', '2026-01-01', '2026-01-01T00:00:00Z', 3);
    expect(runs.map((r) => r.date)).toEqual(['2026-01-14', '2026-02-14', '2026-03-16']);
    const rent = runDates('monthly on day 16', '2026-02-01', '2026-02-01T00:00:00Z', 1);
    expect(rent[0]).toMatchObject({ date: '2026-02-24', nominalDates: ['2026-02-16'] });
  });

  test('0 9 * * 1-5 does not pay on New Year\'s Day 2027 (a Friday)', () => {
    const runs = runDates('0 9 * * 1-5', '2026-12-30', '2026-12-30T00:00:00Z', 4);
    expect(runs.map((r) => r.date)).toEqual(['2026-12-30', '2026-12-31', '2027-01-04', '2027-01-04']);
    // The cron names Friday the 1st, so that run is paid on Monday, beside Monday's own.
    expect(runs.slice(2).map((r) => r.nominalDates)).toEqual([['2027-01-01'], ['2027-01-04']]);
  });
});
