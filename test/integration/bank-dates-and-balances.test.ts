/**
 * Two promises the bank side keeps: a future-dated payment reaches the bank only
 * once its execution date has begun in the business timezone, and one settled
 * payment leaves our recorded balance exactly once, however balance refreshes
 * from the bank interleave with submission and settlement.
 */
import { randomUUID } from 'node:crypto';
import type { BankGateway } from '../../src/banks/bank-gateway';
import { SandboxBank, startOfDayIn } from '../../src/banks/sandbox-bank';
import { BalanceRefresher } from '../../src/jobs/refresh-balances';
import { Money } from '../../src/domain/money/money';
import { Result } from '../../src/domain/result';
import { BankAccountEntity } from '../../src/persistence/entities';
import { BankOutbox } from '../../src/services/bank/bank-outbox';
import { PaymentEvents } from '../../src/services/events';
import { AlertService } from '../../src/services/monitoring/alert-service';
import { BalanceMonitor } from '../../src/services/monitoring/balance-monitor';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

let t: TestDb;
let f: Fixture;
let events: PaymentEvents;
let create: CreatePayment;
let decide: DecideApproval;
let bank: SandboxBank;
let outbox: BankOutbox;
let monitor: BalanceMonitor;
// One clock for the bank, the outbox and the monitor: set by the date tests, the real time when undefined.
let now: Date | undefined;
const clock = () => now ?? new Date();
const quietLog = { info: () => {}, warn: () => {}, error: () => {} };

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  events = new PaymentEvents(t.db);
  create = new CreatePayment(t.db, events, undefined, clock);
  decide = new DecideApproval(t.db, events);
  bank = new SandboxBank(t.db, 0, { clock });
  outbox = new BankOutbox(t.db, bank, events, undefined, clock);
  monitor = new BalanceMonitor(t.db, new AlertService(t.db, undefined, { repeatAfterMs: 3_600_000, clock }), { projectionDays: 7, clock });
});
afterAll(async () => { await events.settle(); await t.drop(); });

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`refused: ${r.code}`);
  return r.value;
}
const yuan = (n: number) => BigInt(n) * 100n;
const rows = (sql: string, params: unknown[] = []) => t.db.read((em) => em.execute(sql, params));
const statusOf = async (id: string) => (await rows(`select status from payments where id = ?`, [id]))[0].status;
const ourBalance = async (accountId: string) =>
  BigInt((await rows(`select balance_minor from bank_accounts where id = ?`, [accountId]))[0].balance_minor);
const tick = () => { if (now) now = new Date(now.getTime() + 1000); };

/** An approved payment from the account (approved by the treasurer when a person must). */
async function approved(debtorAccountId: string, amount: number, executionDate?: string): Promise<string> {
  const r = value(await create.execute({
    source: 'chat', debtorAccountId, payeeId: f.knownPayeeId, amount: { minor: yuan(amount), currency: 'CNY' },
    purpose: `Invoice ${amount}`, requesterId: f.users.requester, actor: 'user:rita', executionDate,
  }));
  if (!r.autoApproved) value(await decide.execute({ paymentId: r.payment.id, approverId: f.users.treasurer, decision: 'approve', via: 'test' }));
  expect(await statusOf(r.payment.id)).toBe('approved');
  return r.payment.id;
}

/** A fresh company account holding `balance` yuan, in our books and at the sandbox bank. */
async function openAccount(code: string, number: string, balance: number): Promise<string> {
  const id = randomUUID();
  await t.db.tx(async (em) => {
    em.create(BankAccountEntity, {
      id, code, name: code.toUpperCase(), aliases: [], bankName: 'CMB', accountNumber: number, currency: 'CNY',
      balanceMinor: yuan(balance), balanceAsOf: clock(), alertChannels: [], createdAt: clock(),
    });
  });
  await bank.openAccount(number, 'CNY', yuan(balance));
  return id;
}

/** Runs the balance refresh job; returns what the bank reported for the account. */
async function refresh(accountId: string): Promise<bigint | undefined> {
  tick();
  let reported: Money | undefined;
  await new BalanceRefresher(t.db, bank, quietLog, (id, info) => { if (id === accountId) reported = info.balance; }).run();
  return reported?.minor;
}

