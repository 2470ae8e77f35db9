import { paymentCard, PaymentCardContext } from '../../commands/views/payment-card.view';
import type { BankAccount, Payee } from '../../src/domain/directory';
import type { Payment } from '../../src/domain/payment/payment';
import { PAYMENT_STATUSES } from '../../src/domain/payment/payment-status';

const at = new Date('2026-11-28T06:30:00Z'); // 14:30 in Shanghai
const payment = (over: Partial<Payment> = {}): Payment => ({
  id: '6f1c1a52-3f0e-4d4c-9a55-0e8f0b1e2d3c', reference: 'PAY-2026-000123', source: 'chat', debtorAccountId: 'a1', payeeId: 'p1',
  amount: { minor: 123456n, currency: 'CNY' }, purpose: 'Invoice 42', requesterId: 'u1', requestedBy: 'user:rita',
  status: 'pending_approval', version: 3, warnings: [], endToEndId: 'PDPAY2026000123', createdAt: at, updatedAt: at,
  tier: { upTo: null, approvals: 2, roles: ['approver', 'treasurer'], requireRole: 'treasurer', autoApprove: false },
  ...over,
});
const account: BankAccount = {
  id: 'a1', code: 'cmb-cny', name: 'CMB CNY', aliases: [], bankName: 'CMB', accountNumber: '6226090000001234', currency: 'CNY',
  balance: { minor: 500_000_000n, currency: 'CNY' }, balanceAsOf: at, alertChannels: [],
};
const payee: Payee = {
  id: 'p1', code: 'acme', name: 'Acme', aliases: [], bankName: 'ICBC', accountNumber: '6222020000005678', accountName: 'Acme Ltd',
  verified: true, createdAt: at,
};
const ctx = (over: Partial<PaymentCardContext> = {}): PaymentCardContext => ({
  payment: payment(), account, payee, requester: { name: 'Rita Chen' }, votes: [], locale: 'en', ...over,
});

test('a pending card: key, title, status, amount with capital, masked accounts, and both buttons carrying id and version', () => {
  const c = paymentCard(ctx());
  expect(c.key).toBe('payment:6f1c1a52-3f0e-4d4c-9a55-0e8f0b1e2d3c');
  expect(c.title).toBe('Payment PAY-2026-000123');
  expect(c.status).toEqual({ label: 'Pending approval', tone: 'warning', code: 'PDNG' });
  expect(c.amount).toEqual({ text: 'CNY 1,234.56', capital: '壹仟贰佰叁拾肆元伍角陆分' });
  expect(c.fields).toEqual([
    { label: 'Payee', value: 'Acme · ICBC **** 5678' },
    { label: 'From account', value: 'CMB CNY · CMB **** 1234' },
    { label: 'Purpose', value: 'Invoice 42' },
    { label: 'Requested by', value: 'Rita Chen' },
    { label: 'Execution date', value: 'As soon as approved' },
    { label: 'Approval rule', value: '2 approvals by approver or treasurer, including a treasurer' },
  ]);
  expect(c.context).toEqual(['Requested 2026-11-28 14:30 · chat', '2 more approvals needed, at least one from a treasurer.']);
  const [approve, reject] = c.buttons;
  expect(approve).toEqual({ actionId: 'payment.approve', label: 'Approve', style: 'primary', value: '{"id":"6f1c1a52-3f0e-4d4c-9a55-0e8f0b1e2d3c","v":3}' });
  expect(reject).toMatchObject({ actionId: 'payment.reject', label: 'Reject', style: 'danger', value: approve.value });
  expect(reject.reasonPrompt).toEqual({ title: 'Reject PAY-2026-000123', label: 'Reason', submit: 'Reject' });
  // Full account numbers never reach chat.
  expect(JSON.stringify(c)).not.toMatch(/6226090000001234|6222020000005678/);
});

test('the same card in Chinese', () => {
  const c = paymentCard(ctx({ locale: 'zh-CN' }));
  expect(c.title).toBe('付款 PAY-2026-000123');
  expect(c.status?.label).toBe('待审批');
  expect(c.amount).toEqual({ text: '¥1,234.56', capital: '壹仟贰佰叁拾肆元伍角陆分' });
  expect(c.fields.map((f) => f.label)).toEqual(['收款方', '付款账户', '用途', '申请人', '执行日期', '审批规则']);
  expect(c.fields[5].value).toBe('需 2 位审批人或财务主管审批，其中至少一位财务主管');
  expect(c.context[1]).toBe('还需 2 个审批，其中至少一个来自财务主管。');
  expect(c.buttons.map((b) => b.label)).toEqual(['批准', '驳回']);
  expect(c.buttons[1].reasonPrompt?.submit).toBe('确认驳回');
});

