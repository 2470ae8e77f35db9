import { Migration } from '@mikro-orm/migrations';

/** Every Slack copy of a card (channel + DMs), so a decision can chat.update all of them. */
export class Migration20261128200000SlackCards extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "slack_card_messages" ("card_key" text not null, "target" text not null, "channel" text not null, "ts" text not null, "locale" text not null, "created_at" timestamptz not null, constraint "slack_card_messages_pkey" primary key ("card_key", "target"));`);
    this.addSql(`create index "slack_card_messages_created_at_index" on "slack_card_messages" ("created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "slack_card_messages" cascade;`);
  }
}
