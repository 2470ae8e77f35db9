import { Migration } from '@mikro-orm/migrations';

/**
 * Who paused a schedule: a pause by a treasurer or admin must not be lifted by
 * the requester it was meant to stop. Schedules already paused get their pauser
 * from the audit log (the latest `schedule.paused` event), so the rule holds for
 * them too; one with no such event stays null and is treated as paused by
 * someone else (the safe side).
 */
export class Migration20261128600000ScheduleGuards extends Migration {
  override async up(): Promise<void> {
    // As MikroORM writes it for the entity's m:1 property (see schedule.entity.ts), so the drift test stays empty.
    this.addSql(`alter table "payment_schedules" add column "paused_by" uuid null;`);
    this.addSql(`alter table "payment_schedules" add constraint "payment_schedules_paused_by_foreign" foreign key ("paused_by") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`update "payment_schedules" s set "paused_by" = (
      select u."id" from "audit_events" a join "users" u on a."actor" = 'user:' || u."handle"
      where a."subject_type" = 'schedule' and a."subject_id" = s."reference" and a."action" = 'schedule.paused'
      order by a."seq" desc limit 1
    ) where s."status" = 'paused';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "payment_schedules" drop constraint if exists "payment_schedules_paused_by_foreign";`);
    this.addSql(`alter table "payment_schedules" drop column if exists "paused_by";`);
  }
}
