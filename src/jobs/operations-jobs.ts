import type { Agenda } from 'agenda';
import type { JobLogger } from './job-logger';

export const OPERATIONS_JOBS = {
  monitoringSweep: 'monitoring-sweep',
  balanceChecks: 'balance-checks',
  bankInbox: 'bank-inbox',
  calendarWarning: 'calendar-warning',
} as const;

/** What the jobs do; the composition root (app.ts) supplies it from the monitoring module, the bank inbox and the chat layer. */
export interface OperationsJobWork {
  /** Alerts whose first post failed, and open alerts due for a repeat; answers how many were posted. */
  sweepAlerts: () => Promise<number>;
  /** Every account's balance against its threshold and projection (raises or resolves alerts). */
  checkBalances: () => Promise<unknown>;
  /** The ISO 20022 inbox (pain.002, camt.053); only with BANK_GATEWAY=iso20022. */
  processBankInbox?: () => Promise<{ outcome: string }[]>;
  /** Warns (log and admins' DMs) when the holiday calendar of a year that matters is provisional; answers the years. */
  warnProvisionalCalendar?: () => Promise<number[]>;
}

export interface OperationsJobTimes {
  /** monitoring-sweep and balance-checks; 1 minute in the app. */
  monitoringMs: number;
  /** bank-inbox; 5 seconds in the app. */
  bankInboxMs: number;
  /** calendar-warning: once a day at this local time (HH:MM) in `timezone`. */
  calendarWarningAt: string;
  timezone: string;
}

/**
 * The timed work that used to run on each process's own setTimeout loop: the alert
 * sweep, the balance checks, the bank inbox and the calendar warning. As Agenda
 * jobs each has one row in PostgreSQL (`every` rows are unique by name) and is
 * locked by the one process that runs it, so two replicas share them and none runs
 * twice at once. Each is safe to repeat anyway: the sweep claims alerts, balance
 * alerts are de-duplicated by key, and inbox files are moved once applied.
 */
export async function defineOperationsJobs(agenda: Agenda, work: OperationsJobWork, o: OperationsJobTimes, log: JobLogger): Promise<void> {
  const once = { concurrency: 1, lockLimit: 1 };
  agenda.define(OPERATIONS_JOBS.monitoringSweep, async () => {
    const posted = await work.sweepAlerts();
    if (posted > 0) log.info({ job: OPERATIONS_JOBS.monitoringSweep, posted }, 'alerts posted by the sweep');
  }, once);
  agenda.define(OPERATIONS_JOBS.balanceChecks, async () => {
    await work.checkBalances();
  }, once);
  await agenda.every(o.monitoringMs, OPERATIONS_JOBS.monitoringSweep);
  await agenda.every(o.monitoringMs, OPERATIONS_JOBS.balanceChecks);

  const inbox = work.processBankInbox;
  if (inbox) {
    agenda.define(OPERATIONS_JOBS.bankInbox, async () => {
      const results = await inbox();
      if (results.length > 0) log.info({ job: OPERATIONS_JOBS.bankInbox, files: results.length, failed: results.filter((r) => r.outcome !== 'processed').length }, 'bank inbox processed');
    }, once);
    await agenda.every(o.bankInboxMs, OPERATIONS_JOBS.bankInbox);
  }

  const warn = work.warnProvisionalCalendar;
  if (warn) {
    agenda.define(OPERATIONS_JOBS.calendarWarning, async () => {
      await warn();
    }, once);
    const [h, m] = o.calendarWarningAt.split(':').map(Number);
    await agenda.every(`${m} ${h} * * *`, OPERATIONS_JOBS.calendarWarning, {}, { timezone: o.timezone, skipImmediate: true });
  }
}
