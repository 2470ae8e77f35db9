import { LockMode } from '@mikro-orm/core';
import { BankGateway, PaymentInstruction } from '../../banks/bank-gateway';
import { wallClock } from '../../domain/anomaly/business-hours';
import { PaymentStatus } from '../../domain/payment/payment-status';
import type { Database, Tx } from '../../persistence/database';
import { PaymentEntity, PaymentRecord } from '../../persistence/entities';
import { paymentFromRecord } from '../../persistence/mappers/payment.mapper';
import { directory } from '../../persistence/repositories/directory.repository';
import { PaymentEvents } from '../events';
import { recordBankOutcome } from './record-bank-outcome';
import type { PreSubmitCheck } from '../monitoring/anomaly-check';

export interface OutboxLogger {
  warn(obj: object, msg: string): void;
}

export interface BankOutboxOptions {
  /** Zone of the business calendar: a payment dated D goes to the bank from midnight of D there. Asia/Shanghai by default. */
  timezone?: string;
}

/**
 * The transactional outbox towards the bank. Approval only commits `approved`;
 * this moves approved payments to the bank and records what the bank says.
 * Each payment is handled under its row lock (SKIP LOCKED, so two workers share
 * the work), and the bank call carries the end-to-end id, so a retry after a
 * crash between the bank call and our commit can never pay twice.
 *
 * A future-dated payment stays `approved` until its execution date has begun in
 * the business timezone; only then is it submitted.
 *
 * Balance model (see SandboxBank): bank_accounts holds the BOOKED balance. A
 * refresh copies the bank's booked balance; between refreshes this outbox debits
 * our book when a payment settles — the moment the bank books it — never earlier.
 */
export class BankOutbox {
  constructor(
    private readonly db: Database,
    private readonly bank: BankGateway,
    private readonly events: PaymentEvents,
    private readonly log: OutboxLogger = { warn: () => {} },
    private readonly clock: () => Date = () => new Date(),
    /** Anomaly rules re-run under the row lock just before money leaves; a block fails the payment. */
    private readonly preSubmit: PreSubmitCheck = async () => ({ block: false }),
    private readonly opts: BankOutboxOptions = {},
  ) {}

  /** Today's date (YYYY-MM-DD) in the business timezone. */
  private today(): string {
    return wallClock(this.clock(), this.opts.timezone ?? 'Asia/Shanghai').date;
  }

  async submitApproved(limit = 50): Promise<number> {
    const ids = await this.idsIn('approved', limit, this.today());
    let done = 0;
    try {
      for (const id of ids) if (await this.submitOne(id)) done += 1;
    } finally {
      // A file gateway collects the round's payments per account and date; publish them now, complete.
      await this.bank.flush?.();
    }
    // Now that the files are out, what they carry is submitted.
    if (this.bank.flush) await this.pollQueued(limit);
    return done;
  }

  async pollSubmitted(limit = 100): Promise<number> {
    const queued = await this.pollQueued(limit);
    const ids = await this.idsIn('submitted', limit);
    let done = 0;
    for (const id of ids) if (await this.pollOne(id)) done += 1;
    return done + queued;
  }

  /** Queued payments whose file has been published become submitted (or whatever the bank said since). */
  private async pollQueued(limit: number): Promise<number> {
    const ids = await this.idsIn('queued', limit);
    let done = 0;
    for (const id of ids) if (await this.pollOne(id, 'queued')) done += 1;
    return done;
  }

