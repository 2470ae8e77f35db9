import { SandboxBank } from '../../src/banks/sandbox-bank';
import { Payment } from '../../src/domain/payment/payment';
import { Result } from '../../src/domain/result';
import { ApprovalReminderPort } from '../../src/jobs/approval-reminder.port';
import { ApprovalTimeouts } from '../../src/jobs/approval-timeouts';
import { BalanceRefresher } from '../../src/jobs/refresh-balances';
import { RunningScheduler, SchedulerConfig, startScheduler } from '../../src/jobs/scheduler';
import { Database } from '../../src/persistence/database';
import { openOrm } from '../../src/persistence/orm';
import { verifyAuditChain } from '../../src/services/audit/verify-audit-chain';
import { BankOutbox } from '../../src/services/bank/bank-outbox';
import { PaymentEvents } from '../../src/services/events';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { ScheduleRunner } from '../../src/services/schedules/schedule-runner';
import { CreateScheduleInput, ScheduleService } from '../../src/services/schedules/schedule-service';
import { tierToStored } from '../../src/persistence/mappers/payment.mapper';
import { CNY_TIERS, Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

const value = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`refused: ${r.code} ${JSON.stringify(r.params ?? {})}`);
  return r.value;
};
const yuan = (n: number) => ({ minor: BigInt(n) * 100n, currency: 'CNY' });
const quietLog = { info: () => {}, warn: () => {}, error: () => {} };
const q = (db: Database, sql: string, params: unknown[] = []) => db.read((em) => em.execute(sql, params));
/** Polls until the condition holds (the jobs run on their own schedule); fails after 10 s. */
async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await condition()); ) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A clock the test moves by hand: 2026-11-30 is a Monday; 00:00Z is 08:00 in Shanghai. */
let nowMs = Date.parse('2026-11-30T00:00:00Z');
const clock = () => new Date(nowMs);
const at = (iso: string) => { nowMs = Date.parse(iso); };

let t: TestDb;
let f: Fixture;
let events: PaymentEvents;
let create: CreatePayment;
let schedules: ScheduleService;
let runner: ScheduleRunner;

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  events = new PaymentEvents(t.db);
  create = new CreatePayment(t.db, events, undefined, clock);
  schedules = new ScheduleService(t.db, clock);
  runner = new ScheduleRunner(t.db, create, events, clock);
});
afterAll(async () => { await events.settle(); await t.drop(); });

const input = (over: Partial<CreateScheduleInput> = {}): CreateScheduleInput => ({
  requesterId: f.users.requester, debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: yuan(50_000),
  purpose: 'Office rent', cadence: 'daily', ...over,
});
async function activeSchedule(over: Partial<CreateScheduleInput> = {}, approver = f.users.approver) {
  const { schedule } = value(await schedules.create(input(over)));
  return value(await schedules.approveSchedule(schedule.reference, approver));
}
const paymentsOf = (scheduleId: string) =>
  q(t.db, `select idempotency_key, status, execution_date, requester_id from payments where schedule_id = ? order by execution_date`, [scheduleId]);
const auditOf = (subject: string) =>
  q(t.db, `select actor, action, data from audit_events where subject_id = ? order by seq`, [subject]);

