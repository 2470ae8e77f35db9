import type { Database, Tx } from '../persistence/database';

/** A platform's id for one tap or form submission (redeliveries repeat it). */
export interface Receipt {
  platform: string;
  id: string;
}

/** The refusal a decision returns when its receipt was already used: the tap was handled before. */
export const DUPLICATE_RECEIPT = 'INTERACTION.DUPLICATE';

/**
 * claimReceipt inside the caller's transaction: the decision and its receipt commit together, so a
 * crash between them can never leave a tap "already handled" but not done.
 */
export async function claimReceiptIn(em: Tx, receipt: Receipt, now: Date): Promise<boolean> {
  const rows = await em.execute(
    `insert into interaction_receipts (platform, receipt_id, created_at) values (?, ?, ?)
     on conflict (platform, receipt_id) do nothing returning receipt_id`,
    [receipt.platform, receipt.id, now],
  );
  return rows.length === 1;
}

/**
 * Platforms redeliver and people double-click: the first sight of a
 * (platform, receipt id) pair claims it in `interaction_receipts`, later ones
 * find it taken. The claim commits on its own, before acting, so two
 * deliveries racing each other cannot both pass.
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
 * How long a receipt is kept. Slack retries within minutes and Feishu within
 * hours; a week covers any redelivery with a wide margin, and the buttons of a
 * card older than that act on the payment's version, not on the receipt.
 */
export const RECEIPT_RETENTION_MS = 7 * 24 * 3_600_000;

/** Deletes receipts older than the retention (Slack's, Feishu's and the playground's alike); answers how many went. */
export async function pruneInteractionReceipts(db: Database, now: Date, retentionMs = RECEIPT_RETENTION_MS): Promise<number> {
  const rows = await db.read((em) =>
    em.execute(
      `with gone as (delete from interaction_receipts where created_at < ? returning 1) select count(*)::int as n from gone`,
      [new Date(now.getTime() - retentionMs)],
    ),
  );
  return Number(rows[0].n);
}
