import { BankGateway } from '../banks/bank-gateway';
import { maskAccountNumber } from '../domain/mask';
import { Money } from '../domain/money/money';
import type { Database } from '../persistence/database';
import { FOR_UPDATE } from '../persistence/database';
import { BankAccountEntity } from '../persistence/entities';
import { directory } from '../persistence/repositories/directory.repository';
import { appendAudit } from '../services/audit/audit-log';
import type { JobLogger } from './job-logger';

/** Called after each account's balance was refreshed (committed); the low-balance monitoring hooks in here. */
export type BalanceRefreshedHook = (accountId: string, info: { balance: Money; changed: boolean }) => Promise<void> | void;

/**
 * Asks the bank for every account's balance. The as-of time moves on every
 * answer; the amount, and an audit event, only when the bank's figure differs
 * from ours. A bank answer older than what we hold is ignored, so a slow reply
 * never rolls a newer balance back.
 *
 * The bank's figure is its BOOKED balance (payments leave it when they settle;
 * see SandboxBank), which is what bank_accounts holds: BankOutbox debits our book
 * at settlement, the same moment the bank books it, so a refresh before or after
 * settlement agrees with our book and a payment is never subtracted twice.
 */
export class BalanceRefresher {
  constructor(
    private readonly db: Database,
    private readonly bank: BankGateway,
    private readonly log: JobLogger,
    private readonly onRefreshed?: BalanceRefreshedHook,
  ) {}

  async run(): Promise<{ checked: number; changed: number; failed: number }> {
    const accounts = await this.db.read((em) => directory.accounts(em));
    const done = { checked: 0, changed: 0, failed: 0 };
    let lastError: unknown;
    for (const account of accounts) {
      try {
        const answer = await this.bank.balance(account.accountNumber);
        if (!answer) continue;
        if (answer.balance.currency !== account.currency) {
          this.log.warn({ job: 'refresh-balances', account: account.code, bankCurrency: answer.balance.currency }, 'bank reports another currency; balance not taken');
          continue;
        }
        const changed = await this.apply(account.id, answer.balance, answer.asOf);
        if (changed === undefined) continue;
        done.checked += 1;
        if (changed) done.changed += 1;
        await this.hook(account.id, answer.balance, changed);
      } catch (err) {
        done.failed += 1;
        lastError = err;
        this.log.warn({ err, job: 'refresh-balances', account: account.code }, 'balance refresh failed for one account');
      }
    }
    // Every account failing looks like the bank or the database is down: let Agenda retry with back-off.
    if (accounts.length > 0 && done.failed === accounts.length) throw lastError;
    return done;
  }

  /** true/false: stored, amount changed or not; undefined: the bank's answer was older than ours. */
  private async apply(accountId: string, balance: Money, asOf: Date): Promise<boolean | undefined> {
    return this.db.tx(async (em) => {
      const row = await em.findOne(BankAccountEntity, { id: accountId }, FOR_UPDATE);
      if (!row || asOf.getTime() < row.balanceAsOf.getTime()) return undefined;
      const before = BigInt(row.balanceMinor);
      const changed = before !== balance.minor;
      row.balanceAsOf = asOf;
      row.bankReportedAsOf = asOf;
      if (changed) {
        row.balanceMinor = balance.minor;
        await appendAudit(em, {
          actor: `system:bank:${this.bank.name}`, action: 'account.balance_refreshed', subjectType: 'account', subjectId: row.code, at: asOf,
          data: { account: maskAccountNumber(row.accountNumber), currency: row.currency, from: before, to: balance.minor, asOf: asOf.toISOString() },
        });
      }
      await em.flush();
      return changed;
    });
  }

  private async hook(accountId: string, balance: Money, changed: boolean): Promise<void> {
    if (!this.onRefreshed) return;
    try {
      await this.onRefreshed(accountId, { balance, changed });
    } catch (err) {
      this.log.warn({ err, job: 'refresh-balances', accountId }, 'onBalanceRefreshed hook failed');
    }
  }
}
