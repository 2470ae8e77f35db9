import type { BankAccount, Payee, User } from '../../domain/directory';
import type { ApprovalVote, Payment } from '../../domain/payment/payment';
import type { Database, Tx } from '../../persistence/database';
import { directory } from '../../persistence/repositories/directory.repository';
import { paymentStore } from '../payments/payment-store';

/**
 * A payment with what its card shows next to it: account, payee, requester (as
 * a full user, so the requester can be notified) and votes. Structurally the
 * command layer's PaymentCardData.
 */
export interface PaymentCardFacts {
  payment: Payment;
  account?: BankAccount;
  payee?: Payee;
  requester?: User;
  votes: (ApprovalVote & { approverRoles: string[] })[];
}

export type PaymentLookup = { id: string } | { reference: string };

const find = (em: Tx, where: PaymentLookup): Promise<Payment | undefined> =>
  'id' in where ? paymentStore.byId(em, where.id) : paymentStore.byReference(em, where.reference);

async function partiesOf(em: Tx, payment: Payment): Promise<PaymentCardFacts> {
  // One after another: an EntityManager must not run queries concurrently.
  const account = await directory.account(em, payment.debtorAccountId);
  const payee = await directory.payee(em, payment.payeeId);
  const requester = payment.requesterId ? await directory.user(em, payment.requesterId) : undefined;
  const votes = await paymentStore.votes(em, payment.id);
  return { payment, account, payee, requester, votes };
}

/** Read-only payment lookups for chat commands and notifications. */
export const paymentCardQuery = {
  /** A payment by id or reference (references are matched case-insensitively). */
  find(db: Database, where: PaymentLookup): Promise<Payment | undefined> {
    return db.read((em) => find(em, where));
  },

  /** The card facts of a payment the caller already holds (as a use case returned it). */
  factsOf(db: Database, payment: Payment): Promise<PaymentCardFacts> {
    return db.read((em) => partiesOf(em, payment));
  },

  /** The payment as it is now, with its card facts; undefined when there is no such payment. */
  current(db: Database, where: PaymentLookup): Promise<PaymentCardFacts | undefined> {
    return db.read(async (em) => {
      const payment = await find(em, where);
      return payment && partiesOf(em, payment);
    });
  },
};
