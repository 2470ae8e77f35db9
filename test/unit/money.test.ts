import fc from 'fast-check';
import { Result, ok, refuse } from '../../src/domain/result';
import {
  MAX_MINOR, MONEY, Money, SUPPORTED_CURRENCIES, addMoney, compareMoney, currencyInfo, formatMoney,
  fromDecimalString, isKnownCurrency, isZero, money, moneyMessages, parseMoney, subtractMoney,
  toChineseCapital, toDecimalString,
} from '../../src/domain/money';

const m = (minor: bigint, currency: string): Result<Money> => ok({ minor, currency });
const CODES = SUPPORTED_CURRENCIES.map((c) => c.code);

describe('parseMoney', () => {
  type Case = [string, string | undefined, Result<Money>];
  const cases: Case[] = [
    ['12,345.67', 'CNY', m(1234567n, 'CNY')],
    ['12345.67', 'CNY', m(1234567n, 'CNY')],
    ['1,234,567.89', 'CNY', m(123456789n, 'CNY')],
    ['500', 'CNY', m(50000n, 'CNY')],
    ['  42  ', 'CNY', m(4200n, 'CNY')],
    ['¥500', undefined, m(50000n, 'CNY')],
    ['￥500', undefined, m(50000n, 'CNY')],
    ['$12.50', undefined, m(1250n, 'USD')],
    ['€5', 'CNY', m(500n, 'EUR')],
    ['USD 12.50', undefined, m(1250n, 'USD')],
    ['12.50 USD', undefined, m(1250n, 'USD')],
    ['usd 12.5', undefined, m(1250n, 'USD')],
    ['CNY 1,000', undefined, m(100000n, 'CNY')],
    ['1000元', undefined, m(100000n, 'CNY')],
    ['1000 元', 'USD', m(100000n, 'CNY')],
    ['1000块', undefined, m(100000n, 'CNY')],
    ['50块钱', undefined, m(5000n, 'CNY')],
    ['人民币1,000元', undefined, m(100000n, 'CNY')],
    ['RMB 88', undefined, m(8800n, 'CNY')],
    ['100美元', undefined, m(10000n, 'USD')],
    ['1.2万', 'CNY', m(1200000n, 'CNY')],
    ['1.2万', 'USD', m(1200000n, 'USD')],
    ['1.2万元', undefined, m(1200000n, 'CNY')],
    ['3亿', 'CNY', m(30000000000n, 'CNY')],
    ['1千万', 'CNY', m(1000000000n, 'CNY')],
    ['1.23456万', 'CNY', m(1234560n, 'CNY')],
    ['1.234567万', 'CNY', m(1234567n, 'CNY')],
    ['1.5k', 'CNY', m(150000n, 'CNY')],
    ['2K', 'USD', m(200000n, 'USD')],
    ['2m', 'USD', m(200000000n, 'USD')],
    ['2M USD', undefined, m(200000000n, 'USD')],
    ['１２３', 'CNY', m(12300n, 'CNY')],
    ['ＵＳＤ　１２．５', undefined, m(1250n, 'USD')],
    ['JPY 1,500', undefined, m(1500n, 'JPY')],
    ['1.5k JPY', undefined, m(1500n, 'JPY')],
    ['KWD 1.234', undefined, m(1234n, 'KWD')],
    ['5 kwd', undefined, m(5000n, 'KWD')],
    ['HK$100', undefined, m(10000n, 'HKD')],
    ['$5 HKD', undefined, m(500n, 'HKD')],
    ['¥500 JPY', undefined, m(500n, 'JPY')],
    ['.5', 'CNY', m(50n, 'CNY')],
    ['+5', 'cny', m(500n, 'CNY')],
    ['10,000,000,000,000 CNY', undefined, m(MAX_MINOR, 'CNY')],
    ['1000000000000000 JPY', undefined, m(MAX_MINOR, 'JPY')],
    ['', 'CNY', refuse(MONEY.EMPTY)],
    ['   ', 'CNY', refuse(MONEY.EMPTY)],
    ...['abc', 'twelve dollars', '1.', '5 kg', '1 000', '1..5', '(500)', '9'.repeat(101)].map(
      (x): Case => [x, 'CNY', refuse(MONEY.INVALID_FORMAT)],
    ),
    ['-5', 'CNY', refuse(MONEY.NEGATIVE)],
    ['-$5', undefined, refuse(MONEY.NEGATIVE)],
    ['USD -5', undefined, refuse(MONEY.NEGATIVE)],
    ['０', 'CNY', refuse(MONEY.ZERO)],
    ['0.00 USD', undefined, refuse(MONEY.ZERO)],
    ['JPY 1.5', undefined, refuse(MONEY.TOO_MANY_DECIMALS, { currency: 'JPY', decimals: 0 })],
    ['1.234', 'CNY', refuse(MONEY.TOO_MANY_DECIMALS, { currency: 'CNY', decimals: 2 })],
    ['1.500', 'CNY', refuse(MONEY.TOO_MANY_DECIMALS, { currency: 'CNY', decimals: 2 })],
    ['1.2345678万', 'CNY', refuse(MONEY.TOO_MANY_DECIMALS, { currency: 'CNY', decimals: 2 })],
    ['1.2345 KWD', undefined, refuse(MONEY.TOO_MANY_DECIMALS, { currency: 'KWD', decimals: 3 })],
    ...['1.234,56', '1,23', '1,2345', '12,34,567', '1.234.567', '0,5', '0,500'].map(
      (x): Case => [x, 'CNY', refuse(MONEY.AMBIGUOUS_SEPARATORS)],
    ),
    ['XYZ 5', undefined, refuse(MONEY.UNKNOWN_CURRENCY, { currency: 'XYZ' })],
    ['5 xyz', 'CNY', refuse(MONEY.UNKNOWN_CURRENCY, { currency: 'XYZ' })],
    ['5', 'XYZ', refuse(MONEY.UNKNOWN_CURRENCY, { currency: 'XYZ' })],
    ['5', undefined, refuse(MONEY.CURRENCY_REQUIRED)],
    ['1.2万', undefined, refuse(MONEY.CURRENCY_REQUIRED)],
    ['$ 5 CNY', undefined, refuse(MONEY.CURRENCY_CONFLICT, { first: 'USD', second: 'CNY' })],
    ['€5 USD', undefined, refuse(MONEY.CURRENCY_CONFLICT, { first: 'EUR', second: 'USD' })],
    ['¥500 USD', undefined, refuse(MONEY.CURRENCY_CONFLICT, { first: 'CNY', second: 'USD' })],
    ['10,000,000,000,000.01 CNY', undefined, refuse(MONEY.TOO_LARGE)],
    ['1000000000000001 JPY', undefined, refuse(MONEY.TOO_LARGE)],
    ['20万亿', 'CNY', refuse(MONEY.TOO_LARGE)],
  ];

  test.each(cases)('parseMoney(%j, %j)', (input, defaultCurrency, expected) => {
    expect(parseMoney(input, defaultCurrency)).toEqual(expected);
  });
});

