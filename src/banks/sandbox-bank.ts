import { LockMode } from '@mikro-orm/core';
import type { Database } from '../persistence/database';
import { SandboxAccountEntity, SandboxTransferEntity } from '../persistence/entities';
import { BankBalance, BankGateway, PaymentInstruction, SubmitOutcome, TransferStatus } from './bank-gateway';

export interface SandboxBankOptions {
  /** Zone in which an execution date starts; the business timezone. */
  timezone?: string;
  /** Injectable for tests: the bank's idea of now. */
  clock?: () => Date;
}

/**
 * The built-in bank: its ledger lives in its own tables beside ours, so a crash
 * of paydesk mid-submission behaves like a real bank that already has the order.
 *
 * Balance model (shared with BankOutbox, BalanceRefresher and BalanceMonitor):
 * - AVAILABLE balance = the ledger column `balance_minor`. An accepted order
 *   reserves its amount there at once, so two accepted orders can never overdraw;
 *   the insufficient-funds check runs against it. A failed settlement releases it.
 * - BOOKED balance = available + accepted-but-unsettled orders: money leaves it
 *   only when the transfer settles. `balance()` reports the BOOKED balance, like
 *   a real bank's statement, so after a refresh our book equals the bank's booked
 *   balance; our book is debited at settlement (BankOutbox), and the projection
 *   subtracts approved + submitted payments (not yet booked). Reporting the
 *   available balance instead counted every payment twice once it settled.
 * Settlement is lazy: a due transfer is booked when status() is first asked about it.
 * It settles at the later of acceptance + delay and the start of its execution date.
 */
export class SandboxBank implements BankGateway {
  readonly name = 'sandbox';
  /** Test hook: the next settlement of these end-to-end ids fails with the given ISO reason code. */
  private readonly failAtSettlement = new Map<string, string>();
  private submissions = 0;
  private readonly timezone: string;
  private readonly clock: () => Date;

  constructor(
    private readonly db: Database,
    private readonly settleDelayMs: number,
    opts: SandboxBankOptions = {},
  ) {
    this.timezone = opts.timezone ?? 'Asia/Shanghai';
    this.clock = opts.clock ?? (() => new Date());
  }

  /** How many submit calls reached the bank (repeats included); for tests and benchmarks. */
  get submitCalls(): number {
    return this.submissions;
  }

  failSettlementOf(endToEndId: string, code = 'AC06'): void {
    this.failAtSettlement.set(endToEndId, code);
  }

