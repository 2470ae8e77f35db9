import { Money } from '../money/money';

/** `auditor` reads reports and exports and can change nothing. */
export const ROLES = ['requester', 'approver', 'treasurer', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/**
 * One amount band of the policy. Tiers are ordered by `upTo` ascending; the first
 * tier whose `upTo` is at least the amount applies (`upTo: null` = no ceiling).
 */
export interface ApprovalTier {
  upTo: bigint | null;
  /** Distinct approvals needed before the payment is released. */
  approvals: number;
  /** Roles whose votes count in this tier. */
  roles: Role[];
  /** At least one approving vote must come from a holder of this role (e.g. treasurer). */
  requireRole?: Role;
  /** Small, clean payments to known payees may skip human approval. */
  autoApprove: boolean;
}

export interface ApprovalPolicy {
  currency: string;
  tiers: ApprovalTier[];
}

export function tierFor(policy: ApprovalPolicy, amount: Money): ApprovalTier | undefined {
  if (policy.currency !== amount.currency) return undefined;
  return policy.tiers.find((t) => t.upTo === null || amount.minor <= t.upTo);
}

/** Checks a policy an admin wrote: ascending ceilings, last tier open-ended, sane counts. */
export function validatePolicy(policy: ApprovalPolicy): string[] {
  const problems: string[] = [];
  if (policy.tiers.length === 0) problems.push('at least one tier is needed');
  let previous: bigint | null = -1n;
  policy.tiers.forEach((t, i) => {
    if (previous === null) problems.push(`tier ${i + 1} follows an open-ended tier`);
    else if (t.upTo !== null && t.upTo <= previous) problems.push(`tier ${i + 1} ceiling must be above the previous one`);
    if (!Number.isInteger(t.approvals) || t.approvals < 0 || t.approvals > 10)
      problems.push(`tier ${i + 1} approvals must be 0..10`);
    if (t.approvals === 0 && !t.autoApprove) problems.push(`tier ${i + 1} needs approvals or auto-approval`);
    if (t.roles.length === 0 && t.approvals > 0) problems.push(`tier ${i + 1} names no approving role`);
    if (t.requireRole && !t.roles.includes(t.requireRole)) problems.push(`tier ${i + 1} requires a role it does not allow`);
    previous = t.upTo;
  });
  if (policy.tiers.length > 0 && policy.tiers[policy.tiers.length - 1].upTo !== null)
    problems.push('the last tier must have no ceiling so every amount is covered');
  return problems;
}
