import type { LocalDate } from '../schedule/calendar';

/** One payment that will leave the account: a schedule run or an approved/submitted payment. */
export interface Outflow {
  date: LocalDate;
  minor: bigint;
  /** `SCH-000012` for a schedule run, `PAY-2026-000123` for a payment. */
  source: string;
}

/** Where the running balance first goes below the threshold, and what takes it there. */
export interface BalanceCrossing {
  date: LocalDate;
  /** Balance at the end of that day. */
  balanceAfter: bigint;
  /** Each source's outflows up to and including that day, largest total first. */
  takenBy: { source: string; count: number; minor: bigint }[];
}

/**
 * Walks the outflows day by day from the current balance and finds the first
 * day the balance ends below the threshold. Pure, so the horizon arithmetic is
 * tested without a database.
 */
export function firstCrossing(balance: bigint, threshold: bigint | undefined, outflows: readonly Outflow[]): BalanceCrossing | undefined {
  if (threshold === undefined) return undefined;
  const sorted = [...outflows].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let running = balance;
  for (let i = 0; i < sorted.length; i++) {
    running -= sorted[i].minor;
    const lastOfDay = i + 1 === sorted.length || sorted[i + 1].date !== sorted[i].date;
    if (!lastOfDay || running >= threshold) continue;
    const by = new Map<string, { source: string; count: number; minor: bigint }>();
    for (const o of sorted.slice(0, i + 1)) {
      const s = by.get(o.source) ?? { source: o.source, count: 0, minor: 0n };
      s.count += 1;
      s.minor += o.minor;
      by.set(o.source, s);
    }
    const takenBy = [...by.values()].sort((a, b) => (a.minor > b.minor ? -1 : a.minor < b.minor ? 1 : a.source.localeCompare(b.source)));
    return { date: sorted[i].date, balanceAfter: running, takenBy };
  }
  return undefined;
}
