import { Migration } from '@mikro-orm/migrations';

/**
 * When the bank itself last told us an account's balance (a balance refresh or a
 * camt.053 closing balance). `balance_as_of` also moves when our own book debits a
 * settled payment, so it cannot tell a late statement from a newer bank figure:
 * a statement older than this is read for its lines but never rolls the balance back.
 */
export class Migration20261207210000SecBankReportedAsOf extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "bank_accounts" add column "bank_reported_as_of" timestamptz null;`);
    // What earlier statements already established.
    this.addSql(`update "bank_accounts" a set "bank_reported_as_of" = s."as_of"
      from (select "account_id", max("as_of") as "as_of" from "bank_statements" where "closing_balance_minor" is not null group by "account_id") s
      where s."account_id" = a."id";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "bank_accounts" drop column if exists "bank_reported_as_of";`);
  }
}
