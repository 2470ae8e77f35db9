import { Migration } from '@mikro-orm/migrations';

/**
 * Company calendar overrides: per calendar (`CN`, `weekends`), a day off
 * (`holiday`) or a working day (`workday`, e.g. a 调休 make-up day the data
 * package does not know yet). `origin` tells the directory file's entries
 * (replaced whenever the file is applied) from those added by command (kept).
 * Rows from before are CN company holidays added by command.
 *
 * `payment_schedules.combine_runs`: cadence dates that roll onto one business
 * day are one payment for the sum only when the schedule says so; by default
 * each is its own payment (before, they were silently merged into one).
 */
export class Migration20261207215100SchedCalendar extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "business_holidays" add column "calendar" text not null default 'CN', add column "kind" text not null default 'holiday', add column "origin" text not null default 'command';`);
    this.addSql(`alter table "business_holidays" drop constraint "business_holidays_pkey";`);
    this.addSql(`alter table "business_holidays" add constraint "business_holidays_pkey" primary key ("calendar", "date");`);
    this.addSql(`alter table "payment_schedules" add column "combine_runs" boolean not null default false;`);
    // The directory file's `monitoring:` thresholds (one row), read by every anomaly check.
    this.addSql(`create table "monitoring_settings" ("id" text not null, "settings" jsonb not null, "updated_by" text not null, "updated_at" timestamptz not null, constraint "monitoring_settings_pkey" primary key ("id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "monitoring_settings";`);
    this.addSql(`alter table "payment_schedules" drop column "combine_runs";`);
    this.addSql(`delete from "business_holidays" where "calendar" <> 'CN' or "kind" <> 'holiday';`);
    this.addSql(`alter table "business_holidays" drop constraint "business_holidays_pkey";`);
    this.addSql(`alter table "business_holidays" add constraint "business_holidays_pkey" primary key ("date");`);
    this.addSql(`alter table "business_holidays" drop column "calendar", drop column "kind", drop column "origin";`);
  }
}
