import { LIMITS, checkBlocks } from '../../adapters/slack/block-kit-limits';
import { newPaymentModal, quote, readSubmission, readValues, todayIn } from '../../adapters/slack/payment-modal';
import { readReason, rejectModal } from '../../adapters/slack/reject-modal';
import { parseCommand } from '../../commands/parse/parse-command';

const accounts = [
  { code: 'cmb-cny', name: 'CMB CNY', currency: 'CNY' },
  { code: 'hsbc-usd', name: 'HSBC USD', currency: 'USD' },
];
const payees = [{ code: 'acme', name: 'Acme' }];
const today = '2026-11-28';

/** Slack's view.state.values for the fields given. */
function state(v: Partial<Record<'account' | 'payee' | 'amount' | 'currency' | 'purpose' | 'date', string>>) {
  const sel = (x?: string) => ({ value: { type: 'static_select', selected_option: x ? { value: x } : null } });
  return {
    account: sel(v.account),
    payee: sel(v.payee),
    amount: { value: { type: 'plain_text_input', value: v.amount ?? null } },
    currency: sel(v.currency),
    purpose: { value: { type: 'plain_text_input', value: v.purpose ?? null } },
    date: { value: { type: 'datepicker', selected_date: v.date ?? null } },
  };
}
const submit = (v: Parameters<typeof state>[0], locale: 'en' | 'zh-CN' = 'en') =>
  readSubmission({ values: readValues(state(v)), accounts, locale, today });

test('the new-payment modal offers the directory and fits Slack limits', () => {
  const view = newPaymentModal({ locale: 'zh-CN', accounts, payees, meta: { responseUrl: 'https://hooks.slack.com/x', channel: 'C1' } });
  expect(view.callback_id).toBe('payment.new');
  expect(view.title.text).toBe('新建付款');
  expect(JSON.parse(view.private_metadata)).toEqual({ responseUrl: 'https://hooks.slack.com/x', channel: 'C1' });
  expect(view.blocks.map((b: any) => b.block_id)).toEqual(['account', 'payee', 'amount', 'currency', 'purpose', 'date']);
  expect(view.blocks[0].element.options.map((o: any) => o.value)).toEqual(['cmb-cny', 'hsbc-usd']);
  expect(view.blocks[1].element.initial_option).toEqual({ text: { type: 'plain_text', text: 'Acme', emoji: true }, value: 'acme' });
  expect(view.blocks[3].element.initial_option).toBeUndefined(); // two currencies: no silent default
  expect(checkBlocks(view.blocks, LIMITS.blocksPerModal)).toEqual([]);

  const many = Array.from({ length: 150 }, (_, i) => ({ code: `p${i}`, name: `Payee ${'x'.repeat(100)} ${i}` }));
  const big = newPaymentModal({ locale: 'en', accounts, payees: many, meta: {} });
  expect(checkBlocks(big.blocks, LIMITS.blocksPerModal)).toEqual([]);
});

test('a valid submission becomes a /pay new command the command parser reads back exactly', () => {
  const r = submit({ account: 'cmb-cny', payee: 'acme', amount: '1.2万', currency: 'CNY', purpose: 'Invoice 7 for "to" and from', date: '2026-12-01' });
  expect(r).toEqual({ ok: true, text: '/pay new CNY 12000.00 to "acme" for 「Invoice 7 for "to" and from」 from "cmb-cny" on 2026-12-01' });
  const parsed = parseCommand((r as { text: string }).text);
  expect(parsed).toMatchObject({
    ok: true,
    command: {
      kind: 'new', payee: 'acme', account: 'cmb-cny', purpose: 'Invoice 7 for "to" and from', executionDate: '2026-12-01',
      amount: { money: { minor: 1_200_000n, currency: 'CNY' } },
    },
  });
});

test('each invalid field gets its own error, in the user language', () => {
  expect(submit({})).toEqual({
    ok: false,
    errors: { account: 'Required.', payee: 'Required.', currency: 'Required.', amount: 'Required.', purpose: 'Required.' },
  });
  const r = submit({ account: 'hsbc-usd', payee: 'acme', amount: '-5', currency: 'CNY', purpose: 'x'.repeat(141), date: '2026-11-27' });
  expect(r).toEqual({
    ok: false,
    errors: {
      currency: 'This account holds USD.',
      amount: 'Payment amounts must be positive; enter the amount without a minus sign.',
      purpose: 'The purpose can be at most 140 characters (the bank file limit).',
      date: 'The date cannot be in the past.',
    },
  });
  const zh = submit({ account: 'cmb-cny', payee: 'acme', amount: 'USD 5', currency: 'CNY', purpose: '货款' }, 'zh-CN');
  expect(zh).toEqual({ ok: false, errors: { amount: '金额中同时出现了两种币种（USD 和 CNY），请只保留一种。' } });
  expect(submit({ account: 'cmb-cny', payee: 'acme', amount: '1.234', currency: 'CNY', purpose: 'p' })).toEqual({
    ok: false,
    errors: { amount: 'CNY amounts have at most 2 decimal places.' },
  });
});

test('quoting picks a pair the text does not contain', () => {
  expect(quote('plain')).toBe('"plain"');
  expect(quote('say "hi"')).toBe('「say "hi"」');
  expect(quote('"a" 「b」')).toBe('“"a" 「b」”');
});

test('today follows the company time zone', () => {
  const lateUtc = new Date('2026-11-28T20:00:00Z');
  expect(todayIn('UTC', lateUtc)).toBe('2026-11-28');
  expect(todayIn('Asia/Shanghai', lateUtc)).toBe('2026-11-29');
});

test('the reject modal carries where the card is and reads the reason back', () => {
  const meta = { value: '{"id":"x","v":2}', actionId: 'payment.reject', channel: 'C1', ts: '1.2' };
  const view = rejectModal('en', meta, 'Payment PAY-2026-000001');
  expect(JSON.parse(view.private_metadata)).toEqual(meta);
  expect(view.blocks[0]).toEqual({ type: 'section', text: { type: 'plain_text', text: 'Payment PAY-2026-000001', emoji: true } });
  expect(checkBlocks(view.blocks, LIMITS.blocksPerModal)).toEqual([]);
  expect(readReason({ reason: { value: { type: 'plain_text_input', value: '  duplicate invoice ' } } })).toBe('duplicate invoice');
  expect(readReason({})).toBe('');
});
