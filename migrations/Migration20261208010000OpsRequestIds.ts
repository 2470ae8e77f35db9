import { Migration } from '@mikro-orm/migrations';

/**
 * The request id (X-Request-Id) of the HTTP request or chat interaction that caused
 * an event travels with it: stored on the outbox event when it is recorded, copied
 * onto each webhook delivery it queues, and sent to the receiver as X-Request-Id.
 * Null for work that had no request (jobs, the bank inbox).
 */
export class Migration20261208010000OpsRequestIds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "outbox_events" add column "request_id" text null;`);
    this.addSql(`alter table "webhook_deliveries" add column "request_id" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_deliveries" drop column if exists "request_id";`);
    this.addSql(`alter table "outbox_events" drop column if exists "request_id";`);
  }
}
