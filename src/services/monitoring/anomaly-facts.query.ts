import { AnomalyConfig } from '../../domain/anomaly/anomaly-config';
import { AnomalyFacts, ScheduleTerms } from '../../domain/anomaly/anomaly-facts';
import { runPeriodsOf } from '../../domain/schedule/due-dates';
import { wallClock } from '../../domain/anomaly/business-hours';
import { Money } from '../../domain/money/money';
import type { Tx } from '../../persistence/database';
import { calendarStore } from '../calendar/calendar-store';
import { directory } from '../../persistence/repositories/directory.repository';
import { tablePresent } from '../table-present';

/** The parts of a payment (or a payment still being created) the facts depend on. */
export interface FactsSubject {
  debtorAccountId: string;
  payeeId: string;
  amount: Money;
  externalRef?: string;
  source?: string;
  /** Set for a schedule run: checked against the schedule's approved terms, not its own earlier runs. */
  scheduleId?: string;
  idempotencyKey?: string;
}

export interface FactsOptions {
  /** The payment itself, when it already exists (pre-submission), so it never matches itself. */
  excludePaymentId?: string;
  /** Which other payments count as duplicates: by default every live one; before submission only money already gone. */
  duplicateStatuses?: readonly string[];
  /**
   * Also count `approved` payments decided before this moment (ties broken by id):
   * two approved twins must not both pass the check before submission, and the
   * one decided first is the one that goes.
   */
  approvedBefore?: { at: Date; id: string };
}

/** Any constant works; it only keeps these keys apart from other advisory locks (see appendAudit). */
const DUPLICATE_LOCK_CLASS = 7_261_003;

/**
 * Serialises every duplicate check of one payee + amount until the caller's
 * transaction ends. The checks run inside the transaction that creates (or
 * submits) the payment, so a competing one waits here until the first has
 * committed, and then its reads see the first payment. Without this, two
 * identical requests at the same moment each miss the other.
 */
export async function lockDuplicateKey(em: Tx, s: Pick<FactsSubject, 'payeeId' | 'amount'>): Promise<void> {
  await em.execute(`select pg_advisory_xact_lock(${DUPLICATE_LOCK_CLASS}, hashtext(?::text || ?::text || ?::text))`, [
    s.payeeId, s.amount.currency, s.amount.minor.toString(),
  ]);
}

const LIVE = ['pending_approval', 'approved', 'queued', 'submitted', 'settled'] as const;
const WENT_THROUGH = ['approved', 'queued', 'submitted', 'settled'] as const;
const NOT_DEAD = ['pending_approval', 'approved', 'queued', 'submitted', 'settled', 'failed'] as const;

// Statuses are our own constants, inlined so the planner sees a plain IN list.
const inList = (statuses: readonly string[]): string => {
  if (!statuses.every((s) => /^[a-z_]+$/.test(s))) throw new Error('bad status list');
  return `(${statuses.map((s) => `'${s}'`).join(',')})`;
};

/**
 * Gathers what the anomaly rules need with a handful of small queries, each on
 * an index of payments: (payee_id, created_at), (debtor_account_id, created_at)
 * and (external_ref). Runs inside the caller's transaction.
 */
