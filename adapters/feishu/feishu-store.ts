import type { Locale } from '../../src/domain/locale';

/** One Feishu message showing a card, in the language it was rendered in. */
export interface FeishuCardCopy {
  key: string;
  messageId: string;
  /** chat_id or open_id the message went to (for logs; patching needs only the message id). */
  receiveId: string;
  locale: Locale;
}

/**
 * What the Feishu adapter keeps between requests. Implemented over PostgreSQL in
 * src/persistence/repositories/feishu-card.repository.ts and handed in by the composition
 * root, so the adapter itself never touches the ORM.
 */
export interface FeishuStore {
  addCardCopy(copy: FeishuCardCopy): Promise<void>;
  cardCopies(key: string): Promise<FeishuCardCopy[]>;
  /** True the first time an event id is claimed; false when Feishu redelivers it. */
  claimEvent(eventId: string): Promise<boolean>;
  /** Gives a claim back after a failure, so Feishu's retry of that event may act. */
  releaseEvent(eventId: string): Promise<void>;
}
