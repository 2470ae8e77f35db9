import { addDays, localDateOf, zonedInstant, type LocalDate } from '../../domain/schedule';
import type { Tx } from '../../persistence/database';
import { forecastOutflows, type ForecastOutflow } from './cash-forecast';
import { tablePresent } from '../table-present';

export interface StatusTotal {
  status: string;
  currency: string;
  count: number;
  totalMinor: bigint;
}

export interface PendingApproval {
  reference: string;
  amountMinor: bigint;
  currency: string;
  payee: string;
  requester: string;
  createdAt: Date;
  /** Approvals still missing, and the role one of them must come from (policy tier). */
  remaining: number;
  roles: string[];
  needsRole?: string;
}

export interface OpenAlert {
  kind: string;
  severity: string;
  title: string;
  createdAt: Date;
}

export interface AccountBalance {
  code: string;
  name: string;
  bank: string;
  currency: string;
  balanceMinor: bigint;
  /** Closing balance of the day before the report date, when a snapshot exists. */
  previousMinor?: bigint;
}

/** Everything the daily treasury summary shows, for one report date (usually yesterday). */
export interface DailySummary {
  /** First day covered: the report date itself, or the day after the previous business day (Monday covers the weekend). */
  from: LocalDate;
  date: LocalDate;
  timezone: string;
  payments: StatusTotal[];
  pending: PendingApproval[];
  pendingCount: number;
  alerts: OpenAlert[];
  alertCount: number;
  balances: AccountBalance[];
  /** The next seven days of approved, submitted and scheduled outflows (from the one cash forecast). */
  outflows: ForecastOutflow[];
}

const SHOWN = 5;

/**
 * The summary's reads: each a range or an index lookup (see docs/PERFORMANCE.md
 * for the plans with 100,000 payments in the month). The day's payments are
 * read by created_at between the day's midnights in the business time zone.
 */
export async function dailySummary(em: Tx, q: { date: LocalDate; from?: LocalDate; now: Date; timezone: string }): Promise<DailySummary> {
  const first = q.from && q.from < q.date ? q.from : q.date;
  const from = zonedInstant(first, 0, q.timezone);
  const to = zonedInstant(addDays(q.date, 1), 0, q.timezone);
  const totals = await em.execute(
    `select status, currency, count(*)::int as n, sum(amount_minor)::text as total
       from payments where created_at >= ? and created_at < ?
      group by status, currency order by status, currency`,
    [from, to],
  );
  const pendingCount = await em.execute(`select count(*)::int as n from payments where status = 'pending_approval'`);
  const pending = await em.execute(
    `select p.reference, p.amount_minor::text as minor, p.currency, p.created_at, p.tier, y.name as payee, p.requested_by,
            coalesce(u.name, p.requested_by) as requester,
            (select count(*)::int from approvals a where a.payment_id = p.id and a.decision = 'approve') as votes,
            (select coalesce(array_agg(distinct r), '{}') from approvals a join users v on v.id = a.approver_id, unnest(v.roles) r
              where a.payment_id = p.id and a.decision = 'approve') as voter_roles
       from payments p join payees y on y.id = p.payee_id left join users u on u.id = p.requester_id
      where p.status = 'pending_approval' order by p.created_at limit ${SHOWN}`,
  );
  const alertsPresent = await tablePresent(em, 'alerts');
  const alerts = alertsPresent
    ? await em.execute(`select kind, severity, title, created_at from alerts where status = 'open' order by created_at limit ${SHOWN}`)
    : [];
  const alertCount = alertsPresent ? (await em.execute(`select count(*)::int as n from alerts where status = 'open'`))[0].n : 0;
  const balances = await em.execute(
    `select a.code, a.name, a.bank_name, a.currency,
            coalesce(cur.closing_minor, a.balance_minor)::text as balance, prev.closing_minor::text as previous
       from bank_accounts a
       left join balance_snapshots cur on cur.account_id = a.id and cur.day = ?::date and ?::date < ?::date
       left join lateral (select closing_minor from balance_snapshots s where s.account_id = a.id and s.day < ?::date
                          order by s.day desc limit 1) prev on true
      order by a.currency, a.bank_name, a.code`,
    [q.date, q.date, localDateOf(q.now, q.timezone), q.date],
  );
  const today = localDateOf(q.now, q.timezone);
  const outflows = await forecastOutflows(em, { now: q.now, until: addDays(today, 6), timezone: q.timezone });
  return {
    from: first,
    date: q.date,
    timezone: q.timezone,
    payments: totals.map((r: any) => ({ status: r.status, currency: String(r.currency).trim(), count: r.n, totalMinor: BigInt(r.total) })),
    pendingCount: pendingCount[0].n,
    pending: pending.map((r: any) => {
      const tier = r.tier ?? {};
      const roles: string[] = tier.roles ?? [];
      const roleMet = !tier.requireRole || (r.voter_roles ?? []).includes(tier.requireRole);
      const remaining = Math.max(Math.max(0, (tier.approvals ?? 1) - r.votes), roleMet ? 0 : 1);
      return {
        reference: r.reference, amountMinor: BigInt(r.minor), currency: String(r.currency).trim(), payee: r.payee, requester: r.requester,
        createdAt: new Date(r.created_at), remaining, roles, ...(roleMet ? {} : { needsRole: tier.requireRole }),
      };
    }),
    alerts: alerts.map((r: any) => ({ kind: r.kind, severity: r.severity, title: r.title, createdAt: new Date(r.created_at) })),
    alertCount,
    balances: balances.map((r: any) => ({
      code: r.code, name: r.name, bank: r.bank_name, currency: String(r.currency).trim(), balanceMinor: BigInt(r.balance),
      ...(r.previous !== null ? { previousMinor: BigInt(r.previous) } : {}),
    })),
    outflows,
  };
}
