import { Payment } from '../domain/payment/payment';
import { transition } from '../domain/payment/payment-status';
import type { Database, Tx } from '../persistence/database';
import { paymentFromRecord } from '../persistence/mappers/payment.mapper';
import { directory } from '../persistence/repositories/directory.repository';
import { appendAudit } from '../services/audit/audit-log';
import { PaymentEvents } from '../services/events';
import { paymentStore } from '../services/payments/payment-store';
import type { ApprovalReminderPort } from './approval-reminder.port';
import type { JobLogger } from './job-logger';

export interface ApprovalTimeoutsConfig {
  remindAfterMs: number;
  escalateAfterMs: number;
  expireAfterMs: number;
}

const ACTOR = 'system:approval-timeout';

/**
 * Pending approvals remind, escalate and finally expire. Each step is claimed in
 * the database before anyone is told (a row in approval_reminders, the payment's
 * status), so two workers or a rerun never remind twice. Only the latest step
 * due is taken: a payment found past its expiry after an outage just expires,
 * without a burst of reminders first. Delivery is at most once; a failed chat
 * call is logged, not retried.
 */
export class ApprovalTimeouts {
  constructor(
    private readonly db: Database,
    private readonly events: PaymentEvents,
    private readonly config: ApprovalTimeoutsConfig,
    private readonly log: JobLogger,
    private readonly notify?: ApprovalReminderPort,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async run(limit = 200): Promise<{ reminded: number; escalated: number; expired: number }> {
    const now = this.clock();
    const cutoff = new Date(now.getTime() - this.config.remindAfterMs);
    const rows = await this.db.read((em) =>
      em.execute(
        `select p.id, p.created_at, r.reminded_at, r.escalated_at from payments p
         left join approval_reminders r on r.payment_id = p.id
         where p.status = 'pending_approval' and p.created_at <= ? order by p.created_at limit ${Number(limit)}`,
        [cutoff],
      ),
    );
    const done = { reminded: 0, escalated: 0, expired: 0 };
    for (const r of rows) {
      const age = now.getTime() - new Date(r.created_at).getTime();
      if (age >= this.config.expireAfterMs) done.expired += (await this.expire(r.id, age)) ? 1 : 0;
      else if (age >= this.config.escalateAfterMs && !r.escalated_at) done.escalated += (await this.nudge(r.id, 'escalated')) ? 1 : 0;
      else if (age >= this.config.remindAfterMs && !r.reminded_at && !r.escalated_at) done.reminded += (await this.nudge(r.id, 'reminded')) ? 1 : 0;
    }
    return done;
  }

  /** pending_approval → expired under the row lock, with its audit event. */
  private async expire(paymentId: string, ageMs: number): Promise<boolean> {
    const now = this.clock();
    const expired = await this.db.tx(async (em) => {
      const row = await paymentStore.lock(em, { id: paymentId });
      if (!row || row.status !== 'pending_approval') return undefined;
      const moved = transition('pending_approval', 'expired');
      if (!moved.ok) throw new Error(`approval timeout: ${moved.code}`);
      row.status = 'expired';
      row.finalAt = now;
      row.updatedAt = now;
      row.version += 1;
      await appendAudit(em, {
        actor: ACTOR, action: 'payment.expired', subjectType: 'payment', subjectId: row.reference, at: now,
        data: { from: 'pending_approval', to: 'expired', waitedMs: ageMs, expireAfterMs: this.config.expireAfterMs },
      });
      await em.flush();
      const payment = paymentFromRecord(row);
      await this.events.record(em, { type: 'payment.status_changed', payment, from: 'pending_approval' });
      return payment;
    });
    if (!expired) return false;
    await this.deliver('expired', expired, () => this.notify?.expired(expired));
    return true;
  }

  /** Claims the reminder (or escalation) in the database, then tells people once. */
  private async nudge(paymentId: string, kind: 'reminded' | 'escalated'): Promise<boolean> {
    const now = this.clock();
    const claimed = await this.db.tx(async (em) => {
      const row = await paymentStore.lock(em, { id: paymentId });
      if (!row || row.status !== 'pending_approval') return undefined;
      const column = kind === 'reminded' ? 'reminded_at' : 'escalated_at';
      const won = await em.execute(
        `insert into approval_reminders (payment_id, ${column}) values (?, ?)
         on conflict (payment_id) do update set ${column} = excluded.${column} where approval_reminders.${column} is null
         returning payment_id`,
        [paymentId, now],
      );
      if (won.length === 0) return undefined;
      const payment = paymentFromRecord(row);
      const recipients = kind === 'reminded' ? await approversFor(em, payment) : await treasurersFor(em, payment);
      await appendAudit(em, {
        actor: ACTOR, action: `approval.${kind}`, subjectType: 'payment', subjectId: row.reference, at: now,
        data: { recipients: recipients.length },
      });
      return { payment, recipients };
    });
    if (!claimed) return false;
    const { payment, recipients } = claimed;
    await this.deliver(kind, payment, () =>
      kind === 'reminded' ? this.notify?.remind(payment, recipients) : this.notify?.escalate(payment, recipients),
    );
    return true;
  }

  private async deliver(kind: string, payment: Payment, send: () => Promise<void> | undefined): Promise<void> {
    try {
      await send();
    } catch (err) {
      this.log.warn({ err, job: 'approval-timeouts', kind, reference: payment.reference }, 'approval notification failed; not retried');
    }
  }
}

/** Who can still move this payment forward: allowed role, limit covers it, not the requester, not yet voted. */
async function approversFor(em: Tx, p: Payment): Promise<string[]> {
  const voted = new Set((await paymentStore.votes(em, p.id)).map((v) => v.approverId));
  return (await directory.users(em))
    .filter((u) => u.active && u.id !== p.requesterId && !voted.has(u.id))
    .filter((u) => u.roles.some((r) => p.tier.roles.includes(r)))
    .filter((u) => (u.approvalLimits[p.amount.currency] ?? -1n) >= p.amount.minor)
    .map((u) => u.id);
}

async function treasurersFor(em: Tx, p: Payment): Promise<string[]> {
  return (await directory.users(em)).filter((u) => u.active && u.id !== p.requesterId && u.roles.includes('treasurer')).map((u) => u.id);
}
