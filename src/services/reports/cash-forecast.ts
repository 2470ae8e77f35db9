import { addDays, dueRunsUntil, localDateOf, runAmount, specOf, zonedInstant, type DueRun, type LocalDate, type PaymentSchedule } from '../../domain/schedule';
import type { BusinessDays } from '../../domain/calendar/business-calendar';
import { calendarStore } from '../calendar/calendar-store';
import type { Tx } from '../../persistence/database';
import { scheduleStore } from '../schedules/schedule-store';
import { tablePresent } from '../table-present';

export type OutflowKind = 'approved' | 'submitted' | 'scheduled';

/** Money expected to leave an account on a day. */
export interface ForecastOutflow {
  accountId: string;
  currency: string;
  /** The local business date it leaves on (today for anything already due). */
  date: LocalDate;
  minor: bigint;
  kind: OutflowKind;
  /** Payment or schedule reference, for the summary's list. */
  reference: string;
  payee?: string;
}

export interface ForecastWindow {
  now: Date;
  /** Last local date counted (inclusive). */
  until: LocalDate;
  timezone: string;
  /** Only these accounts; every account when absent. */
  accountIds?: string[];
}

/**
 * THE cash forecast: every outflow already promised from the accounts up to a
 * date — approved and submitted payments (future-dated ones on their
 * execution date), and every run of each active schedule in the window. The
 * projected low-balance warning (BalanceMonitor) and the cash chart both read
 * this one function, so the alert and the chart can never disagree.
 *
 * Balances are the BOOKED balance (see SandboxBank): a payment leaves our book
 * at settlement, so approved and submitted payments are both still to come.
 * Pending approvals are not counted: nobody has committed that money yet.
 */
export async function forecastOutflows(em: Tx, w: ForecastWindow): Promise<ForecastOutflow[]> {
  const today = localDateOf(w.now, w.timezone);
  const only = w.accountIds && w.accountIds.length > 0 ? w.accountIds : undefined;
  const accountFilter = only ? `and p.debtor_account_id in (${only.map(() => '?').join(',')})` : '';
  const rows = await em.execute(
    `select p.debtor_account_id as account_id, p.currency, p.amount_minor::text as minor, p.status, p.reference,
            p.execution_date::text as execution_date, y.name as payee
       from payments p join payees y on y.id = p.payee_id
      where p.status in ('approved', 'queued', 'submitted')
        and (p.execution_date is null or p.execution_date <= ?::date) ${accountFilter}
      order by p.execution_date nulls first, p.created_at`,
    [w.until, ...(only ?? [])],
  );
  const out: ForecastOutflow[] = rows.map((r: any) => ({
    accountId: r.account_id,
    currency: String(r.currency).trim(),
    date: r.execution_date && r.execution_date > today ? r.execution_date : today,
    minor: BigInt(r.minor),
    // A queued payment waits for its bank file: not with the bank yet, like an approved one.
    kind: (r.status === 'queued' ? 'approved' : r.status) as OutflowKind,
    reference: r.reference,
    payee: r.payee,
  }));
  out.push(...(await scheduledOutflows(em, w, today, only)));
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Each active schedule's runs from its cursor to the end of the window (a daily schedule counts every day). */
async function scheduledOutflows(em: Tx, w: ForecastWindow, today: LocalDate, only?: string[]): Promise<ForecastOutflow[]> {
  // Schedules belong to the scheduling module; a database without them simply forecasts none.
  if (!(await tablePresent(em, 'payment_schedules'))) return [];
  const schedules = (await scheduleStore.list(em, { statuses: ['active'] })).filter((s) => !only || only.includes(s.debtorAccountId));
  if (schedules.length === 0) return [];
  const calendar = await calendarStore.calendar(em);
  const payees = new Map<string, string>(
    (await em.execute(`select id, name from payees`)).map((r: any) => [r.id as string, r.name as string]),
  );
  const out: ForecastOutflow[] = [];
  for (const s of schedules) {
    for (const run of runDates(s, calendar, w.until)) {
      out.push({
        accountId: s.debtorAccountId,
        currency: s.amount.currency,
        date: run.date > today ? run.date : today,
        // A `combine` schedule pays several cadence dates in one run.
        minor: runAmount(s.amount, run).minor,
        kind: 'scheduled',
        reference: s.reference,
        payee: payees.get(s.payeeId),
      });
    }
  }
  return out;
}

/**
 * Run dates up to `until`. A cadence paydesk cannot read (hand-edited data)
 * still counts its stored next run, so a broken schedule never hides money.
 */
function runDates(s: PaymentSchedule, calendar: BusinessDays, until: LocalDate): Pick<DueRun, 'date' | 'nominalDates'>[] {
  const end = zonedInstant(addDays(until, 1), 0, s.timezone);
  try {
    return dueRunsUntil(specOf(s, calendar), new Date(end.getTime() - 1), s.lastNominalDate);
  } catch {
    if (!s.nextDueAt || s.nextDueAt.getTime() >= end.getTime()) return [];
    const date = s.nextDueDate ?? localDateOf(s.nextDueAt, s.timezone);
    return [{ date, nominalDates: [date] }];
  }
}

/** Totals per kind: what the low-balance warning subtracts. */
export function sumByKind(outflows: ForecastOutflow[]): Record<OutflowKind, bigint> {
  const t: Record<OutflowKind, bigint> = { approved: 0n, submitted: 0n, scheduled: 0n };
  for (const o of outflows) t[o.kind] += o.minor;
  return t;
}
