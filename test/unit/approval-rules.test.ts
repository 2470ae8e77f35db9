import { ApprovalPolicy, ApprovalTier, tierFor, validatePolicy } from '../../src/domain/approval/approval-policy';
import { Approver, PaymentForApproval, Vote, checkVote, mayAutoApprove, outcomeOf } from '../../src/domain/approval/approval-rules';

const tiers: ApprovalTier[] = [
  { upTo: 1_000_000n, approvals: 0, roles: ['approver', 'treasurer'], autoApprove: true },
  { upTo: 20_000_000n, approvals: 1, roles: ['approver', 'treasurer'], autoApprove: false },
  { upTo: null, approvals: 2, roles: ['approver', 'treasurer'], requireRole: 'treasurer', autoApprove: false },
];
const policy: ApprovalPolicy = { currency: 'CNY', tiers };
const cny = (minor: bigint) => ({ minor, currency: 'CNY' });
const approver = (id: string, roles: Approver['roles'] = ['approver'], limit = 10n ** 12n): Approver => ({ id, roles, approvalLimits: { CNY: limit } });
const payment = (minor: bigint, over: Partial<PaymentForApproval> = {}): PaymentForApproval => ({
  status: 'pending_approval', requesterId: 'req', amount: cny(minor), tier: tierFor(policy, cny(minor))!, ...over,
});
const yes = (id: string, roles: Vote['approverRoles'] = ['approver']): Vote => ({ approverId: id, decision: 'approve', approverRoles: roles });

describe('tiers', () => {
  test.each([
    [1n, 0], [1_000_000n, 0], [1_000_001n, 1], [20_000_000n, 1], [20_000_001n, 2], [10n ** 14n, 2],
  ])('amount %p needs %p approvals', (minor, n) => {
    expect(tierFor(policy, cny(minor))!.approvals).toBe(n);
  });
  test('another currency has no tier in this policy', () => {
    expect(tierFor(policy, { minor: 5n, currency: 'USD' })).toBeUndefined();
  });
  test('policy validation names each problem', () => {
    expect(validatePolicy(policy)).toEqual([]);
    expect(validatePolicy({ currency: 'CNY', tiers: [{ ...tiers[1] }, { ...tiers[0] }] })).toEqual(
      expect.arrayContaining(['tier 2 ceiling must be above the previous one', 'the last tier must have no ceiling so every amount is covered']),
    );
    expect(validatePolicy({ currency: 'CNY', tiers: [] })).toContain('at least one tier is needed');
    expect(validatePolicy({ currency: 'CNY', tiers: [{ upTo: null, approvals: 1, roles: ['approver'], requireRole: 'treasurer', autoApprove: false }] }))
      .toContain('tier 1 requires a role it does not allow');
  });
});

describe('votes', () => {
  test('maker–checker: the requester cannot vote', () => {
    expect(checkVote(payment(5_000_000n), approver('req'), 'approve', [])).toEqual({ ok: false, code: 'APPROVAL.SELF_APPROVAL' });
  });
  test('one vote per person', () => {
    expect(checkVote(payment(30_000_000n), approver('a'), 'approve', [yes('a')]).ok).toBe(false);
  });
  test('roles outside the tier are refused', () => {
    const r = checkVote(payment(5_000_000n), approver('x', ['requester']), 'approve', []);
    expect(r).toEqual({ ok: false, code: 'APPROVAL.ROLE_NOT_ALLOWED', params: { roles: 'approver, treasurer' } });
  });
  test('personal limit caps what a vote can release; a missing currency limit means none', () => {
    expect(checkVote(payment(5_000_000n), approver('a', ['approver'], 4_999_999n), 'approve', []).ok).toBe(false);
    expect(checkVote(payment(5_000_000n), approver('a', ['approver'], 5_000_000n), 'approve', []).ok).toBe(true);
    expect(checkVote(payment(5_000_000n), { id: 'a', roles: ['approver'], approvalLimits: {} }, 'approve', []).ok).toBe(false);
  });
  test('rejection needs a reason but not a limit', () => {
    expect(checkVote(payment(5_000_000n), approver('a', ['approver'], 1n), 'reject', [])).toEqual({ ok: false, code: 'APPROVAL.REASON_REQUIRED' });
    expect(checkVote(payment(5_000_000n), approver('a', ['approver'], 1n), 'reject', [], 'duplicate invoice').ok).toBe(true);
  });
  test('not pending → refused whatever the vote', () => {
    expect(checkVote(payment(5_000_000n, { status: 'approved' }), approver('a'), 'approve', [])).toEqual({
      ok: false, code: 'APPROVAL.NOT_PENDING', params: { status: 'approved' },
    });
  });
  test('the last slot is reserved for the required role', () => {
    expect(checkVote(payment(30_000_000n), approver('b'), 'approve', [yes('a')])).toEqual({
      ok: false, code: 'APPROVAL.NEEDS_ROLE', params: { role: 'treasurer' },
    });
    expect(checkVote(payment(30_000_000n), approver('t', ['treasurer']), 'approve', [yes('a')]).ok).toBe(true);
  });
});

describe('outcome', () => {
  const big = tierFor(policy, cny(30_000_000n))!;
  test('pending until enough approvals incl. the required role', () => {
    expect(outcomeOf(big, [])).toEqual({ state: 'pending', remaining: 2, needsRole: 'treasurer' });
    expect(outcomeOf(big, [yes('a')])).toEqual({ state: 'pending', remaining: 1, needsRole: 'treasurer' });
    expect(outcomeOf(big, [yes('a'), yes('b')])).toEqual({ state: 'pending', remaining: 1, needsRole: 'treasurer' });
    expect(outcomeOf(big, [yes('a'), yes('t', ['treasurer'])])).toEqual({ state: 'approved' });
  });
  test('one rejection rejects', () => {
    expect(outcomeOf(big, [yes('a'), { approverId: 'b', decision: 'reject', approverRoles: ['approver'] }])).toEqual({ state: 'rejected' });
  });
  test('auto-approval only for an auto tier, a known payee and no warnings', () => {
    const small = tierFor(policy, cny(500n))!;
    expect(mayAutoApprove({ tier: small, payeeKnown: true, warnings: [] })).toBe(true);
    expect(mayAutoApprove({ tier: small, payeeKnown: false, warnings: [] })).toBe(false);
    expect(mayAutoApprove({ tier: small, payeeKnown: true, warnings: [{ code: 'ANOMALY.DUPLICATE' }] })).toBe(false);
    expect(mayAutoApprove({ tier: big, payeeKnown: true, warnings: [] })).toBe(false);
  });
});