describe('schedules', () => {
  test('create → pending approval with its next three runs; maker–checker; approval activates', async () => {
    at('2026-11-30T00:00:00Z');
    expect(await schedules.create(input({ cadence: 'sometimes' }))).toMatchObject({ ok: false, code: 'SCHEDULE.BAD_CADENCE' });
    expect(await schedules.create(input({ startDate: '2026-11-01' }))).toMatchObject({ ok: false, code: 'SCHEDULE.START_IN_PAST' });
    const { schedule, upcoming } = value(await schedules.create(input({ cadence: '每月25日' })));
    expect(schedule).toMatchObject({ status: 'pending_approval', timezone: 'Asia/Shanghai', startDate: '2026-11-30' });
    expect(schedule.reference).toMatch(/^SCH-\d{6}$/);
    expect(upcoming.map((r) => r.date)).toEqual(['2026-12-25', '2027-01-25', '2027-02-25']);
    expect(await schedules.approveSchedule(schedule.reference, f.users.requester)).toMatchObject({ code: 'SCHEDULE.SELF_APPROVAL' });
    const active = value(await schedules.approveSchedule(schedule.reference, f.users.approver));
    expect(active).toMatchObject({ status: 'active', approvedBy: f.users.approver, autoRunApproved: true, approvedAmount: yuan(50_000) });
    expect((await schedules.approveSchedule(schedule.reference, f.users.approver2)).ok).toBe(false);
    expect((await auditOf(schedule.reference)).map((e: any) => e.action)).toEqual(['schedule.created', 'schedule.approved']);
  });

  test('runs are pre-approved only when one approver could release them alone', async () => {
    at('2026-11-30T00:00:00Z');
    expect((await activeSchedule({ amount: yuan(60_000) }, f.users.lowLimit)).autoRunApproved).toBe(false); // over lou's limit
    expect((await activeSchedule({ amount: yuan(500_000) }, f.users.treasurer)).autoRunApproved).toBe(false); // tier needs two
    expect((await activeSchedule({ amount: yuan(800) }, f.users.lowLimit)).autoRunApproved).toBe(true); // tier auto-approves
    await q(t.db, `update payment_schedules set status = 'cancelled', next_due_at = null where status = 'active'`);
  });

  test('a due run creates one payment, released as system:schedule; firing it twice still makes one', async () => {
    at('2026-11-30T00:00:00Z');
    const s = await activeSchedule();
    expect(s.nextDueAt?.toISOString()).toBe('2026-11-30T01:00:00.000Z'); // 09:00 Shanghai
    expect((await runner.runDue()).outcomes).toEqual([]);
    at('2026-11-30T01:00:05Z');
    const [a, b] = await Promise.all([runner.runOne(s.id), runner.runOne(s.id)]);
    expect([...a, ...b]).toHaveLength(1);
    expect((await runner.runDue()).outcomes).toEqual([]);
    // A crash after the payment committed but before the cursor moved: the run is fired again.
    await q(t.db, `update payment_schedules set last_nominal_date = null, next_due_at = ? where id = ?`, [s.nextDueAt, s.id]);
    const again = (await runner.runDue()).outcomes;
    expect(again).toMatchObject([{ dueDate: '2026-11-30', replayed: true }]);
    const rows = await paymentsOf(s.id);
    expect(rows).toEqual([{ idempotency_key: `${s.id}:2026-11-30`, status: 'approved', execution_date: '2026-11-30', requester_id: f.users.requester }]);
    const reference = (await q(t.db, `select reference from payments where schedule_id = ?`, [s.id]))[0].reference;
    expect(await auditOf(reference)).toEqual([
      expect.objectContaining({ action: 'payment.created' }),
      expect.objectContaining({ action: 'payment.approved', actor: 'system:schedule' }),
    ]);
    await schedules.cancel(s.reference, f.users.requester);
  });

  test('runs missed while paydesk was down: only the latest is paid, older ones are recorded as skipped', async () => {
    at('2026-11-30T00:00:00Z');
    const s = await activeSchedule();
    at('2026-12-04T02:00:00Z'); // Friday 10:00 in Shanghai, four runs late
    const { outcomes } = await runner.runDue();
    expect(outcomes).toMatchObject([{ dueDate: '2026-12-04', skipped: ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03'] }]);
    expect((await runner.runDue()).outcomes).toEqual([]);
    expect((await paymentsOf(s.id)).map((p: any) => p.execution_date)).toEqual(['2026-12-04']);
    const skipped = (await auditOf(s.reference)).filter((e: any) => e.action === 'schedule.run_skipped');
    expect(skipped.map((e: any) => [e.data.dueDate, e.data.reason])).toEqual([
      ['2026-11-30', 'missed'], ['2026-12-01', 'missed'], ['2026-12-02', 'missed'], ['2026-12-03', 'missed'],
    ]);
    const shown = value(await schedules.show(s.reference));
    expect(shown.schedule).toMatchObject({ runsDone: 5, nextDueDate: '2026-12-07', lastNominalDate: '2026-12-04' });
    await schedules.cancel(s.reference, f.users.requester);
  });

  test('no money dropped: a daily schedule across the National Day week pays one payment per cadence date on 10-08', async () => {
    at('2026-09-30T00:00:00Z');
    const s = await activeSchedule({ amount: yuan(1_234), startDate: '2026-10-01' });
    expect(s.nextDueDate).toBe('2026-10-08'); // 10-01…10-07 are the official holiday (chinese-days)
    at('2026-10-08T01:00:05Z'); // 09:00:05 in Shanghai
    const { outcomes, failures } = await runner.runDue();
    expect(failures).toEqual([]);
    const days = ['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => `2026-10-${d}`);
    expect(outcomes.map((o) => [o.dueDate, o.nominalDates, o.payment?.status, o.skipped])).toEqual(days.map((d) => ['2026-10-08', [d], 'approved', []]));
    const rows = await paymentsOf(s.id);
    expect(rows.map((r: any) => r.idempotency_key).sort()).toEqual(days.map((d) => `${s.id}:${d}`));
    expect(new Set(rows.map((r: any) => `${r.status} ${r.execution_date}`))).toEqual(new Set(['approved 2026-10-08']));
    expect(value(await schedules.show(s.reference)).schedule).toMatchObject({ runsDone: 8, lastNominalDate: '2026-10-08', nextDueDate: '2026-10-09' });
    // Fired again (a second replica, a retry): nothing new.
    expect((await runner.runDue()).outcomes).toEqual([]);
    expect(await paymentsOf(s.id)).toHaveLength(8);
    await schedules.cancel(s.reference, f.users.requester);
  });

  test('combine: the same week is one payment for the sum', async () => {
    at('2026-09-30T00:00:00Z');
    const s = await activeSchedule({ amount: yuan(1_234), startDate: '2026-10-01', combine: true });
    expect(s.combine).toBe(true);
    at('2026-10-08T01:00:05Z');
    const { outcomes } = await runner.runDue();
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ dueDate: '2026-10-08', payment: { status: 'approved' } });
    expect(outcomes[0].nominalDates).toHaveLength(8);
    const rows = await q(t.db, `select idempotency_key, amount_minor, status from payments where schedule_id = ?`, [s.id]);
    expect(rows).toEqual([{ idempotency_key: `${s.id}:${outcomes[0].nominalDates.join('+')}`, amount_minor: String(8 * 1_234 * 100), status: 'approved' }]);
    await schedules.cancel(s.reference, f.users.requester);
  });

  test('a run above the pre-approved terms waits for a person', async () => {
    at('2026-11-30T00:00:00Z');
    const s = await activeSchedule({ amount: yuan(60_000) }, f.users.lowLimit);
    const toNew = await activeSchedule({ payeeId: f.newPayeeId });
    at('2026-11-30T01:30:00Z');
    const outcomes = (await runner.runDue()).outcomes;
    expect(outcomes.find((o) => o.schedule === s.reference)).toMatchObject({ released: false });
    expect(outcomes.find((o) => o.schedule === toNew.reference)).toMatchObject({ released: false, heldBecause: expect.stringMatching(/payee/) });
    expect((await paymentsOf(s.id))[0].status).toBe('pending_approval');
    expect((await paymentsOf(toNew.id))[0].status).toBe('pending_approval');
    for (const x of [s, toNew]) await schedules.cancel(x.reference, f.users.treasurer);
  });

  test('a pre-approved run is held, with the reason audited, once its approver no longer stands behind it', async () => {
    at('2026-11-30T00:00:00Z');
    // One schedule per approver, so each approver's standing can change in its own way.
    const byAdam = await activeSchedule({ purpose: 'Rent A' }, f.users.approver);
    const byAmy = await activeSchedule({ purpose: 'Rent B' }, f.users.approver2);
    const byTess = await activeSchedule({ purpose: 'Rent C' }, f.users.treasurer);
    const byLou = await activeSchedule({ purpose: 'Rent D', amount: yuan(40_000) }, f.users.lowLimit);
    const all = [byAdam, byAmy, byTess, byLou];
    expect(all.map((s) => s.autoRunApproved)).toEqual([true, true, true, true]);
    const setUser = (id: string, set: string) => q(t.db, `update users set ${set} where id = ?`, [id]);
    const setTiers = (tiers: typeof CNY_TIERS) =>
      q(t.db, `update approval_policies set tiers = ?::jsonb where currency = 'CNY'`, [JSON.stringify(tiers.map(tierToStored))]);
    const runDay = async (iso: string) => {
      at(iso);
      const { outcomes, failures } = await runner.runDue();
      expect(failures).toEqual([]);
      return (s: { reference: string }) => outcomes.find((o) => o.schedule === s.reference)!;
    };
    const lastStatus = async (id: string) => (await paymentsOf(id)).at(-1)?.status;
    const held = async (s: { reference: string }) =>
      (await auditOf(s.reference)).filter((e: any) => e.action === 'schedule.run_held').map((e: any) => [e.data.dueDate, e.data.reason]);

    try {
      await setUser(f.users.approver, 'active = false');
      await setUser(f.users.approver2, `approval_limits = '{"CNY":"4000000"}'`); // ¥40,000, below the ¥50,000 runs
      await setUser(f.users.treasurer, `roles = '{requester}'`);
      const day1 = await runDay('2026-11-30T01:00:05Z');
      expect(day1(byAdam)).toMatchObject({ released: false, heldBecause: expect.stringMatching(/no longer active/) });
      expect(day1(byAmy)).toMatchObject({ released: false, heldBecause: expect.stringMatching(/limit no longer covers/) });
      expect(day1(byTess)).toMatchObject({ released: false, heldBecause: expect.stringMatching(/no longer holds a role/) });
      expect(day1(byLou)).toMatchObject({ released: true }); // lou's standing did not change
      for (const s of [byAdam, byAmy, byTess]) expect(await lastStatus(s.id)).toBe('pending_approval');
      expect(await lastStatus(byLou.id)).toBe('approved');
      expect(await held(byAdam)).toEqual([['2026-11-30', day1(byAdam).heldBecause]]);
      expect(await held(byLou)).toEqual([]);
      const pending = (await q(t.db, `select reference from payments where schedule_id = ?`, [byAdam.id]))[0].reference;
      expect((await auditOf(pending)).map((e: any) => e.action)).toEqual(['payment.created']); // nobody released it
    } finally {
      await setUser(f.users.approver, 'active = true');
      await setUser(f.users.approver2, `approval_limits = '{"CNY":"100000000000"}'`);
      await setUser(f.users.treasurer, `roles = '{treasurer}'`);
    }

    try {
      // The admin tightens the policy: above ¥10,000 now takes two approvals, so no single approval releases a run.
      await setTiers([CNY_TIERS[0], { upTo: null, approvals: 2, roles: ['approver', 'treasurer'], autoApprove: false }]);
      const day2 = await runDay('2026-12-01T01:00:05Z');
      for (const s of all) expect(day2(s)).toMatchObject({ released: false, heldBecause: expect.stringMatching(/needs 2 approvals/) });
      for (const s of all) expect(await lastStatus(s.id)).toBe('pending_approval');
      expect((await held(byLou)).map(([d]) => d)).toEqual(['2026-12-01']);
    } finally {
      await setTiers(CNY_TIERS);
    }

    // Standing and policy restored: runs are released under the schedule's approval again.
    const day3 = await runDay('2026-12-02T01:00:05Z');
    for (const s of all) expect(day3(s)).toMatchObject({ released: true });
    for (const s of all) expect(await lastStatus(s.id)).toBe('approved');
    for (const s of all) await schedules.cancel(s.reference, f.users.requester);
    await q(t.db, `update payments set status = 'cancelled' where status = 'pending_approval'`);
  });

  test('pause skips what falls due meanwhile; resume picks up from now; cancel ends it', async () => {
    at('2026-11-30T00:00:00Z');
    const s = await activeSchedule();
    expect((await schedules.pause(s.reference, f.users.approver)).ok).toBe(false); // not the requester, no treasurer role
    value(await schedules.pause(s.reference, f.users.requester));
    at('2026-12-02T03:00:00Z');
    expect((await runner.runDue()).outcomes.filter((o) => o.schedule === s.reference)).toEqual([]);
    const resumed = value(await schedules.resume(s.reference, f.users.requester));
    expect(resumed).toMatchObject({ status: 'active', nextDueDate: '2026-12-03', lastNominalDate: '2026-12-02', runsDone: 3 });
    expect(value(await schedules.cancel(s.reference, f.users.requester)).status).toBe('cancelled');
    expect(await schedules.resume(s.reference, f.users.requester)).toMatchObject({ code: 'SCHEDULE.NOT_PAUSED' });
    expect(await paymentsOf(s.id)).toEqual([]);
  });

  test('a pause by a treasurer or admin is lifted only by a treasurer or admin who is not the requester', async () => {
    at('2026-11-30T00:00:00Z');
    const s = await activeSchedule();
    value(await schedules.pause(s.reference, f.users.treasurer));
    expect(await schedules.resume(s.reference, f.users.requester)).toMatchObject({ ok: false, code: 'SCHEDULE.PAUSED_BY_OTHER', params: { by: 'TESS' } });
    expect(value(await schedules.show(s.reference)).schedule).toMatchObject({ status: 'paused', pausedBy: f.users.treasurer });
    expect(await schedules.resume(s.reference, f.users.approver)).toMatchObject({ ok: false, code: 'SCHEDULE.NOT_YOURS' });
    const resumed = value(await schedules.resume(s.reference, f.users.admin));
    expect(resumed.status).toBe('active');
    expect(resumed.pausedBy).toBeUndefined();
    // The requester's own pause stays theirs to lift.
    value(await schedules.pause(s.reference, f.users.requester));
    expect(value(await schedules.resume(s.reference, f.users.requester)).status).toBe('active');
    expect((await auditOf(s.reference)).filter((e: any) => e.action === 'schedule.resumed').map((e: any) => [e.actor, e.data.pausedBy])).toEqual([
      ['user:root', f.users.treasurer], ['user:rita', f.users.requester],
    ]);

    // An admin who requested the schedule is its requester first: a treasurer's pause is not theirs to lift.
    const own = await activeSchedule({ requesterId: f.users.admin });
    value(await schedules.pause(own.reference, f.users.treasurer));
    expect(await schedules.resume(own.reference, f.users.admin)).toMatchObject({ ok: false, code: 'SCHEDULE.PAUSED_BY_OTHER' });
    expect(value(await schedules.resume(own.reference, f.users.treasurer)).status).toBe('active');
    // A pause with no recorded pauser (from before pausers were recorded) counts as someone else's.
    value(await schedules.pause(own.reference, f.users.admin));
    await q(t.db, `update payment_schedules set paused_by = null where id = ?`, [own.id]);
    expect(await schedules.resume(own.reference, f.users.admin)).toMatchObject({ ok: false, code: 'SCHEDULE.PAUSED_BY_OTHER', params: { by: '?' } });
    for (const x of [s, own]) await schedules.cancel(x.reference, f.users.treasurer);
  });

  test('holidays move the next run; only admins edit them', async () => {
    at('2026-11-30T00:00:00Z');
    const s = await activeSchedule({ cadence: 'every friday' });
    expect(s.nextDueDate).toBe('2026-12-04');
    expect(await schedules.addHoliday('2026-12-04', 'Test day', f.users.requester)).toMatchObject({ code: 'SCHEDULE.ADMIN_ONLY' });
    value(await schedules.addHoliday('2026-12-04', 'Test day', f.users.admin));
    expect(await schedules.addHoliday('2026-12-04', 'Again', f.users.admin)).toMatchObject({ code: 'SCHEDULE.HOLIDAY_EXISTS' });
    expect(value(await schedules.show(s.reference)).schedule.nextDueDate).toBe('2026-12-07');
    value(await schedules.removeHoliday('2026-12-04', f.users.admin));
    expect(value(await schedules.show(s.reference)).schedule.nextDueDate).toBe('2026-12-04');
    await schedules.cancel(s.reference, f.users.requester);
    expect((await verifyAuditChain(t.db)).intact).toBe(true);
  });
});

describe('approval timeouts and balances', () => {
  test('reminder → escalation → expiry, each once', async () => {
    at('2026-12-10T00:00:00Z');
    await q(t.db, `update payments set status = 'cancelled' where status = 'pending_approval'`);
    const calls: string[] = [];
    const notify: ApprovalReminderPort = {
      remind: async (p, ids) => { calls.push(`remind ${p.reference} ${ids.length}`); },
      escalate: async (p, ids) => { calls.push(`escalate ${p.reference} ${ids.join()}`); },
      expired: async (p) => { calls.push(`expired ${p.reference} ${p.status}`); },
    };
    const changed: Payment[] = [];
    events.subscribe('test', (e) => { if (e.type === 'payment.status_changed') changed.push(e.payment); });
    const timeouts = new ApprovalTimeouts(t.db, events, { remindAfterMs: 1000, escalateAfterMs: 2000, expireAfterMs: 3000 }, quietLog, notify, clock);
    const { payment } = value(await create.execute({
      source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: yuan(60_000), purpose: 'Invoice 7',
      requesterId: f.users.requester, actor: 'user:rita',
    }));
    const step = async (ms: number) => { nowMs += ms; return timeouts.run(); };
    expect(await step(500)).toEqual({ reminded: 0, escalated: 0, expired: 0 });
    expect(await step(1000)).toEqual({ reminded: 1, escalated: 0, expired: 0 });
    expect(await step(100)).toEqual({ reminded: 0, escalated: 0, expired: 0 });
    expect(await step(1000)).toEqual({ reminded: 0, escalated: 1, expired: 0 });
    expect(await step(100)).toEqual({ reminded: 0, escalated: 0, expired: 0 });
    expect(await step(1000)).toEqual({ reminded: 0, escalated: 0, expired: 1 });
    expect(await step(1000)).toEqual({ reminded: 0, escalated: 0, expired: 0 });
    await events.settle();
    // Who may release ¥60,000: adam, amy, tess; lou's limit is ¥50,000 and rita is the requester.
    expect(calls).toEqual([`remind ${payment.reference} 3`, `escalate ${payment.reference} ${f.users.treasurer}`, `expired ${payment.reference} expired`]);
    // A consumer that joins late also receives the backlog (earlier tests' events): look at this payment only.
    expect(changed.filter((p) => p.id === payment.id).map((p) => [p.reference, p.status])).toEqual([[payment.reference, 'expired']]);
    expect((await auditOf(payment.reference)).map((e: any) => e.action)).toEqual(['payment.created', 'approval.reminded', 'approval.escalated', 'payment.expired']);
  });

  test('balances follow the bank, with an audit event only when the amount changed', async () => {
    const bank = new SandboxBank(t.db, 0);
    await bank.openAccount(f.accountNumber, 'CNY', 123_456n);
    const seen: string[] = [];
    const refresher = new BalanceRefresher(t.db, bank, quietLog, (id, info) => { seen.push(`${id}:${info.changed}`); });
    expect(await refresher.run()).toEqual({ checked: 1, changed: 1, failed: 0 });
    expect(await refresher.run()).toEqual({ checked: 1, changed: 0, failed: 0 });
    expect((await q(t.db, `select balance_minor from bank_accounts where id = ?`, [f.accountId]))[0].balance_minor).toBe('123456');
    expect(seen).toEqual([`${f.accountId}:true`, `${f.accountId}:false`]);
    expect((await q(t.db, `select count(*)::int as n from audit_events where action = 'account.balance_refreshed'`))[0].n).toBe(1);
  });
});

describe('on Agenda', () => {
  let t2: TestDb;
  let f2: Fixture;
  const started: RunningScheduler[] = [];
  const config: SchedulerConfig = {
    outboxIntervalMs: 300, scanIntervalMs: 200, balancePollMs: 1000, processEveryMs: 100, lockLifetimeMs: 2000,
    remindAfterMs: 1e12, escalateAfterMs: 1e12, expireAfterMs: 1e12, stopTimeoutMs: 10_000,
  };
  beforeAll(async () => {
    t2 = await createTestDb(); // fresh database: the outbox here must not pick up the payments above
    f2 = await seedFixture(t2.db);
  });
  afterAll(async () => {
    for (const s of started) await s.stop();
    await t2.drop();
  });

  /** One "process": its own ORM, events, services and Agenda. */
  async function processOn(name: string, clockFn: () => Date, bank?: SandboxBank) {
    const db = new Database(await openOrm(t2.url, { pool: { min: 0, max: 10 } }));
    const ev = new PaymentEvents(db);
    const b = bank ?? new SandboxBank(db, 0);
    const createPayment = new CreatePayment(db, ev, undefined, clockFn);
    const s = await startScheduler({
      connectionString: t2.url, db, events: ev, bank: b, log: quietLog, config, clock: clockFn, name,
      outbox: new BankOutbox(db, b, ev), createPayment,
    });
    started.push(s);
    // The same work the run-due-schedules job does, callable directly: a round whose Agenda lock expired and
    // was taken over while it still ran, or a manual catch-up, races the job like this.
    const runner = new ScheduleRunner(db, createPayment, ev, clockFn);
    return { ...s, runner, stop: async () => { await s.stop(); await ev.settle(); await db.close(); started.splice(started.indexOf(s), 1); } };
  }

  test('two instances on one database: each due run and each one-off job fires exactly once', async () => {
    // The calendar is walked a day at a time (10:00 Shanghai, Monday to Friday); each step waits until the
    // day's runs are handled by whichever process got there, so nothing depends on how fast the machine is.
    let fakeNow = Date.parse('2026-11-30T00:30:00Z');
    const fake = () => new Date(fakeNow);
    const svc = new ScheduleService(t2.db, fake);
    const ids: string[] = [];
    for (const amount of [100, 200, 300]) {
      const { schedule } = value(await svc.create({
        requesterId: f2.users.requester, debtorAccountId: f2.accountId, payeeId: f2.knownPayeeId, amount: yuan(amount),
        purpose: `Daily ${amount}`, cadence: 'daily', startDate: '2026-11-30',
      }));
      ids.push(value(await svc.approveSchedule(schedule.id, f2.users.approver)).id);
    }
    await q(t2.db, `create table probe_runs (n int not null, by text not null)`);
    const [p1, p2] = [await processOn('p1', fake), await processOn('p2', fake)];
    for (const [p, by] of [[p1, 'p1'], [p2, 'p2']] as const)
      p.agenda.define('probe', async (job: any) => { await q(t2.db, `insert into probe_runs values (?, ?)`, [job.attrs.data.n, by]); });
    for (let n = 0; n < 6; n++) await p1.agenda.schedule(new Date(Date.now() + 100 + n * 150), 'probe', { n });

    const days = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'];
    for (const day of days) {
      fakeNow = Date.parse(`${day}T02:00:00Z`);
      // Contended: besides the Agenda job, three rounds per process start at once on every schedule due. Only the
      // schedule row lock (SKIP LOCKED) keeps them from each running the day's run: without it they all read the
      // schedule before anyone advanced it, and each records a run (idempotency keys only keep the payments single).
      const racers = await Promise.all([p1, p2].flatMap((p) => [1, 2, 3].map(() => p.runner.runDue())));
      expect(racers.flatMap((r) => r.failures)).toEqual([]);
      await until(async () => {
        const rows = await q(t2.db, `select next_due_date from payment_schedules where status = 'active'`);
        return rows.length === ids.length && rows.every((r: any) => r.next_due_date > day);
      });
    }
    await until(async () => (await q(t2.db, `select count(*)::int as n from probe_runs`))[0].n >= 6);
    await p1.stop();
    await p2.stop();

    const probes = await q(t2.db, `select n, count(*)::int as c from probe_runs group by n order by n`);
    expect(probes).toEqual([0, 1, 2, 3, 4, 5].map((n) => ({ n, c: 1 })));
    for (const id of ids) {
      const keys = (await q(t2.db, `select idempotency_key from payments where schedule_id = ? order by 1`, [id])).map((r: any) => r.idempotency_key);
      expect(keys).toEqual(days.map((d) => `${id}:${d}`));
      const reference = (await q(t2.db, `select reference from payment_schedules where id = ?`, [id]))[0].reference;
      const runs = await q(t2.db, `select action from audit_events where subject_id = ? and action like 'schedule.run%'`, [reference]);
      expect(runs.map((r: any) => r.action)).toEqual(days.map(() => 'schedule.run'));
      expect((await q(t2.db, `select runs_done from payment_schedules where id = ?`, [id]))[0].runs_done).toBe(days.length);
    }
  }, 90_000); // five days walked by two processes and six racers: slow on a loaded machine, never asserted on time

  test('graceful stop: the running job finishes, stop resolves, no lock is left behind', async () => {
    let entered!: () => void;
    const submitting = new Promise<void>((r) => (entered = r));
    const db = t2.db;
    const slowBank = new SandboxBank(db, 0);
    const submit = slowBank.submit.bind(slowBank);
    slowBank.submit = async (i) => { entered(); await new Promise((r) => setTimeout(r, 800)); return submit(i); };
    await q(db, `update payments set status = 'cancelled' where status in ('approved', 'pending_approval')`);
    await q(db, `update payment_schedules set status = 'cancelled', next_due_at = null`);
    const { payment } = value(await new CreatePayment(db, new PaymentEvents(db)).execute({
      source: 'chat', debtorAccountId: f2.accountId, payeeId: f2.knownPayeeId, amount: yuan(800), purpose: 'Small', requesterId: f2.users.requester, actor: 'user:rita',
    }));
    expect(payment.status).toBe('approved'); // tier 1 auto-approves
    const p = await processOn('p3', () => new Date(), slowBank);
    await submitting;
    await p.stop();
    expect((await q(t2.db, `select status from payments where id = ?`, [payment.id]))[0].status).toBe('submitted');
    expect((await q(t2.db, `select count(*)::int as n from agenda_jobs where locked_at is not null`))[0].n).toBe(0);
  });
});
