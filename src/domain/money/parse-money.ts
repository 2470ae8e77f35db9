import { Result, ok, refuse } from '../result';
import { CurrencyCode, SUPPORTED_CURRENCIES, isKnownCurrency } from './currency';
import { MONEY, Money, decimalDigitsToMinor, money } from './money';

/**
 * Parses an amount as people type it in chat. Grammar, in order:
 *   [sign] [currency] [sign] number [multiplier] [currency]
 * where currency is a symbol (¥ ￥ $ US$ HK$ € £ ...), an ISO code (any case),
 * RMB, or a Chinese word (人民币 美元 元 块 ...), and multiplier is k/m/千/万/百万/千万/亿/万亿.
 *
 * Safety over convenience: anything that could mean two different amounts is
 * refused (1.234,56 / 1,23 / 1.234.567), and "1.500" in CNY is TOO_MANY_DECIMALS
 * rather than 1.5, because a European user may have meant 1500.
 */

// Symbols shared by several currencies: alone they mean the first entry, next to
// an explicit code of the same family ("$5 HKD", "¥500 JPY") the code decides.
const SYMBOL_FAMILY: ReadonlyMap<string, readonly CurrencyCode[]> = new Map([
  ['$', ['USD', 'HKD', 'SGD', 'AUD', 'CAD']],
  ['¥', ['CNY', 'JPY']],
]);

// Keys are upper-case so lookups are case-insensitive ("hk$", "usd").
const CURRENCY_TOKENS: ReadonlyMap<string, CurrencyCode> = new Map([
  // Symbols from the table that contain a non-letter (letters-only ones like "KD" are too collision-prone).
  ...SUPPORTED_CURRENCIES.filter((c) => /[^A-Za-z]/.test(c.symbol)).map((c): [string, string] => [c.symbol, c.code]),
  ['CN¥', 'CNY'],
  ['US$', 'USD'],
  ['AU$', 'AUD'],
  ['CA$', 'CAD'],
  ['SG$', 'SGD'],
  ['人民币', 'CNY'],
  ['美元', 'USD'],
  ['美金', 'USD'],
  ['欧元', 'EUR'],
  ['英镑', 'GBP'],
  ['港元', 'HKD'],
  ['港币', 'HKD'],
  ['日元', 'JPY'],
  ['韩元', 'KRW'],
  ['澳元', 'AUD'],
  ['加元', 'CAD'],
]);
// Only natural after the number ("1000元", "50块钱").
const SUFFIX_TOKENS: ReadonlyMap<string, CurrencyCode> = new Map([
  ['元', 'CNY'],
  ['圆', 'CNY'],
  ['块', 'CNY'],
  ['块钱', 'CNY'],
  ['円', 'JPY'],
]);
const CODE_ALIASES: ReadonlyMap<string, CurrencyCode> = new Map([['RMB', 'CNY']]);

const MULTIPLIERS: ReadonlyMap<string, number> = new Map([
  ['K', 3],
  ['千', 3],
  ['万', 4],
  ['M', 6],
  ['百万', 6],
  ['千万', 7],
  ['亿', 8],
  ['万亿', 12],
]);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Longest first, so "US$" wins over "$" and "万亿" over "万".
const alternation = (keys: Iterable<string>) =>
  [...keys].sort((a, b) => b.length - a.length).map(escape).join('|');

const ANY_CURRENCY = alternation(CURRENCY_TOKENS.keys());
// No `u` flag on purpose: with /iu, "k" would also match the Kelvin sign and "s" the long s.
const AMOUNT = new RegExp(
  '^(?<s1>[-+])?\\s*' +
    `(?<pre>${ANY_CURRENCY}|[a-z]{3})?\\s*` +
    '(?<s2>[-+])?\\s*' +
    '(?<num>\\d[\\d,.]*|\\.\\d[\\d,.]*)\\s*' +
    `(?<mult>${alternation(MULTIPLIERS.keys())})?\\s*` +
    `(?<suf>${alternation([...CURRENCY_TOKENS.keys(), ...SUFFIX_TOKENS.keys()])}|[a-z]{3})?$`,
  'i',
);

// Nobody types a 100-character amount; the bound also keeps BigInt and the regex cheap.
const MAX_INPUT_LENGTH = 100;

