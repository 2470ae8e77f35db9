import { ApprovalTier } from '../approval/approval-policy';
import { Money } from '../money/money';
import { PaymentStatus } from './payment-status';

export const PAYMENT_SOURCES = ['chat', 'api', 'schedule', 'import'] as const;
export type PaymentSource = (typeof PAYMENT_SOURCES)[number];

export type Severity = 'low' | 'medium' | 'high';

/** An anomaly finding attached to a payment (the monitoring rules produce these). */
export interface PaymentWarning {
  code: string;
  severity: Severity;
  detail?: string;
}

export interface Payment {
  id: string;
  reference: string;
  source: PaymentSource;
  idempotencyKey?: string;
  debtorAccountId: string;
  payeeId: string;
  amount: Money;
  purpose: string;
  requesterId?: string;
  requestedBy: string;
  status: PaymentStatus;
  version: number;
  tier: ApprovalTier;
  warnings: PaymentWarning[];
  endToEndId: string;
  bankStatus?: string;
  bankReason?: string;
  executionDate?: string;
  externalRef?: string;
  scheduleId?: string;
  createdAt: Date;
  updatedAt: Date;
  decidedAt?: Date;
  submittedAt?: Date;
  finalAt?: Date;
}

export interface ApprovalVote {
  approverId: string;
  approverName: string;
  decision: 'approve' | 'reject';
  reason?: string;
  via: string;
  at: Date;
}

/** `PAY-2026-000123`: year of creation and a database sequence, so references never collide. */
export function formatReference(year: number, n: bigint): string {
  return `PAY-${year}-${n.toString().padStart(6, '0')}`;
}

/** ISO 20022 EndToEndId allows 35 characters; ours is derived from the reference and never reused. */
export function endToEndIdFor(reference: string): string {
  return `PD${reference.replace(/-/g, '')}`;
}

export const PURPOSE_MAX = 140; // ISO 20022 unstructured remittance information limit
