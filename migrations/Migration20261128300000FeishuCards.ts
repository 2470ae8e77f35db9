import { Migration } from '@mikro-orm/migrations';

/**
 * Which Feishu messages show which card (`payment:<id>`, `alert:<key>`), so a decision
 * can patch every copy: the approvals group and each approver's direct chat.
 */
export class Migration20261128300000FeishuCards extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "feishu_card_messages" ("card_key" text not null, "message_id" text not null, "receive_id" text not null, "locale" text not null, "created_at" timestamptz not null default now(), constraint "feishu_card_messages_pkey" primary key ("card_key", "message_id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "feishu_card_messages";`);
  }
}
