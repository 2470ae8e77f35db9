import type { Database } from '../../src/persistence/database';

/**
 * Platforms redeliver and people double-click: the first sight of a
 * (platform, receipt id) pair claims it in `interaction_receipts`
 * (InteractionReceiptEntity's table), later ones find it taken. The claim
 * commits on its own, before acting, so two deliveries racing each other
 * cannot both pass. Plain SQL because the command layer stays off the ORM's
 * entities (see test/unit/architecture.test.ts).
 */
export async function claimReceipt(db: Database, platform: string, receiptId: string, now: Date): Promise<boolean> {
  const rows = await db.read((em) =>
    em.execute(
      `insert into interaction_receipts (platform, receipt_id, created_at) values (?, ?, ?)
       on conflict (platform, receipt_id) do nothing returning receipt_id`,
      [platform, receiptId, now],
    ),
  );
  return rows.length === 1;
}

/** Gives a claim back when acting failed unexpectedly, so the platform's retry can act. */
export async function releaseReceipt(db: Database, platform: string, receiptId: string): Promise<void> {
  await db.read((em) => em.execute(`delete from interaction_receipts where platform = ? and receipt_id = ?`, [platform, receiptId]));
}

/**
 * Deliveries of one receipt inside this process: the second waits for the first
 * to finish, so its answer shows the state after the first acted rather than
 * before. (Across processes the database claim still guarantees acting once.)
 */
export class InFlightReceipts {
  private readonly running = new Map<string, Promise<unknown>>();

  async once<T>(key: string, task: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    const existing = this.running.get(key);
    if (existing) {
      await existing.catch(() => undefined);
      return { ran: false };
    }
    // No await between the lookup above and this set: JavaScript cannot interleave another delivery here.
    const p = task();
    this.running.set(key, p);
    try {
      return { ran: true, value: await p };
    } finally {
      this.running.delete(key);
    }
  }
}
