import type { Tx } from '../../persistence/database';
import type { PaymentInstruction } from '../bank-gateway';
import type { FileParty, Pain001Message } from './pain001.builder';

export interface BatchRow {
  id: string;
  messageId: string;
  accountNumber: string;
  currency: string;
  executionDate: string;
  fileName: string;
  debtor: FileParty;
  createdAt: Date;
  /** Set once the batch takes no more payments; its file is then staged hidden, then published. */
  sealedAt?: Date;
  /** Set once the file has been renamed to its visible name (or a crash came right after that). */
  publishedAt?: Date;
}

export interface LinkRow {
  endToEndId: string;
  batchId: string;
  /** True once the batch's file is visible to the bank. */
  published: boolean;
  status?: string;
  statusReason?: string;
  statusAt?: Date;
}

const batchFrom = (r: any): BatchRow => ({
  id: r.id,
  messageId: r.message_id,
  accountNumber: r.debtor_account_number,
  currency: r.currency.trim(),
  executionDate: typeof r.execution_date === 'string' ? r.execution_date : dateText(r.execution_date),
  fileName: r.file_name,
  debtor: r.debtor,
  createdAt: new Date(r.created_at),
  ...(r.sealed_at ? { sealedAt: new Date(r.sealed_at) } : {}),
  ...(r.published_at ? { publishedAt: new Date(r.published_at) } : {}),
});
const dateText = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const BATCH_COLS = `id, message_id, debtor_account_number, currency, execution_date::text as execution_date, file_name, debtor, created_at, sealed_at, published_at`;

/** SQL for pain.001 batches and their instructions (raw tables, see the ERP migration). */
export const batchStore = {
  /** Serialises everything that touches one account's file for one date, across processes. */
  async lockKey(em: Tx, accountNumber: string, executionDate: string): Promise<void> {
    await em.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`pain001:${accountNumber}:${executionDate}`]);
  },

  async link(em: Tx, endToEndId: string): Promise<LinkRow | undefined> {
    const rows = await em.execute(
      `select t.*, b.published_at is not null as published from bank_file_transactions t join bank_file_batches b on b.id = t.batch_id where t.end_to_end_id = ?`,
      [endToEndId],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      endToEndId: r.end_to_end_id,
      batchId: r.batch_id,
      published: Boolean(r.published),
      ...(r.status ? { status: r.status } : {}),
      ...(r.status_reason ? { statusReason: r.status_reason } : {}),
      ...(r.status_at ? { statusAt: new Date(r.status_at) } : {}),
    };
  },

  async batch(em: Tx, id: string): Promise<BatchRow> {
    const rows = await em.execute(`select ${BATCH_COLS} from bank_file_batches where id = ?`, [id]);
    return batchFrom(rows[0]);
  },

  async openBatch(em: Tx, accountNumber: string, executionDate: string): Promise<BatchRow | undefined> {
    const rows = await em.execute(
      `select ${BATCH_COLS} from bank_file_batches where debtor_account_number = ? and execution_date = ?::date and sealed_at is null`,
      [accountNumber, executionDate],
    );
    return rows[0] ? batchFrom(rows[0]) : undefined;
  },

  /** Open batches and sealed ones whose publishing a crash interrupted, oldest first. */
  async unpublished(em: Tx): Promise<BatchRow[]> {
    const rows = await em.execute(`select ${BATCH_COLS} from bank_file_batches where published_at is null order by created_at`);
    return rows.map(batchFrom);
  },

  async seal(em: Tx, id: string, at: Date): Promise<void> {
    await em.execute(`update bank_file_batches set sealed_at = ? where id = ? and sealed_at is null`, [at, id]);
  },

  async markPublished(em: Tx, id: string, at: Date): Promise<void> {
    await em.execute(`update bank_file_batches set published_at = ? where id = ? and published_at is null`, [at, id]);
  },

  async createBatch(
    em: Tx,
    b: { accountNumber: string; currency: string; executionDate: string; debtor: FileParty; createdAt: Date },
  ): Promise<BatchRow> {
    const seq = (await em.execute(`select nextval('bank_file_message_seq') as n`))[0].n;
    // Max35Text; unique forever because the sequence never repeats.
    const messageId = `PD${b.createdAt.toISOString().slice(0, 10).replace(/-/g, '')}${String(seq).padStart(8, '0')}`;
    const rows = await em.execute(
      `insert into bank_file_batches (id, message_id, debtor_account_number, currency, execution_date, file_name, debtor, created_at)
       values (gen_random_uuid(), ?, ?, ?, ?::date, ?, ?::jsonb, ?) returning ${BATCH_COLS}`,
      [messageId, b.accountNumber, b.currency, b.executionDate, `pain.001.001.09-${messageId}.xml`, JSON.stringify(b.debtor), b.createdAt],
    );
    return batchFrom(rows[0]);
  },

  async addLink(em: Tx, batchId: string, i: PaymentInstruction, at: Date): Promise<void> {
    await em.execute(
      `insert into bank_file_transactions (end_to_end_id, batch_id, payment_id, position, amount_minor, currency, instruction, added_at)
       values (?, ?, (select id from payments where end_to_end_id = ?),
               (select coalesce(max(position), 0) + 1 from bank_file_transactions where batch_id = ?), ?, ?, ?::jsonb, ?)`,
      [
        i.endToEndId, batchId, i.endToEndId, batchId, i.amount.minor.toString(), i.amount.currency,
        JSON.stringify({ reference: i.reference, creditor: i.creditor, purpose: i.purpose }),
        at,
      ],
    );
  },

  /** Everything the batch's file must say, in a fixed order, so a rewrite is byte-identical plus the new lines. */
  async message(em: Tx, batch: BatchRow, initiatingParty: string): Promise<Pain001Message> {
    const rows = await em.execute(
      `select end_to_end_id, amount_minor, currency, instruction from bank_file_transactions where batch_id = ? order by position`,
      [batch.id],
    );
    return {
      messageId: batch.messageId,
      createdAt: batch.createdAt,
      initiatingParty,
      debtor: batch.debtor,
      currency: batch.currency,
      executionDate: batch.executionDate,
      transactions: rows.map((r: any) => ({
        endToEndId: r.end_to_end_id,
        instructionId: r.instruction.reference,
        amount: { minor: BigInt(r.amount_minor), currency: r.currency.trim() },
        creditor: { name: r.instruction.creditor.name, accountNumber: r.instruction.creditor.accountNumber, bankName: r.instruction.creditor.bankName, bic: r.instruction.creditor.bic },
        remittance: r.instruction.purpose,
      })),
    };
  },

  /** The company's registered name from the directory (company_profile), if a directory was loaded. */
  async companyLegalName(em: Tx): Promise<string | undefined> {
    const rows = await em.execute(`select legal_name from company_profile where id = 1`);
    return rows[0]?.legal_name;
  },

  async latestBalance(em: Tx, accountNumber: string): Promise<{ minor: bigint; currency: string; asOf: Date } | undefined> {
    const rows = await em.execute(
      `select closing_balance_minor, currency, as_of from bank_statements
       where account_number = ? and closing_balance_minor is not null order by as_of desc, created_at desc limit 1`,
      [accountNumber],
    );
    const r = rows[0];
    return r ? { minor: BigInt(r.closing_balance_minor), currency: r.currency.trim(), asOf: new Date(r.as_of) } : undefined;
  },
};
