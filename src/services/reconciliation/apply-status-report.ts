import type { PaymentStatus } from '../../domain/payment/payment-status';
import type { Tx } from '../../persistence/database';
import { appendAudit } from '../audit/audit-log';
import { BANK_FILE_ACTOR, BankMove, moveByBankReport } from './apply-bank-status';
import type { BankStatusChange, StatusReport } from './reconciliation.types';

const FINAL_CODES = new Set(['ACSC', 'ACCC', 'RJCT']);

/** What a pain.002 transaction status means for our payment (undefined: nothing to move yet). */
function targetOf(code: string, current: PaymentStatus): PaymentStatus | undefined {
  if (code === 'RJCT') return 'failed';
  // An approved payment is moved to submitted by the outbox, which then reads the settled status.
  if ((code === 'ACSC' || code === 'ACCC') && current !== 'approved') return 'settled';
  return undefined;
}

export interface StatusReportOutcome {
  changes: BankStatusChange[];
  /** Reports that contradict a final status we already hold; logged for people to look at. */
  conflicts: { reference: string; status: PaymentStatus; reported: string }[];
}

/**
 * Applies one pain.002 inside the caller's transaction: every end-to-end id must be
 * one of our instructions (otherwise the whole file is refused), the status is
 * recorded on the instruction (FileGateway.status reads it) and the payment moves.
 */
export async function applyStatusReport(em: Tx, report: StatusReport, now: Date): Promise<StatusReportOutcome> {
  const batch = await em.execute(`select id from bank_file_batches where message_id = ?`, [report.originalMessageId]);
  if (batch.length === 0) throw new Error(`pain.002 ${report.messageId} refers to unknown message ${report.originalMessageId}`);
  const lines = [...report.transactions];
  if (report.groupStatus && report.groupStatus !== 'PART') {
    // A group status covers every instruction of the original message not reported one by one.
    const listed = new Set(lines.map((l) => l.endToEndId));
    const all = await em.execute(`select end_to_end_id from bank_file_transactions where batch_id = ? order by position`, [batch[0].id]);
    for (const r of all)
      if (!listed.has(r.end_to_end_id))
        lines.push({ endToEndId: r.end_to_end_id, status: report.groupStatus, ...(report.groupReason ? { reason: report.groupReason } : {}) });
  }

  const outcome: StatusReportOutcome = { changes: [], conflicts: [] };
  for (const line of lines) {
    const rows = await em.execute(
      `select t.status, t.batch_id, p.id as payment_id, p.reference, p.status as payment_status
       from bank_file_transactions t left join payments p on p.id = t.payment_id
       where t.end_to_end_id = ? for update of t`,
      [line.endToEndId],
    );
    const link = rows[0];
    if (!link) throw new Error(`pain.002 ${report.messageId} reports unknown EndToEndId ${line.endToEndId}`);
    if (link.batch_id !== batch[0].id)
      throw new Error(`pain.002 ${report.messageId}: ${line.endToEndId} was not sent in message ${report.originalMessageId}`);
    // Reports can arrive out of order: a late "accepted" never overwrites "settled" or "rejected",
    // and settled-versus-rejected is a contradiction for people, not for us to pick a side.
    const recordedFinal = Boolean(link.status) && FINAL_CODES.has(link.status);
    const reportedFinal = FINAL_CODES.has(line.status);
    if (recordedFinal && reportedFinal && (link.status === 'RJCT') !== (line.status === 'RJCT')) {
      outcome.conflicts.push({ reference: link.reference ?? line.endToEndId, status: link.payment_status, reported: line.status });
      continue;
    }
    const keep = recordedFinal && !reportedFinal;
    if (!keep)
      await em.execute(
        `update bank_file_transactions set status = ?, status_reason = ?, status_at = ?, status_message_id = ? where end_to_end_id = ?`,
        [line.status, line.reason ?? null, now, report.messageId, line.endToEndId],
      );
    if (!link.payment_id || keep) continue;
    const to = targetOf(line.status, link.payment_status);
    if (!to) {
      await showInterimStatus(em, link.payment_id, line, report.messageId, now);
      continue;
    }
    const move: BankMove = await moveByBankReport(
      em, link.payment_id, { to, bankStatus: line.status, reason: line.reason, source: `pain.002 ${report.messageId}` }, now,
    );
    if (move.kind === 'moved') outcome.changes.push(move.change);
    if (move.kind === 'conflict') outcome.conflicts.push({ reference: link.reference, status: move.status, reported: line.status });
  }
  return outcome;
}

/**
 * A status that moves nothing (ACSP, ACWC, or a code from the external list we have
 * no meaning for, such as ACFC) is still what the bank said: shown on the payment as
 * the code, audited, and the payment's own status left alone.
 */
async function showInterimStatus(em: Tx, paymentId: string, line: StatusReport['transactions'][number], messageId: string, now: Date): Promise<void> {
  const rows = await em.execute(
    `update payments set bank_status = ?, bank_reason = ?, updated_at = ?
     where id = ? and status in ('queued', 'submitted') and bank_status is distinct from ? returning reference`,
    [line.status, line.reason ?? null, now, paymentId, line.status],
  );
  if (rows.length === 0) return;
  await appendAudit(em, {
    actor: BANK_FILE_ACTOR, action: 'payment.bank_status_reported', subjectType: 'payment', subjectId: rows[0].reference, at: now,
    data: { bankStatus: line.status, ...(line.reason ? { reason: line.reason } : {}), source: `pain.002 ${messageId}` },
  });
}
