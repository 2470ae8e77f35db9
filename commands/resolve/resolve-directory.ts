import { BankAccount, Payee, payeeAccepts } from '../../src/domain/directory';
import { Money, parseMoney } from '../../src/domain/money';
import { Result, ok, refuse } from '../../src/domain/result';
import type { AmountInput } from '../parse/command.schema';
import { Named, describeNamed, matchByName } from './match-by-name';

// A payee must be named exactly; an account may be named by the start of its code or name
// ("icbc"), but a fragment from its middle ("usd" of cmb-usd) is a guess, so it is asked back.
const CONFIRM: Record<'PAYEE' | 'ACCOUNT', readonly string[]> = { PAYEE: ['prefix', 'substring'], ACCOUNT: ['substring'] };

function resolveNamed<T extends Named>(items: readonly T[], query: string, what: 'PAYEE' | 'ACCOUNT'): Result<T> {
  const m = matchByName(items, query);
  if (m.kind === 'one' && CONFIRM[what].includes(m.rule))
    return refuse(`COMMAND.CONFIRM_${what}`, { query, match: describeNamed([m.item]), code: m.item.code });
  if (m.kind === 'one') return ok(m.item);
  if (m.kind === 'many') return refuse(`COMMAND.AMBIGUOUS_${what}`, { query, matches: describeNamed(m.items) });
  return refuse(`COMMAND.UNKNOWN_${what}`, { query, known: describeNamed(items) || '—' });
}

/**
 * Where the money goes is never inferred from a fragment: a partial name that
 * fits one payee is answered with "did you mean", since a small payment to a
 * known payee may be auto-approved with nobody else looking.
 */
export function resolvePayee(payees: readonly Payee[], query: string): Result<Payee> {
  return resolveNamed(payees, query, 'PAYEE');
}

/**
 * Which account pays and the exact amount. The currency is the one typed, else
 * the named account's, else the payee's only currency, else the only currency
 * the company holds; the account is the named one (a fragment from the middle
 * of a name, such as "usd", gets "did you mean", like payees), else the
 * only one in that currency, else that currency's default account. Anything
 * less certain is a question back to the user, never a guess.
 */
export function chooseAccount(
  accounts: readonly BankAccount[],
  amount: AmountInput,
  accountQuery?: string,
  payee?: Payee,
): Result<{ account: BankAccount; amount: Money }> {
  if (accounts.length === 0) return refuse('COMMAND.NO_ACCOUNTS');
  let account: BankAccount | undefined;
  if (accountQuery) {
    const r = resolveNamed(accounts, accountQuery, 'ACCOUNT');
    if (!r.ok) return r;
    account = r.value;
  }
  let currency = amount.money?.currency ?? account?.currency ?? (payee?.currencies?.length === 1 ? payee.currencies[0] : undefined);
  if (!currency) {
    const held = [...new Set(accounts.map((a) => a.currency))].sort();
    if (held.length > 1) return refuse('COMMAND.CURRENCY_REQUIRED', { currencies: held.join(', ') });
    currency = held[0];
  }
  if (account && account.currency !== currency)
    return refuse('PAYMENT.CURRENCY_MISMATCH', { account: account.name, currency: account.currency });
  if (payee && !payeeAccepts(payee, currency))
    return refuse('PAYMENT.PAYEE_CURRENCY', { payee: payee.name, currency, accepted: payee.currencies!.join(', ') });
  if (!account) {
    const inCurrency = accounts.filter((a) => a.currency === currency);
    if (inCurrency.length === 0) return refuse('COMMAND.NO_ACCOUNT_IN_CURRENCY', { currency });
    const fallback = inCurrency.length === 1 ? inCurrency[0] : inCurrency.find((a) => a.isDefault);
    if (!fallback) return refuse('COMMAND.ACCOUNT_REQUIRED', { currency, matches: describeNamed(inCurrency) });
    account = fallback;
  }
  if (amount.money) return ok({ account, amount: amount.money });
  const parsed = parseMoney(amount.text, currency);
  return parsed.ok ? ok({ account, amount: parsed.value }) : parsed;
}