describe('formatMoney', () => {
  test.each([
    [1234567n, 'CNY', 'CNY 12,345.67', '¥12,345.67'],
    [100000n, 'USD', 'USD 1,000.00', 'US$1,000.00'],
    [1500n, 'JPY', 'JPY 1,500', 'JP¥1,500'],
    [1234567n, 'KWD', 'KWD 1,234.567', 'KWD 1,234.567'],
    [1n, 'BHD', 'BHD 0.001', 'BHD 0.001'],
    [1000000n, 'KRW', 'KRW 1,000,000', '₩1,000,000'],
    [999n, 'SGD', 'SGD 9.99', 'SGD 9.99'],
    [12345678901n, 'HKD', 'HKD 123,456,789.01', 'HK$123,456,789.01'],
    [5n, 'EUR', 'EUR 0.05', '€0.05'],
    [-500n, 'CNY', '-CNY 5.00', '-¥5.00'],
    [0n, 'GBP', 'GBP 0.00', '£0.00'],
  ])('%p %s → en %j, zh-CN %j', (minor, currency, en, zh) => {
    expect(formatMoney(money(minor, currency), 'en')).toBe(en);
    expect(formatMoney(money(minor, currency), 'zh-CN')).toBe(zh);
  });

  test('refuses to format an unknown currency (caller bug)', () => {
    expect(() => formatMoney({ minor: 1n, currency: 'XYZ' }, 'en')).toThrow(/XYZ/);
  });
});

