import { ApprovalTier, tierFor } from '../../domain/approval/approval-policy';
import { BankAccount, Payee, User, mayRequest, payeeAccepts } from '../../domain/directory';
import { Money } from '../../domain/money/money';
import { Result, ok, refuse } from '../../domain/result';
import type { Tx } from '../../persistence/database';
import { directory } from '../../persistence/repositories/directory.repository';

/**
 * Who pays whom, checked the same way for a one-off payment and a schedule: the
 * account and payee exist, the amount is in the account's currency, the requester
 * (when a person asks) may request, and the policy has a tier for the amount.
 */
export async function resolvePaymentParties(
  em: Tx,
  input: { debtorAccountId: string; payeeId: string; amount: Money; requesterId?: string },
): Promise<Result<{ account: BankAccount; payee: Payee; tier: ApprovalTier; requester?: User }>> {
  const account = await directory.account(em, input.debtorAccountId);
  if (!account) return refuse('PAYMENT.UNKNOWN_ACCOUNT');
  const payee = await directory.payee(em, input.payeeId);
  if (!payee) return refuse('PAYMENT.UNKNOWN_PAYEE');
  if (account.currency !== input.amount.currency)
    return refuse('PAYMENT.CURRENCY_MISMATCH', { account: account.name, currency: account.currency });
  // A CNY supplier paid in USD is a bank return at best: refused, whoever asks (chat, API, schedule).
  if (!payeeAccepts(payee, input.amount.currency))
    return refuse('PAYMENT.PAYEE_CURRENCY', { payee: payee.name, currency: input.amount.currency, accepted: payee.currencies!.join(', ') });
  const requester = input.requesterId ? await directory.user(em, input.requesterId) : undefined;
  if (input.requesterId && (!requester || !mayRequest(requester))) return refuse('PAYMENT.NOT_ALLOWED_TO_REQUEST');
  const policy = await directory.policy(em, input.amount.currency);
  const tier = policy && tierFor(policy, input.amount);
  if (!tier) return refuse('PAYMENT.NO_POLICY', { currency: input.amount.currency });
  return ok({ account, payee, tier, requester });
}
