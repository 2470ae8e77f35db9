import { Agenda, Job, backoffStrategies } from 'agenda';
import type { BankOutbox } from '../services/bank/bank-outbox';
import type { ScheduleRunner } from '../services/schedules/schedule-runner';
import type { ApprovalTimeouts } from './approval-timeouts';
import type { JobLogger } from './job-logger';
import type { BalanceRefresher } from './refresh-balances';

export const JOBS = {
  outboxSubmit: 'bank-outbox-submit',
  statusPoll: 'bank-status-poll',
  runDueSchedules: 'run-due-schedules',
  approvalTimeouts: 'approval-timeouts',
  refreshBalances: 'refresh-balances',
  pruneInteractionReceipts: 'prune-interaction-receipts',
  linkAuditChain: 'link-audit-chain',
  pruneOutbox: 'prune-outbox',
} as const;

/** Interaction receipts only need to outlive the platforms' redeliveries; a daily sweep keeps the table small. */
const PRUNE_INTERVAL_MS = 24 * 3_600_000;

export interface JobWork {
  outbox: BankOutbox;
  runner: ScheduleRunner;
  timeouts: ApprovalTimeouts;
  balances: BalanceRefresher;
  /** Deletes interaction receipts past their retention; answers how many went. */
  pruneReceipts: () => Promise<number>;
  /** Deletes outbox events delivered longer ago than the retention (parked ones stay); answers how many. */
  pruneOutbox: () => Promise<number>;
  /** Links committed audit events into the hash chain and signs the head; answers how many. */
  linkAudit: () => Promise<number>;
  log: JobLogger;
}

export interface JobIntervals {
  outboxIntervalMs: number;
  scanIntervalMs: number;
  balancePollMs: number;
}

/**
 * Back-off for a failed round: a few quick retries, never later than the next
 * regular round would come anyway. Every job is safe to repeat (row locks,
 * idempotency keys, end-to-end ids), so retrying can only help.
 */
const retry = (intervalMs: number) =>
  backoffStrategies.exponential({ delay: Math.min(1000, intervalMs), factor: 2, maxRetries: 3, maxDelay: intervalMs });

/** Defines the jobs (one running per process at a time) and their repeat rows (one per database). */
export async function defineJobs(agenda: Agenda, work: JobWork, every: JobIntervals): Promise<void> {
  const define = (name: string, intervalMs: number, fn: (job: Job) => Promise<void>) =>
    agenda.define(name, fn, { concurrency: 1, lockLimit: 1, backoff: retry(intervalMs) });

  define(JOBS.outboxSubmit, every.outboxIntervalMs, async () => {
    const n = await work.outbox.submitApproved();
    if (n > 0) work.log.info({ job: JOBS.outboxSubmit, submitted: n }, 'payments submitted to the bank');
  });
  define(JOBS.statusPoll, every.outboxIntervalMs, async () => {
    const n = await work.outbox.pollSubmitted();
    if (n > 0) work.log.info({ job: JOBS.statusPoll, changed: n }, 'bank statuses recorded');
  });
  define(JOBS.runDueSchedules, every.scanIntervalMs, async (job) => {
    // touch() between schedules keeps the lock alive through a long catch-up round.
    const { outcomes, failures } = await work.runner.runDue({ beforeEach: () => job.touch() });
    for (const o of outcomes)
      work.log.info(
        { job: JOBS.runDueSchedules, schedule: o.schedule, dueDate: o.dueDate, payment: o.payment?.reference, skipped: o.skipped, refused: o.refused?.code, released: o.released },
        o.refused ? 'scheduled run refused' : 'scheduled run done',
      );
    for (const f of failures) work.log.error({ err: f.error, job: JOBS.runDueSchedules, scheduleId: f.scheduleId }, 'scheduled run failed; will retry');
    if (failures.length > 0) throw new Error(`${failures.length} scheduled run(s) failed`);
  });
  define(JOBS.approvalTimeouts, every.scanIntervalMs, async () => {
    const r = await work.timeouts.run();
    if (r.reminded + r.escalated + r.expired > 0) work.log.info({ job: JOBS.approvalTimeouts, ...r }, 'approval timeouts handled');
  });
  define(JOBS.refreshBalances, every.balancePollMs, async () => {
    const r = await work.balances.run();
    if (r.changed > 0 || r.failed > 0) work.log.info({ job: JOBS.refreshBalances, ...r }, 'balances refreshed');
  });
  define(JOBS.pruneInteractionReceipts, PRUNE_INTERVAL_MS, async () => {
    const n = await work.pruneReceipts();
    if (n > 0) work.log.info({ job: JOBS.pruneInteractionReceipts, deleted: n }, 'old interaction receipts deleted');
  });
  define(JOBS.pruneOutbox, PRUNE_INTERVAL_MS, async () => {
    const n = await work.pruneOutbox();
    if (n > 0) work.log.info({ job: JOBS.pruneOutbox, deleted: n }, 'delivered outbox events past their retention deleted');
  });

  // Audited transactions insert their events unlinked (no shared lock on the commit path); this links them.
  // At most once a second: a round links whatever committed meanwhile, and each Agenda run costs its own
  // handful of statements (claim, save, release), which at the outbox's interval would cost more than the linking.
  const linkEveryMs = Math.max(1000, every.outboxIntervalMs);
  define(JOBS.linkAuditChain, linkEveryMs, async () => {
    // Quiet when it works (it runs every round under load); a tampered head throws and is logged as a failed job.
    await work.linkAudit();
  });

  await agenda.every(every.outboxIntervalMs, JOBS.outboxSubmit);
  await agenda.every(linkEveryMs, JOBS.linkAuditChain);
  await agenda.every(every.outboxIntervalMs, JOBS.statusPoll);
  await agenda.every(every.scanIntervalMs, JOBS.runDueSchedules);
  await agenda.every(every.scanIntervalMs, JOBS.approvalTimeouts);
  await agenda.every(every.balancePollMs, JOBS.refreshBalances);
  await agenda.every(PRUNE_INTERVAL_MS, JOBS.pruneInteractionReceipts);
  await agenda.every(PRUNE_INTERVAL_MS, JOBS.pruneOutbox);
}