describe('execution dates', () => {
  test('the start of a date is midnight in the business timezone', () => {
    expect(startOfDayIn('2026-12-25', 'Asia/Shanghai').toISOString()).toBe('2026-12-24T16:00:00.000Z');
    expect(startOfDayIn('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDayIn('2026-03-30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  test('a future-dated payment stays approved until its date begins in Asia/Shanghai, then goes to the bank', async () => {
    now = new Date('2026-12-20T02:00:00Z');
    const christmas = await approved(f.accountId, 5_000, '2026-12-25');
    const undated = await approved(f.accountId, 5_000);
    const past = await approved(f.accountId, 5_000, '2026-12-01');
    const transfers = async (id: string) =>
      Number((await rows(`select count(*)::int n from sandbox_bank_transfers t join payments p on p.end_to_end_id = t.end_to_end_id where p.id = ?`, [id]))[0].n);

    expect(await outbox.submitApproved()).toBe(2);
    expect([await statusOf(undated), await statusOf(past), await statusOf(christmas)]).toEqual(['submitted', 'submitted', 'approved']);

    // 23:59:59 on 24 December in Shanghai: not yet, neither in a sweep nor when asked directly.
    now = new Date('2026-12-24T15:59:59Z');
    expect(await outbox.submitApproved()).toBe(0);
    expect(await outbox.submitOne(christmas)).toBe(false);
    expect(await statusOf(christmas)).toBe('approved');
    expect(await transfers(christmas)).toBe(0);

    // Midnight in Shanghai, still the 24th in UTC: due now.
    now = new Date('2026-12-24T16:00:00Z');
    expect(await outbox.submitApproved()).toBe(1);
    expect(await statusOf(christmas)).toBe('submitted');
    expect(await transfers(christmas)).toBe(1);
    expect(await outbox.pollSubmitted()).toBe(3);
    expect(await statusOf(christmas)).toBe('settled');
  });

  test('the outbox reads "today" in its configured timezone', async () => {
    now = new Date('2026-12-26T01:00:00Z');
    const id = await approved(f.accountId, 5_000, '2026-12-27');
    now = new Date('2026-12-26T16:30:00Z'); // the 27th in Shanghai, still the 26th in UTC
    const utcOutbox = new BankOutbox(t.db, bank, events, undefined, clock, undefined, { timezone: 'UTC' });
    expect(await utcOutbox.submitApproved()).toBe(0);
    expect(await statusOf(id)).toBe('approved');
    expect(await outbox.submitApproved()).toBe(1);
    expect(await outbox.pollSubmitted()).toBe(1);
  });

  test('the sandbox settles a future-dated order no earlier than the start of its execution date', async () => {
    now = new Date('2026-12-28T02:00:00Z');
    const endToEndId = `E2E-${randomUUID()}`;
    expect(await bank.submit({
      endToEndId, reference: 'PAY-EARLY', amount: { minor: yuan(1_000), currency: 'CNY' }, purpose: 'early', executionDate: '2027-01-04',
      debtor: { accountNumber: f.accountNumber, name: 'CMB CNY', bankName: 'CMB' },
      creditor: { accountNumber: '6222020000005678', name: 'Acme', bankName: 'ICBC' },
    })).toEqual({ status: 'accepted' });
    expect(await bank.status(endToEndId)).toEqual({ status: 'pending' });
    now = new Date('2027-01-03T15:59:59Z');
    expect(await bank.status(endToEndId)).toEqual({ status: 'pending' });
    now = new Date('2027-01-03T16:00:00Z');
    expect(await bank.status(endToEndId)).toEqual({ status: 'settled', at: new Date('2027-01-03T16:00:00Z') });
  });
});

describe('one balance model: the bank reports, and we hold, the booked balance', () => {
  // Real time here, so each refresh is newer than what our book holds and is always taken.
  beforeAll(() => { now = undefined; });

  test('¥5,000 through the whole lifecycle with refreshes at each stage: ¥100,000 until settlement, ¥95,000 after, never ¥90,000', async () => {
    const acc = await openAccount('icbc-life', '9558800000000101', 100_000);
    const projection = async () => {
      tick();
      const c = (await monitor.check(acc))!;
      return { balance: c.account.balance.minor, approved: c.outflows.approved, submitted: c.outflows.submitted, projected: c.projected.minor };
    };

    const id = await approved(acc, 5_000);
    expect(await refresh(acc)).toBe(yuan(100_000));
    expect(await projection()).toEqual({ balance: yuan(100_000), approved: yuan(5_000), submitted: 0n, projected: yuan(95_000) });

    tick();
    expect(await outbox.submitOne(id)).toBe(true);
    // Accepted but not settled: still in the booked balance, reserved in the available one.
    expect(await refresh(acc)).toBe(yuan(100_000));
    expect(await ourBalance(acc)).toBe(yuan(100_000));
    expect(await projection()).toEqual({ balance: yuan(100_000), approved: 0n, submitted: yuan(5_000), projected: yuan(95_000) });

    tick();
    expect(await outbox.pollOne(id)).toBe(true);
    expect(await statusOf(id)).toBe('settled');
    expect(await ourBalance(acc)).toBe(yuan(95_000));
    expect(await refresh(acc)).toBe(yuan(95_000));
    expect(await ourBalance(acc)).toBe(yuan(95_000));
    expect(await projection()).toEqual({ balance: yuan(95_000), approved: 0n, submitted: 0n, projected: yuan(95_000) });
    // Nothing moved our book except the settlement itself.
    const refreshed = await rows(`select count(*)::int n from audit_events where action = 'account.balance_refreshed' and subject_id = 'icbc-life'`);
    expect(refreshed[0].n).toBe(0);
  });

  test('two accepted payments cannot overdraw: the bank checks funds against the available balance', async () => {
    const acc = await openAccount('icbc-tight', '9558800000000102', 100_000);
    const first = await approved(acc, 60_000);
    const second = await approved(acc, 60_000);
    tick();
    expect(await outbox.submitOne(first)).toBe(true);
    expect(await outbox.submitOne(second)).toBe(true);
    expect(await statusOf(first)).toBe('submitted');
    const row = (await rows(`select status, bank_reason from payments where id = ?`, [second]))[0];
    expect(row).toMatchObject({ status: 'failed', bank_reason: expect.stringMatching(/^AM04/) });
    // The booked balance still holds the first payment until it settles.
    expect(await refresh(acc)).toBe(yuan(100_000));
    tick();
    expect(await outbox.pollOne(first)).toBe(true);
    expect(await refresh(acc)).toBe(yuan(40_000));
    expect(await ourBalance(acc)).toBe(yuan(40_000));
  });

  test('a refresh racing with settlement (bank booked it, our debit not yet committed) still counts the payment once', async () => {
    const acc = await openAccount('icbc-race', '9558800000000104', 100_000);
    const id = await approved(acc, 5_000);
    expect(await outbox.submitOne(id)).toBe(true);
    // The bank books the transfer, then a balance refresh starts before our settlement commits.
    let racing: Promise<unknown> | undefined;
    const racingBank: BankGateway = {
      name: bank.name,
      submit: (i) => bank.submit(i),
      balance: (n) => bank.balance(n),
      status: async (e2e) => {
        const s = await bank.status(e2e);
        racing = new BalanceRefresher(t.db, bank, quietLog).run();
        await new Promise((r) => setTimeout(r, 300));
        return s;
      },
    };
    expect(await new BankOutbox(t.db, racingBank, events, undefined, clock).pollOne(id)).toBe(true);
    await racing;
    expect(await ourBalance(acc)).toBe(yuan(95_000));
    expect(await refresh(acc)).toBe(yuan(95_000));
    expect(await ourBalance(acc)).toBe(yuan(95_000));
  });

  test('a failed settlement gives the reservation back and leaves the booked balance untouched', async () => {
    const acc = await openAccount('icbc-fail', '9558800000000103', 100_000);
    const id = await approved(acc, 5_000);
    tick();
    expect(await outbox.submitOne(id)).toBe(true);
    const e2e = (await rows(`select end_to_end_id from payments where id = ?`, [id]))[0].end_to_end_id;
    bank.failSettlementOf(e2e);
    tick();
    expect(await outbox.pollOne(id)).toBe(true);
    expect(await statusOf(id)).toBe('failed');
    expect(await refresh(acc)).toBe(yuan(100_000));
    expect(await ourBalance(acc)).toBe(yuan(100_000));
    const ledger = await rows(`select balance_minor from sandbox_bank_accounts where account_number = '9558800000000103'`);
    expect(BigInt(ledger[0].balance_minor)).toBe(yuan(100_000));
  });
});
