import { addDays, localDateOf, type LocalDate } from '../../domain/schedule';
import type { Tx } from '../../persistence/database';
import { snapshotsBetween } from './balance-snapshots';
import { forecastOutflows, type ForecastOutflow } from './cash-forecast';

export interface CashPoint {
  date: LocalDate;
  minor: bigint;
}

/** One currency's line: closing balances (all its accounts), then the forecast. */
export interface CashSeries {
  currency: string;
  history: CashPoint[];
  /** Today's booked balance. */
  today: bigint;
  /** Projected end-of-day balance from today to the horizon. */
  forecast: CashPoint[];
  /** Sum of the accounts' low-balance thresholds (accounts without one count 0). */
  threshold?: bigint;
  lowest: CashPoint;
}

/** One account's forecast: what the low-balance warning reads too. */
export interface AccountProjection {
  accountId: string;
  code: string;
  name: string;
  bank: string;
  currency: string;
  balance: bigint;
  threshold?: bigint;
  lowest: CashPoint;
  /** First day the projected balance is below the threshold, if any. */
  belowOn?: LocalDate;
}

export interface CashPosition {
  asOf: Date;
  today: LocalDate;
  historyDays: number;
  forecastDays: number;
  series: CashSeries[];
  accounts: AccountProjection[];
  outflows: ForecastOutflow[];
}

export interface CashPositionQuery {
  now: Date;
  timezone: string;
  historyDays: number;
  forecastDays: number;
}

/**
 * Cash per currency: history from the daily snapshots (a day without a row
 * carries the account's previous closing forward) and the forecast from the
 * one forecast function (cash-forecast.ts), per account and summed.
 */
export async function cashPosition(em: Tx, q: CashPositionQuery): Promise<CashPosition> {
  const today = localDateOf(q.now, q.timezone);
  const start = addDays(today, -q.historyDays);
  const until = addDays(today, q.forecastDays);
  const accounts = await em.execute(
    `select id, code, name, bank_name, currency, balance_minor::text as balance, low_balance_threshold_minor::text as threshold
       from bank_accounts order by currency, code`,
  );
  // The row before the window too, so the first day can carry it forward.
  const snaps = await snapshotsBetween(em, addDays(start, -31), addDays(today, -1));
  const outflows = await forecastOutflows(em, { now: q.now, until, timezone: q.timezone });

  const projections: AccountProjection[] = [];
  const perAccountHistory = new Map<string, Map<LocalDate, bigint>>();
  const perAccountForecast = new Map<string, Map<LocalDate, bigint>>();
  for (const a of accounts) {
    const currency = String(a.currency).trim();
    const hist = new Map<LocalDate, bigint>();
    let last: bigint | undefined;
    const mine = snaps.filter((s) => s.accountId === a.id);
    for (let d = addDays(start, -31), i = 0; d < today; d = addDays(d, 1)) {
      while (i < mine.length && mine[i].day <= d) last = mine[i++].closingMinor;
      if (last !== undefined && d >= start) hist.set(d, last);
    }
    perAccountHistory.set(a.id, hist);
    const balance = BigInt(a.balance);
    const threshold = a.threshold === null ? undefined : BigInt(a.threshold);
    const fc = new Map<LocalDate, bigint>();
    let running = balance;
    let lowest: CashPoint = { date: today, minor: balance };
    let belowOn: LocalDate | undefined;
    const own = outflows.filter((o) => o.accountId === a.id && o.currency === currency);
    for (let d = today; d <= until; d = addDays(d, 1)) {
      for (const o of own) if (o.date === d) running -= o.minor;
      fc.set(d, running);
      if (running < lowest.minor) lowest = { date: d, minor: running };
      if (threshold !== undefined && belowOn === undefined && running < threshold) belowOn = d;
    }
    perAccountForecast.set(a.id, fc);
    projections.push({
      accountId: a.id, code: a.code, name: a.name, bank: a.bank_name, currency, balance, lowest,
      ...(threshold !== undefined ? { threshold } : {}), ...(belowOn ? { belowOn } : {}),
    });
  }

  const series: CashSeries[] = [];
  for (const currency of [...new Set(projections.map((p) => p.currency))].sort()) {
    const mine = projections.filter((p) => p.currency === currency);
    const history: CashPoint[] = [];
    for (let d = start; d < today; d = addDays(d, 1)) {
      const known = mine.map((p) => perAccountHistory.get(p.accountId)!.get(d)).filter((v): v is bigint => v !== undefined);
      if (known.length > 0) history.push({ date: d, minor: known.reduce((x, y) => x + y, 0n) });
    }
    const forecast: CashPoint[] = [];
    for (let d = today; d <= until; d = addDays(d, 1)) {
      forecast.push({ date: d, minor: mine.reduce((sum, p) => sum + perAccountForecast.get(p.accountId)!.get(d)!, 0n) });
    }
    const thresholds = mine.filter((p) => p.threshold !== undefined);
    const lowest = forecast.reduce((lo, p) => (p.minor < lo.minor ? p : lo), forecast[0]);
    series.push({
      currency, history, forecast, lowest,
      today: mine.reduce((s, p) => s + p.balance, 0n),
      ...(thresholds.length ? { threshold: thresholds.reduce((s, p) => s + p.threshold!, 0n) } : {}),
    });
  }
  return { asOf: q.now, today, historyDays: q.historyDays, forecastDays: q.forecastDays, series, accounts: projections, outflows };
}
