import fc from 'fast-check';
import { commandMessages } from '../../commands/command.messages';
import { parseCommand } from '../../commands/parse/parse-command';
import { cardMessages } from '../../commands/views/card.messages';
import { hasMessage } from '../../src/domain/i18n';

const REF = 'PAY-2026-000123';
const ok = (text: string) => {
  const r = parseCommand(text);
  if (!r.ok) throw new Error(`${text} → ${r.code}`);
  return r.command;
};

describe('parses English commands', () => {
  test.each<[string, object]>([
    ['/pay new ¥5,000 to acme for invoice 7', { kind: 'new', amount: { text: '¥5,000', money: { minor: 500000n, currency: 'CNY' } }, payee: 'acme', purpose: 'invoice 7' }],
    ['/pay new 5000 CNY to Acme Ltd for goods from cmb on 2026-12-01', { payee: 'Acme Ltd', purpose: 'goods', account: 'cmb', executionDate: '2026-12-01', amount: { text: '5000 CNY', money: { minor: 500000n, currency: 'CNY' } } }],
    ['/pay new USD 12.50 to acme for fees', { amount: { text: 'USD 12.50', money: { minor: 1250n, currency: 'USD' } } }],
    // No currency typed: the text waits for the account's currency.
    ['/pay new 1.2万 to acme for x', { amount: { text: '1.2万' } }],
    ['/pay new 5000 to acme for "refund from March"', { purpose: 'refund from March' }],
    ['/pay new 5000 to acme for transfer to supplier', { payee: 'acme', purpose: 'transfer to supplier' }],
    ['/pay new 5000 for goods to acme', { payee: 'acme', purpose: 'goods' }],
    ['/pay new 5000 to acme for goods on time', { purpose: 'goods on time' }],
    ['/pay new 5000 to acme from cmb for goods', { account: 'cmb', purpose: 'goods' }],
    ['/PAY NEW 5000 TO acme FOR x', { kind: 'new', payee: 'acme' }],
    ['pay new 5000 to acme for x', { kind: 'new' }],
    ['/pay create 5000 to acme for x', { kind: 'new' }],
    ['/pay show pay-2026-000123', { kind: 'show', reference: REF }],
    ['/pay view PAY-2026-000123', { kind: 'show', reference: REF }],
    ['/pay list', { kind: 'list', words: [], page: 1 }],
    ['/pay list pending', { words: ['pending_approval'], page: 1 }],
    ['/pay list mine page 3', { words: ['mine'], page: 3 }],
    ['/pay list today', { words: ['today'] }],
    ['/pay list approved', { words: ['approved'] }],
    ['/pay list Sent to bank', { words: ['submitted'] }],
    ['/pay list pending p 2', { words: ['pending_approval'], page: 2 }],
    ['/pay list page 4', { words: [], page: 4 }],
    [`/pay approve ${REF}`, { kind: 'approve', reference: REF }],
    [`/pay reject ${REF} wrong invoice`, { kind: 'reject', reference: REF, reason: 'wrong invoice' }],
    [`/pay cancel ${REF.toLowerCase()}`, { kind: 'cancel', reference: REF }],
    ['/balance', { kind: 'balance' }],
    ['/balance usd', { kind: 'balance', filter: 'usd' }],
    ['/balance Bank of China', { kind: 'balance', filter: 'Bank of China' }],
    ['/pay balance cmb', { kind: 'balance', filter: 'cmb' }],
    ['/pay help', { kind: 'help' }],
    ['/pay', { kind: 'help' }],
    ['/help', { kind: 'help' }],
    [`/pay 批准 ${REF}`, { kind: 'approve', reference: REF }],
    [`/pay 驳回 ${REF} 重复付款`, { kind: 'reject', reason: '重复付款' }],
  ])('%s', (text, expected) => {
    expect(ok(text)).toMatchObject(expected);
  });
});

