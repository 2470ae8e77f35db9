/**
 * The timed work that used to run on each process's own setTimeout loop (alert
 * sweep, balance checks, ISO 20022 inbox, calendar warning) runs on Agenda: two
 * instances on one database hold one row per job, and no round of a job runs in
 * both at once. Plus the calendar warning itself: which years it warns about, and
 * that admins hear it in their language.
 */
import type { Locale } from '../../src/domain/locale';
import type { User } from '../../src/domain/directory';
import type { ChatSurface, LocalisedView, Platform } from '../../commands/contracts';
import { noticeProvisionalCalendar } from '../../commands/schedules/calendar-notice';
import { SandboxBank } from '../../src/banks/sandbox-bank';
import { defineOperationsJobs, OPERATIONS_JOBS, OperationsJobWork } from '../../src/jobs/operations-jobs';
import { RunningScheduler, startScheduler } from '../../src/jobs/scheduler';
import { Database } from '../../src/persistence/database';
import { openOrm } from '../../src/persistence/orm';
import { BankOutbox } from '../../src/services/bank/bank-outbox';
import { provisionalYearsToWarn } from '../../src/services/calendar/calendar-warning';
import { PaymentEvents } from '../../src/services/events';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

const quietLog = { info: () => {}, warn: () => {}, error: () => {} };
const q = (db: Database, sql: string, params: unknown[] = []) => db.read((em) => em.execute(sql, params));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

let t: TestDb;
const started: { stop(): Promise<void> }[] = [];
beforeAll(async () => {
  t = await createTestDb();
  await seedFixture(t.db);
});
afterAll(async () => {
  for (const s of started.splice(0)) await s.stop();
  await t.drop();
});

/** One "process": its own ORM and Agenda (startScheduler, as the app starts it), plus the operations jobs. */
async function processOn(name: string, work: OperationsJobWork): Promise<RunningScheduler> {
  const db = new Database(await openOrm(t.url, { pool: { min: 0, max: 5 } }));
  const ev = new PaymentEvents(db);
  const bank = new SandboxBank(db, 0);
  const s = await startScheduler({
    connectionString: t.url, db, events: ev, bank, log: quietLog, name,
    outbox: new BankOutbox(db, bank, ev), createPayment: new CreatePayment(db, ev),
    config: {
      outboxIntervalMs: 60_000, scanIntervalMs: 60_000, balancePollMs: 60_000, processEveryMs: 50, lockLifetimeMs: 2000,
      remindAfterMs: 1e12, escalateAfterMs: 1e12, expireAfterMs: 1e12, stopTimeoutMs: 10_000,
    },
  });
  await defineOperationsJobs(s.agenda, work, { monitoringMs: 200, bankInboxMs: 200, calendarWarningAt: '09:00', timezone: 'Asia/Shanghai' }, quietLog);
  const stop = async () => { await s.stop(); await db.close(); };
  started.push({ stop });
  return { ...s, stop };
}

