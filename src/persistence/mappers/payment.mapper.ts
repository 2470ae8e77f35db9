import { ApprovalTier, Role } from '../../domain/approval/approval-policy';
import { Payment, PaymentSource, PaymentWarning } from '../../domain/payment/payment';
import { PaymentStatus } from '../../domain/payment/payment-status';
import { ApprovalPolicyRecord } from '../entities/approval-policy.entity';
import { PaymentRecord } from '../entities/payment.entity';

type StoredTier = ApprovalPolicyRecord['tiers'][number];

export const tierToStored = (t: ApprovalTier): StoredTier => ({
  upTo: t.upTo === null ? null : t.upTo.toString(),
  approvals: t.approvals,
  roles: [...t.roles],
  ...(t.requireRole ? { requireRole: t.requireRole } : {}),
  autoApprove: t.autoApprove,
});

export const tierFromStored = (t: StoredTier): ApprovalTier => ({
  upTo: t.upTo === null || t.upTo === undefined ? null : BigInt(t.upTo),
  approvals: t.approvals,
  roles: t.roles as Role[],
  ...(t.requireRole ? { requireRole: t.requireRole as Role } : {}),
  autoApprove: t.autoApprove,
});

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

export function paymentFromRecord(r: PaymentRecord): Payment {
  return {
    id: r.id,
    reference: r.reference,
    source: r.source as PaymentSource,
    idempotencyKey: opt(r.idempotencyKey),
    debtorAccountId: r.debtorAccountId,
    payeeId: r.payeeId,
    amount: { minor: BigInt(r.amountMinor), currency: r.currency },
    purpose: r.purpose,
    requesterId: opt(r.requesterId),
    requestedBy: r.requestedBy,
    status: r.status as PaymentStatus,
    version: r.version,
    tier: tierFromStored(r.tier as unknown as StoredTier),
    warnings: (r.warnings ?? []) as PaymentWarning[],
    endToEndId: r.endToEndId,
    bankStatus: opt(r.bankStatus),
    bankReason: opt(r.bankReason),
    executionDate: opt(r.executionDate),
    externalRef: opt(r.externalRef),
    scheduleId: opt(r.scheduleId),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    decidedAt: opt(r.decidedAt),
    submittedAt: opt(r.submittedAt),
    finalAt: opt(r.finalAt),
  };
}
