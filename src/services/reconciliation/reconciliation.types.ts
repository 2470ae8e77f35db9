import type { Money } from '../../domain/money/money';
import type { Payment } from '../../domain/payment/payment';
import type { PaymentStatus } from '../../domain/payment/payment-status';

/** A bank status report (pain.002) as the file layer hands it over. */
export interface StatusReport {
  messageId: string;
  originalMessageId: string;
  groupStatus?: string;
  groupReason?: string;
  transactions: { endToEndId: string; status: string; reason?: string }[];
}

/** One booked movement on a statement (an entry, or one transaction of a batch-booked entry). */
export interface StatementLine {
  line: number;
  entryRef?: string;
  endToEndId?: string;
  creditDebit: 'CRDT' | 'DBIT';
  amount: Money;
  bookingDate: string;
  counterpartyName?: string;
  counterpartyAccount?: string;
  remittance?: string;
  reversal?: boolean;
}

/** A bank statement (camt.053 Stmt) as the file layer hands it over. */
export interface BankStatement {
  messageId: string;
  statementId: string;
  accountNumber: string;
  currency: string;
  createdAt?: Date;
  /** Signed (negative when overdrawn); `asOf` is when the bank says it held. */
  closingBalance?: { amount: Money; asOf: Date };
  lines: StatementLine[];
}

export type FindingReason =
  | 'no_match'
  | 'ambiguous'
  | 'amount_mismatch'
  | 'account_mismatch'
  | 'status_conflict'
  | 'already_reconciled'
  | 'returned_payment'
  | 'reversal';

/** A statement line reconciliation could not account for; monitoring raises an alert for it. */
export interface ReconciliationFinding {
  reason: FindingReason;
  statementId: string;
  accountId: string;
  accountCode: string;
  line: StatementLine;
  /** The payment the line seemed to belong to, when there was one. */
  paymentReference?: string;
}

/** A status move made while applying a bank file; published as payment.status_changed after commit. */
export interface BankStatusChange {
  payment: Payment;
  from: PaymentStatus;
}
