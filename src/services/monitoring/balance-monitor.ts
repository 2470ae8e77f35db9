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
import { AlertService } from './alert-service';
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
  scheduled: bigint;
}

export interface BalanceCheck {
  account: BankAccount;
  projected: Money;
  outflows: Outflows;
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
      const outflows = await projectedOutflows(em, account, now, this.opts.projectionDays, this.opts.timezone ?? 'Asia/Shanghai');
      const projected: Money = { minor: account.balance.minor - outflows.approved - outflows.submitted - outflows.scheduled, currency: account.currency };
      const decision = decideBalanceAlerts(state, { balance: account.balance.minor, projected: projected.minor, threshold: account.lowBalanceThreshold?.minor });
      const raised: Alert[] = [];
      for (const kind of decision.raise) {
        const r = await this.alerts.raiseIn(em, this.alertFor(kind, account, projected, outflows, now));
        if (r.raised) raised.push(r.alert);
      }
      const resolved: Alert[] = [];
      for (const kind of decision.resolve) resolved.push(...(await this.alerts.resolveForSubjectIn(em, 'account', account.id, [kind], SYSTEM)));
      await em.execute(`update balance_alert_state set actual_below = ?, projected_below = ?, updated_at = ? where account_id = ?`, [
        decision.next.actualBelow, decision.next.projectedBelow, now, account.id,
      ]);
      return { account, projected, outflows, raised, resolved };
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

  /** Re-checks the debtor account whenever money is committed, leaves, or comes back. */
  subscribe(events: PaymentEvents): () => void {
    return events.subscribe(async (e) => {
      const moved =
        (e.type === 'payment.created' && e.payment.status === 'approved') ||
        (e.type === 'payment.status_changed' && ['approved', 'settled', 'failed'].includes(e.payment.status));
      if (moved) await this.check(e.payment.debtorAccountId);
    });
  }

  private alertFor(kind: BalanceAlertKind, account: BankAccount, projected: Money, outflows: Outflows, now: Date) {
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
      projectionDays: this.opts.projectionDays,
      asOf: now.toISOString(),
    };
    const shown = kind === 'low_balance' ? account.balance : projected;
    const what = kind === 'low_balance' ? 'Low balance' : `Projected low balance (${this.opts.projectionDays} days)`;
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
  await em.execute(
    `insert into balance_alert_state (account_id, actual_below, projected_below, updated_at) values (?, false, false, ?) on conflict (account_id) do nothing`,
    [accountId, now],
  );
  const rows = await em.execute(`select actual_below, projected_below from balance_alert_state where account_id = ? for update`, [accountId]);
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
  const until = wallClock(new Date(now.getTime() + days * DAY_MS), timezone).date;
  const outflows = await forecastOutflows(em, { now, until, timezone, accountIds: [account.id] });
  return sumByKind(outflows.filter((o) => o.currency === account.currency));
}
