import type { Payment } from '../../domain/payment/payment';
import type { PaymentStatus } from '../../domain/payment/payment-status';
import type { Database } from '../../persistence/database';
import { paymentStore } from '../payments/payment-store';

export type PaymentListFilter = 'all' | 'mine' | 'today' | PaymentStatus;

export interface PaymentListQuery {
  filter: PaymentListFilter;
  page: number;
  pageSize: number;
  /** Whose payments `mine` means. */
  userId: string;
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
  if (q.filter === 'all') return { sql: 'true', params: [] };
  if (q.filter === 'mine') return { sql: 'p.requester_id = ?', params: [q.userId] };
  if (q.filter === 'today') return { sql: 'p.created_at >= ?', params: [q.dayStart] };
  return { sql: 'p.status = ?', params: [q.filter] };
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
