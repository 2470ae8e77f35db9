import { ApprovalTier, tierFor } from '../../domain/approval/approval-policy';
import { Approver } from '../../domain/approval/approval-rules';
import { Payee, User, isKnownPayee } from '../../domain/directory';
import { Money } from '../../domain/money/money';
import { Payment } from '../../domain/payment/payment';
import { transition } from '../../domain/payment/payment-status';
import { PaymentSchedule } from '../../domain/schedule';
import type { Database, Tx } from '../../persistence/database';
import { paymentFromRecord } from '../../persistence/mappers/payment.mapper';
import { directory } from '../../persistence/repositories/directory.repository';
import { appendAudit } from '../audit/audit-log';
import { PaymentEvents } from '../events';
import { paymentStore } from '../payments/payment-store';

/** The actor recorded when a run is released under its schedule's approval. */
export const SCHEDULE_ACTOR = 'system:schedule';

/**
 * Whether approving a schedule also releases its runs, up to the approved
 * amount, without a fresh approval each time: the tier auto-approves anyway, or
 * this one approver could have released such a payment alone. A tier that needs
 * two approvals never qualifies: one person's yes cannot stand in for two.
 */
export function mayPreApproveRuns(tier: ApprovalTier, approver: Approver, amount: Money): boolean {
  return soleApproverBlocker(tier, approver, amount) === undefined;
}

/** Why this approver alone may not release this amount under this tier (the rule behind mayPreApproveRuns). */
export function soleApproverBlocker(tier: ApprovalTier, approver: Approver, amount: Money): string | undefined {
  if (tier.autoApprove) return undefined;
  if (tier.approvals > 1) return `the policy tier for this amount now needs ${tier.approvals} approvals`;
  if (!approver.roles.some((r) => tier.roles.includes(r))) return `approver no longer holds a role this tier accepts (${tier.roles.join(', ')})`;
  if (tier.requireRole && !approver.roles.includes(tier.requireRole)) return `the policy tier for this amount now requires a ${tier.requireRole}`;
  const limit = approver.approvalLimits[amount.currency];
  if (limit === undefined || limit < amount.minor) return `approver's approval limit no longer covers ${amount.currency} ${amount.minor} (minor units)`;
  return undefined;
}

/**
 * The schedule's approval is one person's standing lent to every run, so it is
 * re-checked at each release against the directory and policy as they are NOW:
 * a deactivated approver, a lowered limit, a removed role or a stricter tier
 * all mean the run waits for a normal approval.
 */
export function approverBlocker(
  s: PaymentSchedule,
  approver: User | undefined,
  tier: ApprovalTier | undefined,
  amount: Money,
): string | undefined {
  if (!s.approvedBy || !approver) return 'the schedule approver is no longer in the directory';
  if (!approver.active) return 'the schedule approver is no longer active';
  if (approver.id === s.requesterId) return 'the schedule approver is its requester';
  if (!tier) return `no approval policy covers ${amount.currency} ${amount.minor} (minor units) any more`;
  return soleApproverBlocker(tier, approver, amount);
}

/** Why a run's payment must wait for a normal approval despite its schedule; undefined when it may be released. */
export function preApprovalBlocker(s: PaymentSchedule, p: Payment, payee: Payee | undefined, now: Date, periods = 1): string | undefined {
  if (!s.autoRunApproved || !s.approvedAmount || !s.approvedAt) return 'schedule runs are not pre-approved';
  if (p.scheduleId !== s.id || p.payeeId !== s.payeeId || p.debtorAccountId !== s.debtorAccountId) return 'payment does not match its schedule';
  // A combined run pays several cadence dates: the approved amount holds per date.
  if (p.amount.currency !== s.approvedAmount.currency || p.amount.minor > s.approvedAmount.minor * BigInt(periods)) return 'amount above the approved amount';
  // An anomalous payment is never approved without a person looking at it.
  if (p.warnings.length > 0) return `anomaly warnings: ${p.warnings.map((w) => w.code).join(', ')}`;
  if (!payee || !isKnownPayee(payee, now)) return 'payee is not verified or still cooling off';
  if (payee.bankDetailsChangedAt && payee.bankDetailsChangedAt.getTime() > s.approvedAt.getTime())
    return 'payee bank details changed after the schedule was approved';
  return undefined;
}

/**
 * Approves a run's payment as `system:schedule` when its schedule's approval
 * covers it, under the payment's row lock with its audit event. Returns the
 * reason it was held for normal approval otherwise.
 */
export async function releaseScheduledRun(
  db: Database,
  events: PaymentEvents,
  s: PaymentSchedule,
  paymentId: string,
  now: Date,
  /** Cadence dates the payment stands for (more than one only for a combined run). */
  periods = 1,
): Promise<{ released: boolean; heldBecause?: string }> {
  const result = await db.tx(async (em) => {
    const row = await paymentStore.lock(em, { id: paymentId });
    if (!row || row.status !== 'pending_approval') return { heldBecause: `payment is ${row?.status ?? 'missing'}` };
    const payment = paymentFromRecord(row);
    const blocker =
      preApprovalBlocker(s, payment, await directory.payee(em, payment.payeeId), now, periods) ??
      (await currentApproverBlocker(em, s, payment.amount));
    if (blocker) return { heldBecause: blocker };
    const moved = transition('pending_approval', 'approved');
    if (!moved.ok) throw new Error(`schedule release: ${moved.code}`);
    row.status = 'approved';
    row.decidedAt = now;
    row.updatedAt = now;
    row.version += 1;
    await appendAudit(em, {
      actor: SCHEDULE_ACTOR, action: 'payment.approved', subjectType: 'payment', subjectId: row.reference, at: now,
      data: {
        from: 'pending_approval', to: 'approved', schedule: s.reference, scheduleApprovedBy: s.approvedBy ?? null,
        approvedAmount: s.approvedAmount!.minor, reason: 'run of a pre-approved schedule within the approved amount',
      },
    });
    await em.flush();
    const released = paymentFromRecord(row);
    await events.record(em, { type: 'payment.status_changed', payment: released, from: 'pending_approval' });
    return { payment: released };
  });
  if ('payment' in result && result.payment) {
    return { released: true };
  }
  return { released: false, heldBecause: (result as { heldBecause: string }).heldBecause };
}

async function currentApproverBlocker(em: Tx, s: PaymentSchedule, amount: Money): Promise<string | undefined> {
  const approver = s.approvedBy ? await directory.user(em, s.approvedBy) : undefined;
  const policy = await directory.policy(em, amount.currency);
  return approverBlocker(s, approver, policy && tierFor(policy, amount), amount);
}
