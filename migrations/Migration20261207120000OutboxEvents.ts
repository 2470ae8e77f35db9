import { Migration } from '@mikro-orm/migrations';

/**
 * The transactional outbox. A state change inserts its events into
 * `outbox_events` in its own transaction (one statement); the dispatcher fans
 * each event out to the named consumers (`outbox_deliveries`, one row per
 * consumer and event) and delivers them at least once. A delivery row records
 * what its consumer did (result) so a redelivery after a crash acts once.
 */
export class Migration20261207120000OutboxEvents extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "outbox_events" (
      "seq" bigserial primary key,
      "id" uuid not null unique,
      "type" text not null,
      "subject_type" text not null,
      "subject_id" text not null,
      "subject_version" integer not null default 0,
      "payload" jsonb not null,
      "created_at" timestamptz not null default now(),
      "fanned_out_at" timestamptz null
    );`);
    // What the fan-out scans every round: the few events not yet handed to the consumers.
    this.addSql(`create index "outbox_events_unfanned_index" on "outbox_events" ("seq") where "fanned_out_at" is null;`);
    this.addSql(`create table "outbox_deliveries" (
      "consumer" text not null,
      "seq" bigint not null references "outbox_events" ("seq") on delete cascade,
      "subject_key" text not null,
      "state" text not null default 'pending' check ("state" in ('pending', 'done', 'parked')),
      "attempts" integer not null default 0,
      "next_attempt_at" timestamptz not null default now(),
      -- The backend pid of the claiming dispatcher's own connection: a claim whose pid is gone (kill -9,
      -- graceful stop) is free again at once instead of after its lease.
      "claimed_by" integer null,
      "last_error" text null,
      "result" jsonb null,
      "done_at" timestamptz null,
      primary key ("consumer", "seq")
    );`);
    // Claiming: due pending rows in order; and "is an earlier event of this subject still pending for me".
    this.addSql(`create index "outbox_deliveries_due_index" on "outbox_deliveries" ("next_attempt_at", "seq") where "state" = 'pending';`);
    this.addSql(`create index "outbox_deliveries_subject_index" on "outbox_deliveries" ("consumer", "subject_key", "seq") where "state" = 'pending';`);
    this.addSql(`create index "outbox_deliveries_parked_index" on "outbox_deliveries" ("seq") where "state" = 'parked';`);
    // Wakes every replica's dispatcher at commit (NOTIFY is transactional and folded per transaction),
    // so writers send no extra statement of their own.
    this.addSql(`create function "outbox_events_notify"() returns trigger language plpgsql as $$
      begin perform pg_notify('paydesk_outbox', ''); return null; end $$;`);
    this.addSql(`create trigger "outbox_events_notify" after insert on "outbox_events"
      for each statement execute function "outbox_events_notify"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "outbox_deliveries";`);
    this.addSql(`drop table if exists "outbox_events";`);
    this.addSql(`drop function if exists "outbox_events_notify"();`);
  }
}
