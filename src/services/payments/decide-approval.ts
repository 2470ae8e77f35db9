import { randomUUID } from 'node:crypto';
import { ApprovalOutcome, Vote, checkVote, outcomeOf } from '../../domain/approval/approval-rules';
import { Role } from '../../domain/approval/approval-policy';
import { ApprovalVote, Payment } from '../../domain/payment/payment';
import { PaymentStatus, transition } from '../../domain/payment/payment-status';
import { Result, ok, refuse } from '../../domain/result';
import type { Database } from '../../persistence/database';
import { ApprovalEntity } from '../../persistence/entities';
import { paymentFromRecord } from '../../persistence/mappers/payment.mapper';
import { directory } from '../../persistence/repositories/directory.repository';
import { appendAudit, type AuditInput } from '../audit/audit-log';
import { PaymentEvents } from '../events';
import { claimReceiptIn, DUPLICATE_RECEIPT, type Receipt } from '../interaction-receipts';
import { paymentStore } from './payment-store';

export interface DecideInput {
  paymentId?: string;
  reference?: string;
  approverId: string;
  decision: 'approve' | 'reject';
  reason?: string;
  /** Where the vote came from: slack, feishu, web, text… */
  via: string;
  /** The version the card showed; a different current version means the card is stale. */
  expectedVersion?: number;
  /** The tap's platform receipt: claimed in this transaction; already claimed → INTERACTION.DUPLICATE. */
  receipt?: Receipt;
}

export interface Decided {
  payment: Payment;
  vote: ApprovalVote;
  outcome: ApprovalOutcome;
}

/**
 * One vote, one transaction: the payment row is locked, the vote checked against
 * the rules and the votes already cast, and the vote, any status change and their
 * audit events commit together. Twenty simultaneous taps therefore queue on the
 * row lock and exactly the needed number of votes count.
 */
export class DecideApproval {
  constructor(
    private readonly db: Database,
    private readonly events: PaymentEvents,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute(input: DecideInput): Promise<Result<Decided>> {
    const reason = input.reason?.trim() || undefined;
    const result = await this.db.tx(async (em): Promise<Result<Decided & { from: PaymentStatus }>> => {
      const where = input.paymentId ? { id: input.paymentId } : { reference: (input.reference ?? '').toUpperCase() };
      const row = await paymentStore.lock(em, where);
      if (!row) return refuse('PAYMENT.NOT_FOUND', { reference: input.reference ?? input.paymentId ?? '' });
      // After the row lock, so two deliveries of one tap queue on it and the second finds the receipt taken.
      if (input.receipt && !(await claimReceiptIn(em, input.receipt, this.clock()))) return refuse(DUPLICATE_RECEIPT);
      if (input.expectedVersion !== undefined && input.expectedVersion !== row.version)
        return refuse('APPROVAL.STALE_CARD', { reference: row.reference, status: row.status });
      const approver = await directory.user(em, input.approverId);
      if (!approver || !approver.active) return refuse('AUTH.UNKNOWN_USER');
      const payment = paymentFromRecord(row);
      const cast = await paymentStore.votes(em, payment.id);
      // An approval by someone deactivated since no longer counts towards release (voided while they
      // are inactive): another approver must stand in. Roles are the ones held when each vote was cast.
      const votes: Vote[] = cast
        .filter((v) => v.approverActive || v.decision === 'reject')
        .map((v) => ({ approverId: v.approverId, decision: v.decision, approverRoles: v.approverRoles as Role[] }));
      const allowed = checkVote(
        { status: payment.status, requesterId: payment.requesterId ?? '', amount: payment.amount, tier: payment.tier },
        approver,
        input.decision,
        votes, // the voter is active, so their own earlier vote is among these (ALREADY_VOTED)
        reason,
      );
      if (!allowed.ok) return allowed;

      const now = this.clock();
      em.create(ApprovalEntity, {
        id: randomUUID(), paymentId: payment.id, approverId: approver.id, decision: input.decision,
        reason: reason ?? null, via: input.via, createdAt: now,
        // The standing this vote was cast with, kept with it (see outcomeOf).
        approverRoles: approver.roles, approverLimitMinor: approver.approvalLimits[payment.amount.currency] ?? null,
      });
      const outcome = outcomeOf(payment.tier, [...votes, { approverId: approver.id, decision: input.decision, approverRoles: approver.roles }]);
      const from = row.status as PaymentStatus;
      const audits: AuditInput[] = [];
      audits.push({
        actor: `user:${approver.handle}`, action: `approval.${input.decision}d`, subjectType: 'payment', subjectId: row.reference, at: now,
        data: { via: input.via, ...(reason ? { reason } : {}), remaining: outcome.state === 'pending' ? outcome.remaining : 0 },
      });
      if (outcome.state !== 'pending') {
        const to: PaymentStatus = outcome.state === 'approved' ? 'approved' : 'rejected';
        const moved = transition(from, to);
        // Unreachable after checkVote; throwing (not returning) rolls back the vote staged above.
        if (!moved.ok) throw new Error(`decide-approval: ${moved.code} ${from}→${to}`);
        row.status = to;
        row.decidedAt = now;
        audits.push({
          actor: `user:${approver.handle}`, action: `payment.${to}`, subjectType: 'payment', subjectId: row.reference, at: now,
          data: { from, to, ...(to === 'rejected' && reason ? { reason } : {}) },
        });
      }
      row.version += 1;
      row.updatedAt = now;
      await em.flush();
      // Last, so the chain-wide audit lock is held only for the events themselves and the commit.
      for (const a of audits) await appendAudit(em, a);
      const vote: ApprovalVote = {
        approverId: approver.id, approverName: approver.name, decision: input.decision, reason, via: input.via, at: now,
      };
      const after = paymentFromRecord(row);
      // One statement for both events; they commit with the vote or not at all.
      await this.events.record(
        em,
        { type: 'payment.voted', payment: after, vote },
        ...(after.status !== from ? [{ type: 'payment.status_changed' as const, payment: after, from }] : []),
      );
      return ok({ payment: after, vote, outcome, from });
    });
    if (!result.ok) return result;
    const { from: _from, ...decided } = result.value;
    return ok(decided);
  }
}