describe('toChineseCapital', () => {
  test.each([
    [123456n, '壹仟贰佰叁拾肆元伍角陆分'], [10000n, '壹佰元整'],
    [100500n, '壹仟零伍元整'], [1000000n, '壹万元整'],
    [10001000n, '壹拾万零壹拾元整'], [5n, '伍分'],
    [105n, '壹元零伍分'], [12000000000n, '壹亿贰仟万元整'],
    [10000000000n, '壹亿元整'], [1050n, '壹拾元伍角整'],
    [0n, '零元整'], [50n, '伍角整'],
    [168032n, '壹仟陆佰捌拾元叁角贰分'], [600714n, '陆仟零柒元壹角肆分'],
    [32504n, '叁佰贰拾伍元零肆分'], [10700053n, '壹拾万柒仟元伍角叁分'],
    [140950n, '壹仟肆佰零玖元伍角整'], [100000010000n, '壹拾亿零壹佰元整'],
    [10000100000n, '壹亿零壹仟元整'], [100100000000n, '壹拾亿零壹佰万元整'],
    [100000000000000n, '壹万亿元整'], [102340000000000n, '壹万零贰佰叁拾肆亿元整'],
    [MAX_MINOR, '壹拾万亿元整'],
  ])('%p fen → %s', (minor, expected) => {
    expect(toChineseCapital(money(minor, 'CNY'))).toBe(expected);
  });

  test('throws for non-CNY and negative amounts (caller bugs)', () => {
    expect(() => toChineseCapital(money(100n, 'USD'))).toThrow(/CNY/);
    expect(() => toChineseCapital(money(-100n, 'CNY'))).toThrow();
  });
});

describe('arithmetic', () => {
  const cny = (n: bigint) => money(n, 'CNY');

  test('add, subtract, compare, isZero', () => {
    expect(addMoney(cny(150n), cny(250n))).toEqual({ minor: 400n, currency: 'CNY' });
    expect(subtractMoney(cny(150n), cny(250n))).toEqual({ minor: -100n, currency: 'CNY' });
    expect(subtractMoney(cny(250n), cny(250n)).minor).toBe(0n);
    expect([1n, 2n, 3n].map((n) => compareMoney(cny(n), cny(2n)))).toEqual([-1, 0, 1]);
    expect(compareMoney(cny(MAX_MINOR), cny(MAX_MINOR - 1n))).toBe(1);
    expect(isZero(cny(0n))).toBe(true);
    expect(isZero(cny(1n))).toBe(false);
  });

  test('mixing currencies throws', () => {
    expect(() => addMoney(cny(1n), money(1n, 'USD'))).toThrow(/currency mismatch CNY vs USD/);
    expect(() => subtractMoney(cny(1n), money(1n, 'USD'))).toThrow(/currency mismatch/);
    expect(() => compareMoney(money(1n, 'JPY'), cny(1n))).toThrow(/currency mismatch JPY vs CNY/);
  });

  test('money() rejects what can only be a bug', () => {
    expect(() => money(1n, 'XYZ')).toThrow(/XYZ/);
    expect(() => money(1n, 'usd')).toThrow();
    expect(() => money(1 as unknown as bigint, 'CNY')).toThrow(/bigint/);
    expect(() => money(2n ** 63n, 'CNY')).toThrow(/range/);
    expect(Object.isFrozen(money(1n, 'CNY'))).toBe(true);
  });
});

describe('currency table', () => {
  test('decimals and symbols', () => {
    expect(currencyInfo('CNY')).toEqual({ code: 'CNY', decimals: 2, symbol: '¥' });
    expect(['JPY', 'KRW', 'KWD', 'BHD', 'USD'].map((c) => currencyInfo(c)?.decimals)).toEqual([0, 0, 3, 3, 2]);
    expect(currencyInfo('HKD')?.symbol).toBe('HK$');
    expect(currencyInfo('XYZ')).toBeUndefined();
    expect(['toString', '__proto__', 'usd'].some(isKnownCurrency)).toBe(false);
    expect([...CODES].sort()).toEqual(['AUD', 'BHD', 'CAD', 'CHF', 'CNY', 'EUR', 'GBP', 'HKD', 'JPY', 'KRW', 'KWD', 'SGD', 'USD']);
  });
});

