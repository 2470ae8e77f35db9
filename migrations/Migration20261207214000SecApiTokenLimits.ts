import { Migration } from '@mikro-orm/migrations';

/** API tokens: an optional expiry, and when each was last used (for reviews and clean-ups). */
export class Migration20261207214000SecApiTokenLimits extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "api_tokens" add column "expires_at" timestamptz null, add column "last_used_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_tokens" drop column if exists "expires_at", drop column if exists "last_used_at";`);
  }
}
