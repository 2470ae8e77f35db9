import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Agenda, Job } from 'agenda';
import type { BankGateway } from '../banks/bank-gateway';
import type { Database } from '../persistence/database';
import type { BankOutbox } from '../services/bank/bank-outbox';
import type { PaymentEvents } from '../services/events';
import { linkPendingAuditEvents } from '../services/audit/audit-chainer';
import { pruneInteractionReceipts } from '../services/interaction-receipts';
import type { CreatePayment } from '../services/payments/create-payment';
import { ScheduleRunner } from '../services/schedules/schedule-runner';
import { AgendaBackendConfig, createAgendaBackend } from './agenda-backend';
import { releaseLocksOfDeadLocalWorkers } from './stale-locks';
import type { ApprovalReminderPort } from './approval-reminder.port';
import { ApprovalTimeouts } from './approval-timeouts';
import { gracefulStopper } from './graceful-stop';
import { defineJobs } from './job-definitions';
import { pruneOutbox } from '../services/outbox/prune-outbox';
import type { JobLogger } from './job-logger';
import { BalanceRefreshedHook, BalanceRefresher } from './refresh-balances';

export interface SchedulerConfig {
  /** bank-outbox-submit and bank-status-poll run this often. */
  outboxIntervalMs: number;
  remindAfterMs: number;
  escalateAfterMs: number;
  expireAfterMs: number;
  balancePollMs: number;
  /** How long a job may hold its lock without touching it; 5 minutes by default. Another process takes over after that. */
  lockLifetimeMs?: number;
  /** run-due-schedules and approval-timeouts run this often; 1 minute by default. */
  scanIntervalMs?: number;
  /** How often Agenda looks for due jobs; by default the shortest interval, at most 5 s. */
  processEveryMs?: number;
  /** How long stop() waits for running jobs before giving up on them; 30 s by default. */
  stopTimeoutMs?: number;
  /** Delivered outbox events older than this many days are deleted (daily); 30 by default. */
  outboxRetentionDays?: number;
}

export interface SchedulerDeps {
  connectionString: string;
  /** Where Agenda keeps its jobs; PostgreSQL at `connectionString` unless configured otherwise. */
  backend?: AgendaBackendConfig;
  db: Database;
  outbox: BankOutbox;
  createPayment: CreatePayment;
  events: PaymentEvents;
  bank: BankGateway;
  log: JobLogger;
  config: SchedulerConfig;
  notify?: ApprovalReminderPort;
  onBalanceRefreshed?: BalanceRefreshedHook;
  /** Injectable for tests; the schedules' and timeouts' idea of now. */
  clock?: () => Date;
  /** This process in Agenda's rows (`last_modified_by`); host:pid:random by default. */
  name?: string;
  /** Signs the audit chain's checkpoints (AUDIT_CHECKPOINT_KEY); the development key by default. */
  auditCheckpointKey?: string;
}

export interface RunningScheduler {
  agenda: Agenda;
  /** Stops taking jobs, lets the running ones finish (up to stopTimeoutMs), releases locks, disconnects. */
  stop(): Promise<void>;
}

const MINUTE = 60_000;

/** Starts the Agenda jobs that replace OutboxLoop and run schedules, approval timeouts, balance refreshes and receipt pruning. */
export async function startScheduler(deps: SchedulerDeps): Promise<RunningScheduler> {
  const { config, log } = deps;
  const clock = deps.clock ?? (() => new Date());
  const scanIntervalMs = config.scanIntervalMs ?? MINUTE;
  const backend = createAgendaBackend(
    deps.backend ?? {
      kind: 'postgres',
      connectionString: deps.connectionString,
      onConnectionError: (err) => log.warn({ err }, 'scheduler database connection lost'),
    },
  );
  // Connect before Agenda does, so a bad URL is a rejected promise here rather than an unhandled one inside Agenda.
  await backend.connect();
  await releaseLocksOfDeadLocalWorkers(backend, log);
  const agenda = new Agenda({
    backend,
    name: deps.name ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    processEvery: config.processEveryMs ?? Math.min(5000, config.outboxIntervalMs, scanIntervalMs, config.balancePollMs),
    defaultLockLifetime: config.lockLifetimeMs ?? 5 * MINUTE,
    defaultConcurrency: 1,
  });
  await agenda.ready;
  const stop = gracefulStopper(agenda, backend, log, config.stopTimeoutMs ?? 30_000);
  agenda.on('error', (err: Error) => log.error({ err }, 'agenda error'));
  agenda.on('fail', (err: Error | string, job: Job | { jobName: string }, remote?: boolean) => {
    if (remote) return; // the process that ran it logs it
    const j = job as Job;
    log.error({ err, job: j.attrs.name, failCount: j.attrs.failCount }, 'job failed');
  });

  try {
    await defineJobs(agenda, workFor(deps, clock), { outboxIntervalMs: config.outboxIntervalMs, scanIntervalMs, balancePollMs: config.balancePollMs });
    await agenda.start();
  } catch (err) {
    await backend.disconnect().catch(() => {});
    throw err;
  }
  log.info({ scanIntervalMs, outboxIntervalMs: config.outboxIntervalMs }, 'scheduler started');
  return { agenda, stop };
}

function workFor(deps: SchedulerDeps, clock: () => Date) {
  return {
    outbox: deps.outbox,
    runner: new ScheduleRunner(deps.db, deps.createPayment, deps.events, clock),
    timeouts: new ApprovalTimeouts(deps.db, deps.events, deps.config, deps.log, deps.notify, clock),
    balances: new BalanceRefresher(deps.db, deps.bank, deps.log, deps.onBalanceRefreshed),
    pruneReceipts: () => pruneInteractionReceipts(deps.db, clock()),
    linkAudit: () => linkPendingAuditEvents(deps.db, deps.auditCheckpointKey),
    pruneOutbox: () => pruneOutbox(deps.db, clock(), deps.config.outboxRetentionDays ?? 30),
    log: deps.log,
  };
}
