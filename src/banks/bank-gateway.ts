import { Money } from '../domain/money/money';

/** What we tell a bank to do for one payment. `endToEndId` makes a repeat harmless. */
export interface PaymentInstruction {
  endToEndId: string;
  reference: string;
  debtor: { accountNumber: string; name: string; bankName: string; bic?: string };
  creditor: { accountNumber: string; name: string; bankName: string; bic?: string };
  amount: Money;
  purpose: string;
  executionDate?: string;
}

export type SubmitOutcome =
  | { status: 'accepted' }
  /** Taken, but not yet visible to the bank (a file gateway's batch before its file is published). */
  | { status: 'queued' }
  | { status: 'rejected'; code: string; reason: string };

export type TransferStatus =
  /** Still waiting for its file to be published: the bank has not seen it. */
  | { status: 'queued' }
  | { status: 'pending' }
  | { status: 'settled'; at: Date }
  | { status: 'failed'; code: string; reason: string }
  | { status: 'unknown' };

export interface BankBalance {
  accountNumber: string;
  balance: Money;
  asOf: Date;
}

/**
 * The port every bank connection implements (the sandbox, ISO 20022 files, a
 * bank's own API). Submitting the same `endToEndId` twice must never move money twice.
 */
export interface BankGateway {
  readonly name: string;
  submit(instruction: PaymentInstruction): Promise<SubmitOutcome>;
  status(endToEndId: string): Promise<TransferStatus>;
  balance(accountNumber: string): Promise<BankBalance | undefined>;
  /** Publishes what a file gateway collected this round (files are written complete, once). */
  flush?(): Promise<number>;
}
