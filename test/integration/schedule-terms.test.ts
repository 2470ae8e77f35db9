import { PaymentEvents } from '../../src/services/events';
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
