import { randomUUID } from 'node:crypto';
import { maskAccountNumber } from '../../domain/mask';
import type { Tx } from '../../persistence/database';
import { appendAudit } from '../audit/audit-log';
import { moveByBankReport } from './apply-bank-status';
import type { BankStatement, BankStatusChange, FindingReason, ReconciliationFinding, StatementLine } from './reconciliation.types';

export const RECONCILIATION_ACTOR = 'system:reconciliation';
const compact = (s: string) => s.replace(/[\s-]/g, '');

interface Account {
  id: string;
  code: string;
  currency: string;
}

export interface StatementOutcome {
  duplicate: boolean;
  matched: { reference: string; line: number; method: 'end_to_end_id' | 'amount_date_counterparty' }[];
  findings: ReconciliationFinding[];
  changes: BankStatusChange[];
  balanceUpdated: boolean;
}

type Match = { paymentId: string; reference: string; method: StatementOutcome['matched'][number]['method'] };
type Decision = { match: Match } | { finding: FindingReason; reference?: string } | { receipt: true };

/**
 * Reconciles one statement inside the caller's transaction (one file = one
 * transaction, so a bad line leaves nothing behind). Debits are matched to our
 * payments by end-to-end id, else by amount + date window + counterparty when
 * exactly one payment fits; a matched payment is marked reconciled (and settled if
 * the bank had not said so yet). Whatever cannot be accounted for becomes a finding.
 */
export async function reconcileStatement(em: Tx, stmt: BankStatement, ctx: { fileName: string; now: Date }): Promise<StatementOutcome> {
  const account = await accountOf(em, stmt);
  const previous = await em.execute(`select max(as_of) as as_of from bank_statements where account_number = ?`, [stmt.accountNumber]);
  const inserted = await em.execute(
    `insert into bank_statements (id, message_id, statement_id, account_id, account_number, currency, closing_balance_minor, as_of, file_name, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (account_number, statement_id) do nothing returning id`,
    [
      randomUUID(), stmt.messageId, stmt.statementId, account.id, stmt.accountNumber, stmt.currency,
      stmt.closingBalance?.amount.minor.toString() ?? null, stmt.closingBalance?.asOf ?? stmt.createdAt ?? ctx.now, ctx.fileName, ctx.now,
    ],
  );
  const out: StatementOutcome = { duplicate: inserted.length === 0, matched: [], findings: [], changes: [], balanceUpdated: false };
  if (out.duplicate) return out;
  const statementRowId: string = inserted[0].id;

  for (const line of stmt.lines) {
    const d = await decide(em, account, line);
    await em.execute(
      `insert into bank_statement_entries (id, statement_id, line, entry_ref, end_to_end_id, credit_debit, amount_minor, currency, booking_date,
         counterparty_name, counterparty_account, remittance, matched_payment_id, match_method, finding, reconciled_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?::date, ?, ?, ?, ?, ?, ?, ?)`,
      [
        randomUUID(), statementRowId, line.line, line.entryRef ?? null, line.endToEndId ?? null, line.creditDebit,
        line.amount.minor.toString(), line.amount.currency, line.bookingDate, line.counterpartyName ?? null,
        line.counterpartyAccount ?? null, line.remittance ?? null, 'match' in d ? d.match.paymentId : null,
        'match' in d ? d.match.method : null, 'finding' in d ? d.finding : null, 'match' in d ? ctx.now : null,
      ],
    );
    if ('match' in d) {
      await markReconciled(em, d.match, stmt, line, ctx.now, out);
    } else if ('finding' in d) {
      const finding: ReconciliationFinding = {
        reason: d.finding, statementId: stmt.statementId, accountId: account.id, accountCode: account.code, line,
        ...(d.reference ? { paymentReference: d.reference } : {}),
      };
      out.findings.push(finding);
      await appendAudit(em, {
        actor: RECONCILIATION_ACTOR, action: 'reconciliation.finding', subjectType: 'bank_statement', subjectId: stmt.statementId, at: ctx.now,
        data: {
          reason: d.finding, account: account.code, line: line.line, creditDebit: line.creditDebit, amount: line.amount.minor,
          currency: line.amount.currency, bookingDate: line.bookingDate,
          ...(line.entryRef ? { entryRef: line.entryRef } : {}), ...(line.endToEndId ? { endToEndId: line.endToEndId } : {}),
          ...(d.reference ? { payment: d.reference } : {}),
        },
      });
    }
  }

  const prevAsOf: Date | null = previous[0]?.as_of ? new Date(previous[0].as_of) : null;
  // An older statement read late must not roll the balance back.
  if (stmt.closingBalance && (!prevAsOf || stmt.closingBalance.asOf.getTime() >= prevAsOf.getTime())) {
    out.balanceUpdated = await applyClosingBalance(em, account, stmt, ctx.now);
  }
  return out;
}

