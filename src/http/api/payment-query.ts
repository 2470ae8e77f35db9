import { toDecimalString } from '../../domain/money/money';
import { ISO20022_STATUS, PaymentStatus } from '../../domain/payment/payment-status';
import type { Database, Tx } from '../../persistence/database';
import { ApiError } from './api-errors';
import type { PaymentJson } from './api.schemas';

// One row carries everything the API shows, so a page is one query (no per-payment lookups).
const SELECT = `
  select p.*, a.code as account_code, y.code as payee_code, e.reconciled_at,
         p.execution_date::text as execution_date_text,
         to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key
  from payments p
  join bank_accounts a on a.id = p.debtor_account_id
  join payees y on y.id = p.payee_id
  left join bank_statement_entries e on e.matched_payment_id = p.id`;

const iso = (d: unknown): string | null => (d ? new Date(d as string).toISOString() : null);

function toJson(r: any): PaymentJson {
  const amount = { minor: BigInt(r.amount_minor), currency: String(r.currency).trim() };
  return {
    reference: r.reference,
    status: r.status,
    iso_status: ISO20022_STATUS[r.status as PaymentStatus],
    amount: toDecimalString(amount),
    currency: amount.currency,
    amount_minor: amount.minor.toString(),
    debtor_account: r.account_code,
    payee: r.payee_code,
    purpose: r.purpose,
    source: r.source,
    requested_by: r.requested_by,
    external_ref: r.external_ref ?? null,
    execution_date: r.execution_date_text ?? null,
    end_to_end_id: r.end_to_end_id,
    bank_status: r.bank_status ?? null,
    bank_reason: r.bank_reason ?? null,
    approvals_required: Number(r.tier?.approvals ?? 0),
    warnings: (r.warnings ?? []).map((w: any) => ({ code: w.code, severity: w.severity })),
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
    decided_at: iso(r.decided_at),
    submitted_at: iso(r.submitted_at),
    final_at: iso(r.final_at),
    reconciled_at: iso(r.reconciled_at),
  };
}

/** Opaque to clients; inside it is the (created_at, id) of the last row shown. */
export function encodeCursor(createdKey: string, id: string): string {
  return Buffer.from(JSON.stringify([createdKey, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) && v.length === 2 &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(v[0]) &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v[1])
    )
      return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new ApiError(400, 'API.INVALID_CURSOR');
}

export interface PaymentFilter {
  status?: PaymentStatus;
  since?: string;
  externalRef?: string;
  cursor?: string;
  limit?: number;
  /** Only payments requested by this actor (a `payments:read:own` token's `api:<name>`). */
  requestedBy?: string;
}

/** The REST API's read model of payments. */
export const paymentQuery = {
  async byReference(em: Tx, reference: string): Promise<PaymentJson | undefined> {
    const rows = await em.execute(`${SELECT} where p.reference = ?`, [reference.toUpperCase()]);
    return rows[0] ? toJson(rows[0]) : undefined;
  },

  async page(db: Database, f: PaymentFilter): Promise<{ data: PaymentJson[]; next_cursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.status) where.push('p.status = ?') && params.push(f.status);
    if (f.since) where.push('p.created_at >= ?::timestamptz') && params.push(f.since.length === 10 ? `${f.since}T00:00:00Z` : f.since);
    if (f.externalRef) where.push('p.external_ref = ?') && params.push(f.externalRef);
    if (f.requestedBy) where.push('p.requested_by = ?') && params.push(f.requestedBy);
    if (f.cursor) {
      const [created, id] = decodeCursor(f.cursor);
      where.push('(p.created_at, p.id) < (?::timestamptz, ?::uuid)');
      params.push(created, id);
    }
    const limit = f.limit ?? 50;
    const rows = await db.read((em) =>
      em.execute(
        `${SELECT} ${where.length ? `where ${where.join(' and ')}` : ''} order by p.created_at desc, p.id desc limit ${limit + 1}`,
        params,
      ),
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { data: page.map(toJson), next_cursor: rows.length > limit && last ? encodeCursor(last.created_key, last.id) : null };
  },
};
