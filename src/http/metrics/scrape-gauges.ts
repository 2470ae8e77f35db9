import type { Database } from '../../persistence/database';
import { tablePresent } from '../../services/table-present';

/**
 * A gauge read from PostgreSQL at scrape time. State that lives in the database
 * (payments, approvals, alerts, deliveries, jobs) is counted where it is true for
 * every replica, instead of being tracked in one process's memory. Adding a
 * family is one more entry here.
 */
export interface ScrapeGauge {
  name: string;
  help: string;
  labels: string[];
  /** Each row: the label values (by label name) and `value`. */
  sql: string;
  /** A table created at run time by a library (Agenda's): until it exists the gauge has no series. */
  needsTable?: string;
}

// Counted over whole tables, so each query must stay on an index or a small table.
export const SCRAPE_GAUGES: ScrapeGauge[] = [
  {
    name: 'paydesk_payments',
    help: 'Payments by status',
    labels: ['status'],
    sql: `select status, count(*)::float8 as value from payments group by status`,
  },
  {
    name: 'paydesk_pending_approvals',
    help: 'Payments waiting for approval',
    labels: [],
    sql: `select count(*)::float8 as value from payments where status = 'pending_approval'`,
  },
  {
    name: 'paydesk_oldest_pending_approval_age_seconds',
    help: 'Age of the oldest payment waiting for approval (0 when none)',
    labels: [],
    sql: `select coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as value from payments where status = 'pending_approval'`,
  },
  {
    name: 'paydesk_approval_votes',
    help: 'Approval votes ever cast, by decision (a counter in practice: rate() gives votes per second)',
    labels: ['decision'],
    sql: `select decision, count(*)::float8 as value from approvals group by decision`,
  },
  {
    name: 'paydesk_approval_votes_last_minute',
    help: 'Approval votes cast in the last 60 seconds, by decision',
    labels: ['decision'],
    sql: `select decision, count(*)::float8 as value from approvals where created_at > now() - interval '1 minute' group by decision`,
  },
  {
    name: 'paydesk_bank_payments',
    help: 'Payments submitted to a bank, by the bank status last reported',
    labels: ['bank_status'],
    sql: `select coalesce(bank_status, 'none') as bank_status, count(*)::float8 as value from payments where submitted_at is not null group by 1`,
  },
  {
    name: 'paydesk_bank_submissions_due',
    help: 'Approved payments not yet submitted to the bank',
    labels: [],
    sql: `select count(*)::float8 as value from payments where status = 'approved'`,
  },
  {
    name: 'paydesk_webhook_deliveries',
    help: 'Webhook deliveries by result (delivered, failed for good, pending)',
    labels: ['result'],
    sql: `select case when delivered_at is not null then 'delivered' when failed_at is not null then 'failed' else 'pending' end as result,
                 count(*)::float8 as value from webhook_deliveries group by 1`,
  },
  {
    // Pending rows only (the partial subject index); a consumer with nothing waiting has no series.
    name: 'paydesk_outbox_lag_seconds',
    help: 'Age of the oldest event still waiting for each outbox consumer (no series when none waits)',
    labels: ['consumer'],
    sql: `select d.consumer, extract(epoch from now() - min(e.created_at))::float8 as value
          from outbox_deliveries d join outbox_events e on e.seq = d.seq
          where d.state = 'pending' group by d.consumer`,
  },
  {
    name: 'paydesk_outbox_backlog_age_seconds',
    help: 'Age of the oldest outbox event the dispatcher has not taken up yet (0 when none); grows when no dispatcher runs',
    labels: [],
    // Not yet completed for every consumer (the dispatcher claims per consumer without a fan-out step).
    sql: `select coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as value from outbox_events where completed_at is null`,
  },
  {
    name: 'paydesk_outbox_parked',
    help: 'Outbox deliveries given up after their attempts (parked) and waiting for an operator, per consumer',
    labels: ['consumer'],
    sql: `select consumer, count(*)::float8 as value from outbox_deliveries where state = 'parked' group by consumer`,
  },
  {
    name: 'paydesk_webhook_delivery_lag_seconds',
    help: 'Age of the oldest webhook delivery not yet delivered nor given up (0 when none)',
    labels: [],
    sql: `select coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as value
          from webhook_deliveries where delivered_at is null and failed_at is null`,
  },
  {
    name: 'paydesk_alerts_open',
    help: 'Open (unacknowledged) alerts by kind and severity',
    labels: ['kind', 'severity'],
    sql: `select kind, severity, count(*)::float8 as value from alerts where status = 'open' group by kind, severity`,
  },
  {
    name: 'paydesk_scheduler_job_lag_seconds',
    help: 'How long the most overdue run of each scheduled job has been waiting (0 when on time)',
    labels: ['job'],
    sql: `select name as job,
                 coalesce(extract(epoch from max(now() - next_run_at) filter (where next_run_at <= now() and locked_at is null)), 0)::float8 as value
          from agenda_jobs where disabled = false group by name`,
    needsTable: 'agenda_jobs',
  },
];

export async function readGauge(db: Database, g: ScrapeGauge): Promise<{ labels: Record<string, string>; value: number }[]> {
  const rows: Record<string, unknown>[] = await db.read(async (em) => {
    if (g.needsTable && !(await tablePresent(em, g.needsTable))) return [];
    return em.execute(g.sql);
  });
  return rows.map((r) => ({
    labels: Object.fromEntries(g.labels.map((l) => [l, String(r[l])])),
    value: Number(r.value),
  }));
}