async function accountOf(em: Tx, stmt: BankStatement): Promise<Account> {
  const rows = await em.execute(
    `select id, code, currency from bank_accounts where regexp_replace(account_number, '[\\s-]', '', 'g') = ?`,
    [compact(stmt.accountNumber)],
  );
  if (rows.length === 0) throw new Error(`statement ${stmt.statementId} is for an account paydesk does not hold (${maskAccountNumber(stmt.accountNumber)})`);
  const a = { id: rows[0].id, code: rows[0].code, currency: rows[0].currency.trim() };
  if (a.currency !== stmt.currency) throw new Error(`statement ${stmt.statementId} is in ${stmt.currency}; account ${a.code} holds ${a.currency}`);
  return a;
}

async function decide(em: Tx, account: Account, line: StatementLine): Promise<Decision> {
  if (line.reversal) return { finding: 'reversal' };
  const byE2e = line.endToEndId
    ? (await em.execute(
        `select p.id, p.reference, p.status, p.amount_minor, p.currency, p.debtor_account_id,
           exists (select 1 from bank_statement_entries e where e.matched_payment_id = p.id) as reconciled
         from payments p where p.end_to_end_id = ? for update of p`,
        [line.endToEndId],
      ))[0]
    : undefined;
  if (line.creditDebit === 'CRDT') return byE2e ? { finding: 'returned_payment', reference: byE2e.reference } : { receipt: true };
  if (byE2e) {
    const ref = byE2e.reference;
    if (byE2e.debtor_account_id !== account.id) return { finding: 'account_mismatch', reference: ref };
    if (BigInt(byE2e.amount_minor) !== line.amount.minor || byE2e.currency.trim() !== line.amount.currency) return { finding: 'amount_mismatch', reference: ref };
    if (byE2e.reconciled) return { finding: 'already_reconciled', reference: ref };
    if (!['approved', 'queued', 'submitted', 'settled'].includes(byE2e.status)) return { finding: 'status_conflict', reference: ref };
    return { match: { paymentId: byE2e.id, reference: ref, method: 'end_to_end_id' } };
  }
  if (!line.counterpartyAccount && !line.counterpartyName) return { finding: 'no_match' };
  // The booking may come a few days after the requested date (holidays, cut-offs) and, rarely, a day before.
  const candidates = await em.execute(
    `select p.id, p.reference from payments p join payees y on y.id = p.payee_id
     where p.debtor_account_id = ? and p.currency = ? and p.amount_minor = ? and p.status in ('submitted', 'settled')
       and not exists (select 1 from bank_statement_entries e where e.matched_payment_id = p.id)
       and ?::date between coalesce(greatest(p.execution_date, (p.submitted_at at time zone 'UTC')::date), (p.created_at at time zone 'UTC')::date) - 1
                       and coalesce(greatest(p.execution_date, (p.submitted_at at time zone 'UTC')::date), (p.created_at at time zone 'UTC')::date) + 7
       and (case when ?::text is not null then regexp_replace(y.account_number, '[\\s-]', '', 'g') = ?::text
                 else lower(trim(y.account_name)) = lower(trim(?::text)) or lower(trim(y.name)) = lower(trim(?::text)) end)
     order by p.created_at limit 2`,
    [
      account.id, line.amount.currency, line.amount.minor.toString(), line.bookingDate,
      line.counterpartyAccount ? compact(line.counterpartyAccount) : null, line.counterpartyAccount ? compact(line.counterpartyAccount) : null,
      line.counterpartyName ?? null, line.counterpartyName ?? null,
    ],
  );
  if (candidates.length === 1) return { match: { paymentId: candidates[0].id, reference: candidates[0].reference, method: 'amount_date_counterparty' } };
  return { finding: candidates.length > 1 ? 'ambiguous' : 'no_match' };
}

