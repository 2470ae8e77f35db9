import { Migration } from '@mikro-orm/migrations';

/**
 * The company as its banks know it: the directory's `company.legalName` (or its
 * name), one row. pain.001 files name it as initiating party and debtor; before,
 * they said "paydesk" and the account's nickname.
 */
export class Migration20261207212000SecCompanyLegalName extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "company_profile" (
      "id" smallint not null default 1, "name" text not null, "legal_name" text not null, "updated_at" timestamptz not null,
      constraint "company_profile_pkey" primary key ("id"), constraint "company_profile_single_row" check ("id" = 1));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "company_profile";`);
  }
}
