import type { Database } from '../../persistence/database';

/** One audit event of a payment, as `/pay show` lists it. */
export interface TrailEvent {
  at: Date;
  actor: string;
  action: string;
  data: Record<string, unknown>;
}

/**
 * The audit events of one payment, oldest first (votes, holds, bank statuses,
 * reconciliation): read from the hash-chained log itself, so what chat shows is
 * what an auditor verifies. Capped, since a card has limited room.
 */
export async function paymentTrail(db: Database, reference: string, limit = 30): Promise<TrailEvent[]> {
  const rows: { at: Date; actor: string; action: string; data: Record<string, unknown> }[] = await db.read((em) =>
    em.execute(
      `select at, actor, action, data from (
         select seq, at, actor, action, data from audit_events
          where subject_type = 'payment' and subject_id = ? order by seq desc limit ?
       ) newest order by seq asc`,
      [reference, limit],
    ),
  );
  return rows.map((r) => ({ at: new Date(r.at), actor: r.actor, action: r.action, data: r.data ?? {} }));
}
