import type { Database } from '../../persistence/database';

export interface ParkedDelivery {
  consumer: string;
  eventId: string;
  type: string;
  subject: string;
  attempts: number;
  lastError?: string;
  createdAt: Date;
}

export interface OutboxStatus {
  /** Deliveries not yet done, per consumer (pending includes those waiting for a retry). */
  pending: { consumer: string; count: number; oldest: Date }[];
  parked: ParkedDelivery[];
  parkedTotal: number;
  /** Events committed that no consumer has taken up yet (they have no delivery row). */
  unfanned: number;
}

/** What `/pay outbox` shows an admin: what is waiting, and what gave up (parked) and why. */
export async function outboxStatus(db: Database, limit = 10): Promise<OutboxStatus> {
  return db.read(async (em) => {
    const pending = await em.execute(
      `select d.consumer, count(*)::int as n, min(e.created_at) as oldest from outbox_deliveries d
       join outbox_events e on e.seq = d.seq where d.state = 'pending' group by d.consumer order by d.consumer`,
    );
    const parked = await em.execute(
      `select d.consumer, e.id, e.type, e.subject_type, e.subject_id, d.attempts, d.last_error, e.created_at
       from outbox_deliveries d join outbox_events e on e.seq = d.seq where d.state = 'parked' order by d.seq desc limit ${Number(limit)}`,
    );
    const [{ n: parkedTotal }] = await em.execute(`select count(*)::int as n from outbox_deliveries where state = 'parked'`);
    const [{ n: unfanned }] = await em.execute(
      `select count(*)::int as n from outbox_events e
       where e.completed_at is null and not exists (select 1 from outbox_deliveries d where d.seq = e.seq)`,
    );
    return {
      pending: pending.map((r: any) => ({ consumer: r.consumer, count: r.n, oldest: new Date(r.oldest) })),
      parked: parked.map((r: any) => ({
        consumer: r.consumer, eventId: r.id, type: r.type, subject: `${r.subject_type}:${r.subject_id}`, attempts: r.attempts,
        ...(r.last_error ? { lastError: String(r.last_error) } : {}), createdAt: new Date(r.created_at),
      })),
      parkedTotal,
      unfanned,
    };
  });
}

/** Puts parked deliveries back in the queue (an admin fixed the cause); returns how many. */
export async function retryParked(db: Database): Promise<number> {
  // Their events are open again, so the dispatcher's claim (which looks at open events only) sees them.
  const [{ n }] = await db.read((em) =>
    em.execute(
      `with r as (
         update outbox_deliveries set state = 'pending', attempts = 0, next_attempt_at = now(), claimed_by = null
         where state = 'parked' returning seq),
       reopened as (update outbox_events set completed_at = null where seq in (select seq from r))
       select (select count(*)::int from r) as n from (select pg_notify('paydesk_outbox', '')) wake`,
    ),
  );
  return n;
}
