import { Migration } from '@mikro-orm/migrations';

/**
 * The outbox without a fan-out step. A state change still inserts only its event row (one
 * statement, NOTIFY by trigger at commit); delivery rows are no longer created for every consumer
 * ahead of time but by the dispatcher's claim (one statement per batch), and an event is "open"
 * until every consumer it concerns has a done (or parked) delivery. `completed_at` marks the end:
 * the claim only looks at open events, and pruning deletes completed ones after the retention.
 */
export class Migration20261208050000OutboxLazyDeliveries extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "outbox_events" add column "completed_at" timestamptz null;`);
    // Fanned out and nothing left pending: complete. Never fanned out, or still pending: open.
    this.addSql(`update "outbox_events" e set "completed_at" = coalesce(e."fanned_out_at", now())
      where e."fanned_out_at" is not null
        and not exists (select 1 from "outbox_deliveries" d where d."seq" = e."seq" and d."state" = 'pending');`);
    this.addSql(`drop index if exists "outbox_events_unfanned_index";`);
    this.addSql(`alter table "outbox_events" drop column "fanned_out_at";`);
    // What every claim scans: the few events not yet delivered to all their consumers.
    this.addSql(`create index "outbox_events_open_index" on "outbox_events" ("seq") where "completed_at" is null;`);
    // What pruning scans: completed events by age.
    this.addSql(`create index "outbox_events_completed_index" on "outbox_events" ("completed_at") where "completed_at" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "outbox_events" add column "fanned_out_at" timestamptz null;`);
    this.addSql(`update "outbox_events" set "fanned_out_at" = coalesce("completed_at", now());`);
    this.addSql(`drop index if exists "outbox_events_open_index";`);
    this.addSql(`drop index if exists "outbox_events_completed_index";`);
    this.addSql(`alter table "outbox_events" drop column "completed_at";`);
    this.addSql(`create index "outbox_events_unfanned_index" on "outbox_events" ("seq") where "fanned_out_at" is null;`);
  }
}
