import { Migration } from '@mikro-orm/migrations';

/**
 * Recurring payments, the holiday calendar, approval reminder state, and Agenda's
 * own tables. Agenda's DDL is copied verbatim from @agendajs/postgres-backend
 * 3.0.6 (schema.js, PostgresJobLogger.js) so the app can pass `ensureSchema: false`:
 * two processes starting at once then never race to create the table.
 */
export class Migration20261128100000Scheduling extends Migration {
  override async up(): Promise<void> {
    // Foreign keys and checks as MikroORM names and writes them (see schedule.entity.ts), so the drift test stays empty.
    this.addSql(`create table "payment_schedules" ("id" uuid not null, "reference" text not null, "payee_id" uuid not null, "debtor_account_id" uuid not null, "amount_minor" bigint not null, "currency" char(3) not null, "purpose" text not null, "cadence" text not null, "timezone" text not null default 'Asia/Shanghai', "start_date" date not null, "end_date" date null, "max_runs" int null, "runs_done" int not null default 0, "status" text not null, "requester_id" uuid not null, "approved_by" uuid null, "approved_at" timestamptz null, "auto_run_approved" boolean not null default false, "approved_amount_minor" bigint null, "next_due_at" timestamptz null, "next_due_date" date null, "last_nominal_date" date null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, constraint "payment_schedules_pkey" primary key ("id"), constraint payment_schedules_status_known check (status ~ '^(pending_approval|active|paused|cancelled|completed|rejected)$'), constraint payment_schedules_amount_positive check (amount_minor > 0), constraint payment_schedules_max_runs_positive check (max_runs is null or max_runs > 0), constraint payment_schedules_end_after_start check (end_date is null or end_date >= start_date));`);
    this.addSql(`alter table "payment_schedules" add constraint "payment_schedules_reference_unique" unique ("reference");`);
    this.addSql(`create index "payment_schedules_status_next_due_at_index" on "payment_schedules" ("status", "next_due_at");`);
    this.addSql(`alter table "payment_schedules" add constraint "payment_schedules_payee_id_foreign" foreign key ("payee_id") references "payees" ("id") on update cascade;`);
    this.addSql(`alter table "payment_schedules" add constraint "payment_schedules_debtor_account_id_foreign" foreign key ("debtor_account_id") references "bank_accounts" ("id") on update cascade;`);
    this.addSql(`alter table "payment_schedules" add constraint "payment_schedules_requester_id_foreign" foreign key ("requester_id") references "users" ("id") on update cascade;`);
    this.addSql(`alter table "payment_schedules" add constraint "payment_schedules_approved_by_foreign" foreign key ("approved_by") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`create sequence "payment_schedule_reference_seq";`);

    this.addSql(`create table "business_holidays" ("date" date not null, "name" text not null, "created_by" text not null, "created_at" timestamptz not null default now(), constraint "business_holidays_pkey" primary key ("date"));`);

    // One row per pending payment that was reminded or escalated: the insert is the claim, so each fires once.
    this.addSql(`create table "approval_reminders" ("payment_id" uuid not null, "reminded_at" timestamptz null, "escalated_at" timestamptz null, constraint "approval_reminders_pkey" primary key ("payment_id"));`);
    this.addSql(`alter table "approval_reminders" add constraint "approval_reminders_payment_id_foreign" foreign key ("payment_id") references "payments" ("id") on update cascade on delete cascade;`);

    // --- Agenda (agenda 6.2.6 + @agendajs/postgres-backend 3.0.6), verbatim ---
    this.addSql(`CREATE TABLE IF NOT EXISTS "agenda_jobs" (
			id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
			name VARCHAR(255) NOT NULL,
			priority INTEGER NOT NULL DEFAULT 0,
			next_run_at TIMESTAMPTZ,
			type VARCHAR(10) NOT NULL DEFAULT 'normal' CHECK (type IN ('normal', 'single')),
			locked_at TIMESTAMPTZ,
			last_finished_at TIMESTAMPTZ,
			failed_at TIMESTAMPTZ,
			fail_count INTEGER DEFAULT NULL,
			fail_reason TEXT,
			repeat_timezone VARCHAR(100),
			last_run_at TIMESTAMPTZ,
			repeat_interval VARCHAR(255),
			data JSONB DEFAULT '{}'::jsonb,
			repeat_at VARCHAR(255),
			disabled BOOLEAN DEFAULT FALSE,
			progress REAL,
			fork BOOLEAN DEFAULT FALSE,
			last_modified_by VARCHAR(255),
			debounce_started_at TIMESTAMPTZ,
			start_date TIMESTAMPTZ,
			end_date TIMESTAMPTZ,
			skip_days JSONB,
			created_at TIMESTAMPTZ DEFAULT NOW(),
			updated_at TIMESTAMPTZ DEFAULT NOW()
		);`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "agenda_jobs_find_and_lock_idx"
		 ON "agenda_jobs" (name, next_run_at, priority DESC, locked_at, disabled)
		 WHERE disabled = FALSE;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "agenda_jobs_single_job_idx"
		 ON "agenda_jobs" (name) WHERE type = 'single';`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "agenda_jobs_locked_at_idx"
		 ON "agenda_jobs" (locked_at) WHERE locked_at IS NOT NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "agenda_jobs_next_run_at_idx"
		 ON "agenda_jobs" (next_run_at) WHERE next_run_at IS NOT NULL;`);
    this.addSql(`CREATE OR REPLACE FUNCTION update_agenda_jobs_updated_at()
		RETURNS TRIGGER AS $$
		BEGIN
			NEW.updated_at = NOW();
			RETURN NEW;
		END;
		$$ LANGUAGE plpgsql;`);
    this.addSql(`DROP TRIGGER IF EXISTS "agenda_jobs_updated_at_trigger" ON "agenda_jobs";`);
    this.addSql(`CREATE TRIGGER "agenda_jobs_updated_at_trigger"
		BEFORE UPDATE ON "agenda_jobs"
		FOR EACH ROW
		EXECUTE FUNCTION update_agenda_jobs_updated_at();`);
    this.addSql(`CREATE TABLE IF NOT EXISTS "agenda_logs" (
			id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
			timestamp TIMESTAMPTZ NOT NULL DEFAULT NOW(),
			level VARCHAR(10) NOT NULL,
			event VARCHAR(30) NOT NULL,
			job_id VARCHAR(255),
			job_name VARCHAR(255) NOT NULL,
			message TEXT NOT NULL,
			duration INTEGER,
			error TEXT,
			fail_count INTEGER,
			retry_delay INTEGER,
			retry_attempt INTEGER,
			agenda_name VARCHAR(255),
			meta JSONB
		);`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "agenda_logs_timestamp_idx"
		 ON "agenda_logs" (timestamp DESC);`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "agenda_logs_job_id_idx"
		 ON "agenda_logs" (job_id, timestamp DESC);`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "agenda_logs_job_name_idx"
		 ON "agenda_logs" (job_name, timestamp DESC);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "agenda_logs", "agenda_jobs" cascade;`);
    this.addSql(`drop function if exists update_agenda_jobs_updated_at() cascade;`);
    this.addSql(`drop table if exists "approval_reminders", "business_holidays", "payment_schedules" cascade;`);
    this.addSql(`drop sequence if exists "payment_schedule_reference_seq";`);
  }
}
