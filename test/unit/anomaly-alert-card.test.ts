import { alertCard } from '../../commands/alerts/alert-card.view';
import { Alert, BalanceAlertDetail, PaymentAlertDetail } from '../../src/domain/alerts/alert';
import { ANOMALY } from '../../src/domain/anomaly/anomaly-rules';
import '../../src/domain/anomaly/anomaly.messages';

const cny = (yuan: number) => ({ minor: String(yuan * 100), currency: 'CNY' });
const base: Omit<Alert, 'kind' | 'detail' | 'subjectType'> = {
  id: '7b0c3c55-8f0e-4a57-a3f6-3f8c1b7e0a01',
  severity: 'high',
  status: 'open',
  subjectId: 'x',
  dedupeKey: 'k',
  title: 't',
  createdAt: new Date('2026-11-25T02:00:00Z'),
  notifyCount: 1,
};
const payment: PaymentAlertDetail = {
  paymentId: 'p1', reference: 'PAY-2026-000042', amount: cny(88_000), payee: 'NewCo', account: 'CMB CNY',
  warnings: [{ code: ANOMALY.NEW_PAYEE, severity: 'high', detail: '> CNY 10,000.00' }], held: true,
};
const anomaly = (over: Partial<Alert> = {}): Alert =>
  ({ ...base, kind: 'anomaly', subjectType: 'payment', detail: payment as unknown as Record<string, unknown>, ...over });

test('an open anomaly card: warning text, the hold hint and the Acknowledge button, in both languages', () => {
  const en = alertCard(anomaly())('en');
  expect(en).toMatchObject({
    key: `alert:${base.id}`, title: 'Anomaly · PAY-2026-000042', status: { label: 'Open', tone: 'danger', code: 'open' },
    amount: { text: 'CNY 88,000.00', capital: '捌万捌仟元整' },
    fields: [{ label: 'Severity', value: 'High' }, { label: 'Payee', value: 'NewCo' }, { label: 'From account', value: 'CMB CNY' }],
  });
  expect(en.warnings).toEqual(['New payee: bank details unverified, still cooling off, or never paid before (> CNY 10,000.00)']);
  expect(en.context).toEqual([expect.stringContaining('/pay show PAY-2026-000042'), 'Raised 2026-11-25 10:00']);
  expect(en.buttons).toEqual([{ actionId: 'alert.ack', label: 'Acknowledge', style: 'primary', value: `{"id":"${base.id}"}` }]);
  const zh = alertCard(anomaly())('zh-CN');
  expect(zh.title).toBe('异常 · PAY-2026-000042');
  expect(zh.context[0]).toContain('/付款 查看 PAY-2026-000042');
  expect(zh.buttons[0].label).toBe('确认');
});

test('acknowledged and resolved cards lose the button and say who and why', () => {
  const acked = alertCard(anomaly({ status: 'acknowledged', acknowledgedAt: new Date('2026-11-25T03:00:00Z'), acknowledgedBy: { id: 'u', name: 'Tess' } }))('en');
  expect(acked.buttons).toEqual([]);
  expect(acked.status).toMatchObject({ tone: 'info', label: 'Acknowledged' });
  expect(acked.context).toContain('✓ Acknowledged by Tess · 2026-11-25 11:00');
  const resolved = alertCard(anomaly({ status: 'resolved', resolvedAt: new Date('2026-11-25T04:00:00Z'), resolvedBy: 'system:payment:rejected' }))('zh-CN');
  expect(resolved.context).toContain('2026-11-25 12:00 已解除：付款现为「已驳回」');
  expect(resolved.context.join()).not.toContain('/付款 查看'); // a decided payment is no longer held
});

test('a reminder says so; a projected low-balance card shows the forecast and what makes it up', () => {
  const detail: BalanceAlertDetail = {
    accountId: 'a1', accountCode: 'cmb-cny', accountName: 'CMB CNY', accountNumber: '**** 1234',
    balance: cny(600_000), threshold: cny(500_000), projected: cny(450_000),
    outflows: { approved: cny(100_000), submitted: cny(0), scheduled: cny(50_000) }, projectionDays: 7, asOf: '2026-11-25T02:00:00Z',
  };
  const card = alertCard({ ...base, kind: 'projected_low_balance', severity: 'medium', subjectType: 'account', notifyCount: 3, detail: detail as unknown as Record<string, unknown> })('en');
  expect(card.title).toBe('Balance forecast below threshold · CMB CNY (**** 1234)');
  expect(card.status?.tone).toBe('warning');
  expect(card.amount?.text).toBe('CNY 450,000.00');
  expect(card.fields).toContainEqual({ label: 'Projected within 7 days', value: 'CNY 450,000.00' });
  expect(card.fields).toContainEqual({ label: 'Committed outflows', value: 'approved CNY 100,000.00 · at the bank CNY 0.00 · scheduled CNY 50,000.00' });
  expect(card.warnings).toEqual(['Once committed payments leave, the balance would be CNY 450,000.00, below the threshold CNY 500,000.00.']);
  expect(card.context).toContain('Reminder 2: not acknowledged yet');
});