  /** Submits one approved payment; true when its status changed. */
  async submitOne(paymentId: string): Promise<boolean> {
    return this.changeUnderLock(paymentId, 'approved', async (em, row) => {
      // Checked again under the lock, since submitOne is also called directly: a payment not yet due stays approved.
      if (row.executionDate && dateText(row.executionDate) > this.today()) return undefined;
      const verdict = await this.preSubmit(em, paymentFromRecord(row), this.clock());
      if (verdict.block) return { to: 'failed', bankStatus: 'RJCT', reason: verdict.reason };
      const instruction = await this.instructionFor(em, row);
      try {
        const outcome = await this.bank.submit(instruction);
        if (outcome.status === 'accepted') return { to: 'submitted', bankStatus: 'ACSP' };
        // In a batch whose file is not out yet: no bank has seen it, so not ACSP.
        if (outcome.status === 'queued') return { to: 'queued', bankStatus: null };
        return { to: 'failed', bankStatus: 'RJCT', reason: outcome.reason };
      } catch (err) {
        // Unknown outcome: stay approved and retry; the end-to-end id keeps the retry safe.
        row.submitAttempts += 1;
        this.log.warn({ err, reference: row.reference, attempts: row.submitAttempts }, 'bank submission failed; will retry');
        return undefined;
      }
    });
  }

  /** Asks the bank about one submitted (or queued) payment; true when its status changed. */
  async pollOne(paymentId: string, expected: 'submitted' | 'queued' = 'submitted'): Promise<boolean> {
    return this.changeUnderLock(paymentId, expected, async (em, row) => {
      // Hold our book of the account while the bank books the payment: a balance
      // refresh landing between the bank's booking and our debit would count it twice.
      // FOR NO KEY UPDATE, not FOR UPDATE: it still excludes the balance refresh (FOR UPDATE) and other
      // settlements, but not the FOR KEY SHARE lock each new payment's foreign key takes on the account row.
      await em.execute(`select 1 from bank_accounts where id = ? for no key update`, [row.debtorAccountId]);
      const s = await this.bank.status(row.endToEndId);
      if (s.status === 'queued') return undefined;
      if (expected === 'queued' && s.status === 'pending') return { to: 'submitted', bankStatus: 'ACSP' };
      if (s.status === 'settled') return { to: 'settled', bankStatus: 'ACSC' };
      if (s.status === 'failed') return { to: 'failed', bankStatus: 'RJCT', reason: s.reason };
      return undefined;
    });
  }

  /** Ids in `status`; with `dueBy`, only those without an execution date or dated on or before it. */
  private async idsIn(status: PaymentStatus, limit: number, dueBy?: string): Promise<string[]> {
    const due = dueBy ? ` and (execution_date is null or execution_date <= ?::date)` : '';
    const rows = await this.db.read((em) =>
      em.execute(`select id from payments where status = ?${due} order by updated_at limit ${Number(limit)}`, dueBy ? [status, dueBy] : [status]),
    );
    return rows.map((r: any) => r.id);
  }

  private async changeUnderLock(
    paymentId: string,
    expected: PaymentStatus,
    decide: (em: Tx, row: PaymentRecord) => Promise<{ to: PaymentStatus; bankStatus: string | null; reason?: string } | undefined>,
  ): Promise<boolean> {
    const changed = await this.db.tx(async (em) => {
      // SKIP LOCKED: a payment another worker holds is simply not ours this round.
      const row = await em.findOne(PaymentEntity, { id: paymentId }, { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE });
      if (!row || row.status !== expected) return undefined;
      const next = await decide(em, row);
      if (!next) return undefined;
      return recordBankOutcome(em, row, next, { actor: `system:bank:${this.bank.name}`, at: this.clock() });
    });
    // recordBankOutcome wrote the status_changed event into the outbox with the change.
    return changed !== undefined;
  }

  private async instructionFor(em: Tx, row: PaymentRecord): Promise<PaymentInstruction> {
    const account = (await directory.account(em, row.debtorAccountId))!;
    const payee = (await directory.payee(em, row.payeeId))!;
    return {
      endToEndId: row.endToEndId,
      reference: row.reference,
      debtor: { accountNumber: account.accountNumber, name: account.name, bankName: account.bankName, bic: account.bankBic },
      creditor: { accountNumber: payee.accountNumber, name: payee.accountName, bankName: payee.bankName, bic: payee.bankBic },
      amount: { minor: BigInt(row.amountMinor), currency: row.currency },
      purpose: row.purpose,
      executionDate: row.executionDate ?? undefined,
    };
  }
}

/** A date column as YYYY-MM-DD, whether the driver hands it over as text or as a Date. */
function dateText(v: string | Date): string {
  return typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10);
}