test.each(PAYMENT_STATUSES.filter((s) => s !== 'pending_approval'))('no buttons once %s', (status) => {
  const c = paymentCard(ctx({ payment: payment({ status }) }));
  expect(c.buttons).toEqual([]);
  expect(c.context.some((l) => l.includes('more approval'))).toBe(false);
});

test('only CNY shows a capital amount', () => {
  const c = paymentCard(ctx({ payment: payment({ amount: { minor: 1250n, currency: 'USD' } }) }));
  expect(c.amount).toEqual({ text: 'USD 12.50' });
});

test('votes, what remains, and the bank outcome are context lines', () => {
  const vote = { approverId: 'u2', approverName: 'Adam Li', decision: 'approve' as const, via: 'slack', at, approverRoles: ['approver'] };
  const pending = paymentCard(ctx({ votes: [vote] }));
  expect(pending.context).toEqual([
    'Requested 2026-11-28 14:30 · chat',
    '✓ Adam Li approved · 2026-11-28 14:30 · Slack',
    '1 more approval needed, from a treasurer.',
  ]);
  const reject = { ...vote, approverName: 'Tess Wang', decision: 'reject' as const, reason: 'duplicate', via: 'feishu' };
  const failed = paymentCard(ctx({ payment: payment({ status: 'failed', bankStatus: 'RJCT', bankReason: 'AC04 account closed' }), votes: [vote, reject], locale: 'zh-CN' }));
  expect(failed.status).toEqual({ label: '失败', tone: 'danger', code: 'RJCT' });
  expect(failed.context.slice(1)).toEqual([
    '✓ Adam Li 已批准 · 2026-11-28 14:30 · Slack',
    '✗ Tess Wang 已驳回 · 2026-11-28 14:30 · 飞书 · “duplicate”',
    '银行状态：RJCT（AC04 account closed）',
  ]);
  const auto = paymentCard(ctx({ payment: payment({ status: 'settled', decidedAt: at, bankStatus: 'ACSC' }) }));
  expect(auto.context.slice(1)).toEqual(['Approved automatically by policy (small amount, known payee, no warnings).', 'Bank status: ACSC']);
});

test('warnings: anomalies, an unproven payee, and an amount above the balance', () => {
  const c = paymentCard(ctx({
    payment: payment({ amount: { minor: 600_000_000n, currency: 'CNY' }, warnings: [{ code: 'ANOMALY.ROUND_AMOUNT', severity: 'medium', detail: '¥6,000,000' }] }),
    payee: { ...payee, verified: false },
    note: 'Created; waiting for approval.',
  }));
  expect(c.warnings).toEqual([
    'Medium risk: ANOMALY.ROUND_AMOUNT (¥6,000,000)',
    'New payee: bank details not yet verified.',
    'The amount is more than the account balance (CNY 5,000,000.00 as of 2026-11-28 14:30).',
  ]);
  expect(c.context[0]).toBe('Created; waiting for approval.');
  const cooling = paymentCard(ctx({ payee: { ...payee, coolingOffUntil: new Date('2026-12-05T00:00:00Z') }, now: at }));
  expect(cooling.warnings).toEqual(['New payee: in its cooling-off period until 2026-12-05.']);
  // Pending-only warnings go once the decision is made; anomaly findings stay on record.
  expect(paymentCard(ctx({ payment: payment({ status: 'approved' }), payee: { ...payee, verified: false } })).warnings).toEqual([]);
});

test('a one-approval tier that allows auto-approval, and an unknown account', () => {
  const tier = { upTo: 1_000_000n, approvals: 0, roles: ['approver' as const, 'treasurer' as const], autoApprove: true };
  const c = paymentCard(ctx({ payment: payment({ tier, executionDate: '2026-12-01' }), account: undefined }));
  expect(c.fields.find((f) => f.label === 'Approval rule')?.value).toBe('1 approval by approver or treasurer; auto-approval allowed for known payees');
  expect(c.fields.find((f) => f.label === 'Execution date')?.value).toBe('2026-12-01');
  expect(c.fields.find((f) => f.label === 'From account')?.value).toBe('(unknown)');
  expect(c.context).toContain('1 more approval needed, from an approver or a treasurer.');
});
