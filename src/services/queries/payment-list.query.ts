import type { User } from '../../domain/directory';
import type { Payment } from '../../domain/payment/payment';
import type { PaymentStatus } from '../../domain/payment/payment-status';
import type { Database } from '../../persistence/database';
import { paymentStore } from '../payments/payment-store';

/** Filters that combine: every one given must hold (`mine pending today CNY acme`). */
export interface PaymentListFilters {
  /** Requested by the reader. */
  mine?: boolean;
  /** Created since the start of today in the treasury's time zone. */
  today?: boolean;
  /** Waiting for the reader's vote: pending, not theirs, not yet voted, a counting role and a limit that reaches. */
  todo?: boolean;
  status?: PaymentStatus;
  currency?: string;
  payeeId?: string;
}

export interface PaymentListQuery {
  filters: PaymentListFilters;
  page: number;
  pageSize: number;
  /** The reader: whose payments `mine` means and whose vote `todo` waits for. */
  user: Pick<User, 'id' | 'roles' | 'approvalLimits'>;
  /** Where `today` starts, already in the treasury's time zone. */
  dayStart: Date;
}

/** One line of a payment list: the payment and the names the list shows. */
export interface PaymentListEntry {
  payment: Payment;
  payeeName?: string;
  requesterName?: string;
}

function whereFor(q: PaymentListQuery): { sql: string; params: unknown[] } {
  const f = q.filters;
  const parts: string[] = ['true'];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    parts.push(sql);
    params.push(...values);
  };
  if (f.mine) add('p.requester_id = ?', q.user.id);
  if (f.today) add('p.created_at >= ?', q.dayStart);
  if (f.status) add('p.status = ?', f.status);
  if (f.currency) add('p.currency = ?', f.currency);
  if (f.payeeId) add('p.payee_id = ?', f.payeeId);
  if (f.todo) {
    // The same standing checkVote asks for: role in the tier, a limit in the currency that reaches the amount.
    const limits = Object.fromEntries(Object.entries(q.user.approvalLimits).map(([c, v]) => [c, v.toString()]));
    add(
      `p.status = 'pending_approval' and p.requester_id is distinct from ?
       and not exists (select 1 from approvals a where a.payment_id = p.id and a.approver_id = ?)
       and jsonb_exists_any(p.tier::jsonb -> 'roles', ?::text[])
       and (?::jsonb ->> p.currency::text)::numeric >= p.amount_minor`,
      q.user.id, q.user.id, `{${q.user.roles.join(',')}}`, JSON.stringify(limits),
    );
  }
  return { sql: parts.join(' and '), params };
}

/** One page of payments, newest first, with the payee and requester names the list shows. */
export async function listPayments(db: Database, q: PaymentListQuery): Promise<{ rows: PaymentListEntry[]; total: number }> {
  const where = whereFor(q);
  return db.read(async (em) => {
    const [{ n }] = await em.execute(`select count(*) as n from payments p where ${where.sql}`, where.params);
    const found: { id: string; payee_name: string | null; requester_name: string | null }[] = await em.execute(
      `select p.id, pe.name as payee_name, u.name as requester_name
         from payments p
         left join payees pe on pe.id = p.payee_id
         left join users u on u.id = p.requester_id
        where ${where.sql}
        -- the reference breaks ties between payments created in the same instant, so pages never overlap
        order by p.created_at desc, p.reference desc
        limit ? offset ?`,
      [...where.params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    const rows: PaymentListEntry[] = [];
    // One after another: an EntityManager must not run queries concurrently.
    for (const r of found) {
      const payment = await paymentStore.byId(em, r.id);
      if (payment) rows.push({ payment, payeeName: r.payee_name ?? undefined, requesterName: r.requester_name ?? undefined });
    }
    return { rows, total: Number(n) };
  });
}
