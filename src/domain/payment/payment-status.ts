import { Result, ok, refuse } from '../result';

export const PAYMENT_STATUSES = [
  'pending_approval',
  'approved',
  /** Taken by a file gateway into a batch whose file is not published yet: nothing has reached the bank. */
  'queued',
  'submitted',
  'settled',
  'failed',
  'rejected',
  'cancelled',
  'expired',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** ISO 20022 transaction status codes used in bank files and the REST API. */
export const ISO20022_STATUS: Record<PaymentStatus, string> = {
  pending_approval: 'PDNG',
  approved: 'ACTC',
  // Still ours: validated and waiting for its pain.001 file. ACSP only once the bank can see it.
  queued: 'ACTC',
  submitted: 'ACSP',
  settled: 'ACSC',
  failed: 'RJCT',
  rejected: 'RJCT',
  cancelled: 'CANC',
  expired: 'RJCT',
};

const TRANSITIONS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  pending_approval: ['approved', 'rejected', 'cancelled', 'expired'],
  approved: ['queued', 'submitted', 'failed'],
  // A report can arrive before the outbox records the publish (crash window): it may settle or fail a queued payment.
  queued: ['submitted', 'settled', 'failed'],
  submitted: ['settled', 'failed'],
  settled: [],
  failed: [],
  rejected: [],
  cancelled: [],
  expired: [],
};

export const FINAL_STATUSES: readonly PaymentStatus[] = ['settled', 'failed', 'rejected', 'cancelled', 'expired'];
export const isFinal = (s: PaymentStatus): boolean => FINAL_STATUSES.includes(s);
export const isPaymentStatus = (s: string): s is PaymentStatus =>
  (PAYMENT_STATUSES as readonly string[]).includes(s);

/** Refuses any move the lifecycle does not allow, so a stale actor can never resurrect a payment. */
export function transition(from: PaymentStatus, to: PaymentStatus): Result<PaymentStatus> {
  return TRANSITIONS[from].includes(to) ? ok(to) : refuse('PAYMENT.ILLEGAL_TRANSITION', { from, to });
}

export const allowedNext = (from: PaymentStatus): readonly PaymentStatus[] => TRANSITIONS[from];
