import { Alert, BalanceAlertDetail, alertKeys, storeMoney } from '../../domain/alerts/alert';
import { ARMED, BalanceAlarmState, BalanceAlertKind, decideBalanceAlerts } from '../../domain/alerts/balance-crossing';
import { Severity } from '../../domain/alerts/severity';
import { wallClock } from '../../domain/anomaly/business-hours';
import { BankAccount } from '../../domain/directory';
import { maskAccountNumber } from '../../domain/mask';
import { formatMoney } from '../../domain/money/format-money';
import { Money } from '../../domain/money/money';
import type { Database, Tx } from '../../persistence/database';
import { directory } from '../../persistence/repositories/directory.repository';
import type { PaymentEvents } from '../events';
import { BalanceCrossing, Outflow, firstCrossing } from '../../domain/alerts/balance-projection';
import { nextDueDates, runAmount, specOf } from '../../domain/schedule';
import { calendarStore } from '../calendar/calendar-store';
import { scheduleStore } from '../schedules/schedule-store';
import { AlertService } from './alert-service';
import { monitoringSettingsStore } from './monitoring-settings';
import { forecastOutflows, sumByKind } from '../reports/cash-forecast';

export interface BalanceMonitorOptions {
  /** config.alerts.projectionDays */
  projectionDays: number;
  /** Zone of the business calendar, for "within N days" of execution dates. */
  timezone?: string;
  severities?: Partial<Record<BalanceAlertKind, Severity>>;
  clock?: () => Date;
}

export interface Outflows {
  approved: bigint;
  submitted: bigint;
  /** Every run of every active schedule inside the horizon (not only each schedule's next run). */
  scheduled: bigint;
  /** The same money item by item, dated, for the day the balance first crosses the threshold. */
  items: Outflow[];
}

export interface BalanceCheck {
  account: BankAccount;
  projected: Money;
  outflows: Outflows;
  /** The first day inside the horizon the balance ends below the threshold, and what takes it there. */
  crossing?: BalanceCrossing;
  raised: Alert[];
  resolved: Alert[];
}

const DAY_MS = 86_400_000;
const SYSTEM = 'system:balance-monitor';

/**
 * Watches each account's balance against its low-balance threshold, both as it
 * is and as it will be once approved, submitted and scheduled payments leave.
 * One alert per crossing: the per-account alarm state (balance_alert_state) is
 * read and written under a row lock, so two checks racing cannot both raise.
 */
export class BalanceMonitor {
  private readonly clock: () => Date;

  constructor(
    private readonly db: Database,
    private readonly alerts: AlertService,
    private readonly opts: BalanceMonitorOptions,
  ) {
    this.clock = opts.clock ?? (() => new Date());
  }

  async check(accountId: string): Promise<BalanceCheck | undefined> {
    const result = await this.db.tx(async (em) => {
      const account = await directory.account(em, accountId);
      if (!account) return undefined;
      const now = this.clock();
      const state = await lockState(em, account.id, now);
      const days = (await monitoringSettingsStore.load(em))?.projectionHorizonDays ?? this.opts.projectionDays;
      const outflows = await projectedOutflows(em, account, now, days, this.opts.timezone ?? 'Asia/Shanghai');
      const crossing = firstCrossing(account.balance.minor, account.lowBalanceThreshold?.minor, outflows.items);
      const projected: Money = { minor: account.balance.minor - outflows.approved - outflows.submitted - outflows.scheduled, currency: account.currency };
      const decision = decideBalanceAlerts(state, { balance: account.balance.minor, projected: projected.minor, threshold: account.lowBalanceThreshold?.minor });
      const raised: Alert[] = [];
      for (const kind of decision.raise) {
        const r = await this.alerts.raiseIn(em, this.alertFor(kind, account, projected, outflows, now, days, crossing));
        if (r.raised) raised.push(r.alert);
      }
      const resolved: Alert[] = [];
      for (const kind of decision.resolve) resolved.push(...(await this.alerts.resolveForSubjectIn(em, 'account', account.id, [kind], SYSTEM)));
      // Most checks change nothing (no crossing): then the row lock alone was the point, no write needed.
      if (decision.next.actualBelow !== state.actualBelow || decision.next.projectedBelow !== state.projectedBelow)
        await em.execute(`update balance_alert_state set actual_below = ?, projected_below = ?, updated_at = ? where account_id = ?`, [
          decision.next.actualBelow, decision.next.projectedBelow, now, account.id,
        ]);
      return { account, projected, outflows, crossing, raised, resolved };
    });
    if (!result) return undefined;
    for (const a of result.raised) await this.alerts.deliver(a);
    await this.alerts.refresh(result.resolved);
    return result;
  }

