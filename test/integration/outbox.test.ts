/**
 * The outbox dispatcher on real PostgreSQL: at-least-once delivery to each named consumer,
 * in order per payment, shared by two dispatchers (two replicas) without double delivery,
 * retries that end parked (never dropped) and are shown to admins, 429-style deferrals.
 */
import { outboxCommand } from '../../commands/outbox/outbox.command';
import type { Payment } from '../../src/domain/payment/payment';
import { directory } from '../../src/persistence/repositories/directory.repository';
import { PaymentEvents, RetryLater } from '../../src/services/events';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { outboxStatus } from '../../src/services/outbox/outbox-status';
import { pruneOutbox } from '../../src/services/outbox/prune-outbox';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

let t: TestDb;
let f: Fixture;

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
});
afterAll(async () => {
  await t.drop();
});

async function pay(events: PaymentEvents, yuan: number): Promise<Payment> {
  const r = await new CreatePayment(t.db, events).execute({
    source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: BigInt(yuan) * 100n, currency: 'CNY' },
    purpose: `outbox ${yuan}`, requesterId: f.users.requester, actor: 'user:rita',
  });
  if (!r.ok) throw new Error(r.code);
  return r.value.payment;
}

const rows = (sql: string, params: unknown[] = []) => t.db.read((em) => em.execute(sql, params));

test('an event committed with its change reaches each consumer once, in order per payment, across two dispatchers', async () => {
  const seen: string[] = [];
  const a = new PaymentEvents(t.db, { listen: false });
  const b = new PaymentEvents(t.db, { listen: false });
  // The same consumer name in both "replicas": each event must be handled by exactly one of them.
  for (const [who, ev] of [['a', a], ['b', b]] as const)
    ev.subscribe('recorder', (e) => void seen.push(`${e.payment.reference}:${e.payment.version}:${e.type}:${who}`));
  const p = await pay(a, 50_000);
  const decide = new DecideApproval(t.db, a);
  const vote = await decide.execute({ paymentId: p.id, approverId: f.users.approver, decision: 'approve', via: 'test' });
  expect(vote.ok).toBe(true);
  await Promise.all([a.settle(), b.settle()]);
  await a.settle();
  const mine = seen.filter((s) => s.startsWith(`${p.reference}:`)).map((s) => s.split(':').slice(0, 3).join(':'));
  expect(mine).toEqual([`${p.reference}:1:payment.created`, `${p.reference}:2:payment.voted`, `${p.reference}:2:payment.status_changed`]);
  const done = await rows(`select count(*)::int as n from outbox_deliveries where consumer = 'recorder' and state = 'done'`);
  expect(done[0].n).toBe(seen.length);
});

test('a consumer that keeps failing is retried with back-off, then parked, shown to admins, and queued again on request', async () => {
  const events = new PaymentEvents(t.db, { listen: false, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 });
  let calls = 0;
  let fail = true;
  events.subscribe('flaky', () => {
    calls++;
    if (fail) throw new Error('receiver down');
  }, { types: ['payment.created'] });
  const p = await pay(events, 50_001);
  for (let i = 0; i < 50 && calls < 2; i++) {
    await events.settle();
    await new Promise((r) => setTimeout(r, 5));
  }
  await events.settle();
  expect(calls).toBe(2);
  const status = await outboxStatus(t.db);
  expect(status.parked).toEqual([expect.objectContaining({ consumer: 'flaky', type: 'payment.created', subject: `payment:${p.id}`, attempts: 2, lastError: 'Error: receiver down' })]);

  const admin = (await t.db.read((em) => directory.user(em, f.users.admin)))!;
  const requester = (await t.db.read((em) => directory.user(em, f.users.requester)))!;
  const shown = await outboxCommand({ db: t.db }, admin, 'zh-CN', '');
  expect(JSON.stringify(shown.view)).toContain('已搁置');
  expect((await outboxCommand({ db: t.db }, requester, 'en', '')).view).toMatchObject({ kind: 'message', text: 'Only an admin can look at the outbox.' });

  fail = false;
  expect((await outboxCommand({ db: t.db }, admin, 'en', 'retry')).view).toMatchObject({ text: '1 parked deliveries are queued again.' });
  await events.settle();
  expect(calls).toBe(3);
  expect((await outboxStatus(t.db)).parkedTotal).toBe(0);
});

test('RetryLater (a 429 with Retry-After) defers without counting towards parking', async () => {
  const events = new PaymentEvents(t.db, { listen: false, maxAttempts: 1 });
  let calls = 0;
  events.subscribe('limited', () => {
    calls++;
    if (calls === 1) throw new RetryLater(0);
  }, { types: ['payment.created'] });
  await pay(events, 50_002);
  await events.settle();
  expect(calls).toBe(2); // deferred once, then delivered; with maxAttempts 1 a real failure would have parked it
  const state = await rows(`select state, attempts from outbox_deliveries where consumer = 'limited'`);
  expect(state).toEqual([{ state: 'done', attempts: 1 }]);
});

test('pruning deletes events delivered longer ago than the retention, and keeps parked and recent ones', async () => {
  const events = new PaymentEvents(t.db, { listen: false, maxAttempts: 1 });
  events.subscribe('pruned', (e) => {
    if (e.payment.purpose === 'outbox 50004') throw new Error('always fails');
  }, { types: ['payment.created'] });
  const delivered = await pay(events, 50_003);
  const parked = await pay(events, 50_004);
  await events.settle();
  const state = (p: Payment) => rows(`select d.state from outbox_deliveries d join outbox_events e on e.seq = d.seq where d.consumer = 'pruned' and e.subject_id = ?`, [p.id]);
  expect(await state(delivered)).toEqual([{ state: 'done' }]);
  expect(await state(parked)).toEqual([{ state: 'parked' }]);
  const recent = await pay(events, 50_005);
  await events.settle();
  // The first two were delivered 40 days ago (an injected "now" would need the database's clock; move the rows instead).
  await rows(`update outbox_events set completed_at = now() - interval '40 days' where subject_id in (?, ?)`, [delivered.id, parked.id]);
  const now = new Date((await rows(`select now() as now`))[0].now);
  const left = (p: Payment) => rows(`select count(*)::int as n from outbox_events where subject_id = ?`, [p.id]).then((r) => r[0].n);
  expect(await pruneOutbox(t.db, now, 30, 1)).toBeGreaterThanOrEqual(1);
  expect(await left(delivered)).toBe(0);
  expect(await left(parked)).toBeGreaterThan(0); // parked: an admin may still want it
  expect(await left(recent)).toBeGreaterThan(0);
  expect(await rows(`select count(*)::int as n from outbox_deliveries d where not exists (select 1 from outbox_events e where e.seq = d.seq)`)).toEqual([{ n: 0 }]);
});
