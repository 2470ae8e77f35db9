import { Payment } from '../../domain/payment/payment';
import { Refusal } from '../../domain/result';
import { DueRun, PaymentSchedule, cursorAfter, dueRunsUntil, firstRunAfter, runAmount, runIdempotencyKey, specOf } from '../../domain/schedule';
import type { Database, Tx } from '../../persistence/database';
import { appendAudit } from '../audit/audit-log';
import { PaymentEvents } from '../events';
import { CreatePayment } from '../payments/create-payment';
import { releaseScheduledRun } from './schedule-approval';
import { scheduleStore, withNextRun } from './schedule-store';

/** What one pass over one due schedule did. */
export interface ScheduleRunOutcome {
  schedule: string;
  dueDate: string;
  /** The cadence dates this payment is for (one, unless the schedule combines runs). */
  nominalDates: string[];
  /** Older missed run dates, recorded as skipped (see the missed-runs policy on ScheduleRunner). */
  skipped: string[];
  payment?: Payment;
  /** The payment already existed (a double fire, or a retry after a crash): nothing new was created. */
  replayed?: boolean;
  /** Approved as `system:schedule` under the schedule's own approval. */
  released?: boolean;
  heldBecause?: string;
  /** CreatePayment refused (payee removed, requester left…): recorded, and the schedule moves on. */
  refused?: Refusal;
  completed: boolean;
}

/**
 * Turns due schedule runs into payments.
 *
 * Exactly once: the schedule row is locked (SKIP LOCKED: a schedule another
 * worker holds is not ours this round) for the whole run, and the payment's
 * idempotency key is `${scheduleId}:${cadenceDate}` (runIdempotencyKey), so a double fire, two
 * processes, or a retry after a crash between creating the payment and moving
 * the cursor all end with one payment.
 *
 * MISSED RUNS POLICY: runs that fell due while paydesk was down (or while the
 * schedule waited for approval) are caught up ONCE. Only the most recent missed
 * run creates a payment; each older one is recorded in the audit log as
 * `schedule.run_skipped` (reason `missed`) and never paid automatically. Paying
 * every missed run after an outage could send a burst of payments nobody
 * expected; a person can still pay a skipped run by hand. Cadence dates that
 * rolled onto the latest due business day (a holiday week's two Mondays) are
 * not missed: each is its own payment that day, unless the schedule combines them. (Runs due while a
 * schedule was paused are skipped on resume instead: pausing was a decision.)
 *
 * Lock order: schedule row, then (in separate transactions) the payment and
 * the audit chain, then this transaction's own audit events. The audit chain's
 * lock is only taken here after the inner transactions committed; taking it
 * earlier would deadlock against CreatePayment's own audit event.
 */
