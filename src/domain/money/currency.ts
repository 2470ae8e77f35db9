/**
 * ISO 4217 currencies paydesk can pay in. `decimals` is the ISO minor-unit
 * exponent, which is what banks expect in payment files (KWD/BHD have 3, JPY/KRW 0).
 *
 * `symbol` is kept unambiguous across the table so a symbol maps back to exactly
 * one currency: `¥` belongs to CNY (our users are in mainland China), so JPY is
 * `JP¥`. KWD/BHD/CHF have no symbol people type, so theirs is letters only and
 * the chat parser ignores it (it accepts their ISO codes instead).
 */
export type CurrencyCode = string;

export interface CurrencyInfo {
  readonly code: CurrencyCode;
  readonly decimals: number;
  readonly symbol: string;
}

const TABLE: readonly CurrencyInfo[] = [
  { code: 'CNY', decimals: 2, symbol: '¥' },
  { code: 'USD', decimals: 2, symbol: '$' },
  { code: 'EUR', decimals: 2, symbol: '€' },
  { code: 'GBP', decimals: 2, symbol: '£' },
  { code: 'HKD', decimals: 2, symbol: 'HK$' },
  { code: 'JPY', decimals: 0, symbol: 'JP¥' },
  { code: 'KRW', decimals: 0, symbol: '₩' },
  { code: 'SGD', decimals: 2, symbol: 'S$' },
  { code: 'KWD', decimals: 3, symbol: 'KD' },
  { code: 'BHD', decimals: 3, symbol: 'BD' },
  { code: 'CHF', decimals: 2, symbol: 'CHF' },
  { code: 'AUD', decimals: 2, symbol: 'A$' },
  { code: 'CAD', decimals: 2, symbol: 'C$' },
].map((c) => Object.freeze(c));

// A Map, not an object literal, so codes like "__proto__" or "toString" are simply unknown.
const BY_CODE: ReadonlyMap<string, CurrencyInfo> = new Map(TABLE.map((c) => [c.code, c]));

export const SUPPORTED_CURRENCIES: readonly CurrencyInfo[] = TABLE;

/** Exact, case-sensitive lookup: codes are stored upper-case; normalise user input first. */
export function currencyInfo(code: CurrencyCode): CurrencyInfo | undefined {
  return BY_CODE.get(code);
}

export function isKnownCurrency(code: CurrencyCode): boolean {
  return BY_CODE.has(code);
}

/** For code paths where an unknown currency can only be a programming error. */
export function requireCurrency(code: CurrencyCode): CurrencyInfo {
  const info = BY_CODE.get(code);
  if (!info) throw new Error(`unsupported currency ${JSON.stringify(code)}`);
  return info;
}
