import type { Payment } from '../../src/domain/payment/payment';
import type { Tx } from '../../src/persistence/database';
import { directory } from '../../src/persistence/repositories/directory.repository';
import { paymentStore } from '../../src/services/payments/payment-store';
import type { PaymentCardData } from '../views/payment-card.view';

/** Reads a payment by id or reference (references are matched case-insensitively). */
export function findPayment(em: Tx, where: { id: string } | { reference: string }): Promise<Payment | undefined> {
  return 'id' in where ? paymentStore.byId(em, where.id) : paymentStore.byReference(em, where.reference);
}

/** The account, payee, requester and votes a card shows next to the payment itself. */
export async function loadCardData(em: Tx, payment: Payment): Promise<PaymentCardData> {
  const [account, payee, requester, votes] = await Promise.all([
    directory.account(em, payment.debtorAccountId),
    directory.payee(em, payment.payeeId),
    payment.requesterId ? directory.user(em, payment.requesterId) : Promise.resolve(undefined),
    paymentStore.votes(em, payment.id),
  ]);
  return { payment, account, payee, requester, votes };
}
