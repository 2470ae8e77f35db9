import { randomUUID } from 'node:crypto';
import { alertCard } from '../../commands/alerts/alert-card.view';
import type { ChatSurface, LocalisedCard, Platform } from '../../commands/contracts';
import type { CardView } from '../../commands/view/view';
import { SandboxBank } from '../../src/banks/sandbox-bank';
import { Result } from '../../src/domain/result';
import { localDateOf } from '../../src/domain/schedule';
import { BankAccountEntity, SandboxAccountEntity } from '../../src/persistence/entities';
import { BankOutbox } from '../../src/services/bank/bank-outbox';
import { PaymentEvents } from '../../src/services/events';
import { Monitoring, createMonitoring } from '../../src/services/monitoring/monitoring';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

class RecordingSurface implements ChatSurface {
  posts: { channel: string; key: string; card: LocalisedCard }[] = [];
  updates: { key: string; card: LocalisedCard }[] = [];
  constructor(readonly platform: Platform) {}
  async postApprovalCard(): Promise<void> {}
  async notifyUser(): Promise<void> {}
  async updateCard(i: { key: string; card: LocalisedCard }): Promise<void> {
    this.updates.push(i);
  }
  async postAlert(i: { channel: string; key: string; card: LocalisedCard }): Promise<void> {
    this.posts.push(i);
  }
}

let t: TestDb;
let f: Fixture;
let events: PaymentEvents;
let web: RecordingSurface;
let slack: RecordingSurface;
let m: Monitoring<CardView>;
let create: CreatePayment;
let decide: DecideApproval;
let outbox: BankOutbox;
const listenerErrors: unknown[] = [];
// Payments a minute apart inside office hours, so no business-hours or velocity warning muddies the picture.
let paymentNow = new Date('2026-11-25T01:00:00Z');
const paymentClock = () => (paymentNow = new Date(paymentNow.getTime() + 60_000));

const yuan = (n: number) => BigInt(n) * 100n;
function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`refused: ${r.code}`);
  return r.value;
}
const rows = (sql: string, params: unknown[] = []) => t.db.read((em) => em.execute(sql, params));

/** A second company account with a threshold, in the bank and in our books. */
async function account(code: string, number: string, balance: number, threshold: number, alertChannels: string[] = []): Promise<string> {
  const id = randomUUID();
  await t.db.tx(async (em) => {
    em.create(BankAccountEntity, {
      id, code, name: code.toUpperCase(), aliases: [], bankName: 'ICBC', accountNumber: number, currency: 'CNY',
      balanceMinor: yuan(balance), balanceAsOf: new Date(), lowBalanceThresholdMinor: yuan(threshold), alertChannels, createdAt: new Date(),
    });
    em.create(SandboxAccountEntity, { accountNumber: number, currency: 'CNY', balanceMinor: yuan(100_000_000), closed: false });
  });
  return id;
}

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  events = new PaymentEvents(t.db, { onError: (err) => listenerErrors.push(err) });
  web = new RecordingSurface('web');
  slack = new RecordingSurface('slack');
  m = createMonitoring<CardView>({
    db: t.db, events, surfaces: [web, slack], cardFor: (a) => alertCard(a),
    config: { timezone: 'Asia/Shanghai', alerts: { projectionDays: 7, repeatAfterMs: 4 * 3_600_000 } },
  });
  m.paymentAlerts.subscribe(events);
  m.balances.subscribe(events);
  m.alerts.subscribe(events); // alert cards go through the outbox
  create = new CreatePayment(t.db, events, m.anomalyCheck, paymentClock);
  decide = new DecideApproval(t.db, events);
  outbox = new BankOutbox(t.db, new SandboxBank(t.db, 0), events);
  await t.db.tx((em) =>
    em.execute(`insert into alert_routes (id, kind, min_severity, platform, channel) values (?, 'low_balance', 'high', 'slack', 'C0BAL')`, [randomUUID()]),
  );
});
afterAll(async () => {
  await events.settle();
  await m.alerts.settle();
  expect(listenerErrors).toEqual([]);
  await t.drop();
});

/** Requests, approves (when a person must), sends and settles one payment from the account. */
async function pay(accountId: string, amount: number): Promise<void> {
  const r = value(await create.execute({
    source: 'chat', debtorAccountId: accountId, payeeId: f.knownPayeeId, amount: { minor: yuan(amount), currency: 'CNY' },
    purpose: `Invoice ${amount}`, requesterId: f.users.requester, actor: 'user:rita',
  }));
  if (!r.autoApproved) value(await decide.execute({ paymentId: r.payment.id, approverId: f.users.treasurer, decision: 'approve', via: 'test' }));
  await events.settle(); // the projection is checked once the money is committed…
  expect(await outbox.submitOne(r.payment.id)).toBe(true);
  expect(await outbox.pollOne(r.payment.id)).toBe(true);
  await events.settle(); // …and the balance once it has left
}
const alertsOf = (accountId: string, kind: string) =>
  rows(`select * from alerts where subject_id = ? and kind = ? order by created_at, notify_count`, [accountId, kind]);

