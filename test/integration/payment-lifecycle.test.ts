import { SandboxBank } from '../../src/banks/sandbox-bank';
import { BalanceRefresher } from '../../src/jobs/refresh-balances';
import { Result } from '../../src/domain/result';
import { verifyAuditChain } from '../../src/services/audit/verify-audit-chain';
import { BankOutbox } from '../../src/services/bank/bank-outbox';
import { PaymentEvents } from '../../src/services/events';
import { CancelPayment } from '../../src/services/payments/cancel-payment';
import { CreatePayment, CreatePaymentInput } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

let t: TestDb;
let f: Fixture;
let events: PaymentEvents;
let create: CreatePayment;
let decide: DecideApproval;
let cancel: CancelPayment;
let bank: SandboxBank;
let outbox: BankOutbox;

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db, { extraApprovers: 20 });
  events = new PaymentEvents(t.db);
  create = new CreatePayment(t.db, events);
  decide = new DecideApproval(t.db, events);
  cancel = new CancelPayment(t.db, events);
  bank = new SandboxBank(t.db, 0);
  outbox = new BankOutbox(t.db, bank, events);
});
afterAll(async () => { await events.settle(); await t.drop(); });

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`refused: ${r.code}`);
  return r.value;
}
const yuan = (n: number) => ({ minor: BigInt(n) * 100n, currency: 'CNY' });
const input = (over: Partial<CreatePaymentInput> = {}): CreatePaymentInput => ({
  source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: yuan(50_000),
  purpose: 'Invoice 42', requesterId: f.users.requester, actor: 'user:rita', ...over,
});
const count = async (sql: string, params: unknown[] = []) =>
  Number((await t.db.read((em) => em.execute(sql, params)))[0].n);

test('full lifecycle: create → approve → submitted → settled, balances and audit follow', async () => {
  const { payment } = value(await create.execute(input()));
  expect(payment.reference).toMatch(/^PAY-\d{4}-\d{6}$/);
  expect(payment.status).toBe('pending_approval');
  const d = value(await decide.execute({ reference: payment.reference, approverId: f.users.approver, decision: 'approve', via: 'test' }));
  expect(d.payment.status).toBe('approved');
  // The balance refresh job runs at every stage: our book must follow the bank's booked balance, never count the payment twice.
  const refresher = new BalanceRefresher(t.db, bank, { info: () => {}, warn: () => {}, error: () => {} });
  const ours = async () => BigInt((await t.db.read((em) => em.execute(`select balance_minor from bank_accounts where id = ?`, [f.accountId])))[0].balance_minor);
  await refresher.run();
  expect(await outbox.submitApproved()).toBe(1);
  await refresher.run();
  expect(await ours()).toBe(500_000_000n); // accepted, not yet booked
  expect(await outbox.pollSubmitted()).toBe(1); // settle delay 0
  const rows = await t.db.read((em) => em.execute(`select status, bank_status from payments where id = ?`, [payment.id]));
  expect(rows[0]).toEqual({ status: 'settled', bank_status: 'ACSC' });
  expect(await ours()).toBe(500_000_000n - 5_000_000n);
  await refresher.run();
  expect(await ours()).toBe(500_000_000n - 5_000_000n);
  const actions = (await t.db.read((em) => em.execute(`select action from audit_events where subject_id = ? order by seq`, [payment.reference]))).map((r: any) => r.action);
  expect(actions).toEqual(['payment.created', 'approval.approved', 'payment.approved', 'payment.submitted', 'payment.settled']);
  expect((await verifyAuditChain(t.db)).intact).toBe(true);
});

test('the requester cannot approve their own payment', async () => {
  const { payment } = value(await create.execute(input({ requesterId: f.users.admin, actor: 'user:root' })));
  const r = await decide.execute({ paymentId: payment.id, approverId: f.users.admin, decision: 'approve', via: 'test' });
  expect(r).toEqual({ ok: false, code: 'APPROVAL.SELF_APPROVAL' });
});