test('two instances: one row per operations job, and no round of a job runs in both at once', async () => {
  const runs: { job: string; by: string; start: number; end: number }[] = [];
  // Each round takes a while, so two processes running the same round would overlap for sure.
  const work = (by: string): OperationsJobWork => {
    const round = <T>(job: string, value: T) => async () => {
      const start = Date.now();
      await pause(80);
      runs.push({ job, by, start, end: Date.now() });
      return value;
    };
    return {
      sweepAlerts: round(OPERATIONS_JOBS.monitoringSweep, 0),
      checkBalances: round(OPERATIONS_JOBS.balanceChecks, []),
      processBankInbox: round(OPERATIONS_JOBS.bankInbox, []),
      warnProvisionalCalendar: round(OPERATIONS_JOBS.calendarWarning, []),
    };
  };
  const p1 = await processOn('ops-p1', work('p1'));
  const p2 = await processOn('ops-p2', work('p2'));
  const timed = [OPERATIONS_JOBS.monitoringSweep, OPERATIONS_JOBS.balanceChecks, OPERATIONS_JOBS.bankInbox];
  for (const end = Date.now() + 15_000; timed.some((j) => runs.filter((r) => r.job === j).length < 6); await pause(50))
    if (Date.now() > end) throw new Error(`too few rounds: ${JSON.stringify(runs.map((r) => r.job))}`);
  await p1.stop();
  await p2.stop();

  const rows = await q(t.db, `select name, count(*)::int as n from agenda_jobs where name in (?, ?, ?, ?) group by name order by name`,
    Object.values(OPERATIONS_JOBS));
  expect(rows).toEqual(Object.values(OPERATIONS_JOBS).sort().map((name) => ({ name, n: 1 })));
  for (const job of timed) {
    const mine = runs.filter((r) => r.job === job).sort((a, b) => a.start - b.start);
    for (let i = 1; i < mine.length; i++) expect(mine[i].start).toBeGreaterThanOrEqual(mine[i - 1].end);
  }
  // The daily warning waits for 09:00 in Shanghai (it does not run at start-up).
  expect(runs.filter((r) => r.job === OPERATIONS_JOBS.calendarWarning)).toEqual([]);
  const [warning] = await q(t.db, `select next_run_at from agenda_jobs where name = ?`, [OPERATIONS_JOBS.calendarWarning]);
  expect(new Date(warning.next_run_at).toISOString()).toMatch(/T01:00:00\.000Z$/);
});

describe('the calendar warning', () => {
  test('warns about this year when it is provisional, and about next year only in its last two months', () => {
    const at = (iso: string) => provisionalYearsToWarn(new Date(iso), 'Asia/Shanghai', 2026);
    expect(at('2026-06-30T04:00:00Z')).toEqual([]);
    expect(at('2026-10-31T04:00:00Z')).toEqual([]);
    expect(at('2026-11-02T04:00:00Z')).toEqual([2027]);
    // 2027-01-01 08:00 in Shanghai while still 2026 in UTC: the business time zone decides.
    expect(at('2027-01-01T00:00:00Z')).toEqual([2027]);
    expect(at('2027-07-01T04:00:00Z')).toEqual([2027]);
    expect(at('2027-12-15T04:00:00Z')).toEqual([2027, 2028]);
    expect(provisionalYearsToWarn(new Date('2027-12-15T04:00:00Z'), 'Asia/Shanghai', 2027)).toEqual([2028]);
  });

  test('every active admin is told in their language, on every surface', async () => {
    const sent: { platform: Platform; handle: string; text: (l: Locale) => string }[] = [];
    const surface = (platform: Platform): ChatSurface => ({
      platform,
      postApprovalCard: async () => {},
      updateCard: async () => {},
      postAlert: async () => {},
      notifyUser: async ({ user, view }: { user: User; view: LocalisedView }) => {
        sent.push({ platform, handle: user.handle, text: (l) => { const v = view(l); return v.kind === 'message' ? [v.text, ...(v.detail ?? [])].join(' ') : ''; } });
      },
    });
    const n = await noticeProvisionalCalendar({ db: t.db, surfaces: [surface('slack'), surface('web')], log: quietLog }, [2027], 2026);
    const admins = (await q(t.db, `select handle from users where active and roles @> '{admin}'::text[]`)).map((r: any) => r.handle);
    expect(admins.length).toBeGreaterThan(0);
    expect(n).toBe(admins.length * 2);
    expect(sent.map((s) => `${s.platform}:${s.handle}`).sort()).toEqual(admins.flatMap((h: string) => [`slack:${h}`, `web:${h}`]).sort());
    expect(sent[0].text('en')).toMatch(/official holiday schedule for 2027 is not loaded yet.*ends with 2026.*\/pay holidays add/);
    expect(sent[0].text('zh-CN')).toMatch(/2027 年的官方节假日安排尚未载入.*调休/);
    expect(await noticeProvisionalCalendar({ db: t.db, surfaces: [surface('slack')], log: quietLog }, [], 2026)).toBe(0);
  });
});
