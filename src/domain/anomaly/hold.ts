import { ApprovalTier } from '../approval/approval-policy';
import { PaymentWarning } from '../payment/payment';
import { AnomalyConfig } from './anomaly-config';
import { AnomalyFacts } from './anomaly-facts';
import { ANOMALY, changedBankDetailsRule, evaluateAnomalies, hasHighSeverity } from './anomaly-rules';

/**
 * The approval rule a payment gets when a high-severity warning is on it: at
 * least one approval, and one of them from a treasurer. Applied to the tier
 * snapshot at creation, so the hold travels with the payment and a later
 * policy edit cannot lift it.
 */
export function holdForTreasurer(tier: ApprovalTier, warnings: readonly PaymentWarning[]): ApprovalTier {
  if (!hasHighSeverity(warnings)) return tier;
  return {
    ...tier,
    approvals: Math.max(1, tier.approvals),
    roles: tier.roles.includes('treasurer') ? tier.roles : [...tier.roles, 'treasurer'],
    requireRole: 'treasurer',
    autoApprove: false,
  };
}

export const isHeldForTreasurer = (warnings: readonly PaymentWarning[]): boolean => hasHighSeverity(warnings);

/**
 * What must stop an approved payment on its way to the bank. Every rule runs
 * again, but approvers saw the warnings on the card, so only news counts: a
 * high-severity warning the payment did not carry when it was decided (a
 * duplicate that has since gone to the bank, a schedule run the balance no
 * longer covers…), and bank details changed after the payment was requested
 * (the approvers approved other details — the classic fraud pattern).
 */
export function blockingBeforeSubmit(
  payment: { warnings: readonly PaymentWarning[]; createdAt: Date },
  facts: AnomalyFacts,
  c: AnomalyConfig,
): PaymentWarning[] {
  const seen = new Set(payment.warnings.map((w) => w.code));
  const out: PaymentWarning[] = [];
  for (const w of evaluateAnomalies(facts, c)) {
    // Bank details: what counts is a change after the request, whether or not the rule saw one before (below).
    if (w.code === ANOMALY.CHANGED_BANK_DETAILS) continue;
    if (w.severity === 'high' && !seen.has(w.code)) out.push(w);
  }
  const changedAt = facts.payee.bankDetailsChangedAt;
  if (changedAt && changedAt.getTime() > payment.createdAt.getTime()) {
    const w = changedBankDetailsRule(facts, c);
    if (w) out.push({ ...w, severity: 'high' });
  }
  return out;
}