async function markReconciled(em: Tx, m: Match, stmt: BankStatement, line: StatementLine, now: Date, out: StatementOutcome): Promise<void> {
  out.matched.push({ reference: m.reference, line: line.line, method: m.method });
  // A booked debit is the bank saying the money left: the instruction is settled whatever pain.002 said so far.
  await em.execute(
    `update bank_file_transactions set status = 'ACSC', status_at = ?, status_message_id = ?
     where payment_id = ? and (status is null or status not in ('ACSC', 'ACCC', 'RJCT'))`,
    [now, stmt.messageId, m.paymentId],
  );
  const move = await moveByBankReport(em, m.paymentId, { to: 'settled', bankStatus: 'ACSC', source: `camt.053 ${stmt.statementId}` }, now);
  if (move.kind === 'moved') out.changes.push(move.change);
  await appendAudit(em, {
    actor: RECONCILIATION_ACTOR, action: 'payment.reconciled', subjectType: 'payment', subjectId: m.reference, at: now,
    data: { statement: stmt.statementId, line: line.line, bookingDate: line.bookingDate, method: m.method, ...(line.entryRef ? { entryRef: line.entryRef } : {}) },
  });
}

/**
 * The statement's closing balance becomes our balance, minus payments that settled
 * after it and are not on any statement yet (the bank's figure predates them).
 */
async function applyClosingBalance(em: Tx, account: Account, stmt: BankStatement, now: Date): Promise<boolean> {
  const closing = stmt.closingBalance!;
  const rows = await em.execute(`select balance_minor, bank_reported_as_of from bank_accounts where id = ? for update`, [account.id]);
  // Older than the bank's own latest figure for this account (a balance refresh, or any statement):
  // a late statement must not roll the balance back. Our settlement debits do not count here: the
  // adjustment below is what reconciles them with an older closing balance.
  const reported = rows[0].bank_reported_as_of ? new Date(rows[0].bank_reported_as_of) : undefined;
  if (reported && closing.asOf.getTime() < reported.getTime()) return false;
  const later = await em.execute(
    `select coalesce(sum(p.amount_minor), 0) as s from payments p
     where p.debtor_account_id = ? and p.status = 'settled' and p.final_at > ?
       and not exists (select 1 from bank_statement_entries e where e.matched_payment_id = p.id)`,
    [account.id, closing.asOf],
  );
  const adjustment = BigInt(later[0].s);
  const from = BigInt(rows[0].balance_minor);
  const to = closing.amount.minor - adjustment;
  await em.execute(`update bank_accounts set balance_minor = ?, balance_as_of = ?, bank_reported_as_of = ? where id = ?`, [
    to.toString(), adjustment === 0n ? closing.asOf : now, closing.asOf, account.id,
  ]);
  await appendAudit(em, {
    actor: RECONCILIATION_ACTOR, action: 'account.balance_updated', subjectType: 'bank_account', subjectId: account.code, at: now,
    data: { from, to, closing: closing.amount.minor, settledSince: adjustment, currency: closing.amount.currency, statement: stmt.statementId, asOf: closing.asOf.toISOString() },
  });
  return true;
}
