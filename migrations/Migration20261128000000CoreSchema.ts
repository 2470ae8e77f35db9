import { Migration } from '@mikro-orm/migrations';

/** The core payment schema: directory, payments, approvals, policy, audit chain, sandbox bank. */
export class Migration20261128000000CoreSchema extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "alert_routes" ("id" uuid not null, "kind" text not null, "min_severity" text not null, "platform" text not null, "channel" text not null, constraint "alert_routes_pkey" primary key ("id"));`);
    this.addSql(`alter table "alert_routes" add constraint "alert_routes_kind_platform_channel_unique" unique ("kind", "platform", "channel");`);
    this.addSql(`create table "approval_policies" ("currency" char(3) not null, "tiers" jsonb not null, "version" int not null default 1, "updated_by" text not null, "updated_at" timestamptz not null, constraint "approval_policies_pkey" primary key ("currency"));`);
    this.addSql(`create table "audit_events" ("seq" bigserial primary key, "at" timestamptz(3) not null, "actor" text not null, "action" text not null, "subject_type" text not null, "subject_id" text not null, "data" jsonb not null, "prev_hash" char(64) not null, "hash" char(64) not null);`);
    this.addSql(`alter table "audit_events" add constraint "audit_events_hash_unique" unique ("hash");`);
    this.addSql(`create index "audit_events_subject_index" on "audit_events" ("subject_type", "subject_id");`);
    this.addSql(`create table "bank_accounts" ("id" uuid not null, "code" text not null, "name" text not null, "aliases" text[] not null, "bank_name" text not null, "bank_bic" text null, "account_number" text not null, "currency" char(3) not null, "balance_minor" bigint not null, "balance_as_of" timestamptz not null, "low_balance_threshold_minor" bigint null, "alert_channels" jsonb not null, "created_at" timestamptz not null default now(), constraint "bank_accounts_pkey" primary key ("id"));`);
    this.addSql(`alter table "bank_accounts" add constraint "bank_accounts_code_unique" unique ("code");`);
    this.addSql(`alter table "bank_accounts" add constraint "bank_accounts_account_number_unique" unique ("account_number");`);
    this.addSql(`create table "interaction_receipts" ("platform" text not null, "receipt_id" text not null, "created_at" timestamptz not null, constraint "interaction_receipts_pkey" primary key ("platform", "receipt_id"));`);
    this.addSql(`create index "interaction_receipts_created_at_index" on "interaction_receipts" ("created_at");`);
    this.addSql(`create table "payees" ("id" uuid not null, "code" text not null, "name" text not null, "aliases" text[] not null, "bank_name" text not null, "bank_bic" text null, "account_number" text not null, "account_name" text not null, "verified" boolean not null default false, "cooling_off_until" timestamptz null, "bank_details_changed_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "payees_pkey" primary key ("id"));`);
    this.addSql(`alter table "payees" add constraint "payees_code_unique" unique ("code");`);
    this.addSql(`create table "sandbox_bank_accounts" ("account_number" text not null, "currency" char(3) not null, "balance_minor" bigint not null, "closed" boolean not null default false, constraint "sandbox_bank_accounts_pkey" primary key ("account_number"));`);
    this.addSql(`create table "sandbox_bank_transfers" ("end_to_end_id" text not null, "debtor_account_number" text not null, "creditor_account_number" text not null, "creditor_name" text not null, "amount_minor" bigint not null, "currency" char(3) not null, "status" text not null, "reason" text null, "accepted_at" timestamptz not null, "settle_at" timestamptz not null, constraint "sandbox_bank_transfers_pkey" primary key ("end_to_end_id"));`);
    this.addSql(`create index "sandbox_bank_transfers_settle_at_index" on "sandbox_bank_transfers" ("settle_at");`);
    this.addSql(`create table "users" ("id" uuid not null, "handle" text not null, "name" text not null, "email" text null, "roles" text[] not null, "approval_limits" jsonb not null, "locale" text not null, "slack_user_id" text null, "feishu_open_id" text null, "active" boolean not null default true, "created_at" timestamptz not null default now(), constraint "users_pkey" primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_handle_unique" unique ("handle");`);
    this.addSql(`alter table "users" add constraint "users_slack_user_id_unique" unique ("slack_user_id");`);
    this.addSql(`alter table "users" add constraint "users_feishu_open_id_unique" unique ("feishu_open_id");`);
    this.addSql(`create table "payments" ("id" uuid not null, "reference" text not null, "source" text not null, "idempotency_key" text null, "request_hash" text null, "debtor_account_id" uuid not null, "payee_id" uuid not null, "amount_minor" bigint not null, "currency" char(3) not null, "purpose" text not null, "requester_id" uuid null, "requested_by" text not null, "status" text not null, "version" int not null default 1, "tier" jsonb not null, "warnings" jsonb not null, "end_to_end_id" text not null, "bank_status" text null, "bank_reason" text null, "execution_date" date null, "external_ref" text null, "schedule_id" uuid null, "submit_attempts" int not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, "decided_at" timestamptz null, "submitted_at" timestamptz null, "final_at" timestamptz null, constraint "payments_pkey" primary key ("id"), constraint payments_amount_positive check (amount_minor > 0), constraint payments_status_known check (status ~ '^(pending_approval|approved|submitted|settled|failed|rejected|cancelled|expired)$'), constraint payments_source_known check (source ~ '^(chat|api|schedule|import)$'));`);
    this.addSql(`alter table "payments" add constraint "payments_reference_unique" unique ("reference");`);
    this.addSql(`alter table "payments" add constraint "payments_end_to_end_id_unique" unique ("end_to_end_id");`);
    this.addSql(`create index "payments_external_ref_index" on "payments" ("external_ref");`);
    this.addSql(`create index "payments_schedule_id_index" on "payments" ("schedule_id");`);
    this.addSql(`create index "payments_status_created_at_index" on "payments" ("status", "created_at");`);
    this.addSql(`create index "payments_payee_id_created_at_index" on "payments" ("payee_id", "created_at");`);
    this.addSql(`create index "payments_debtor_account_id_created_at_index" on "payments" ("debtor_account_id", "created_at");`);
    this.addSql(`create index "payments_requester_id_created_at_index" on "payments" ("requester_id", "created_at");`);
    this.addSql(`alter table "payments" add constraint "payments_source_idempotency_key_unique" unique ("source", "idempotency_key");`);
    this.addSql(`create table "approvals" ("id" uuid not null, "payment_id" uuid not null, "approver_id" uuid not null, "decision" text not null, "reason" text null, "via" text not null, "created_at" timestamptz not null, constraint "approvals_pkey" primary key ("id"), constraint approvals_decision_known check (decision ~ '^(approve|reject)$'));`);
    this.addSql(`create index "approvals_payment_id_index" on "approvals" ("payment_id");`);
    this.addSql(`alter table "approvals" add constraint "approvals_payment_id_approver_id_unique" unique ("payment_id", "approver_id");`);
    this.addSql(`alter table "payments" add constraint "payments_debtor_account_id_foreign" foreign key ("debtor_account_id") references "bank_accounts" ("id") on update cascade;`);
    this.addSql(`alter table "payments" add constraint "payments_payee_id_foreign" foreign key ("payee_id") references "payees" ("id") on update cascade;`);
    this.addSql(`alter table "payments" add constraint "payments_requester_id_foreign" foreign key ("requester_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "approvals" add constraint "approvals_payment_id_foreign" foreign key ("payment_id") references "payments" ("id") on update cascade;`);
    this.addSql(`alter table "approvals" add constraint "approvals_approver_id_foreign" foreign key ("approver_id") references "users" ("id") on update cascade;`);

    // Not expressible in entity metadata: the reference sequence and the append-only guard.
    this.addSql(`create sequence "payment_reference_seq";`);
    this.addSql(`create function "audit_events_append_only"() returns trigger language plpgsql as $$ begin raise exception 'audit_events is append-only'; end $$;`);
    this.addSql(`create trigger "audit_events_no_update" before update or delete on "audit_events" for each row execute function "audit_events_append_only"();`);
    this.addSql(`create trigger "audit_events_no_truncate" before truncate on "audit_events" for each statement execute function "audit_events_append_only"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "approvals", "payments", "audit_events", "approval_policies", "alert_routes", "interaction_receipts", "sandbox_bank_transfers", "sandbox_bank_accounts", "payees", "bank_accounts", "users" cascade;`);
    this.addSql(`drop function if exists "audit_events_append_only"() cascade;`);
    this.addSql(`drop sequence if exists "payment_reference_seq";`);
  }
}
