import { Migration } from '@mikro-orm/migrations';

/**
 * What chat needs to get a request right the first time:
 * - `bank_accounts.is_default`: the account that pays in its currency when
 *   nobody says `from …` (at most one per currency, enforced by a partial
 *   unique index so two admins editing at once cannot both win);
 * - `payees.currencies`: what a payee accepts; empty means "any", so payees
 *   loaded before this migration keep working.
 */
export class Migration20261207210000ChatDefaults extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "bank_accounts" add column "is_default" boolean not null default false;`);
    this.addSql(
      `create unique index "bank_accounts_default_per_currency" on "bank_accounts" ("currency") where "is_default";`,
    );
    this.addSql(`alter table "payees" add column "currencies" text[] not null default '{}';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "bank_accounts_default_per_currency";`);
    this.addSql(`alter table "bank_accounts" drop column if exists "is_default";`);
    this.addSql(`alter table "payees" drop column if exists "currencies";`);
  }
}