  async submit(i: PaymentInstruction): Promise<SubmitOutcome> {
    this.submissions += 1;
    return this.db.tx(async (em) => {
      const existing = await em.findOne(SandboxTransferEntity, { endToEndId: i.endToEndId });
      if (existing) return outcomeOf(existing.status, existing.reason);
      const account = await em.findOne(
        SandboxAccountEntity,
        { accountNumber: i.debtor.accountNumber },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const now = this.clock();
      let status = 'accepted';
      let reason: string | null = null;
      if (!account) [status, reason] = ['rejected', 'AC01 unknown debtor account'];
      else if (account.closed) [status, reason] = ['rejected', 'AC04 closed account'];
      else if (account.currency !== i.amount.currency) [status, reason] = ['rejected', 'AM03 currency not allowed'];
      else if (account.balanceMinor < i.amount.minor) [status, reason] = ['rejected', 'AM04 insufficient funds'];
      if (status === 'accepted' && account) account.balanceMinor = account.balanceMinor - i.amount.minor;
      em.create(SandboxTransferEntity, {
        endToEndId: i.endToEndId,
        debtorAccountNumber: i.debtor.accountNumber,
        creditorAccountNumber: i.creditor.accountNumber,
        creditorName: i.creditor.name,
        amountMinor: i.amount.minor,
        currency: i.amount.currency,
        status,
        reason,
        acceptedAt: now,
        settleAt: this.settleAtFor(now, i.executionDate),
      });
      await em.flush();
      return outcomeOf(status, reason);
    });
  }

  async status(endToEndId: string): Promise<TransferStatus> {
    return this.db.tx(async (em) => {
      const t = await em.findOne(SandboxTransferEntity, { endToEndId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!t) return { status: 'unknown' };
      if (t.status === 'accepted' && t.settleAt.getTime() <= this.clock().getTime()) {
        const failCode = this.failAtSettlement.get(endToEndId);
        if (failCode) {
          // A failed settlement returns the funds, as a bank's reversal would.
          const account = await em.findOne(SandboxAccountEntity, { accountNumber: t.debtorAccountNumber }, { lockMode: LockMode.PESSIMISTIC_WRITE });
          if (account) account.balanceMinor = account.balanceMinor + t.amountMinor;
          t.status = 'failed';
          t.reason = `${failCode} rejected by beneficiary bank`;
        } else t.status = 'settled';
        await em.flush();
      }
      if (t.status === 'settled') return { status: 'settled', at: t.settleAt };
      if (t.status === 'failed' || t.status === 'rejected') return splitReason(t.reason);
      return { status: 'pending' };
    });
  }

  /**
   * The BOOKED balance (see the class comment), read in one statement so the
   * ledger and the open orders come from the same snapshot. The as-of time is
   * taken before the read: an answer never claims to be newer than what it saw,
   * so BalanceRefresher cannot let it overwrite a settlement booked meanwhile.
   */
  async balance(accountNumber: string): Promise<BankBalance | undefined> {
    const asOf = this.clock();
    const rows = await this.db.read((em) =>
      em.execute(
        `select a.currency,
                (a.balance_minor + coalesce((select sum(t.amount_minor) from sandbox_bank_transfers t
                                              where t.debtor_account_number = a.account_number and t.status = 'accepted'), 0))::text as booked
           from sandbox_bank_accounts a where a.account_number = ?`,
        [accountNumber],
      ),
    );
    if (!rows[0]) return undefined;
    return { accountNumber, balance: { minor: BigInt(rows[0].booked), currency: rows[0].currency.trim() }, asOf };
  }

  /** Honours the execution date even if a caller sends a future-dated order early, as a bank would. */
  private settleAtFor(acceptedAt: Date, executionDate: string | undefined): Date {
    const afterDelay = acceptedAt.getTime() + this.settleDelayMs;
    if (!executionDate || !/^\d{4}-\d{2}-\d{2}$/.test(executionDate)) return new Date(afterDelay);
    return new Date(Math.max(afterDelay, startOfDayIn(executionDate, this.timezone).getTime()));
  }

  /** Test and demo hook: open (or top up) an account at the sandbox bank. */
  async openAccount(accountNumber: string, currency: string, balanceMinor: bigint, closed = false): Promise<void> {
    await this.db.tx(async (em) => {
      const a = await em.findOne(SandboxAccountEntity, { accountNumber });
      if (a) Object.assign(a, { balanceMinor, closed, currency });
      else em.create(SandboxAccountEntity, { accountNumber, currency, balanceMinor, closed });
    });
  }
}

/** Midnight at the start of `date` (YYYY-MM-DD) in `timeZone`, found with Intl (two passes cover a DST change). */
export function startOfDayIn(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const wallMidnight = Date.UTC(y, m - 1, d);
  let instant = wallMidnight - zoneOffsetMs(wallMidnight, timeZone);
  instant = wallMidnight - zoneOffsetMs(instant, timeZone);
  return new Date(instant);
}

function zoneOffsetMs(instant: number, timeZone: string): number {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(instant))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

function splitReason(reason: string | null | undefined): { status: 'failed'; code: string; reason: string } {
  const text = reason ?? 'NARR rejected';
  return { status: 'failed', code: text.slice(0, 4), reason: text };
}

function outcomeOf(status: string, reason: string | null | undefined): SubmitOutcome {
  if (status === 'rejected') {
    const r = splitReason(reason);
    return { status: 'rejected', code: r.code, reason: r.reason };
  }
  return { status: 'accepted' };
}