/** Full-width forms (Chinese IME) and exotic spaces/minus signs → their ASCII equivalents. */
function normalise(s: string): string {
  return s
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\uffe5/g, '¥')
    .replace(/\uffe6/g, '₩')
    .replace(/[\u2212\u2012\u2013]/g, '-')
    .replace(/[\u00a0\u2009\u202f\u3000]/g, ' ')
    .trim();
}

type NumberShape = { digits: string; fracLen: number };

function readNumber(num: string): Result<NumberShape> {
  if (/[.,]{2}|[.,]$/.test(num)) return refuse(MONEY.INVALID_FORMAT);
  const parts = num.split('.');
  if (parts.length > 2) return refuse(MONEY.AMBIGUOUS_SEPARATORS); // 1.234.567
  const [int, frac = ''] = parts;
  if (frac.includes(',')) return refuse(MONEY.AMBIGUOUS_SEPARATORS); // 1.234,56
  // Commas only as well-formed thousands groups; "0,5", "1,23", "12,34,567" are someone else's convention.
  if (int.includes(',') && !/^[1-9]\d{0,2}(,\d{3})+$/.test(int)) return refuse(MONEY.AMBIGUOUS_SEPARATORS);
  return ok({ digits: (int.replace(/,/g, '') || '0') + frac, fracLen: frac.length });
}

type CurrencyToken = { code: CurrencyCode; family?: readonly CurrencyCode[] };

function readCurrency(token: string | undefined): Result<CurrencyToken | undefined> {
  if (token === undefined) return ok(undefined);
  const upper = token.toUpperCase();
  const code = CURRENCY_TOKENS.get(upper) ?? SUFFIX_TOKENS.get(upper) ?? CODE_ALIASES.get(upper) ?? upper;
  if (!isKnownCurrency(code)) return refuse(MONEY.UNKNOWN_CURRENCY, { currency: upper });
  return ok({ code, family: SYMBOL_FAMILY.get(upper) });
}

function pickCurrency(a: CurrencyToken | undefined, b: CurrencyToken | undefined): Result<CurrencyCode | undefined> {
  if (!a || !b) return ok((a ?? b)?.code);
  if (a.code === b.code) return ok(a.code);
  if (a.family && !b.family && a.family.includes(b.code)) return ok(b.code);
  if (b.family && !a.family && b.family.includes(a.code)) return ok(a.code);
  return refuse(MONEY.CURRENCY_CONFLICT, { first: a.code, second: b.code });
}

export function parseMoney(input: string, defaultCurrency?: string): Result<Money> {
  if (typeof input !== 'string') return refuse(MONEY.EMPTY);
  const s = normalise(input);
  if (s === '') return refuse(MONEY.EMPTY);
  if (s.length > MAX_INPUT_LENGTH) return refuse(MONEY.INVALID_FORMAT);
  const g = AMOUNT.exec(s)?.groups;
  if (!g) return refuse(MONEY.INVALID_FORMAT);

  const shape = readNumber(g.num);
  if (!shape.ok) return shape;
  const { digits, fracLen } = shape.value;
  // Zero and sign are reported before currency problems: they are the more basic mistake.
  if (/^0+$/.test(digits)) return refuse(MONEY.ZERO);
  if (g.s1 === '-' || g.s2 === '-') return refuse(MONEY.NEGATIVE);

  const pre = readCurrency(g.pre);
  if (!pre.ok) return pre;
  const suf = readCurrency(g.suf);
  if (!suf.ok) return suf;
  const picked = pickCurrency(pre.value, suf.value);
  if (!picked.ok) return picked;
  let currency = picked.value;
  if (currency === undefined) {
    if (!defaultCurrency) return refuse(MONEY.CURRENCY_REQUIRED);
    currency = defaultCurrency.toUpperCase();
    if (!isKnownCurrency(currency)) return refuse(MONEY.UNKNOWN_CURRENCY, { currency });
  }

  const exp = g.mult ? MULTIPLIERS.get(g.mult.toUpperCase())! : 0;
  const minor = decimalDigitsToMinor(digits, fracLen, exp, currency);
  if (!minor.ok) return minor;
  return ok(money(minor.value, currency));
}
