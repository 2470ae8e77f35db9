import { toDecimalString } from '../../domain/money';
import type { ReconciliationFinding } from '../reconciliation/reconciliation.types';
import type { NewAlert } from './alert-store';

/**
 * A statement line paydesk cannot account for, as an alert: one per statement
 * line (the key), with everything the alert card shows kept in `detail`.
 */
export function reconciliationAlert(f: ReconciliationFinding): NewAlert {
  const amount = `${f.line.amount.currency} ${toDecimalString(f.line.amount)}`;
  return {
    kind: 'reconciliation', severity: 'medium', subjectType: 'statement', subjectId: f.accountCode,
    dedupeKey: `reconciliation:${f.statementId}:${f.line.line}`,
    title: `${f.reason}: ${f.line.creditDebit} ${amount} ${f.line.bookingDate} ${f.line.counterpartyName ?? ''}`.trim(),
    detail: {
      reason: f.reason, statementId: f.statementId, line: f.line.line, amount, bookingDate: f.line.bookingDate,
      creditDebit: f.line.creditDebit,
      ...(f.line.counterpartyName ? { counterparty: f.line.counterpartyName } : {}),
      ...(f.paymentReference ? { reference: f.paymentReference } : {}),
    },
  };
}
