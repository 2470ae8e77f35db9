import type { Agenda } from 'agenda';
import type { JobLogger } from './job-logger';

export const REPORT_JOBS = {
  dailySummary: 'daily-treasury-summary',
  snapshots: 'record-balance-snapshots',
} as const;

export interface ReportJobWork {
  /** Posts the daily summary (it checks the business day itself); throws when a route failed, so Agenda retries. */
  postDaily: () => Promise<{ failed: number; posted: number; skipped?: string }>;
  recordSnapshots: () => Promise<number>;
}

/**
 * The reports' two Agenda jobs: the daily summary at `dailyAt` (HH:MM in the
 * business time zone, every day; weekends and holidays are skipped by the
 * poster, against the calendar) and an hourly snapshot of every balance, whose
 * last write of a day is that day's closing balance.
 */
export async function defineReportJobs(agenda: Agenda, work: ReportJobWork, o: { dailyAt: string; timezone: string; log: JobLogger }): Promise<void> {
  agenda.define(REPORT_JOBS.dailySummary, async () => {
    const r = await work.postDaily();
    o.log.info({ job: REPORT_JOBS.dailySummary, ...r }, r.skipped ? 'daily summary skipped' : 'daily summary posted');
    if (r.failed > 0) throw new Error(`${r.failed} daily summary post(s) failed`);
  }, { concurrency: 1, lockLimit: 1 });
  agenda.define(REPORT_JOBS.snapshots, async () => {
    await work.recordSnapshots();
  }, { concurrency: 1, lockLimit: 1 });
  const [h, m] = o.dailyAt.split(':').map(Number);
  await agenda.every(`${m} ${h} * * *`, REPORT_JOBS.dailySummary, {}, { timezone: o.timezone, skipImmediate: true });
  await agenda.every('1 hour', REPORT_JOBS.snapshots, {}, { skipImmediate: false });
}
