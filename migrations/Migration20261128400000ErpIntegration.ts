import { Migration } from '@mikro-orm/migrations';

/**
 * ERP integration: API tokens and their webhooks, the ISO 20022 file gateway's
 * batches (one pain.001 file per debtor account and execution date; an instruction
 * belongs to exactly one batch, so a re-run never writes a second one), and the
 * bank statements reconciliation reads. All raw SQL tables (no entities), listed in
 * the ORM's skipTables.
 */
export class Migration20261128400000ErpIntegration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "api_tokens" ("id" uuid not null, "name" text not null, "token_hash" char(64) not null, "scopes" text[] not null, "created_by" text not null, "created_at" timestamptz not null default now(), "revoked_at" timestamptz null, constraint "api_tokens_pkey" primary key ("id"), constraint "api_tokens_name_unique" unique ("name"), constraint "api_tokens_token_hash_unique" unique ("token_hash"));`);

    this.addSql(`create table "webhook_subscriptions" ("id" uuid not null, "token_id" uuid not null, "url" text not null, "secret" text not null, "created_at" timestamptz not null default now(), "active" boolean not null default true, constraint "webhook_subscriptions_pkey" primary key ("id"), constraint "webhook_subscriptions_token_fk" foreign key ("token_id") references "api_tokens" ("id"));`);
    this.addSql(`create index "webhook_subscriptions_token_id_index" on "webhook_subscriptions" ("token_id") where "active";`);
    // (subscription, event) is unique so a repeated event can never queue a second delivery.
    this.addSql(`create table "webhook_deliveries" ("id" uuid not null, "subscription_id" uuid not null, "event_id" text not null, "payload" jsonb not null, "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "delivered_at" timestamptz null, "failed_at" timestamptz null, "last_error" text null, "created_at" timestamptz not null default now(), constraint "webhook_deliveries_pkey" primary key ("id"), constraint "webhook_deliveries_subscription_event_unique" unique ("subscription_id", "event_id"), constraint "webhook_deliveries_subscription_fk" foreign key ("subscription_id") references "webhook_subscriptions" ("id"));`);
    this.addSql(`create index "webhook_deliveries_due_index" on "webhook_deliveries" ("next_attempt_at") where "delivered_at" is null and "failed_at" is null;`);

    this.addSql(`create sequence "bank_file_message_seq";`);
    this.addSql(`create table "bank_file_batches" ("id" uuid not null, "message_id" text not null, "debtor_account_number" text not null, "currency" char(3) not null, "execution_date" date not null, "file_name" text not null, "debtor" jsonb not null, "created_at" timestamptz not null, "sealed_at" timestamptz null, constraint "bank_file_batches_pkey" primary key ("id"), constraint "bank_file_batches_message_id_unique" unique ("message_id"), constraint "bank_file_batches_file_name_unique" unique ("file_name"));`);
    // One batch still being extended per account and date; sealed ones (collected by the bank) are history.
    this.addSql(`create unique index "bank_file_batches_open_unique" on "bank_file_batches" ("debtor_account_number", "execution_date") where "sealed_at" is null;`);
    // payment_id deliberately has no foreign key: the gateway writes this row while the bank
    // outbox holds the payment row FOR UPDATE in another transaction, and the FK check's
    // KEY SHARE lock would wait on it forever.
    this.addSql(`create table "bank_file_transactions" ("end_to_end_id" text not null, "batch_id" uuid not null, "payment_id" uuid null, "position" int not null, "amount_minor" bigint not null, "currency" char(3) not null, "instruction" jsonb not null, "added_at" timestamptz not null, "status" text null, "status_reason" text null, "status_at" timestamptz null, "status_message_id" text null, constraint "bank_file_transactions_pkey" primary key ("end_to_end_id"), constraint "bank_file_transactions_payment_unique" unique ("payment_id"), constraint "bank_file_transactions_batch_fk" foreign key ("batch_id") references "bank_file_batches" ("id"));`);
    this.addSql(`create index "bank_file_transactions_batch_id_index" on "bank_file_transactions" ("batch_id", "position");`);

    this.addSql(`create table "bank_statements" ("id" uuid not null, "message_id" text not null, "statement_id" text not null, "account_id" uuid not null, "account_number" text not null, "currency" char(3) not null, "closing_balance_minor" bigint null, "as_of" timestamptz not null, "file_name" text not null, "created_at" timestamptz not null default now(), constraint "bank_statements_pkey" primary key ("id"), constraint "bank_statements_account_statement_unique" unique ("account_number", "statement_id"), constraint "bank_statements_account_fk" foreign key ("account_id") references "bank_accounts" ("id"));`);
    this.addSql(`create index "bank_statements_account_as_of_index" on "bank_statements" ("account_number", "as_of");`);
    // matched_payment_id is unique: a payment is reconciled against at most one statement entry.
    this.addSql(`create table "bank_statement_entries" ("id" uuid not null, "statement_id" uuid not null, "line" int not null, "entry_ref" text null, "end_to_end_id" text null, "credit_debit" text not null, "amount_minor" bigint not null, "currency" char(3) not null, "booking_date" date not null, "counterparty_name" text null, "counterparty_account" text null, "remittance" text null, "matched_payment_id" uuid null, "match_method" text null, "finding" text null, "reconciled_at" timestamptz null, constraint "bank_statement_entries_pkey" primary key ("id"), constraint "bank_statement_entries_statement_line_unique" unique ("statement_id", "line"), constraint "bank_statement_entries_matched_payment_unique" unique ("matched_payment_id"), constraint "bank_statement_entries_statement_fk" foreign key ("statement_id") references "bank_statements" ("id"), constraint "bank_statement_entries_payment_fk" foreign key ("matched_payment_id") references "payments" ("id"), constraint "bank_statement_entries_credit_debit_known" check ("credit_debit" in ('CRDT', 'DBIT')));`);
    this.addSql(`create index "bank_statement_entries_unmatched_index" on "bank_statement_entries" ("statement_id") where "matched_payment_id" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "bank_statement_entries", "bank_statements", "bank_file_transactions", "bank_file_batches", "webhook_deliveries", "webhook_subscriptions", "api_tokens" cascade;`);
    this.addSql(`drop sequence if exists "bank_file_message_seq";`);
  }
}
