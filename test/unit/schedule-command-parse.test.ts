import { formatWaited } from '../../commands/notifications/approval-reminders';
import { parseHolidayArgs, parseScheduleCommand } from '../../commands/schedules/parse-schedule-command';
import { describeCadence } from '../../commands/schedules/schedule-card.view';
import { scheduleCommandMessages } from '../../commands/schedules/schedule-command.messages';
import type { NewScheduleCommand, ScheduleCommand, ScheduleParseResult } from '../../commands/schedules/schedule-command.types';
import { hasMessage } from '../../src/domain/i18n';

const parsed = (args: string): ScheduleCommand => {
  const r = parseScheduleCommand(args);
  if (!r.ok) throw new Error(`refused ${r.code} ${JSON.stringify(r.params ?? {})}`);
  return r.command;
};
const created = (args: string): NewScheduleCommand => {
  const c = parsed(args);
  if (c.kind !== 'new') throw new Error(`expected new, got ${c.kind}`);
  return c;
};
const refusal = (r: ScheduleParseResult) => {
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r.command, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`);
  return r;
};

describe('/pay schedule new: cadence forms', () => {
  test.each([
    ['new 50,000 to acme for office rent every monthly on day 25', 'monthly on day 25'],
    ['new 50,000 to acme for office rent monthly on day 25', 'monthly on day 25'],
    ['new 800 to acme for cleaning every friday', 'every friday'],
    ['new 800 to acme for payroll every 2 weeks', 'every 2 weeks'],
    ['new 800 to acme for lunch every daily', 'daily'],
    ['new 800 to acme for lunch daily', 'daily'],
    ['new 800 to acme for lunch every day', 'every day'],
    ['new 800 to acme for stand-up weekly on monday', 'weekly on monday'],
    ['new 800 to acme for stand-up every weekly on monday', 'weekly on monday'],
    ['new 800 to acme for rent every "0 9 25 * *"', '0 9 25 * *'],
    ['new 800 to acme for rent every 0 9 25 * *', '0 9 25 * *'],
    ['new 800 to acme for rent every monthly on day 25 at 10:30', 'monthly on day 25 at 10:30'],
    ['新建 5000元 给 阿克米 用途 房租 每月25日', '每月25日'],
    ['新建 5000元 给 阿克米 用途 保洁 每周五', '每周五'],
    ['新建 5000元 给 阿克米 用途 房租 每月25日 10:30', '每月25日 10:30'],
    ['新建 5000元 给 阿克米 用途 房租 周期 每月25日', '每月25日'],
    ['新建 5000元 给 阿克米 用途 工资 每2周', '每2周'],
  ])('%s → cadence %s', (args, cadence) => {
    expect(created(args).cadence).toBe(cadence);
  });

  test('every clause, with all the optional ones, English', () => {
    expect(created('new 50,000 CNY to acme for office rent every monthly on day 25 from cmb starting 2026-12-01 until 2027-11-30')).toEqual({
      kind: 'new',
      amount: { text: '50,000 CNY', money: { minor: 5_000_000n, currency: 'CNY' } },
      payee: 'acme',
      purpose: 'office rent',
      cadence: 'monthly on day 25',
      account: 'cmb',
      startDate: '2026-12-01',
      endDate: '2027-11-30',
    });
    const c = created('create 1,200 to acme for fees every friday times 12 tz Asia/Tokyo');
    expect(c).toMatchObject({ amount: { text: '1,200' }, maxRuns: 12, timezone: 'Asia/Tokyo', cadence: 'every friday' });
    expect(c.amount.money).toBeUndefined(); // the account's currency decides later
    expect(created('new 1,200 to acme for fees every friday 6 times').maxRuns).toBe(6);
  });

  test('every clause, Chinese keywords and counts', () => {
    expect(created('新建 5000元 给 阿克米 用途 房租 每月25日 从 招行 开始 2026-12-01 截止 2027-12-31')).toMatchObject({
      amount: { money: { minor: 500_000n, currency: 'CNY' } },
      payee: '阿克米', purpose: '房租', cadence: '每月25日', account: '招行', startDate: '2026-12-01', endDate: '2027-12-31',
    });
    expect(created('新建 5000元 给 阿克米 用途 房租 每月25日 共12次').maxRuns).toBe(12);
    expect(created('新建 5000元 给 阿克米 用途 房租 每月25日 共 12 次').maxRuns).toBe(12);
    expect(created('新建 5000元 给 阿克米 用途 房租 每月25日 12次').maxRuns).toBe(12);
    expect(created('新建 5000元 给 阿克米 用途 房租 每月25日 次数 3').maxRuns).toBe(3);
  });

  test('clause words inside the purpose stay text', () => {
    // "every" and "from" count at their last appearance, so the purpose may use them.
    expect(created('new 800 to acme for transfer to bank every month every friday')).toMatchObject({
      payee: 'acme', purpose: 'transfer to bank every month', cadence: 'every friday',
    });
    expect(created('new 800 to acme for refund from march every friday from cmb')).toMatchObject({ purpose: 'refund from march', account: 'cmb' });
    // "until", "times" and "in" only open a clause with a date, a count or a zone after them.
    expect(created('new 800 to acme for paid until done in full every friday')).toMatchObject({ purpose: 'paid until done in full' });
    expect(created('new 800 to acme for weekly rent every monthly on day 1')).toMatchObject({ purpose: 'weekly rent', cadence: 'monthly on day 1' });
    // Quoting keeps anything literal.
    const q = created('new 800 to acme for "rent from landlord" every friday');
    expect(q).toMatchObject({ purpose: 'rent from landlord' });
    expect(q.account).toBeUndefined();
  });

  test.each([
    ['new', 'COMMAND.MISSING_AMOUNT'],
    ['new to acme for rent every friday', 'COMMAND.MISSING_AMOUNT'],
    ['new 800 acme for rent every friday', 'COMMAND.MISSING_PAYEE'],
    ['new 800 to acme every friday', 'COMMAND.MISSING_PURPOSE'],
    ['new 800 to acme for rent', 'SCHEDULE_CMD.MISSING_CADENCE'],
    ['new 800 to acme for rent every', 'SCHEDULE_CMD.MISSING_CADENCE'],
    ['new 800 to acme for rent every sometimes', 'SCHEDULE.BAD_CADENCE'],
    ['new 800 to acme for rent every friday urgently', 'SCHEDULE.BAD_CADENCE'],
    ['new 800 to acme for rent every monthly on day 32', 'SCHEDULE.BAD_DAY'],
    ['新建 800 给 阿克米 用途 房租 每月32日', 'SCHEDULE.BAD_DAY'],
    ['new 800 to acme for rent every "*/5 * * * *"', 'SCHEDULE.CRON_TOO_FREQUENT'],
    ['new 800 to acme for rent every monthly on day 25 at 25:00', 'SCHEDULE.BAD_TIME'],
    ['new 800 to acme for rent every friday until 2026-02-30', 'SCHEDULE.BAD_DATE'],
    ['new 800 to acme for rent every friday starting 2026/12/1', 'SCHEDULE.BAD_DATE'],
    ['new 800 to acme for rent every friday times 0', 'SCHEDULE.BAD_MAX_RUNS'],
    ['new 800 to acme for rent every friday times 10001', 'SCHEDULE.BAD_MAX_RUNS'],
    ['new 800 to acme for rent every friday from', 'COMMAND.MISSING_ACCOUNT'],
    ['new -800 to acme for rent every friday', 'MONEY.NEGATIVE'],
    ['new 0 to acme for rent every friday', 'MONEY.ZERO'],
    [`new 800 to acme for ${'x'.repeat(141)} every friday`, 'PAYMENT.PURPOSE_TOO_LONG'],
  ])('%s → %s with the usage of new', (args, code) => {
    const r = refusal(parseScheduleCommand(args));
    expect(r).toMatchObject({ code, usage: 'new' });
  });

  test('refusals echo what was typed', () => {
    expect(refusal(parseScheduleCommand('new 800 to acme for rent every sometimes')).params).toEqual({ cadence: 'sometimes' });
    expect(refusal(parseScheduleCommand('new 800 to acme for rent every monthly on day 32')).params).toEqual({ day: '32' });
    expect(refusal(parseScheduleCommand('new 800 to acme for rent every friday until 2026-02-30')).params).toEqual({ date: '2026-02-30' });
  });
});

describe('/pay schedule: other sub-commands', () => {
  test('list filters, English and Chinese', () => {
    expect(parsed('list')).toEqual({ kind: 'list', filter: 'live' });
    expect(parsed('ls mine')).toEqual({ kind: 'list', filter: 'mine' });
    expect(parsed('list all')).toEqual({ kind: 'list', filter: 'all' });
    expect(parsed('list pending')).toEqual({ kind: 'list', filter: 'pending_approval' });
    expect(parsed('list Paused')).toEqual({ kind: 'list', filter: 'paused' });
    expect(parsed('列表 已暂停')).toEqual({ kind: 'list', filter: 'paused' });
    expect(parsed('列表 我的')).toEqual({ kind: 'list', filter: 'mine' });
    expect(refusal(parseScheduleCommand('list someday'))).toMatchObject({ code: 'SCHEDULE_CMD.UNKNOWN_FILTER', params: { filter: 'someday' }, usage: 'list' });
  });

  test('references are normalised to the stored form', () => {
    expect(parsed('show sch-12')).toEqual({ kind: 'show', reference: 'SCH-000012' });
    expect(parsed('查看 SCH-000003')).toEqual({ kind: 'show', reference: 'SCH-000003' });
    expect(parsed('pause SCH7')).toEqual({ kind: 'pause', reference: 'SCH-000007' });
    expect(parsed('恢复 SCH-000007')).toEqual({ kind: 'resume', reference: 'SCH-000007' });
    expect(parsed('approve SCH-000007')).toEqual({ kind: 'approve', reference: 'SCH-000007' });
    expect(parsed('批准 SCH-000007')).toEqual({ kind: 'approve', reference: 'SCH-000007' });
  });

  test('cancel takes an optional reason, reject requires one', () => {
    expect(parsed('cancel SCH-1')).toEqual({ kind: 'cancel', reference: 'SCH-000001' });
    expect(parsed('取消 SCH-1 合同到期')).toEqual({ kind: 'cancel', reference: 'SCH-000001', reason: '合同到期' });
    expect(parsed('reject SCH-1 wrong amount')).toEqual({ kind: 'reject', reference: 'SCH-000001', reason: 'wrong amount' });
    expect(parsed('驳回 SCH-1 金额有误')).toEqual({ kind: 'reject', reference: 'SCH-000001', reason: '金额有误' });
    expect(refusal(parseScheduleCommand('reject SCH-1'))).toMatchObject({ code: 'SCHEDULE_CMD.MISSING_REASON', usage: 'reject' });
    expect(refusal(parseScheduleCommand(`reject SCH-1 ${'x'.repeat(501)}`))).toMatchObject({ code: 'COMMAND.REASON_TOO_LONG' });
  });

  test.each([
    ['pause', 'SCHEDULE_CMD.MISSING_REF', 'pause'],
    ['show PAY-2026-000001', 'SCHEDULE_CMD.BAD_REF', 'show'],
    ['cancel 12', 'SCHEDULE_CMD.BAD_REF', 'cancel'],
    ['show SCH-1 now', 'COMMAND.TOO_MANY_ARGS', 'show'],
    ['frobnicate SCH-1', 'SCHEDULE_CMD.UNKNOWN_SUBCOMMAND', 'schedule'],
  ])('%s → %s', (args, code, usage) => {
    expect(refusal(parseScheduleCommand(args))).toMatchObject({ code, usage });
  });

  test('no words, help and 帮助 show the schedule help', () => {
    for (const args of ['', '   ', 'help', '帮助']) expect(parsed(args)).toEqual({ kind: 'help' });
  });

  test('holidays: list, add, remove, in both languages and standalone', () => {
    expect(parsed('holidays')).toEqual({ kind: 'holidays', action: 'list' });
    expect(parsed('holidays add 2026-10-01 National Day')).toEqual({ kind: 'holidays', action: 'add', date: '2026-10-01', name: 'National Day' });
    expect(parsed('节假日 添加 2026-10-01 国庆节')).toEqual({ kind: 'holidays', action: 'add', date: '2026-10-01', name: '国庆节' });
    expect(parsed('holidays remove 2026-10-01')).toEqual({ kind: 'holidays', action: 'remove', date: '2026-10-01' });
    const standalone = parseHolidayArgs('删除 2026-10-01');
    expect(standalone).toEqual({ ok: true, command: { kind: 'holidays', action: 'remove', date: '2026-10-01' } });
    expect(parseHolidayArgs('')).toEqual({ ok: true, command: { kind: 'holidays', action: 'list' } });
  });

  test.each([
    ['add', 'SCHEDULE_CMD.MISSING_DATE'],
    ['add 2026-10-01', 'SCHEDULE.HOLIDAY_NAME_REQUIRED'],
    ['add 2026-13-01 Nonsense', 'SCHEDULE.BAD_DATE'],
    ['remove 01/10/2026', 'SCHEDULE.BAD_DATE'],
    ['remove 2026-10-01 extra', 'COMMAND.TOO_MANY_ARGS'],
    ['move 2026-10-01', 'SCHEDULE_CMD.UNKNOWN_HOLIDAY_ACTION'],
  ])('holidays %s → %s', (args, code) => {
    expect(refusal(parseHolidayArgs(args))).toMatchObject({ code, usage: 'holidays' });
  });
});

describe('words', () => {
  test('both languages define every schedule command message', () => {
    const en = Object.keys(scheduleCommandMessages.en).sort();
    expect(Object.keys(scheduleCommandMessages['zh-CN']).sort()).toEqual(en);
    // Codes the parser can produce that live in other catalogs are registered too.
    for (const code of ['SCHEDULE.BAD_CADENCE', 'SCHEDULE.BAD_MAX_RUNS', 'COMMAND.MISSING_PAYEE', 'MONEY.ZERO', 'USAGE.LABEL'])
      for (const locale of ['en', 'zh-CN'] as const) expect(hasMessage(locale, code)).toBe(true);
  });

  test('cadences are described in the reader’s language', () => {
    // 2026-11-30 is a Monday: "every 2 weeks" pays on the start date's weekday.
    const cases: [string, string, string][] = [
      ['monthly on day 25', 'Monthly on day 25 at 09:00', '每月25日 09:00'],
      ['每月31日', 'Monthly on the last day at 09:00', '每月最后一天 09:00'],
      ['every friday at 10:30', 'Every Friday at 10:30', '每周五 10:30'],
      ['every 2 weeks', 'Every 2 weeks on Monday at 09:00', '每 2 周（周一）09:00'],
      ['每天', 'Every day at 09:00', '每天 09:00'],
      ['0 8 1 * *', 'cron 0 8 1 * * (08:00)', 'cron 0 8 1 * *（08:00）'],
    ];
    for (const [cadence, en, zh] of cases) {
      expect(describeCadence(cadence, '2026-11-30', 'en')).toBe(en);
      expect(describeCadence(cadence, '2026-11-30', 'zh-CN')).toBe(zh);
    }
  });

  test('waiting times read naturally, to the minute, at most two units', () => {
    expect(formatWaited(4 * 3600_000, 'en')).toBe('4 h');
    expect(formatWaited(26 * 3600_000 + 5 * 60_000, 'en')).toBe('1 d 2 h');
    expect(formatWaited(90 * 60_000, 'zh-CN')).toBe('1 小时 30 分钟');
    expect(formatWaited(30_000, 'en')).toBe('0 min');
  });
});

describe('business days, combine and the calendar commands', () => {
  test('every business day / 每个工作日 is its own cadence; a trailing combine (合并) is a flag', () => {
    expect(created('new ¥1,000 to acme for cleaning from cmb every business day')).toMatchObject({ cadence: 'every business day', account: 'cmb' });
    expect(created('新建 1000 给 acme 用途 保洁 每个工作日')).toMatchObject({ cadence: '每个工作日' });
    expect(created('new 800 to acme for rent every monday combine')).toMatchObject({ cadence: 'every monday', combine: true });
    expect(created('新建 800 给 acme 用途 房租 每周一 合并')).toMatchObject({ cadence: '每周一', combine: true });
    expect(created('new 800 to acme for rent every monday')).not.toHaveProperty('combine');
  });

  test('/pay holidays YEAR, workday and remove', () => {
    expect(parseHolidayArgs('2027')).toEqual({ ok: true, command: { kind: 'holidays', action: 'list', year: 2027 } });
    expect(parseHolidayArgs('workday 2027-01-30 Spring Festival make-up')).toEqual({
      ok: true, command: { kind: 'holidays', action: 'workday', date: '2027-01-30', name: 'Spring Festival make-up' },
    });
    expect(parseHolidayArgs('补班 2027-01-30 春节调休')).toMatchObject({ ok: true, command: { action: 'workday', name: '春节调休' } });
    expect(parseHolidayArgs('1999')).toMatchObject({ ok: false, code: 'SCHEDULE_CMD.BAD_YEAR' });
  });
});