export async function gatherAnomalyFacts(
  em: Tx,
  s: FactsSubject,
  now: Date,
  c: AnomalyConfig,
  opts: FactsOptions = {},
): Promise<AnomalyFacts> {
  const exclude = opts.excludePaymentId ?? null;
  const before = opts.approvedBefore;
  // Plain parentheses around the IN list and the optional "approved earlier" arm, so `and` binds as meant.
  const dupWhere = before
    ? `(status in ${inList(opts.duplicateStatuses ?? LIVE)} or (status = 'approved' and (decided_at, id) < (?::timestamptz, ?::uuid)))`
    : `status in ${inList(opts.duplicateStatuses ?? LIVE)}`;
  const dupParams = before ? [before.at, before.id] : [];
  const payee = await directory.payee(em, s.payeeId);
  if (!payee) throw new Error(`anomaly facts: unknown payee ${s.payeeId}`);

  // A schedule's runs are expected to repeat: its own other runs are never its duplicates (one cadence
  // date, one payment is the idempotency key's job), nor count towards its velocity.
  const sibling = s.scheduleId ?? null;
  const sameAmount = await em.execute(
    `select reference from payments
      where payee_id = ? and created_at > ? and currency = ? and amount_minor = ? and ${dupWhere} and id is distinct from ?
        and (?::uuid is null or schedule_id is distinct from ?::uuid)
      order by created_at desc limit 10`,
    [s.payeeId, new Date(now.getTime() - c.duplicate.windowMs), s.amount.currency, s.amount.minor.toString(), ...dupParams, exclude, sibling, sibling],
  );
  const sameRef = s.externalRef
    ? await em.execute(
        `select reference from payments where external_ref = ? and ${dupWhere} and id is distinct from ?
          order by created_at desc limit 10`,
        [s.externalRef, ...dupParams, exclude],
      )
    : [];
  // The most recent payments only: what was usual years ago says little about today.
  const history = await em.execute(
    `select count(*)::int as n, percentile_disc(0.5) within group (order by amount_minor) as median
       from (select amount_minor from payments
              where payee_id = ? and currency = ? and status in ${inList(WENT_THROUGH)} and id is distinct from ?
              order by created_at desc limit ${Math.max(1, Math.floor(c.unusualAmount.historySize))}) h`,
    [s.payeeId, s.amount.currency, exclude],
  );
  const window = await em.execute(
    `select count(*)::int as n, coalesce(sum(amount_minor), 0)::text as total from payments
      where debtor_account_id = ? and created_at > ? and status in ${inList(NOT_DEAD)} and id is distinct from ?
        and (?::uuid is null or schedule_id is distinct from ?::uuid)`,
    [s.debtorAccountId, new Date(now.getTime() - c.velocity.windowMs), exclude, sibling, sibling],
  );

  return {
    now,
    amount: s.amount,
    source: s.source,
    externalRef: s.externalRef,
    payee: { verified: payee.verified, coolingOffUntil: payee.coolingOffUntil, bankDetailsChangedAt: payee.bankDetailsChangedAt },
    sameAmountRecent: sameAmount.map((r: any) => String(r.reference)),
    sameExternalRef: sameRef.map((r: any) => String(r.reference)),
    payeeHistory: {
      count: Number(history[0].n),
      median: history[0].median === null ? undefined : BigInt(history[0].median),
    },
    accountWindow: { count: Number(window[0].n), total: BigInt(window[0].total) },
    businessDay: (await calendarStore.calendar(em)).isBusinessDay(wallClock(now, c.timezone).date),
    ...(s.scheduleId ? { scheduleTerms: await scheduleTerms(em, s, s.scheduleId, exclude) } : {}),
  };
}

/** The terms a schedule was approved on, and what the debtor account can still cover. */
async function scheduleTerms(em: Tx, s: FactsSubject, scheduleId: string, exclude: string | null): Promise<ScheduleTerms | undefined> {
  const rows = await em.execute(
    `select reference, approved_amount_minor, currency, approved_at from payment_schedules where id = ?`,
    [scheduleId],
  );
  if (rows.length === 0) return undefined;
  const r = rows[0];
  const committed = await em.execute(
    `select a.balance_minor::text as balance, a.currency,
            coalesce((select sum(p.amount_minor) from payments p
                       where p.debtor_account_id = a.id and p.status in ('approved', 'queued') and p.id is distinct from ?), 0)::text as committed
       from bank_accounts a where a.id = ?`,
    [exclude, s.debtorAccountId],
  );
  const acct = committed[0];
  return {
    reference: String(r.reference),
    approvedAmount: r.approved_amount_minor == null ? undefined : { minor: BigInt(r.approved_amount_minor), currency: String(r.currency).trim() },
    approvedAt: r.approved_at == null ? undefined : new Date(r.approved_at),
    periods: runPeriodsOf(scheduleId, s.idempotencyKey),
    ...(acct ? { available: { minor: BigInt(acct.balance) - BigInt(acct.committed), currency: String(acct.currency).trim() } } : {}),
  };
}
