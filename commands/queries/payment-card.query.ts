import type { User } from '../../src/domain/directory';
import type { Payment } from '../../src/domain/payment/payment';
import type { Tx } from '../../src/persistence/database';
import { directory } from '../../src/persistence/repositories/directory.repository';
import { paymentStore } from '../../src/services/payments/payment-store';
import type { PaymentCardData } from '../views/payment-card.view';

/** Reads a payment by id or reference (references are matched case-insensitively). */
export function findPayment(em: Tx, where: { id: string } | { reference: string }): Promise<Payment | undefined> {
  return 'id' in where ? paymentStore.byId(em, where.id) : paymentStore.byReference(em, where.reference);
}

/** Card data with the requester as a full user, for notifying them. */
export type LoadedCardData = PaymentCardData & { requester?: User };

/** The account, payee, requester and votes a card shows next to the payment itself. */
export async function loadCardData(em: Tx, payment: Payment): Promise<LoadedCardData> {
  // One after another: an EntityManager must not run queries concurrently.
  const account = await directory.account(em, payment.debtorAccountId);
  const payee = await directory.payee(em, payment.payeeId);
  const requester = payment.requesterId ? await directory.user(em, payment.requesterId) : undefined;
  const votes = await paymentStore.votes(em, payment.id);
  return { payment, account, payee, requester, votes };
}