describe('parses Chinese commands', () => {
  test.each<[string, object]>([
    ['/付款 新建 5000元 给 阿克米 用途 货款 从 招行', { kind: 'new', amount: { text: '5000元', money: { minor: 500000n, currency: 'CNY' } }, payee: '阿克米', purpose: '货款', account: '招行' }],
    ['/付款 新建 1.2万 给 阿克米 用途 货款 日期 2026-12-01', { amount: { text: '1.2万' }, executionDate: '2026-12-01' }],
    ['/付款 创建 ￥3,000 付给 阿克米 用于 “二月 房租”', { amount: { money: { minor: 300000n, currency: 'CNY' } }, purpose: '二月 房租' }],
    [`/付款 查看 ${REF}`, { kind: 'show', reference: REF }],
    ['/付款 列表 待审批', { kind: 'list', words: ['pending_approval'], page: 1 }],
    ['/付款 列表 我的 第2页', { words: ['mine'], page: 2 }],
    ['/付款 列表 已驳回', { words: ['rejected'] }],
    ['/付款 列表 今天 页 3', { words: ['today'], page: 3 }],
    [`/付款 批准 ${REF}`, { kind: 'approve', reference: REF }],
    [`/付款 驳回 ${REF} 发票 重复`, { kind: 'reject', reason: '发票 重复' }],
    [`/付款 撤销 ${REF}`, { kind: 'cancel', reference: REF }],
    ['/付款 帮助', { kind: 'help' }],
    ['/付款', { kind: 'help' }],
    ['/余额', { kind: 'balance' }],
    ['/余额 招行', { kind: 'balance', filter: '招行' }],
    ['／付款　列表　待审批', { kind: 'list', words: ['pending_approval'] }],
  ])('%s', (text, expected) => {
    expect(ok(text)).toMatchObject(expected);
  });
});

// Rows without params get `{}`: jest would otherwise pass its `done` callback in that slot.
// Long inputs are shortened in the test name only.
const refusals = (rows: [string, string, string, object?][]) =>
  rows.map(([text, code, usage, params]): [string, string, string, string, object] => [
    text.length > 50 ? `${text.slice(0, 47)}…` : text, text, code, usage, params ?? {},
  ]);

