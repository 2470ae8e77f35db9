import { Money } from '../money/money';
import { PaymentStatus } from '../payment/payment-status';
import { Result, ok, refuse } from '../result';
import { ApprovalTier, Role } from './approval-policy';

export interface Approver {
  id: string;
  roles: Role[];
  /** Largest amount per currency this person's vote may release; a missing currency means none. */
  approvalLimits: Record<string, bigint>;
}

export interface Vote {
  approverId: string;
  decision: 'approve' | 'reject';
  approverRoles: Role[];
}

export interface PaymentForApproval {
  status: PaymentStatus;
  requesterId: string;
  amount: Money;
  tier: ApprovalTier;
}

export type ApprovalOutcome =
  | { state: 'approved' }
  | { state: 'rejected' }
  | { state: 'pending'; remaining: number; needsRole?: Role };

/** Where a payment stands given the votes so far. */
export function outcomeOf(tier: ApprovalTier, votes: Vote[]): ApprovalOutcome {
  if (votes.some((v) => v.decision === 'reject')) return { state: 'rejected' };
  const approvals = votes.filter((v) => v.decision === 'approve');
  const roleMet = !tier.requireRole || approvals.some((v) => v.approverRoles.includes(tier.requireRole!));
  const remaining = Math.max(0, tier.approvals - approvals.length);
  if (remaining === 0 && roleMet) return { state: 'approved' };
  return {
    state: 'pending',
    remaining: Math.max(remaining, roleMet ? 0 : 1),
    ...(roleMet ? {} : { needsRole: tier.requireRole }),
  };
}

/** Shortest rejection reason, in characters after trimming: "x" tells the requester nothing. */
export const REJECT_REASON_MIN = 2;

/**
 * Decides whether this person may cast this vote now. Rejections need the same
 * standing as approvals (so a random colleague cannot veto), plus a reason.
 */
export function checkVote(
  payment: PaymentForApproval,
  approver: Approver,
  decision: 'approve' | 'reject',
  votes: Vote[],
  reason?: string,
): Result<true> {
  if (payment.status !== 'pending_approval') return refuse('APPROVAL.NOT_PENDING', { status: payment.status });
  if (payment.requesterId === approver.id) return refuse('APPROVAL.SELF_APPROVAL');
  if (votes.some((v) => v.approverId === approver.id)) return refuse('APPROVAL.ALREADY_VOTED');
  if (!approver.roles.some((r) => payment.tier.roles.includes(r)))
    return refuse('APPROVAL.ROLE_NOT_ALLOWED', { roles: payment.tier.roles.join(', ') });
  if (decision === 'reject') {
    if (!reason || reason.trim().length < REJECT_REASON_MIN) return refuse('APPROVAL.REASON_REQUIRED');
    return ok(true);
  }
  const limit = approver.approvalLimits[payment.amount.currency];
  if (limit === undefined || limit < payment.amount.minor)
    return refuse('APPROVAL.OVER_LIMIT', { currency: payment.amount.currency });
  // The last open slot is reserved for the required role, so the count never overshoots.
  const now = outcomeOf(payment.tier, votes);
  if (now.state === 'pending' && now.needsRole && now.remaining <= 1 && !approver.roles.includes(now.needsRole))
    return refuse('APPROVAL.NEEDS_ROLE', { role: now.needsRole });
  return ok(true);
}

/**
 * Whether this person's vote could count on this payment at all: a role the tier
 * counts and a limit in its currency that reaches the amount. Who gets an
 * actionable card and whose "waiting for me" list shows it follow this.
 */
export function mayReleaseAmount(approver: Approver & { active?: boolean }, payment: Pick<PaymentForApproval, 'amount' | 'tier'> & { requesterId?: string }): boolean {
  if (approver.active === false || approver.id === payment.requesterId) return false;
  if (!approver.roles.some((r) => payment.tier.roles.includes(r))) return false;
  const limit = approver.approvalLimits[payment.amount.currency];
  return limit !== undefined && limit >= payment.amount.minor;
}

export interface AutoApprovalFacts {
  tier: ApprovalTier;
  payeeKnown: boolean;
  /** Anomaly warnings raised for this payment; any warning vetoes auto-approval. */
  warnings: readonly { code: string }[];
}

export function mayAutoApprove(f: AutoApprovalFacts): boolean {
  return f.tier.autoApprove && f.payeeKnown && f.warnings.length === 0;
}
