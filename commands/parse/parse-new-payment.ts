import { MONEY, parseMoney } from '../../src/domain/money';
import { Result, ok } from '../../src/domain/result';
import { AmountInput, NewPaymentSchema, ParseResult } from './command.schema';
import { CLAUSES, Clause } from './keywords';
import { splitGluedClauses } from './split-chinese';
import { Token, joinTokens } from './tokenize';
import { validate } from './validate';

// Shaped like a date, so `on 2026/12/1` is reported as a bad date rather than folded into the purpose.
export const DATE_LIKE = /^\d{4}\D\d{1,2}\D\d{1,2}$/;

/**
 * `<amount> [currency] to <payee> for <purpose> [from <account>] [on YYYY-MM-DD]`,
 * clauses in any order. Each clause word counts once, so a purpose may still say
 * "transfer to supplier"; quoting ("…") keeps any keyword literal. `on` only
 * starts a clause when a date follows, because "on" is common in purposes.
 *
 * Chinese is written without spaces and in any order (`5000元给阿克米用途货款从招行`,
 * `给 阿克米 5000元 用途 货款`): Chinese clause words are found inside words too
 * (split-chinese.ts), and an amount may stand at the end of the payee or account
 * clause when nothing precedes the first clause word.
 */
export function parseNewPayment(input: Token[]): ParseResult {
  const tokens = splitGluedClauses(input);
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

  if (amountTokens.length === 0) {
    // "给 阿克米 5000元 …": the amount came after the payee (or the account) instead of first.
    // A purpose gives up only a separate amount that names its currency ("货款 5000元"), never "发票42".
    for (const c of ['to', 'from', 'for'] as const) {
      const moved = takeTrailingAmount(clauses[c], c === 'for');
      if (moved) {
        amountTokens.push(...moved);
        break;
      }
    }
  }
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

// An amount glued to the end of a Chinese name: "阿克米5000元", "招行1.2万".
const GLUED_AMOUNT = /(?<=[\u3400-\u9fff])([¥￥$]?\d[\d,]*(?:\.\d+)?(?:[万亿千]|百万|千万)?(?:元|块钱|块|美元|人民币)?)$/;

/**
 * Removes an amount from the end of a clause and returns it: the last one or two
 * tokens ("5000元", "5000 USD"), or digits glued to a Chinese name. Only text that
 * parses as an amount moves, and something must stay behind as the name.
 */
function takeTrailingAmount(clause: Token[] | undefined, strict: boolean): Token[] | undefined {
  if (!clause || clause.length === 0) return undefined;
  for (const n of [2, 1]) {
    if (clause.length <= n) continue;
    const tail = clause.slice(-n);
    const read = tail.some((t) => t.quoted) ? undefined : readAmount(joinTokens(tail));
    if (!read?.ok || (strict && !read.value.money)) continue;
    clause.splice(-n, n);
    return tail;
  }
  if (strict) return undefined;
  const last = clause[clause.length - 1];
  const m = last.quoted ? null : GLUED_AMOUNT.exec(last.text);
  if (!m || !readAmount(m[1]).ok) return undefined;
  clause[clause.length - 1] = { text: last.text.slice(0, m.index), quoted: false };
  return [{ text: m[1], quoted: false }];
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
