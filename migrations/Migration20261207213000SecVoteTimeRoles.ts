import { Migration } from '@mikro-orm/migrations';

/**
 * A vote counts with the standing its voter had when casting it: the roles and
 * the approval limit (in the payment's currency) are stored on the vote, so a
 * later promotion or demotion cannot change whether "including a treasurer" held.
 * Votes from before this migration have none and are read with the voter's roles.
 */
export class Migration20261207213000SecVoteTimeRoles extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "approvals" add column "approver_roles" text[] null, add column "approver_limit_minor" bigint null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "approvals" drop column if exists "approver_roles", drop column if exists "approver_limit_minor";`);
  }
}