describe('refuses with a stable code and the usage line of the command attempted', () => {
  test.each(refusals([
    ['', 'COMMAND.UNKNOWN_COMMAND', 'pay'],
    ['/foo bar', 'COMMAND.UNKNOWN_COMMAND', 'pay', { command: '/foo' }],
    ['/pay frobnicate', 'COMMAND.UNKNOWN_SUBCOMMAND', 'pay', { word: 'frobnicate' }],
    ['/pay "new" 5 to a for b', 'COMMAND.UNKNOWN_SUBCOMMAND', 'pay'],
    ['/pay new', 'COMMAND.MISSING_AMOUNT', 'new'],
    ['/pay new to acme for x', 'COMMAND.MISSING_AMOUNT', 'new'],
    ['/pay new 500 acme for x', 'COMMAND.MISSING_PAYEE', 'new'],
    ['/pay new 500 to for x', 'COMMAND.MISSING_PAYEE', 'new'],
    ['/pay new 500 to acme', 'COMMAND.MISSING_PURPOSE', 'new'],
    ['/pay new 500 to acme for', 'COMMAND.MISSING_PURPOSE', 'new'],
    ['/pay new 500 to acme for x from', 'COMMAND.MISSING_ACCOUNT', 'new'],
    ['/pay new 500 to acme for x on 2026-02-30', 'COMMAND.BAD_DATE', 'new', { date: '2026-02-30' }],
    ['/pay new 500 to acme for x on 2026/12/01', 'COMMAND.BAD_DATE', 'new'],
    ['/pay new abc to acme for x', 'MONEY.INVALID_FORMAT', 'new'],
    ['/pay new -5 to acme for x', 'MONEY.NEGATIVE', 'new'],
    ['/pay new 0 to acme for x', 'MONEY.ZERO', 'new'],
    ['/pay new 1.234,56 to acme for x', 'MONEY.AMBIGUOUS_SEPARATORS', 'new'],
    ['/pay new 5 XYZ to acme for x', 'MONEY.UNKNOWN_CURRENCY', 'new'],
    ['/pay new 1.234 CNY to acme for x', 'MONEY.TOO_MANY_DECIMALS', 'new'],
    ['/pay new EUR 5 USD to acme for x', 'MONEY.CURRENCY_CONFLICT', 'new'],
    [`/pay new 5 to acme for ${'x'.repeat(141)}`, 'PAYMENT.PURPOSE_TOO_LONG', 'new', { max: 140 }],
    [`/pay new 5 to ${'a'.repeat(101)} for x`, 'COMMAND.NAME_TOO_LONG', 'new'],
    ['/pay show', 'COMMAND.MISSING_REF', 'show'],
    ['/pay show 123', 'COMMAND.BAD_REF', 'show', { ref: '123' }],
    [`/pay show ${REF} extra words`, 'COMMAND.TOO_MANY_ARGS', 'show', { extra: 'extra words' }],
    ['/pay approve', 'COMMAND.MISSING_REF', 'approve'],
    ['/付款 批准 PAY-26-1', 'COMMAND.BAD_REF', 'approve'],
    ['/pay cancel', 'COMMAND.MISSING_REF', 'cancel'],
    ['/pay reject', 'COMMAND.MISSING_REF', 'reject'],
    [`/pay reject ${REF}`, 'COMMAND.MISSING_REASON', 'reject'],
    [`/付款 驳回 ${REF}`, 'COMMAND.MISSING_REASON', 'reject'],
    [`/pay reject ${REF} ${'r'.repeat(501)}`, 'COMMAND.REASON_TOO_LONG', 'reject'],
    ['/pay list page x', 'COMMAND.BAD_PAGE', 'list', { page: 'x' }],
    ['/pay list page 0', 'COMMAND.BAD_PAGE', 'list'],
    ['/付款 列表 第零页', 'COMMAND.BAD_PAGE', 'list'],
    [`/balance ${'b'.repeat(101)}`, 'COMMAND.NAME_TOO_LONG', 'balance'],
    [`/pay new 5 to a for ${'x'.repeat(1000)}`, 'COMMAND.TOO_LONG', 'pay'],
  ]))('%s', (_name, text, code, usage, params) => {
    const r = parseCommand(text);
    expect(r).toMatchObject({ ok: false, code, usage });
    expect((!r.ok && r.params) || {}).toMatchObject(params);
  });
});

test('every code the parser can answer with reads in English and Chinese', () => {
  const codes = new Set<string>();
  const probe = ['', '/foo', '/pay x', '/pay new', '/pay new 1 a', '/pay new 1 to a', '/pay new 1 to a for b from', '/pay new 1 to a for b on 2026-13-01',
    '/pay show', '/pay show x', '/pay show PAY-2026-000001 y', '/pay reject PAY-2026-000001', '/pay list z', '/pay list page q', 'x'.repeat(2000),
    `/pay new 5 to ${'a'.repeat(101)} for x`, `/pay reject PAY-2026-000001 ${'r'.repeat(501)}`];
  for (const text of probe) {
    const r = parseCommand(text);
    if (!r.ok) codes.add(r.code);
  }
  expect(codes.size).toBeGreaterThanOrEqual(14);
  for (const code of codes) {
    expect([code, hasMessage('en', code), hasMessage('zh-CN', code)]).toEqual([code, true, true]);
  }
});

test('both catalogs have the same keys in both languages', () => {
  for (const catalog of [commandMessages, cardMessages]) {
    expect(Object.keys(catalog['zh-CN']).sort()).toEqual(Object.keys(catalog.en).sort());
  }
});

test('never throws, whatever is typed', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), fc.constantFrom('/pay ', '/pay new ', '/付款 新建 ', '/pay list ', '/balance ', ''), (s, prefix) => {
      const r = parseCommand(prefix + s);
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) expect(r.code).toMatch(/^(COMMAND|MONEY|PAYMENT)\.[A-Z_]+$/);
    }),
    { numRuns: 500 },
  );
});
