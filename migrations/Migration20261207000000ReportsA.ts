import { Migration } from '@mikro-orm/migrations';

/**
 * Reports (issue 17): a daily closing balance per account, where the daily
 * summary goes, and which summaries were already posted (so a double fire or
 * a second replica posts once). The three tables have no entities (listed in
 * the ORM's skipTables) because only the reports services read them, in SQL.
 */
export class Migration20261207000000ReportsA extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "balance_snapshots" (
      "account_id" uuid not null references "bank_accounts" ("id"),
      "day" date not null,
      "currency" char(3) not null,
      "closing_minor" bigint not null,
      "source" text not null check ("source" in ('bank', 'statement', 'derived')),
      "recorded_at" timestamptz not null,
      constraint "balance_snapshots_pkey" primary key ("account_id", "day"));`);
    this.addSql(`create index "balance_snapshots_day_index" on "balance_snapshots" ("day");`);
    this.addSql(`create table "report_routes" (
      "id" uuid not null primary key,
      "report" text not null default 'daily',
      "platform" text not null,
      "channel" text not null,
      "locale" text not null,
      constraint "report_routes_report_platform_channel_unique" unique ("report", "platform", "channel"));`);
    this.addSql(`create table "report_deliveries" (
      "report" text not null,
      "report_date" date not null,
      "platform" text not null,
      "channel" text not null,
      "delivered_at" timestamptz not null,
      constraint "report_deliveries_pkey" primary key ("report", "report_date", "platform", "channel"));`);
    // The daily summary reads one day of payments across every status: a range on created_at.
    this.addSql(`create index "payments_created_at_index" on "payments" ("created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "payments_created_at_index";`);
    this.addSql(`drop table if exists "report_deliveries";`);
    this.addSql(`drop table if exists "report_routes";`);
    this.addSql(`drop table if exists "balance_snapshots";`);
  }
}
