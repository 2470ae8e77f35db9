import { MONEY, parseMoney } from '../../src/domain/money';
import { Result, ok } from '../../src/domain/result';
import { AmountInput, NewPaymentSchema, ParseResult } from './command.schema';
import { CLAUSES, Clause } from './keywords';
import { Token, joinTokens } from './tokenize';
import { validate } from './validate';

// Shaped like a date, so `on 2026/12/1` is reported as a bad date rather than folded into the purpose.
const DATE_LIKE = /^\d{4}\D\d{1,2}\D\d{1,2}$/;

/**
 * `<amount> [currency] to <payee> for <purpose> [from <account>] [on YYYY-MM-DD]`,
 * clauses in any order. Each clause word counts once, so a purpose may still say
 * "transfer to supplier"; quoting ("…") keeps any keyword literal. `on` only
 * starts a clause when a date follows, because "on" is common in purposes.
 */
export function parseNewPayment(tokens: Token[]): ParseResult {
  const amountTokens: Token[] = [];
  const clauses: Partial<Record<Clause, Token[]>> = {};
  let current = amountTokens;
  tokens.forEach((tk, i) => {
    const clause = tk.quoted ? undefined : CLAUSES.get(tk.text.toLowerCase());
    const next = tokens[i + 1];
    const isClause = clause && !clauses[clause] && (clause !== 'on' || (next && DATE_LIKE.test(next.text)));
    if (isClause) clauses[clause] = current = [];
    else current.push(tk);
  });

  if (amountTokens.length === 0) return { ok: false, code: 'COMMAND.MISSING_AMOUNT', usage: 'new' };
  // Without "to", the payee's name ends up glued to the amount; saying "not an amount" would mislead.
  if (!clauses.to) return { ok: false, code: 'COMMAND.MISSING_PAYEE', usage: 'new' };
  const amount = readAmount(joinTokens(amountTokens));
  if (!amount.ok) return { ok: false, code: amount.code, ...(amount.params ? { params: amount.params } : {}), usage: 'new' };

  const text = (c: Clause) => (clauses[c] ? joinTokens(clauses[c]) : undefined);
  return validate(
    NewPaymentSchema,
    { kind: 'new', amount: amount.value, payee: text('to'), purpose: text('for'), account: text('from'), executionDate: text('on') },
    'new',
  );
}

/**
 * Parses the amount now when it names its currency. Without one, the currency is
 * the paying account's, known only after the account is resolved; the text is
 * probed as CNY so malformed, zero or negative amounts are still refused here
 * (only the decimals check waits, since JPY has none and KWD three).
 */
export function readAmount(text: string): Result<AmountInput> {
  const r = parseMoney(text);
  if (r.ok) return ok({ text, money: r.value });
  if (r.code !== MONEY.CURRENCY_REQUIRED) return r;
  const probe = parseMoney(text, 'CNY');
  if (!probe.ok && probe.code !== MONEY.TOO_MANY_DECIMALS) return probe;
  return ok({ text });
}
