import type { BankAccount, Payee } from '../../src/domain/directory';
import { Money, parseMoney } from '../../src/domain/money';
import { Result, ok, refuse } from '../../src/domain/result';
import type { AmountInput } from '../parse/command.schema';
import { Named, describeNamed, matchByName } from './match-by-name';

function resolveNamed<T extends Named>(items: readonly T[], query: string, what: 'PAYEE' | 'ACCOUNT'): Result<T> {
  const m = matchByName(items, query);
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
  const m = matchByName(payees, query);
  if (m.kind === 'one' && !m.exact) return refuse('COMMAND.CONFIRM_PAYEE', { query, match: describeNamed([m.item]), code: m.item.code });
  return resolveNamed(payees, query, 'PAYEE');
}

/**
 * Which account pays and the exact amount. The currency is the one typed, else
 * the named account's, else the only currency the company holds; the account
 * is the named one, else the only one in that currency. Anything less certain
 * is a question back to the user, never a guess.
 */
export function chooseAccount(
  accounts: readonly BankAccount[],
  amount: AmountInput,
  accountQuery?: string,
): Result<{ account: BankAccount; amount: Money }> {
  if (accounts.length === 0) return refuse('COMMAND.NO_ACCOUNTS');
  let account: BankAccount | undefined;
  if (accountQuery) {
    const r = resolveNamed(accounts, accountQuery, 'ACCOUNT');
    if (!r.ok) return r;
    account = r.value;
  }
  let currency = amount.money?.currency ?? account?.currency;
  if (!currency) {
    const held = [...new Set(accounts.map((a) => a.currency))].sort();
    if (held.length > 1) return refuse('COMMAND.CURRENCY_REQUIRED', { currencies: held.join(', ') });
    currency = held[0];
  }
  if (account && account.currency !== currency)
    return refuse('PAYMENT.CURRENCY_MISMATCH', { account: account.name, currency: account.currency });
  if (!account) {
    const inCurrency = accounts.filter((a) => a.currency === currency);
    if (inCurrency.length === 0) return refuse('COMMAND.NO_ACCOUNT_IN_CURRENCY', { currency });
    if (inCurrency.length > 1) return refuse('COMMAND.ACCOUNT_REQUIRED', { currency, matches: describeNamed(inCurrency) });
    account = inCurrency[0];
  }
  if (amount.money) return ok({ account, amount: amount.money });
  const parsed = parseMoney(amount.text, currency);
  return parsed.ok ? ok({ account, amount: parsed.value }) : parsed;
}
