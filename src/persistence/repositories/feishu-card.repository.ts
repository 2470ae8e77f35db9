import { isLocale, type Locale } from '../../domain/locale';
import type { Database, Tx } from '../database';

/** Receipts for Feishu message events share interaction_receipts under their own platform name. */
export const FEISHU_EVENT_PLATFORM = 'feishu-event';

export interface FeishuCardCopyRow {
  key: string;
  messageId: string;
  receiveId: string;
  locale: Locale;
}

/**
 * Raw SQL on purpose: a small lookup table owned by the Feishu adapter (plus receipt rows),
 * kept out of the entity model so the core schema stays free of platform details.
 */
export const feishuCards = {
  async addCopy(em: Tx, c: FeishuCardCopyRow): Promise<void> {
    await em.execute(
      `insert into feishu_card_messages (card_key, message_id, receive_id, locale) values (?, ?, ?, ?)
       on conflict (card_key, message_id) do nothing`,
      [c.key, c.messageId, c.receiveId, c.locale],
    );
  },
  async copies(em: Tx, key: string): Promise<FeishuCardCopyRow[]> {
    const rows: { message_id: string; receive_id: string; locale: string }[] = await em.execute(
      `select message_id, receive_id, locale from feishu_card_messages where card_key = ? order by created_at, message_id`,
      [key],
    );
    return rows.map((r) => ({
      key,
      messageId: r.message_id,
      receiveId: r.receive_id,
      locale: isLocale(r.locale) ? r.locale : 'zh-CN',
    }));
  },
  /** Inserts the receipt; the primary key makes a concurrent second claim lose. */
  async claimEvent(em: Tx, eventId: string): Promise<boolean> {
    const rows = await em.execute(
      `insert into interaction_receipts (platform, receipt_id, created_at) values (?, ?, now())
       on conflict do nothing returning receipt_id`,
      [FEISHU_EVENT_PLATFORM, eventId],
    );
    return rows.length === 1;
  },
  async releaseEvent(em: Tx, eventId: string): Promise<void> {
    await em.execute(`delete from interaction_receipts where platform = ? and receipt_id = ?`, [FEISHU_EVENT_PLATFORM, eventId]);
  },
};

/** The FeishuStore port (adapters/feishu/feishu-store.ts) over the database, matched structurally. */
export function feishuStore(db: Database) {
  return {
    addCardCopy: (c: FeishuCardCopyRow) => db.tx((em) => feishuCards.addCopy(em, c)),
    cardCopies: (key: string) => db.read((em) => feishuCards.copies(em, key)),
    claimEvent: (eventId: string) => db.tx((em) => feishuCards.claimEvent(em, eventId)),
    releaseEvent: (eventId: string) => db.tx((em) => feishuCards.releaseEvent(em, eventId)),
  };
}
