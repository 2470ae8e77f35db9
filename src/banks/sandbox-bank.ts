import { LockMode } from '@mikro-orm/core';
import type { Database } from '../persistence/database';
import { SandboxAccountEntity, SandboxTransferEntity } from '../persistence/entities';
import { BankBalance, BankGateway, PaymentInstruction, SubmitOutcome, TransferStatus } from './bank-gateway';

/**
 * The built-in bank: its ledger lives in its own tables beside ours, so a crash
 * of paydesk mid-submission behaves like a real bank that already has the order.
 * Funds leave the debtor when the order is accepted; it settles after a delay.
 */
export class SandboxBank implements BankGateway {
  readonly name = 'sandbox';
  /** Test hook: the next settlement of these end-to-end ids fails with the given ISO reason code. */
  private readonly failAtSettlement = new Map<string, string>();
  private submissions = 0;

  constructor(
    private readonly db: Database,
    private readonly settleDelayMs: number,
  ) {}

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
      const now = new Date();
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
        settleAt: new Date(now.getTime() + this.settleDelayMs),
      });
      await em.flush();
      return outcomeOf(status, reason);
    });
  }

  async status(endToEndId: string): Promise<TransferStatus> {
    return this.db.tx(async (em) => {
      const t = await em.findOne(SandboxTransferEntity, { endToEndId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!t) return { status: 'unknown' };
      if (t.status === 'accepted' && t.settleAt.getTime() <= Date.now()) {
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

  async balance(accountNumber: string): Promise<BankBalance | undefined> {
    const a = await this.db.read((em) => em.findOne(SandboxAccountEntity, { accountNumber }));
    if (!a) return undefined;
    return { accountNumber, balance: { minor: BigInt(a.balanceMinor), currency: a.currency }, asOf: new Date() };
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