test('two-approver tier needs two distinct votes including a treasurer', async () => {
  const { payment } = value(await create.execute(input({ amount: yuan(500_000) })));
  const first = value(await decide.execute({ paymentId: payment.id, approverId: f.users.approver, decision: 'approve', via: 'test' }));
  expect(first.outcome).toEqual({ state: 'pending', remaining: 1, needsRole: 'treasurer' });
  const again = await decide.execute({ paymentId: payment.id, approverId: f.users.approver, decision: 'approve', via: 'test' });
  expect(again.ok === false && again.code).toBe('APPROVAL.ALREADY_VOTED');
  const plain = await decide.execute({ paymentId: payment.id, approverId: f.users.approver2, decision: 'approve', via: 'test' });
  expect(plain.ok === false && plain.code).toBe('APPROVAL.NEEDS_ROLE');
  const last = value(await decide.execute({ paymentId: payment.id, approverId: f.users.treasurer, decision: 'approve', via: 'test' }));
  expect(last.payment.status).toBe('approved');
});

test('small payment to a known payee is auto-approved; to a new payee it is not', async () => {
  const small = value(await create.execute(input({ amount: yuan(800) })));
  expect(small.autoApproved).toBe(true);
  expect(small.payment.status).toBe('approved');
  const toNew = value(await create.execute(input({ amount: yuan(800), payeeId: f.newPayeeId })));
  expect(toNew.autoApproved).toBe(false);
  expect(toNew.payment.status).toBe('pending_approval');
});

test('an approver above their limit is refused', async () => {
  const { payment } = value(await create.execute(input({ amount: yuan(60_000) })));
  const r = await decide.execute({ paymentId: payment.id, approverId: f.users.lowLimit, decision: 'approve', via: 'test' });
  expect(r).toEqual({ ok: false, code: 'APPROVAL.OVER_LIMIT', params: { currency: 'CNY' } });
  const within = value(await create.execute(input({ amount: yuan(40_000) })));
  expect((await decide.execute({ paymentId: within.payment.id, approverId: f.users.lowLimit, decision: 'approve', via: 'test' })).ok).toBe(true);
});

test('one rejection rejects, and needs a reason', async () => {
  const { payment } = value(await create.execute(input()));
  const noReason = await decide.execute({ paymentId: payment.id, approverId: f.users.approver, decision: 'reject', via: 'test' });
  expect(noReason.ok === false && noReason.code).toBe('APPROVAL.REASON_REQUIRED');
  const r = value(await decide.execute({ paymentId: payment.id, approverId: f.users.approver, decision: 'reject', reason: 'wrong invoice', via: 'test' }));
  expect(r.payment.status).toBe('rejected');
  const late = await decide.execute({ paymentId: payment.id, approverId: f.users.treasurer, decision: 'approve', via: 'test' });
  expect(late.ok === false && late.code).toBe('APPROVAL.NOT_PENDING');
});

test('a stale card version is answered with the current state instead of acting', async () => {
  const { payment } = value(await create.execute(input()));
  const r = await decide.execute({ paymentId: payment.id, approverId: f.users.approver, decision: 'approve', via: 'test', expectedVersion: payment.version + 5 });
  expect(r).toEqual({ ok: false, code: 'APPROVAL.STALE_CARD', params: { reference: payment.reference, status: 'pending_approval' } });
});

test('cancel: only the requester, only while pending', async () => {
  const { payment } = value(await create.execute(input()));
  expect((await cancel.execute({ reference: payment.reference, userId: f.users.approver })).ok).toBe(false);
  expect(value(await cancel.execute({ reference: payment.reference, userId: f.users.requester })).status).toBe('cancelled');
  const again = await cancel.execute({ reference: payment.reference, userId: f.users.requester });
  expect(again.ok === false && again.code).toBe('PAYMENT.CANCEL_TOO_LATE');
});

test('20 approvers approving one two-approver payment at once: exactly two votes, one bank submission', async () => {
  const { payment } = value(await create.execute(input({ amount: yuan(300_000) })));
  const approvers = (await t.db.read((em) => em.execute(`select id from users where handle like 'appr%' order by handle`))).map((r: any) => r.id);
  expect(approvers).toHaveLength(20);
  const submitsBefore = bank.submitCalls;
  const results = await Promise.all(
    approvers.map((id: string) => decide.execute({ paymentId: payment.id, approverId: id, decision: 'approve', via: 'test' })),
  );
  expect(results.filter((r) => r.ok)).toHaveLength(2);
  expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'APPROVAL.NOT_PENDING')).toBe(true);
  expect(await count(`select count(*) n from approvals where payment_id = ?`, [payment.id])).toBe(2);
  // Two outbox workers racing over the same approved payment.
  await Promise.all([outbox.submitApproved(), outbox.submitApproved(), outbox.submitOne(payment.id)]);
  expect(await count(`select count(*) n from sandbox_bank_transfers where end_to_end_id = ?`, [payment.endToEndId])).toBe(1);
  expect(await count(`select count(*) n from audit_events where subject_id = ? and action = 'payment.submitted'`, [payment.reference])).toBe(1);
  expect(bank.submitCalls - submitsBefore).toBeGreaterThanOrEqual(1);
});

