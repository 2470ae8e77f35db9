import { EntitySchema } from '@mikro-orm/core';
import { isLocale, type Locale } from '../../domain/locale';
import type { Database, Tx } from '../database';

/** Receipts for Feishu message events share interaction_receipts under their own platform name. */
export const FEISHU_EVENT_PLATFORM = 'feishu-event';

/**
 * Declared only so the schema generator knows the table (migration
 * Migration20261128300000FeishuCards) and never proposes dropping it; it must be listed in
 * ALL_ENTITIES for that. Reads and writes below are raw SQL.
 */
export interface FeishuCardMessageRecord {
  cardKey: string;
  messageId: string;
  receiveId: string;
  locale: string;
  createdAt: Date;
}
export const FeishuCardMessageEntity = new EntitySchema<FeishuCardMessageRecord>({
  name: 'FeishuCardMessageRecord',
  tableName: 'feishu_card_messages',
  properties: {
    cardKey: { type: 'text', primary: true },
    messageId: { type: 'text', primary: true },
    receiveId: { type: 'text' },
    locale: { type: 'text' },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});

export interface FeishuCardCopyRow {
  key: string;
  messageId: string;
  receiveId: string;
  locale: Locale;
}

/**
 * Raw SQL on purpose: these are two tiny lookup tables owned by the Feishu adapter, and
 * keeping them out of the entity model keeps the core schema free of platform details.
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
