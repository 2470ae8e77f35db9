import { ApprovalTier } from '../../src/domain/approval/approval-policy';
import { checkVote, outcomeOf } from '../../src/domain/approval/approval-rules';
import { anomalyConfig } from '../../src/domain/anomaly/anomaly-config';
import { AnomalyFacts } from '../../src/domain/anomaly/anomaly-facts';
import { ANOMALY } from '../../src/domain/anomaly/anomaly-rules';
import { blockingBeforeSubmit, holdForTreasurer } from '../../src/domain/anomaly/hold';

const ONE_APPROVER: ApprovalTier = { upTo: 20_000_000n, approvals: 1, roles: ['approver'], autoApprove: false };
const AUTO: ApprovalTier = { upTo: 1_000_000n, approvals: 0, roles: ['approver', 'treasurer'], autoApprove: true };
const high = [{ code: ANOMALY.NEW_PAYEE, severity: 'high' as const }];
const medium = [{ code: ANOMALY.UNUSUAL_AMOUNT, severity: 'medium' as const }];

describe('holdForTreasurer', () => {
  test('a high warning needs a treasurer among at least one approval', () => {
    expect(holdForTreasurer(ONE_APPROVER, high)).toEqual({ ...ONE_APPROVER, roles: ['approver', 'treasurer'], requireRole: 'treasurer' });
    expect(holdForTreasurer(AUTO, high)).toEqual({ ...AUTO, approvals: 1, requireRole: 'treasurer', autoApprove: false });
  });

  test('lesser warnings and none leave the tier as the policy wrote it', () => {
    expect(holdForTreasurer(ONE_APPROVER, medium)).toBe(ONE_APPROVER);
    expect(holdForTreasurer(ONE_APPROVER, [])).toBe(ONE_APPROVER);
  });

  test('under the held tier an approver’s vote no longer releases the payment, a treasurer’s does', () => {
    const tier = holdForTreasurer(ONE_APPROVER, high);
    const payment = { status: 'pending_approval' as const, requesterId: 'rita', amount: { minor: 5_000_000n, currency: 'CNY' }, tier };
    const approver = { id: 'adam', roles: ['approver' as const], approvalLimits: { CNY: 10n ** 12n } };
    const treasurer = { id: 'tess', roles: ['treasurer' as const], approvalLimits: { CNY: 10n ** 12n } };
    expect(checkVote(payment, approver, 'approve', [])).toEqual({ ok: false, code: 'APPROVAL.NEEDS_ROLE', params: { role: 'treasurer' } });
    expect(checkVote(payment, treasurer, 'approve', []).ok).toBe(true);
    expect(outcomeOf(tier, [{ approverId: 'tess', decision: 'approve', approverRoles: ['treasurer'] }])).toEqual({ state: 'approved' });
  });
});

describe('blockingBeforeSubmit', () => {
  const c = anomalyConfig();
  const created = new Date('2026-11-25T02:00:00Z');
  const facts = (over: Partial<AnomalyFacts> = {}): AnomalyFacts => ({
    now: new Date('2026-11-25T06:00:00Z'),
    amount: { minor: 5_000_000n, currency: 'CNY' },
    payee: { verified: true },
    sameAmountRecent: [],
    sameExternalRef: [],
    payeeHistory: { count: 3, median: 5_000_000n },
    accountWindow: { count: 0, total: 0n },
    ...over,
  });

  test('a duplicate that reached the bank since the approval stops the payment', () => {
    const out = blockingBeforeSubmit({ warnings: [], createdAt: created }, facts({ sameAmountRecent: ['PAY-2026-000009'] }), c);
    expect(out.map((w) => w.code)).toEqual([ANOMALY.DUPLICATE]);
  });

  test('a duplicate the approvers already saw on the card does not', () => {
    const seen = [{ code: ANOMALY.DUPLICATE, severity: 'high' as const }];
    expect(blockingBeforeSubmit({ warnings: seen, createdAt: created }, facts({ sameAmountRecent: ['PAY-2026-000009'] }), c)).toEqual([]);
  });

  test('bank details changed after the request stop it, even when an earlier change was on the card', () => {
    const seen = [{ code: ANOMALY.CHANGED_BANK_DETAILS, severity: 'high' as const }];
    const after = facts({ payee: { verified: true, bankDetailsChangedAt: new Date('2026-11-25T03:00:00Z') } });
    expect(blockingBeforeSubmit({ warnings: seen, createdAt: created }, after, c)).toEqual([
      { code: ANOMALY.CHANGED_BANK_DETAILS, severity: 'high', detail: '2026-11-25' },
    ]);
  });

  test('details changed before the request, and findings the approvers saw, do not stop it', () => {
    const before = facts({ payee: { verified: false, bankDetailsChangedAt: new Date('2026-11-24T00:00:00Z') }, amount: { minor: 10n ** 9n, currency: 'CNY' } });
    const seen = [{ code: 'ANOMALY.NEW_PAYEE', severity: 'high' as const }];
    expect(blockingBeforeSubmit({ warnings: seen, createdAt: created }, before, c)).toEqual([]);
  });

  test('every rule runs again: a high-severity finding the payment did not carry stops it', () => {
    const now = facts({ payee: { verified: false }, amount: { minor: 10n ** 9n, currency: 'CNY' } });
    expect(blockingBeforeSubmit({ warnings: [], createdAt: created }, now, c).map((w) => w.code)).toEqual(['ANOMALY.NEW_PAYEE']);
    // Low and medium findings (a round amount) are shown on cards, not reasons to stop an approved payment.
    const round = facts({ payee: { verified: true }, amount: { minor: 10n ** 9n, currency: 'CNY' }, payeeHistory: { count: 3 } });
    expect(blockingBeforeSubmit({ warnings: [], createdAt: created }, round, c)).toEqual([]);
  });
});
