import type { Database } from '../../persistence/database';

/**
 * Deletes outbox events delivered to every consumer more than `retentionDays` before `now`
 * (their delivery rows go with them). An event with a parked delivery is kept however old, so an
 * admin can still see and retry it. Works in slices so one run never holds a long transaction.
 */
export async function pruneOutbox(db: Database, now: Date, retentionDays: number, slice = 5_000): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  let total = 0;
  for (;;) {
    const [{ n }] = await db.read((em) =>
      em.execute(
        `with gone as (
           delete from outbox_events e where e.seq in (
             select o.seq from outbox_events o
             where o.completed_at < ?
               and not exists (select 1 from outbox_deliveries d where d.seq = o.seq and d.state = 'parked')
             order by o.completed_at limit ${Number(slice)})
           returning 1)
         select count(*)::int as n from gone`,
        [cutoff],
      ),
    );
    total += n;
    if (n < slice) return total;
  }
}
