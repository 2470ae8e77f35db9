import { alertCard } from '../../commands/alerts/alert-card.view';
import { reconciliationAlert } from '../../src/services/monitoring/reconciliation-alert';
import type { Alert } from '../../src/domain/alerts/alert';
import { hasMessage } from '../../src/domain/i18n';
import type { FindingReason } from '../../src/services/reconciliation/reconciliation.types';

/** A stored reconciliation alert; the last test builds one through reconciliationAlert, as the app does. */
const recon = (detail: Record<string, unknown>, over: Partial<Alert> = {}): Alert => ({
  id: '0d7f3a1e-5b1c-4c3e-9a51-2b8c6d4e7f10',
  kind: 'reconciliation',
  severity: 'medium',
  status: 'open',
  subjectType: 'statement',
  subjectId: 'cmb-cny',
  dedupeKey: 'reconciliation:STMT-20261201:3',
  title: 'no_match: DBIT CNY 15.00 2026-12-01 China Merchants Bank',
  detail,
  createdAt: new Date('2026-12-02T01:30:00Z'),
  notifyCount: 1,
  ...over,
});
const fee = { reason: 'no_match', statementId: 'STMT-20261201', line: 3, amount: 'CNY 15.00', bookingDate: '2026-12-01' };
const REASONS: Record<FindingReason, true> = {
  no_match: true, ambiguous: true, amount_mismatch: true, account_mismatch: true,
  status_conflict: true, already_reconciled: true, returned_payment: true, reversal: true,
};

test('an unmatched statement line reads in English from its detail, not from the stored title', () => {
  const card = alertCard(recon(fee))('en');
  expect(card.title).toBe('Reconciliation · cmb-cny');
  expect(card.amount).toEqual({ text: 'CNY 15.00', capital: '壹拾伍元整' });
  expect(card.fields).toEqual([
    { label: 'Severity', value: 'Medium' },
    { label: 'Amount', value: 'CNY 15.00' },
    { label: 'Booking date', value: '2026-12-01' },
    { label: 'Statement', value: 'STMT-20261201 · line 3' },
  ]);
  expect(card.warnings).toEqual([expect.stringMatching(/^The bank booked this debit, but no payment in paydesk matches it/)]);
  expect(JSON.stringify(card)).not.toContain('no_match:');
  expect(card.buttons.map((b) => b.label)).toEqual(['Acknowledge']);
});

test('the same alert in Simplified Chinese, with the payment it seemed to belong to', () => {
  const card = alertCard(recon({ ...fee, reason: 'amount_mismatch', amount: 'CNY 50000.00', reference: 'PAY-2026-000001' }))('zh-CN');
  expect(card.title).toBe('对账异常 · cmb-cny');
  expect(card.amount).toEqual({ text: '¥50,000.00', capital: '伍万元整' });
  expect(card.fields).toEqual([
    { label: '级别', value: '中' },
    { label: '金额', value: '¥50,000.00' },
    { label: '记账日期', value: '2026-12-01' },
    { label: '对账单', value: 'STMT-20261201 · 第 3 笔' },
    { label: '付款单号', value: 'PAY-2026-000001' },
  ]);
  expect(card.warnings).toEqual(['银行记账金额与付款 PAY-2026-000001 的金额不一致。']);
  expect(card.context).toEqual(['2026-12-02 09:30 触发']);
  expect(JSON.stringify(card)).not.toMatch(/no_match|amount_mismatch|ALERTCARD/);
});

test('every finding reason has its own sentence in both languages, naming the payment where there is one', () => {
  for (const reason of Object.keys(REASONS)) {
    for (const locale of ['en', 'zh-CN'] as const) {
      expect([reason, locale, hasMessage(locale, `ALERTCARD.RECON.${reason}`)]).toEqual([reason, locale, true]);
      const [warning] = alertCard(recon({ ...fee, reason, reference: 'PAY-2026-000007' }))(locale).warnings;
      expect(warning).not.toMatch(/ALERTCARD|\{reference\}/);
      if (reason !== 'no_match' && reason !== 'ambiguous' && reason !== 'reversal') expect(warning).toContain('PAY-2026-000007');
    }
  }
  const texts = Object.keys(REASONS).map((reason) => alertCard(recon({ ...fee, reason }))('zh-CN').warnings[0]);
  expect(new Set(texts).size).toBe(texts.length);
});

test('optional direction and counterparty show when stored; stored money works as well as the text form', () => {
  const card = alertCard(recon({ ...fee, reason: 'returned_payment', amount: { minor: '1500', currency: 'CNY' }, creditDebit: 'CRDT', counterparty: 'Acme Ltd', reference: 'PAY-2026-000002' }))('zh-CN');
  expect(card.fields).toContainEqual({ label: '记账方向', value: '收入' });
  expect(card.fields).toContainEqual({ label: '对方户名', value: 'Acme Ltd' });
  expect(card.amount?.text).toBe('¥15.00');
  expect(card.warnings).toEqual(['付款 PAY-2026-000002 的款项已被银行退回。']);
});

test('an unknown reason or an unreadable amount still shows what is known', () => {
  const odd = alertCard(recon({ ...fee, reason: 'something_new', amount: 'about fifteen' }))('en');
  expect(odd.amount).toBeUndefined();
  expect(odd.fields).toContainEqual({ label: 'Amount', value: 'about fifteen' });
  expect(odd.warnings).toEqual(['no_match: DBIT CNY 15.00 2026-12-01 China Merchants Bank']);
});

test('the alert the app raises for a finding renders from its detail in both languages', () => {
  const raised = reconciliationAlert({
    reason: 'no_match', statementId: 'STMT-20261201', accountId: 'a1', accountCode: 'cmb-cny',
    line: { line: 3, creditDebit: 'DBIT', amount: { minor: 1_500n, currency: 'CNY' }, bookingDate: '2026-12-01', counterpartyName: 'China Merchants Bank' },
  });
  expect(raised).toMatchObject({ kind: 'reconciliation', dedupeKey: 'reconciliation:STMT-20261201:3', subjectId: 'cmb-cny' });
  const stored = recon(raised.detail, { title: raised.title });
  const en = alertCard(stored)('en');
  const zh = alertCard(stored)('zh-CN');
  expect(en.amount).toEqual({ text: 'CNY 15.00', capital: '壹拾伍元整' });
  expect(en.fields.map((f) => f.value)).toEqual(expect.arrayContaining(['2026-12-01', 'China Merchants Bank']));
  expect(zh.warnings.join(' ')).not.toBe(en.warnings.join(' '));
  expect(zh.warnings.join(' ')).not.toContain('no_match');
});