describe('decimal strings (API / bank files)', () => {
  test.each([
    [1234567n, 'CNY', '12345.67'], [5n, 'CNY', '0.05'],
    [-5n, 'CNY', '-0.05'], [0n, 'USD', '0.00'],
    [1500n, 'JPY', '1500'], [1234n, 'KWD', '1.234'],
    [1n, 'BHD', '0.001'], [MAX_MINOR, 'CNY', '10000000000000.00'],
  ])('%p %s ⇄ %j', (minor, currency, s) => {
    expect(toDecimalString(money(minor, currency))).toBe(s);
    expect(fromDecimalString(s, currency)).toEqual(m(minor, currency));
  });

  test.each([
    ['12.5', 'CNY', m(1250n, 'CNY')],
    ['007.50', 'CNY', m(750n, 'CNY')],
    ['1.234', 'CNY', refuse(MONEY.TOO_MANY_DECIMALS, { currency: 'CNY', decimals: 2 })],
    ['1500.0', 'JPY', refuse(MONEY.TOO_MANY_DECIMALS, { currency: 'JPY', decimals: 0 })],
    ['1,000.00', 'CNY', refuse(MONEY.INVALID_FORMAT)],
    [' 1.00', 'CNY', refuse(MONEY.INVALID_FORMAT)],
    ['1e3', 'CNY', refuse(MONEY.INVALID_FORMAT)],
    ['+1.00', 'CNY', refuse(MONEY.INVALID_FORMAT)],
    ['', 'CNY', refuse(MONEY.EMPTY)],
    ['5', 'XYZ', refuse(MONEY.UNKNOWN_CURRENCY, { currency: 'XYZ' })],
    ['10000000000000.01', 'CNY', refuse(MONEY.TOO_LARGE)],
    ['9'.repeat(30), 'CNY', refuse(MONEY.TOO_LARGE)],
  ])('fromDecimalString(%j, %s)', (s, currency, expected) => {
    expect(fromDecimalString(s, currency)).toEqual(expected);
  });
});

describe('moneyMessages', () => {
  const placeholders = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();

  test.each(Object.values(MONEY))('%s has en and zh-CN text with the same placeholders', (code) => {
    const en = moneyMessages.en[code];
    const zh = moneyMessages['zh-CN'][code];
    expect(en).toEqual(expect.any(String));
    expect(zh).toEqual(expect.any(String));
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    expect(placeholders(zh)).toEqual(placeholders(en));
  });

  test('placeholders match the params parseMoney sends', () => {
    expect(placeholders(moneyMessages.en[MONEY.TOO_MANY_DECIMALS])).toEqual(['currency', 'decimals']);
    expect(placeholders(moneyMessages.en[MONEY.UNKNOWN_CURRENCY])).toEqual(['currency']);
    expect(placeholders(moneyMessages.en[MONEY.CURRENCY_CONFLICT])).toEqual(['first', 'second']);
  });
});

describe('properties', () => {
  const anyMoney = fc
    .tuple(fc.bigInt({ min: 1n, max: MAX_MINOR }), fc.constantFrom(...CODES))
    .map(([minor, currency]) => money(minor, currency));
  const REFUSALS: string[] = Object.values(MONEY);

  test('parseMoney(toDecimalString(m), m.currency) round-trips', () => {
    fc.assert(
      fc.property(anyMoney, (x) => {
        expect(parseMoney(toDecimalString(x), x.currency)).toEqual(ok(x));
      }),
      { numRuns: 2000 },
    );
  });

  test('what formatMoney prints in either locale parses back to the same amount', () => {
    fc.assert(
      fc.property(anyMoney, fc.constantFrom('en' as const, 'zh-CN' as const), (x, locale) => {
        expect(parseMoney(formatMoney(x, locale))).toEqual(ok(x));
      }),
      { numRuns: 2000 },
    );
  });

  // Either a positive in-range amount in a real currency, or one of the documented refusals.
  const wellBehaved = (r: Result<Money>) =>
    r.ok
      ? r.value.minor >= 1n && r.value.minor <= MAX_MINOR && isKnownCurrency(r.value.currency)
      : REFUSALS.includes(r.code);

  test('parseMoney never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(wellBehaved(parseMoney(s, 'CNY'))).toBe(true);
        expect(wellBehaved(parseMoney(s))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test('parseMoney never throws on amount-like noise or full unicode', () => {
    const piece = fc.constantFrom(...'0123456789,.,.-+ $¥￥€k万亿元块USDjpy１２，．'.split(''), 'KWD', 'US$', 'xyz');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: piece }), fc.string({ unit: 'binary' })), (s) => {
        expect(wellBehaved(parseMoney(s, 'JPY'))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
