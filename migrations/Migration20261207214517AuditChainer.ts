import { Migration } from '@mikro-orm/migrations';

/**
 * The audit chain leaves the commit path (issue 14): business transactions insert
 * events without a hash and without any shared lock; one chainer at a time links
 * committed events afterwards (`chain_seq`, `prev_hash`, `hash`) and writes a signed
 * checkpoint of the new head in the same transaction (src/services/audit/audit-chainer.ts).
 *
 * - Events already chained under the old advisory lock were linked in `seq` order,
 *   so they get `chain_seq` = their rank by `seq`; their hashes stay as they are.
 * - The append-only trigger now allows exactly one update per event: setting its
 *   link columns once, with nothing else changed.
 * - `audit_checkpoints` is append-only as well. Where paydesk runs with separate
 *   owner and application roles, the application role gets INSERT and SELECT only.
 */
export class Migration20261207214517AuditChainer extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "audit_events" add column "chain_seq" bigint null, alter column "prev_hash" drop not null, alter column "hash" drop not null;`);
    this.addSql(`alter table "audit_events" disable trigger "audit_events_no_update";`);
    this.addSql(`update "audit_events" e set "chain_seq" = r."n" from (select "seq", row_number() over (order by "seq") as "n" from "audit_events") r where r."seq" = e."seq";`);
    this.addSql(`alter table "audit_events" enable trigger "audit_events_no_update";`);
    this.addSql(`alter table "audit_events" add constraint "audit_events_chain_seq_unique" unique ("chain_seq");`);
    this.addSql(`create or replace function "audit_events_append_only"() returns trigger language plpgsql as $$
      begin
        -- The chainer links each event once; the event itself never changes.
        if tg_op = 'UPDATE' and old."chain_seq" is null and new."chain_seq" is not null and new."hash" is not null
           and (new."seq", new."at", new."actor", new."action", new."subject_type", new."subject_id", new."data")
               is not distinct from (old."seq", old."at", old."actor", old."action", old."subject_type", old."subject_id", old."data") then
          return new;
        end if;
        raise exception 'audit_events is append-only';
      end $$;`);
    this.addSql(`create table "audit_checkpoints" ("chain_seq" bigint not null, "hash" char(64) not null, "at" timestamptz(3) not null, "signature" char(64) not null, constraint "audit_checkpoints_pkey" primary key ("chain_seq"));`);
    this.addSql(`create function "audit_checkpoints_append_only"() returns trigger language plpgsql as $$ begin raise exception 'audit_checkpoints is append-only'; end $$;`);
    this.addSql(`create trigger "audit_checkpoints_no_update" before update or delete on "audit_checkpoints" for each row execute function "audit_checkpoints_append_only"();`);
    this.addSql(`create trigger "audit_checkpoints_no_truncate" before truncate on "audit_checkpoints" for each statement execute function "audit_checkpoints_append_only"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audit_checkpoints";`);
    this.addSql(`drop function if exists "audit_checkpoints_append_only"() cascade;`);
    this.addSql(`create or replace function "audit_events_append_only"() returns trigger language plpgsql as $$ begin raise exception 'audit_events is append-only'; end $$;`);
    this.addSql(`alter table "audit_events" drop constraint if exists "audit_events_chain_seq_unique";`);
    this.addSql(`alter table "audit_events" drop column if exists "chain_seq";`);
    // Fails while unlinked events exist: run the chainer (verify) before migrating down.
    this.addSql(`alter table "audit_events" alter column "prev_hash" set not null, alter column "hash" set not null;`);
  }
}
