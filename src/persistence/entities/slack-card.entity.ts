import { EntitySchema } from '@mikro-orm/core';

/**
 * One Slack message showing a card (`payment:<id>`, `alert:<key>`): the approvals
 * channel copy and each approver's DM. The Slack adapter writes it with raw SQL; the
 * schema is declared so the schema generator knows the table and never drops it.
 */
export interface SlackCardMessageRecord {
  cardKey: string;
  /** The destination as configured: channel name/id, or the Slack user id for a DM. */
  target: string;
  channel: string;
  ts: string;
  locale: string;
  createdAt: Date;
}

export const SlackCardMessageEntity = new EntitySchema<SlackCardMessageRecord>({
  name: 'SlackCardMessageRecord',
  tableName: 'slack_card_messages',
  properties: {
    cardKey: { type: 'text', primary: true },
    target: { type: 'text', primary: true },
    channel: { type: 'text' },
    ts: { type: 'text' },
    locale: { type: 'text' },
    createdAt: { type: 'datetime', index: true },
  },
});
