import { Migration } from '@mikro-orm/migrations';

/**
 * Monitoring: alerts and the per-account low-balance alarm state. Plain SQL
 * without entities (listed in the ORM's skipTables): the partial unique index
 * that de-duplicates unresolved alerts is not expressible in entity metadata.
 */
export class Migration20261128500000Monitoring extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "alerts" (
      "id" uuid not null,
      "kind" text not null,
      "severity" text not null,
      "status" text not null default 'open',
      "subject_type" text not null,
      "subject_id" text not null,
      "dedupe_key" text not null,
      "title" text not null,
      "detail" jsonb not null default '{}'::jsonb,
      "created_at" timestamptz not null,
      "acknowledged_by" uuid null,
      "acknowledged_at" timestamptz null,
      "resolved_at" timestamptz null,
      "resolved_by" text null,
      "last_notified_at" timestamptz null,
      "notify_count" int not null default 0,
      constraint "alerts_pkey" primary key ("id"),
      constraint "alerts_kind_known" check ("kind" ~ '^(anomaly|low_balance|projected_low_balance|reconciliation)$'),
      constraint "alerts_severity_known" check ("severity" ~ '^(low|medium|high)$'),
      constraint "alerts_status_known" check ("status" ~ '^(open|acknowledged|resolved)$'),
      constraint "alerts_acknowledged_has_time" check ("status" <> 'acknowledged' or "acknowledged_at" is not null),
      constraint "alerts_resolved_has_time" check ("status" <> 'resolved' or "resolved_at" is not null),
      constraint "alerts_acknowledged_by_foreign" foreign key ("acknowledged_by") references "users" ("id") on update cascade on delete set null
    );`);
    // One unresolved alert per key: acknowledging does not open the door to a second copy.
    this.addSql(`create unique index "alerts_dedupe_key_unresolved_unique" on "alerts" ("dedupe_key") where "status" <> 'resolved';`);
    this.addSql(`create index "alerts_status_created_at_index" on "alerts" ("status", "created_at" desc);`);
    this.addSql(`create index "alerts_open_last_notified_at_index" on "alerts" ("last_notified_at") where "status" = 'open';`);
    this.addSql(`create index "alerts_subject_index" on "alerts" ("subject_type", "subject_id");`);

    this.addSql(`create table "balance_alert_state" (
      "account_id" uuid not null,
      "actual_below" boolean not null default false,
      "projected_below" boolean not null default false,
      "updated_at" timestamptz not null,
      constraint "balance_alert_state_pkey" primary key ("account_id"),
      constraint "balance_alert_state_account_foreign" foreign key ("account_id") references "bank_accounts" ("id") on update cascade on delete cascade
    );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "balance_alert_state", "alerts" cascade;`);
  }
}
