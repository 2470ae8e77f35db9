/**
 * The money parser against 10,000+ hostile and near-valid inputs per property:
 * it never throws, an accepted amount is always a positive, bounded amount in a
 * known currency, and a refusal always carries a MONEY code that reads as a
 * sentence in both languages. Formatted amounts always parse back exactly.
 */
import fc from 'fast-check';
import { hasMessage } from '../../src/domain/i18n';
import { MAX_MINOR, MONEY, SUPPORTED_CURRENCIES, formatMoney, isKnownCurrency, parseMoney, toDecimalString } from '../../src/domain/money';
import type { Money } from '../../src/domain/money';
import type { Result } from '../../src/domain/result';

const RUNS = 10_000;
const CODES = new Set<string>(Object.values(MONEY));

/** Everything a parse may legitimately answer. */
function expectSane(r: Result<Money>): void {
  if (r.ok) {
    expect(r.value.minor > 0n && r.value.minor <= MAX_MINOR).toBe(true);
    expect(isKnownCurrency(r.value.currency)).toBe(true);
  } else {
    expect(CODES.has(r.code)).toBe(true);
    expect(hasMessage('en', r.code) && hasMessage('zh-CN', r.code)).toBe(true);
  }
}

// Pieces people (and attackers) put into an amount: signs, symbols, codes, Chinese words,
// separators in every convention, multipliers, full-width and exotic spaces.
const sign = fc.constantFrom('-', '+', '−', '－');
const symbol = fc.constantFrom('¥', '￥', '$', 'US$', 'HK$', '€', '£', '₩', 'CN¥', 'JP¥', 'CNY', 'usd', 'RMB', 'XXX', 'jpy', 'KWD', '人民币', '美元', 'abc');
const suffix = fc.constantFrom('元', '块钱', '円', 'CNY', 'usd', 'JPY', 'bhd', '美元', 'XYZ', '$');
const multiplier = fc.constantFrom('k', 'M', '千', '万', '亿', '万亿', '百万');
const space = fc.constantFrom(' ', '\u00a0', '\u3000', '  ', '\t');
const number = fc.oneof(
  fc.stringMatching(/^\d{1,20}$/),
  fc.stringMatching(/^\d{1,3}(,\d{3}){0,6}(\.\d{0,5})?$/), // 1,234,567.89
  fc.stringMatching(/^\d{1,4}(\.\d{3}){1,3}(,\d{1,3})?$/), // 1.234.567,89
  fc.stringMatching(/^[\d,.]{1,12}$/),
  fc.stringMatching(/^[０-９]{1,6}(．[０-９]{1,2})?$/), // full-width, as a Chinese IME types
);
// Each part present about a third of the time, so whole well-formed amounts are common too.
const opt = (a: fc.Arbitrary<string>) => fc.oneof({ arbitrary: fc.constant(''), weight: 2 }, { arbitrary: a, weight: 1 });
/** [sign][symbol][space][sign] number [multiplier][space][suffix], each part optional, plus free concatenations. */
const amountLike = fc.oneof(
  fc.tuple(opt(sign), opt(symbol), opt(space), opt(sign), number, opt(multiplier), opt(space), opt(suffix)).map((p) => p.join('')),
  fc.array(fc.oneof(sign, symbol, suffix, multiplier, space, number, fc.constantFrom(',', '.', '，', 'e', '_')), { minLength: 1, maxLength: 8 }).map((p) => p.join('')),
);
const currencyArg = fc.option(fc.oneof(fc.constantFrom(...SUPPORTED_CURRENCIES.map((c) => c.code), 'cny', 'XXX', ''), fc.string({ maxLength: 5 })), { nil: undefined });

test('arbitrary text (any Unicode) never crashes the parser and gets a clear answer', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 40 })), currencyArg, (text, cur) => {
      expectSane(parseMoney(text, cur));
    }),
    { numRuns: RUNS },
  );
});

test('amount-shaped text built from real pieces never crashes and is never half-understood', () => {
  const seen = new Set<string>();
  fc.assert(
    fc.property(amountLike, currencyArg, (text, cur) => {
      const r = parseMoney(text, cur);
      expectSane(r);
      seen.add(r.ok ? 'OK' : r.code);
      // A minus sign anywhere means the answer can only be a refusal.
      if (/[-−－]/.test(text)) expect(r.ok).toBe(false);
    }),
    { numRuns: RUNS },
  );
  // The generator reaches acceptance and every kind of refusal, so the properties above were really exercised.
  expect([...seen].sort()).toEqual(['OK', ...CODES].sort());
});

test('every valid amount, as formatted for either language or as plain decimal + code, parses back exactly', () => {
  const money = fc.record({
    minor: fc.bigInt({ min: 1n, max: MAX_MINOR }),
    currency: fc.constantFrom(...SUPPORTED_CURRENCIES.map((c) => c.code)),
  });
  fc.assert(
    fc.property(money, fc.constantFrom('en', 'zh-CN' as const), (m, locale) => {
      for (const text of [formatMoney(m, locale), `${toDecimalString(m)} ${m.currency}`]) {
        const r = parseMoney(text);
        expect(r.ok && r.value).toEqual({ minor: m.minor, currency: m.currency });
      }
    }),
    { numRuns: RUNS },
  );
});
