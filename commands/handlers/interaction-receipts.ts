import type { Database } from '../../src/persistence/database';
import { InteractionReceiptEntity } from '../../src/persistence/entities';

/**
 * Platforms redeliver and people double-click: the first sight of a
 * (platform, receipt id) pair claims it, later ones find it taken. The claim
 * commits on its own, before acting, so two deliveries racing each other
 * cannot both pass.
 */
export async function claimReceipt(db: Database, platform: string, receiptId: string, now: Date): Promise<boolean> {
  const res = await db.read((em) =>
    em
      .createQueryBuilder(InteractionReceiptEntity)
      .insert({ platform, receiptId, createdAt: now })
      .onConflict(['platform', 'receiptId'])
      .ignore()
      .execute('run'),
  );
  return res.affectedRows === 1;
}

/** Gives a claim back when acting failed unexpectedly, so the platform's retry can act. */
export async function releaseReceipt(db: Database, platform: string, receiptId: string): Promise<void> {
  await db.read((em) => em.nativeDelete(InteractionReceiptEntity, { platform, receiptId }));
}
