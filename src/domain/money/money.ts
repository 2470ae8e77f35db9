import { Result, ok, refuse } from '../result';
import { CurrencyCode, currencyInfo, requireCurrency } from './currency';

/** An exact amount in the currency's minor unit (fen, cent, fils...). Never a JS number. */
export interface Money {
  readonly minor: bigint;
  readonly currency: CurrencyCode;
}

/** Stable refusal codes; each one has an en and zh-CN message in money.messages.ts. */
export const MONEY = {
  EMPTY: 'MONEY.EMPTY',
  INVALID_FORMAT: 'MONEY.INVALID_FORMAT',
  NEGATIVE: 'MONEY.NEGATIVE',
  ZERO: 'MONEY.ZERO',
  TOO_MANY_DECIMALS: 'MONEY.TOO_MANY_DECIMALS',
  AMBIGUOUS_SEPARATORS: 'MONEY.AMBIGUOUS_SEPARATORS',
  UNKNOWN_CURRENCY: 'MONEY.UNKNOWN_CURRENCY',
  TOO_LARGE: 'MONEY.TOO_LARGE',
  CURRENCY_REQUIRED: 'MONEY.CURRENCY_REQUIRED',
  CURRENCY_CONFLICT: 'MONEY.CURRENCY_CONFLICT',
} as const;
export type MoneyRefusalCode = (typeof MONEY)[keyof typeof MONEY];

/**
 * Largest accepted amount, in minor units, for every currency: 10^15.
 * One cap for all currencies keeps the rule simple and guarantees that no
 * currency's major part exceeds 10^15 (JPY/KRW have 0 decimals, so their cap is
 * exactly 10^15 yen; CNY's is 10^13 yuan, still far beyond any real payment).
 * It also stays below Number.MAX_SAFE_INTEGER, so a consumer that wrongly goes
 * through a JS number (JSON, spreadsheets) still cannot lose a digit, and it is
 * four orders of magnitude inside PostgreSQL bigint.
 */
export const MAX_MINOR = 10n ** 15n;

/** PostgreSQL bigint range: a Money outside it could never be stored. */
const PG_BIGINT_MAX = 2n ** 63n - 1n;

export function money(minor: bigint, currency: CurrencyCode): Money {
  if (typeof minor !== 'bigint') throw new Error(`Money minor must be a bigint, got ${typeof minor}`);
  requireCurrency(currency);
  if (minor > PG_BIGINT_MAX || minor < -PG_BIGINT_MAX)
    throw new Error(`Money out of storable range: ${minor} ${currency}`);
  return Object.freeze({ minor, currency });
}

// Mixing currencies is a programming error (convert first), never something a user did.
function assertSameCurrency(a: Money, b: Money, op: string): void {
  if (a.currency !== b.currency) throw new Error(`${op}: currency mismatch ${a.currency} vs ${b.currency}`);
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b, 'addMoney');
  return money(a.minor + b.minor, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b, 'subtractMoney');
  return money(a.minor - b.minor, a.currency);
}

export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  assertSameCurrency(a, b, 'compareMoney');
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

export const isZero = (m: Money): boolean => m.minor === 0n;

/** "12345.67", "-0.05", "1500" (JPY), "1.234" (KWD): no grouping, exactly the currency's decimals. */
export function toDecimalString(m: Money): string {
  const { decimals } = requireCurrency(m.currency);
  const neg = m.minor < 0n;
  const digits = (neg ? -m.minor : m.minor).toString().padStart(decimals + 1, '0');
  const int = digits.slice(0, digits.length - decimals);
  const frac = decimals > 0 ? '.' + digits.slice(digits.length - decimals) : '';
  return (neg ? '-' : '') + int + frac;
}

/**
 * Exact conversion of a decimal `digits` string whose last `fracLen` digits are
 * fractional, times 10^exp, into minor units. Refuses rather than rounds when the
 * currency cannot represent it.
 */
export function decimalDigitsToMinor(
  digits: string,
  fracLen: number,
  exp: number,
  currency: CurrencyCode,
): Result<bigint> {
  const { decimals } = requireCurrency(currency);
  const shift = decimals + exp - fracLen;
  if (shift < 0) return refuse(MONEY.TOO_MANY_DECIMALS, { currency, decimals });
  const minor = BigInt(digits) * 10n ** BigInt(shift);
  if (minor > MAX_MINOR) return refuse(MONEY.TOO_LARGE);
  return ok(minor);
}

const STRICT_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Strict parser for machine-written amounts (REST API, bank files): optional
 * minus, digits, optional "." and at most the currency's decimals. No grouping,
 * no whitespace, no symbols; leading zeros are allowed because fixed-width bank
 * fields are zero-padded.
 */
export function fromDecimalString(s: string, currency: CurrencyCode): Result<Money> {
  if (!currencyInfo(currency)) return refuse(MONEY.UNKNOWN_CURRENCY, { currency });
  if (typeof s !== 'string' || s === '') return refuse(MONEY.EMPTY);
  const m = STRICT_DECIMAL.exec(s);
  if (!m) return refuse(MONEY.INVALID_FORMAT);
  const [, sign, int, frac = ''] = m;
  // Bounded before BigInt so a hostile megabyte of digits costs nothing.
  if (int.replace(/^0+/, '').length > 20) return refuse(MONEY.TOO_LARGE);
  const minor = decimalDigitsToMinor(int + frac, frac.length, 0, currency);
  if (!minor.ok) return minor;
  return ok(money(sign ? -minor.value : minor.value, currency));
}
