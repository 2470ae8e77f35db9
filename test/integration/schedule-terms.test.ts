import { alertCard } from '../../commands/alerts/alert-card.view';
import { PaymentEvents } from '../../src/services/events';
import { AlertService } from '../../src/services/monitoring/alert-service';
import { BalanceMonitor } from '../../src/services/monitoring/balance-monitor';
import { anomalyCheckFor } from '../../src/services/monitoring/anomaly-check';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { ScheduleRunner } from '../../src/services/schedules/schedule-runner';
import { CreateScheduleInput, ScheduleService } from '../../src/services/schedules/schedule-service';
import { Result } from '../../src/domain/result';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

/*
 * Schedules and monitoring agree: with the REAL anomaly check, runs of an
 * approved schedule are checked against the approved terms (not against each
 * other), and a run that departs from them is held with its reason.
 */
const value = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`refused: ${r.code} ${JSON.stringify(r.params ?? {})}`);
  return r.value;
};
const yuan = (n: number) => ({ minor: BigInt(n) * 100n, currency: 'CNY' });

let nowMs = Date.parse('2026-11-30T00:00:00Z'); // Monday 08:00 in Shanghai
const clock = () => new Date(nowMs);
const at = (iso: string) => { nowMs = Date.parse(iso); };

let t: TestDb;
let f: Fixture;
let events: PaymentEvents;
let schedules: ScheduleService;
let runner: ScheduleRunner;

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  events = new PaymentEvents();
  schedules = new ScheduleService(t.db, clock);
  runner = new ScheduleRunner(t.db, new CreatePayment(t.db, events, anomalyCheckFor(), clock), events, clock);
});
afterAll(async () => { await events.settle(); await t.drop(); });

const q = (sql: string, params: unknown[] = []) => t.db.read((em) => em.execute(sql, params));
async function activeSchedule(over: Partial<CreateScheduleInput>) {
  const { schedule } = value(await schedules.create({
    requesterId: f.users.requester, debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: yuan(50_000),
    purpose: 'Office rent', cadence: 'daily', ...over,
  }));
  return value(await schedules.approveSchedule(schedule.reference, f.users.approver));
}
const runsOf = (id: string) =>
  q(`select execution_date, status, warnings from payments where schedule_id = ? order by execution_date, created_at`, [id]);

test('a daily round-amount schedule: every run released under its approval, no duplicate, no round-amount warning', async () => {
  at('2026-11-30T00:00:00Z');
  const s = await activeSchedule({});
  expect(s.autoRunApproved).toBe(true);
  for (const day of ['2026-11-30', '2026-12-01', '2026-12-02']) {
    at(`${day}T01:00:05Z`);
    const { outcomes, failures } = await runner.runDue();
    expect(failures).toEqual([]);
    expect(outcomes).toMatchObject([{ dueDate: day, released: true }]);
  }
  const rows = await runsOf(s.id);
  expect(rows.map((r: any) => [r.execution_date, r.status, r.warnings])).toEqual([
    ['2026-11-30', 'approved', []], ['2026-12-01', 'approved', []], ['2026-12-02', 'approved', []],
  ]);
  // The same amount by hand is still a duplicate of the schedule's payment: only the schedule's own runs are exempt.
  const manual = value(await new CreatePayment(t.db, events, anomalyCheckFor(), clock).execute({
    source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: yuan(50_000), purpose: 'rent again',
    requesterId: f.users.requester, actor: 'user:rita',
  }));
  expect(manual.payment.warnings.map((w) => w.code)).toContain('ANOMALY.DUPLICATE');
  await schedules.cancel(s.reference, f.users.requester);
});

test('payee bank details changed since approval: the run is held for a treasurer with the reason', async () => {
  at('2026-12-03T00:00:00Z');
  const s = await activeSchedule({ amount: yuan(1_234), purpose: 'cleaning' });
  await q(`update payees set account_number = '6222020000009999', bank_details_changed_at = ? where id = ?`, [new Date('2026-12-03T00:30:00Z'), f.knownPayeeId]);
  at('2026-12-03T01:00:05Z');
  const { outcomes } = await runner.runDue();
  expect(outcomes).toHaveLength(1);
  expect(outcomes[0].released).toBe(false);
  expect(outcomes[0].heldBecause).toContain('ANOMALY.CHANGED_BANK_DETAILS');
  expect(outcomes[0].payment).toMatchObject({ status: 'pending_approval', tier: { requireRole: 'treasurer' } });
  expect(outcomes[0].payment!.warnings).toEqual([
    expect.objectContaining({ code: 'ANOMALY.CHANGED_BANK_DETAILS', severity: 'high', detail: `${s.reference} · 2026-12-03` }),
  ]);
  await schedules.cancel(s.reference, f.users.requester);
  await q(`update payees set bank_details_changed_at = null where id = ?`, [f.knownPayeeId]);
});

test('a balance too low for the run: held with the reason', async () => {
  at('2026-12-04T00:00:00Z');
  const s = await activeSchedule({ amount: yuan(2_000), purpose: 'cleaning' });
  await q(`update bank_accounts set balance_minor = 100000 where id = ?`, [f.accountId]);
  at('2026-12-04T01:00:05Z');
  const { outcomes } = await runner.runDue();
  expect(outcomes[0]).toMatchObject({ released: false, payment: { status: 'pending_approval' } });
  expect(outcomes[0].payment!.warnings).toEqual([
    expect.objectContaining({ code: 'ANOMALY.SCHEDULE_BALANCE_TOO_LOW', severity: 'high' }),
  ]);
  await schedules.cancel(s.reference, f.users.requester);
});

test('projected balance over 30 days counts every run: a daily ¥20,000 on ¥100,000 with a ¥50,000 threshold warns for the day it crosses', async () => {
  at('2026-12-07T00:00:00Z'); // Monday 08:00 in Shanghai
  // The earlier tests' payments have left (settled): only this schedule is committed from the account.
  await q(`update payments set status = 'settled' where status in ('approved', 'submitted')`);
  await q(`update bank_accounts set balance_minor = ?, low_balance_threshold_minor = ? where id = ?`, [10_000_000, 5_000_000, f.accountId]);
  const s = await activeSchedule({ amount: yuan(20_000), purpose: 'daily supplies', cadence: 'every business day' });
  const alerts = new AlertService(t.db, undefined, { repeatAfterMs: 3_600_000, clock });
  const monitor = new BalanceMonitor(t.db, alerts, { projectionDays: 30, timezone: 'Asia/Shanghai', clock });
  const check = (await monitor.check(f.accountId))!;
  // Next run only (the old projection) would be ¥80,000 and warn no one; three runs take it to ¥40,000 on Wednesday.
  expect(check.crossing).toEqual({ date: '2026-12-09', balanceAfter: 4_000_000n, takenBy: [{ source: s.reference, count: 3, minor: 6_000_000n }] });
  expect(check.outflows.scheduled).toBeGreaterThan(20n * 2_000_000n);
  expect(check.raised.map((a) => [a.kind, a.detail.crossesOn, (a.detail.takenBy as any[])[0].source])).toEqual([
    ['projected_low_balance', '2026-12-09', s.reference],
  ]);
  expect(check.raised[0].title).toContain(`from 2026-12-09 (${s.reference})`);
  const card = alertCard(check.raised[0])('en');
  expect(card.fields).toEqual(expect.arrayContaining([
    { label: 'Below the threshold from', value: '2026-12-09 (balance then CNY 40,000.00)' },
    { label: 'Taken there by', value: `${s.reference} × 3: CNY 60,000.00` },
  ]));
  await schedules.cancel(s.reference, f.users.requester);
});
