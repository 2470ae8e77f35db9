import { ISO20022_STATUS, PAYMENT_STATUSES, PaymentStatus, isFinal, transition } from '../../src/domain/payment/payment-status';
import { endToEndIdFor, formatReference } from '../../src/domain/payment/payment';

const legal: [PaymentStatus, PaymentStatus][] = [
  ['pending_approval', 'approved'], ['pending_approval', 'rejected'], ['pending_approval', 'cancelled'],
  ['pending_approval', 'expired'], ['approved', 'queued'], ['approved', 'submitted'], ['approved', 'failed'],
  ['queued', 'submitted'], ['queued', 'settled'], ['queued', 'failed'],
  ['submitted', 'settled'], ['submitted', 'failed'],
];

test.each(legal)('%s → %s is allowed', (from, to) => {
  expect(transition(from, to)).toEqual({ ok: true, value: to });
});

const illegal = PAYMENT_STATUSES.flatMap((from) =>
  PAYMENT_STATUSES.filter((to) => !legal.some(([f, t]) => f === from && t === to)).map((to) => [from, to] as const),
);

test('every other move is refused with a stable code', () => {
  expect(illegal.length).toBe(PAYMENT_STATUSES.length ** 2 - legal.length);
  for (const [from, to] of illegal) {
    expect(transition(from, to)).toEqual({ ok: false, code: 'PAYMENT.ILLEGAL_TRANSITION', params: { from, to } });
  }
});

test('final statuses have no way out', () => {
  for (const s of PAYMENT_STATUSES) {
    const exits = PAYMENT_STATUSES.filter((to) => transition(s, to).ok);
    expect(isFinal(s)).toBe(exits.length === 0);
  }
});

test('ISO 20022 codes per status', () => {
  expect(ISO20022_STATUS).toMatchObject({ pending_approval: 'PDNG', approved: 'ACTC', submitted: 'ACSP', settled: 'ACSC', failed: 'RJCT' });
});

test('references and end-to-end ids', () => {
  expect(formatReference(2026, 123n)).toBe('PAY-2026-000123');
  expect(formatReference(2026, 12345678n)).toBe('PAY-2026-12345678');
  const e2e = endToEndIdFor('PAY-2026-000123');
  expect(e2e).toBe('PDPAY2026000123');
  expect(e2e.length).toBeLessThanOrEqual(35);
});
