import { addDays, localDateOf, zonedInstant, type LocalDate } from '../../domain/schedule';
import type { Tx } from '../../persistence/database';
import { tablePresent } from '../table-present';

/** One account's closing balance on one local day. */
export interface BalanceSnapshot {
  accountId: string;
  day: LocalDate;
  currency: string;
  closingMinor: bigint;
  source: 'bank' | 'statement' | 'derived';
}

/**
 * Today's row for every account from the booked balance as it is now. Called
 * through the day (hourly job, each report), so the last write of a day is its
 * closing balance. A statement's closing balance for the day wins over it.
 */
export async function recordSnapshots(em: Tx, now: Date, timezone: string): Promise<number> {
  const day = localDateOf(now, timezone);
  const rows = await em.execute(
    `insert into balance_snapshots (account_id, day, currency, closing_minor, source, recorded_at)
     select id, ?::date, currency, balance_minor, 'bank', ? from bank_accounts
     on conflict (account_id, day) do update set closing_minor = excluded.closing_minor, recorded_at = excluded.recorded_at
       where balance_snapshots.source <> 'statement'
     returning account_id`,
    [day, now],
  );
  return rows.length;
}

/**
 * Fills the days before the first snapshot from what is already stored, so a
 * chart has history on its first day. Walking back from today's balance, each
 * day's closing is the next day's plus the payments that settled on that next
 * day; a bank statement's closing balance (camt.053) for a day replaces the
 * walk where one exists. Existing rows are never overwritten.
 */
export async function backfillSnapshots(em: Tx, now: Date, timezone: string, days: number): Promise<number> {
  const today = localDateOf(now, timezone);
  const first = addDays(today, -days);
  const from = zonedInstant(first, 0, timezone);
  const accounts = await em.execute(`select id, account_number, currency, balance_minor::text as balance from bank_accounts`);
  const settled = await em.execute(
    `select debtor_account_id as account_id, final_at, amount_minor::text as minor from payments
      where status = 'settled' and final_at >= ? and final_at <= ?`,
    [from, now],
  );
  const statements = (await tablePresent(em, 'bank_statements'))
    ? await em.execute(
        `select account_id, as_of, closing_balance_minor::text as closing from bank_statements
          where closing_balance_minor is not null and as_of >= ? order by as_of`,
        [from],
      )
    : [];
  let written = 0;
  for (const a of accounts) {
    const outOn = new Map<LocalDate, bigint>();
    for (const p of settled.filter((r: any) => r.account_id === a.id)) {
      const d = localDateOf(new Date(p.final_at), timezone);
      outOn.set(d, (outOn.get(d) ?? 0n) + BigInt(p.minor));
    }
    const statementOn = new Map<LocalDate, bigint>();
    for (const s of statements.filter((r: any) => r.account_id === a.id)) statementOn.set(localDateOf(new Date(s.as_of), timezone), BigInt(s.closing));
    let closing = BigInt(a.balance);
    for (let d = today; d >= first; d = addDays(d, -1)) {
      const fromStatement = statementOn.get(d);
      if (fromStatement !== undefined) closing = fromStatement;
      const source = fromStatement !== undefined ? 'statement' : d === today ? 'bank' : 'derived';
      const r = await em.execute(
        `insert into balance_snapshots (account_id, day, currency, closing_minor, source, recorded_at)
         values (?, ?, ?, ?, ?, ?) on conflict (account_id, day) do nothing returning day`,
        [a.id, d, String(a.currency).trim(), closing.toString(), source, now],
      );
      written += r.length;
      // The day before closed higher by what left on this day.
      closing += outOn.get(d) ?? 0n;
    }
  }
  return written;
}

/** Snapshots from `from` to `to` inclusive, oldest first. */
export async function snapshotsBetween(em: Tx, from: LocalDate, to: LocalDate): Promise<BalanceSnapshot[]> {
  const rows = await em.execute(
    `select account_id, day::text as day, currency, closing_minor::text as closing, source from balance_snapshots
      where day between ?::date and ?::date order by day, account_id`,
    [from, to],
  );
  return rows.map((r: any) => ({
    accountId: r.account_id, day: r.day, currency: String(r.currency).trim(), closingMinor: BigInt(r.closing), source: r.source,
  }));
}