  /** The scheduled sweep over every account. */
  async checkAll(): Promise<BalanceCheck[]> {
    const ids = await this.db.read(async (em) => (await em.execute(`select id from bank_accounts order by code`)).map((r: any) => r.id as string));
    const out: BalanceCheck[] = [];
    for (const id of ids) {
      const r = await this.check(id);
      if (r) out.push(r);
    }
    return out;
  }

  /**
   * Re-checks the debtor account whenever money is committed, leaves, or comes back (the durable
   * `balance-monitor` consumer; a check is idempotent, alerts are de-duplicated by key).
   */
  subscribe(events: PaymentEvents): () => void {
    return events.subscribe(
      'balance-monitor',
      async (e) => {
        const moved =
          (e.type === 'payment.created' && e.payment.status === 'approved') ||
          (e.type === 'payment.status_changed' && ['approved', 'settled', 'failed'].includes(e.payment.status));
        if (moved) await this.check(e.payment.debtorAccountId);
      },
      { types: ['payment.created', 'payment.status_changed'] },
    );
  }

  private alertFor(kind: BalanceAlertKind, account: BankAccount, projected: Money, outflows: Outflows, now: Date, days: number, crossing?: BalanceCrossing) {
    const threshold = account.lowBalanceThreshold!;
    const cur = account.currency;
    const detail: BalanceAlertDetail = {
      accountId: account.id,
      accountCode: account.code,
      accountName: account.name,
      accountNumber: maskAccountNumber(account.accountNumber),
      balance: storeMoney(account.balance),
      threshold: storeMoney(threshold),
      projected: storeMoney(projected),
      outflows: {
        approved: storeMoney({ minor: outflows.approved, currency: cur }),
        submitted: storeMoney({ minor: outflows.submitted, currency: cur }),
        scheduled: storeMoney({ minor: outflows.scheduled, currency: cur }),
      },
      projectionDays: days,
      asOf: now.toISOString(),
      ...(crossing && kind === 'projected_low_balance'
        ? {
            crossesOn: crossing.date,
            balanceThen: storeMoney({ minor: crossing.balanceAfter, currency: cur }),
            takenBy: crossing.takenBy.slice(0, 5).map((t) => ({ source: t.source, count: t.count, amount: storeMoney({ minor: t.minor, currency: cur }) })),
          }
        : {}),
    };
    const shown = kind === 'low_balance' ? account.balance : projected;
    const when = crossing && kind === 'projected_low_balance' ? ` from ${crossing.date} (${crossing.takenBy.slice(0, 3).map((t) => t.source).join(', ')})` : '';
    const what = kind === 'low_balance' ? 'Low balance' : `Projected low balance (${days} days)${when}`;
    return {
      kind,
      severity: this.opts.severities?.[kind] ?? (kind === 'low_balance' ? 'high' : 'medium'),
      subjectType: 'account',
      subjectId: account.id,
      dedupeKey: alertKeys.balance(kind, account.id),
      title: `${what} on ${account.code}: ${formatMoney(shown, 'en')} < ${formatMoney(threshold, 'en')}`,
      detail: detail as unknown as Record<string, unknown>,
    } as const;
  }
}

async function lockState(em: Tx, accountId: string, now: Date): Promise<BalanceAlarmState> {
  // One statement: creates the row on first use, and either way returns it locked (ON CONFLICT DO UPDATE
  // takes the row lock), so two checks racing still see each other's decision.
  const rows = await em.execute(
    `insert into balance_alert_state (account_id, actual_below, projected_below, updated_at) values (?, false, false, ?)
     on conflict (account_id) do update set account_id = excluded.account_id returning actual_below, projected_below`,
    [accountId, now],
  );
  return rows[0] ? { actualBelow: rows[0].actual_below, projectedBelow: rows[0].projected_below } : { ...ARMED };
}

/**
 * Money already promised from the account within the horizon, by kind. It is
 * the sum of the one cash forecast (reports/cash-forecast.ts), the same one the
 * cash chart draws, so the warning and the chart never disagree. The balance is
 * the BOOKED balance (see SandboxBank): our book is debited only at settlement,
 * so approved and submitted payments are both subtracted here, once each.
 */
export async function projectedOutflows(em: Tx, account: BankAccount, now: Date, days: number, timezone: string): Promise<Outflows> {
  // One forecast for the warning and the cash chart (src/services/reports/cash-forecast.ts), so they never disagree.
  const until = wallClock(new Date(now.getTime() + days * DAY_MS), timezone).date;
  const outflows = (await forecastOutflows(em, { now, until, timezone, accountIds: [account.id] })).filter((o) => o.currency === account.currency);
  return { ...sumByKind(outflows), items: outflows.map((o) => ({ date: o.date, minor: o.minor, source: o.reference })) };
}