test('a settlement below the threshold alerts once; further debits do not; recovery re-arms; the next crossing alerts again', async () => {
  const acc = await account('icbc-ops', '9558800000000001', 100_000, 50_000, ['#treasury']);
  await pay(acc, 30_000); // 70,000 left, projected never below
  expect(await alertsOf(acc, 'low_balance')).toHaveLength(0);
  expect(await alertsOf(acc, 'projected_low_balance')).toHaveLength(0);

  await pay(acc, 25_000); // 45,000: the projection warned at approval, the balance at settlement
  const [projected] = await alertsOf(acc, 'projected_low_balance');
  expect(projected).toMatchObject({ severity: 'medium', status: 'resolved', resolved_by: 'system:balance-monitor' });
  let low = await alertsOf(acc, 'low_balance');
  expect(low).toHaveLength(1);
  expect(low[0]).toMatchObject({ severity: 'high', status: 'open', notify_count: 1 });
  const key = `alert:${low[0].id}`;
  // The account's own channel on the playground, and the Slack route for high low-balance alerts.
  expect(web.posts.filter((p) => p.key === key).map((p) => p.channel)).toEqual(['#treasury']);
  expect(slack.posts.filter((p) => p.key === key).map((p) => p.channel)).toEqual(['C0BAL']);
  const card = web.posts.find((p) => p.key === key)!.card('en');
  expect(card.title).toBe('Low balance · ICBC-OPS (**** 0001)');
  expect(card.warnings).toEqual(['The balance CNY 45,000.00 is below the threshold CNY 50,000.00.']);
  expect(web.posts.find((p) => p.key === key)!.card('zh-CN').warnings).toEqual(['余额 ¥45,000.00 低于预警阈值 ¥50,000.00。']);

  await pay(acc, 5_000); // 40,000: still the same crossing
  expect(await alertsOf(acc, 'low_balance')).toHaveLength(1);
  await m.tick(); // the scheduled check agrees
  expect(await alertsOf(acc, 'low_balance')).toHaveLength(1);

  // A balance refresh from the bank shows the money came back.
  await t.db.tx((em) => em.execute(`update bank_accounts set balance_minor = ? where id = ?`, [yuan(60_000).toString(), acc]));
  const recovered = (await m.balances.check(acc))!;
  await events.settle(); // the resolved card is refreshed by the outbox
  expect(recovered.resolved.map((a) => a.kind)).toEqual(['low_balance']);
  low = await alertsOf(acc, 'low_balance');
  expect(low[0].status).toBe('resolved');
  expect(web.updates.filter((u) => u.key === key).at(-1)!.card('en').buttons).toEqual([]);

  await pay(acc, 15_000); // 45,000 again: a new crossing
  low = await alertsOf(acc, 'low_balance');
  expect(low.map((a: any) => a.status)).toEqual(['resolved', 'open']);
  expect(await alertsOf(acc, 'projected_low_balance')).toHaveLength(2);
});

test('the projection counts approved, submitted and scheduled payments within the horizon', async () => {
  const acc = await account('boc-reserve', '6216600000000002', 100_000, 50_000);
  const schedule = (amount: number, dueInDays: number) =>
    t.db.tx((em) =>
      em.execute(
        // One run (daily, max_runs 1) starting dueInDays from now: the projection walks every run of the schedule.
        `insert into payment_schedules (id, reference, payee_id, debtor_account_id, amount_minor, currency, purpose, cadence, start_date,
           max_runs, status, requester_id, next_due_at, created_at, updated_at)
         values (?, ?, ?, ?, ?, 'CNY', 'rent', 'daily', ?, 1, 'active', ?, ?, now(), now())`,
        [
          randomUUID(), `SCH-${randomUUID().slice(0, 8)}`, f.knownPayeeId, acc, yuan(amount).toString(),
          localDateOf(new Date(Date.now() + dueInDays * 86_400_000), 'Asia/Shanghai'), f.users.requester, new Date(Date.now() + dueInDays * 86_400_000),
        ],
      ),
    );
  await schedule(20_000, 3);
  await schedule(90_000, 30); // beyond the 7-day horizon
  const first = (await m.balances.check(acc))!;
  expect(first.outflows).toMatchObject({ approved: 0n, submitted: 0n, scheduled: yuan(20_000) });
  expect(first.projected.minor).toBe(yuan(80_000));
  expect(first.raised).toEqual([]);

  // An approved payment of 35,000 takes the projection to 45,000: early warning, actual balance untouched.
  const r = value(await create.execute({
    source: 'chat', debtorAccountId: acc, payeeId: f.knownPayeeId, amount: { minor: yuan(35_000), currency: 'CNY' },
    purpose: 'Deposit', requesterId: f.users.requester, actor: 'user:rita',
  }));
  value(await decide.execute({ paymentId: r.payment.id, approverId: f.users.treasurer, decision: 'approve', via: 'test' }));
  await events.settle();
  const [early] = await alertsOf(acc, 'projected_low_balance');
  expect(early).toMatchObject({ status: 'open', severity: 'medium' });
  expect(early.detail.outflows).toEqual({
    approved: { minor: yuan(35_000).toString(), currency: 'CNY' },
    submitted: { minor: '0', currency: 'CNY' },
    scheduled: { minor: yuan(20_000).toString(), currency: 'CNY' },
  });
  expect(await alertsOf(acc, 'low_balance')).toHaveLength(0);
  // No Slack route takes medium alerts; no channel of the account's own: nobody was posted to.
  expect(slack.posts.filter((p) => p.key === `alert:${early.id}`)).toEqual([]);

  // Submitted money still counts until it settles; checking again changes nothing.
  expect(await outbox.submitOne(r.payment.id)).toBe(true);
  const again = (await m.balances.check(acc))!;
  expect(again.outflows.submitted).toBe(yuan(35_000));
  expect(again.raised).toEqual([]);
  expect(await alertsOf(acc, 'projected_low_balance')).toHaveLength(1);
});
