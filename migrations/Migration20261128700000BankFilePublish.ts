import { Migration } from '@mikro-orm/migrations';

/**
 * pain.001 files are published complete and never modified: a batch collects
 * payments while it is open (no visible file), is sealed, and is then published
 * once under its final name. `published_at` records that last step; a sealed
 * batch without it is a publish a crash interrupted (recover() finishes it).
 *
 * Batches from before this migration already had visible files, so they count
 * as sealed and published: nothing may be added to them any more.
 */
export class Migration20261128700000BankFilePublish extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "bank_file_batches" add column "published_at" timestamptz null;`);
    this.addSql(`update "bank_file_batches" set "sealed_at" = coalesce("sealed_at", now()), "published_at" = coalesce("sealed_at", now());`);
    // What publishDue() scans every round: the few batches not yet out.
    this.addSql(`create index "bank_file_batches_unpublished_index" on "bank_file_batches" ("created_at") where "published_at" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "bank_file_batches_unpublished_index";`);
    this.addSql(`alter table "bank_file_batches" drop column if exists "published_at";`);
  }
}