export class ScheduleRunner {
  constructor(
    private readonly db: Database,
    private readonly createPayment: CreatePayment,
    private readonly events: PaymentEvents,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async dueScheduleIds(now: Date, limit = 100): Promise<string[]> {
    const rows = await this.db.read((em) =>
      em.execute(
        `select id from payment_schedules where status = 'active' and next_due_at <= ? order by next_due_at limit ${Number(limit)}`,
        [now],
      ),
    );
    return rows.map((r: any) => r.id);
  }

  /** Every schedule due now, one at a time; one schedule failing does not hold up the others. */
  async runDue(opts: { limit?: number; beforeEach?: () => Promise<void> } = {}): Promise<{
    outcomes: ScheduleRunOutcome[];
    failures: { scheduleId: string; error: unknown }[];
  }> {
    const outcomes: ScheduleRunOutcome[] = [];
    const failures: { scheduleId: string; error: unknown }[] = [];
    for (const id of await this.dueScheduleIds(this.clock(), opts.limit)) {
      try {
        await opts.beforeEach?.();
        outcomes.push(...(await this.runOne(id)));
      } catch (error) {
        failures.push({ scheduleId: id, error });
      }
    }
    return { outcomes, failures };
  }

  /** Pays what one schedule has due now: one outcome per payment (none when it was not due or another worker holds it). */
  async runOne(scheduleId: string): Promise<ScheduleRunOutcome[]> {
    return this.db.tx(async (em) => {
      // This transaction waits in the app while the payment is created on another connection; should
      // that ever wait on us, PostgreSQL cannot see the cycle. The timeout ends it instead (the job retries).
      await em.execute(`set local idle_in_transaction_session_timeout = '60s'`);
      const now = this.clock();
      const s = await scheduleStore.find(em, scheduleId, 'skip');
      if (!s || s.status !== 'active' || !s.nextDueAt || s.nextDueAt.getTime() > now.getTime()) return [];
      const spec = specOf(s, await scheduleStore.calendar(em));
      const due = dueRunsUntil(spec, now, s.lastNominalDate);
      if (due.length === 0) {
        // next_due_at was stale (e.g. a holiday moved the run later): just point at the real next run.
        await scheduleStore.update(em, withNextRun(s, firstRunAfter(spec, s.lastNominalDate)), now);
        return [];
      }
      // Runs on the latest due business day are all due now (two cadence dates rolled onto one day are two
      // payments); only runs of EARLIER business days count as missed.
      const latest = due[due.length - 1].date;
      const toPay = due.filter((r) => r.date === latest);
      const missed = due.filter((r) => r.date !== latest);
      const outcomes: Omit<ScheduleRunOutcome, 'schedule' | 'skipped' | 'completed'>[] = [];
      for (const run of toPay) outcomes.push({ ...(await this.pay(s, run, now)), dueDate: run.date, nominalDates: run.nominalDates });

      for (const m of missed) await this.audit(em, s, 'schedule.run_skipped', now, { dueDate: m.date, nominalDates: m.nominalDates, reason: 'missed' });
      for (const [i, outcome] of outcomes.entries()) {
        const run = toPay[i];
        if (outcome.refused)
          await this.audit(em, s, 'schedule.run_refused', now, { dueDate: run.date, nominalDates: run.nominalDates, code: outcome.refused.code, params: outcome.refused.params ?? {} });
        else
          await this.audit(em, s, 'schedule.run', now, {
            dueDate: run.date, nominalDates: run.nominalDates, payment: outcome.payment!.reference, replayed: !!outcome.replayed,
            released: !!outcome.released, ...(outcome.heldBecause ? { heldBecause: outcome.heldBecause } : {}),
            ...(missed.length ? { caughtUpAfterMissing: missed.map((m) => m.date) } : {}),
          });
        // A pre-approved schedule whose run was NOT released: say so on its own line, so nobody reads
        // the schedule's approval as covering this payment (e.g. the approver has since left or lost the limit).
        if (!outcome.refused && s.autoRunApproved && outcome.heldBecause)
          await this.audit(em, s, 'schedule.run_held', now, {
            dueDate: run.date, payment: outcome.payment!.reference, approvedBy: s.approvedBy ?? null, reason: outcome.heldBecause,
          });
      }

      const cursor = cursorAfter(toPay[toPay.length - 1]);
      const next = firstRunAfter(spec, cursor);
      const runsDone = s.runsDone + due.reduce((n, r) => n + r.nominalDates.length, 0);
      const advanced: PaymentSchedule = withNextRun({ ...s, lastNominalDate: cursor, runsDone, status: next ? 'active' : 'completed' }, next);
      await scheduleStore.update(em, advanced, now);
      if (!next) await this.audit(em, s, 'schedule.completed', now, { from: 'active', to: 'completed', runsDone });
      const skipped = missed.map((m) => m.date);
      return outcomes.map((o) => ({ ...o, schedule: s.reference, skipped, completed: !next }));
    });
  }

  /** Creates the run's payment (idempotently) and releases it when the schedule's approval covers it. */
  private async pay(s: PaymentSchedule, run: DueRun, now: Date): Promise<Omit<ScheduleRunOutcome, 'schedule' | 'dueDate' | 'nominalDates' | 'skipped' | 'completed'>> {
    const created = await this.createPayment.execute({
      source: 'schedule',
      idempotencyKey: runIdempotencyKey(s.id, run),
      scheduleId: s.id,
      debtorAccountId: s.debtorAccountId,
      payeeId: s.payeeId,
      amount: runAmount(s.amount, run),
      purpose: run.nominalDates.length > 1 ? `${s.purpose} (${run.nominalDates.join(', ')})` : s.purpose,
      requesterId: s.requesterId,
      actor: `system:schedule:${s.reference}`,
      executionDate: run.date,
    });
    if (!created.ok) return { refused: created };
    const { payment, replayed } = created.value;
    if (payment.status !== 'pending_approval') return { payment, replayed };
    if (!s.autoRunApproved) return { payment, replayed, released: false, heldBecause: 'schedule runs are not pre-approved' };
    // A replayed payment still pending means the release never happened (crash in between): try again.
    const release = await releaseScheduledRun(this.db, this.events, s, payment.id, now, run.nominalDates.length);
    return { payment: release.released ? { ...payment, status: 'approved' } : payment, replayed, ...release };
  }

  private audit(em: Tx, s: PaymentSchedule, action: string, at: Date, data: Record<string, unknown>) {
    return appendAudit(em, { actor: `system:schedule:${s.reference}`, action, subjectType: 'schedule', subjectId: s.reference, at, data });
  }
}