test('the same idempotency key twice gives one payment; a different body is refused', async () => {
  const key = { source: 'api' as const, idempotencyKey: 'erp-po-7781', requesterId: undefined, actor: 'api:erp' };
  const [a, b] = await Promise.all([create.execute(input(key)), create.execute(input(key))]);
  const pa = value(a), pb = value(b);
  expect(pa.payment.id).toBe(pb.payment.id);
  expect([pa.replayed, pb.replayed].sort()).toEqual([false, true]);
  expect(await count(`select count(*) n from payments where idempotency_key = 'erp-po-7781'`)).toBe(1);
  const conflict = await create.execute(input({ ...key, amount: yuan(1) }));
  expect(conflict.ok === false && conflict.code).toBe('PAYMENT.IDEMPOTENCY_CONFLICT');
});

test('a repeated bank submission never debits twice', async () => {
  const { payment } = value(await create.execute(input({ amount: yuan(1_000) , payeeId: f.newPayeeId })));
  value(await decide.execute({ paymentId: payment.id, approverId: f.users.approver, decision: 'approve', via: 'test' }));
  const before = await t.db.read((em) => em.execute(`select balance_minor from sandbox_bank_accounts where account_number = ?`, [f.accountNumber]));
  const instruction = {
    endToEndId: payment.endToEndId, reference: payment.reference, amount: payment.amount, purpose: 'x',
    debtor: { accountNumber: f.accountNumber, name: 'CMB CNY', bankName: 'CMB' },
    creditor: { accountNumber: '6217000000009999', name: 'NewCo', bankName: 'BOC' },
  };
  expect(await bank.submit(instruction)).toEqual({ status: 'accepted' });
  expect(await bank.submit(instruction)).toEqual({ status: 'accepted' });
  await outbox.submitOne(payment.id); // the outbox's own (third) submission of the same end-to-end id
  const after = await t.db.read((em) => em.execute(`select balance_minor from sandbox_bank_accounts where account_number = ?`, [f.accountNumber]));
  expect(BigInt(before[0].balance_minor) - BigInt(after[0].balance_minor)).toBe(100_000n);
});

test('insufficient funds: the bank rejects and the payment fails with the reason', async () => {
  await bank.openAccount(f.accountNumber, 'CNY', 10n);
  const { payment } = value(await create.execute(input({ amount: yuan(20_000) })));
  value(await decide.execute({ paymentId: payment.id, approverId: f.users.approver, decision: 'approve', via: 'test' }));
  await outbox.submitOne(payment.id);
  const row = (await t.db.read((em) => em.execute(`select status, bank_reason from payments where id = ?`, [payment.id])))[0];
  expect(row.status).toBe('failed');
  expect(row.bank_reason).toMatch(/^AM04/);
  await bank.openAccount(f.accountNumber, 'CNY', 500_000_000n);
});

test('audit verify names the first changed row', async () => {
  expect((await verifyAuditChain(t.db)).intact).toBe(true);
  const victim = (await t.db.read((em) => em.execute(`select seq from audit_events order by seq limit 1 offset 3`)))[0].seq;
  // Tampering needs a superuser who bypasses the append-only trigger, as an attacker with DB access would.
  await t.db.tx(async (em) => {
    await em.execute(`set local session_replication_role = replica`);
    await em.execute(`update audit_events set data = jsonb_set(data, '{amount}', '"1"') where seq = ?`, [victim]);
  });
  const verdict = await verifyAuditChain(t.db);
  expect(verdict).toMatchObject({ intact: false, brokenAtSeq: BigInt(victim), reason: 'hash_mismatch' });
});
