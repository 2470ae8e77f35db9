import { toBankText } from '../../src/domain/bank-text';
import { checkPurpose } from '../../src/services/payments/purpose';

describe('toBankText: every text bound for a bank file', () => {
  test.each([
    ['BEL', 'Invoice\u0007 42', 'U+0007'],
    ['NUL', 'a\u0000b', 'U+0000'],
    ['a line break', 'two\nlines', 'U+000A'],
    ['DEL', 'x\u007F', 'U+007F'],
    ['a C1 control', 'x\u0085y', 'U+0085'],
    ['U+FFFE', 'x\uFFFE', 'U+FFFE'],
    ['a lone high surrogate', 'x\uD800y', 'U+D800'],
    ['a lone low surrogate', 'x\uDC00', 'U+DC00'],
  ])('refuses %s in every profile, naming the character', (_what, text, char) => {
    for (const profile of ['cnaps', 'swift'] as const)
      expect(toBankText(text, profile, 'purpose')).toEqual({ ok: false, code: 'BANK_TEXT.ILLEGAL_CHARACTER', params: { field: 'purpose', char } });
  });

  test('cnaps keeps Chinese names and purposes as typed', () => {
    expect(toBankText('上海钢铁有限公司 货款（12月）', 'cnaps')).toEqual({ ok: true, value: '上海钢铁有限公司 货款（12月）' });
  });

  test('cnaps refuses what CNAPS banks do not carry (emoji)', () => {
    expect(toBankText('bonus 🎉', 'cnaps')).toMatchObject({ ok: false, code: 'BANK_TEXT.UNSUPPORTED_CHARACTER', params: { char: 'U+1F389', shown: '🎉', profile: 'cnaps' } });
  });

  test('swift transliterates accented Latin and refuses the rest clearly', () => {
    expect(toBankText('Müller Straße, Łódź, Æon café', 'swift')).toEqual({ ok: true, value: 'Muller Strasse, Lodz, AEon cafe' });
    expect(toBankText('e\u0301', 'swift')).toEqual({ ok: true, value: 'e' });
    expect(toBankText('货款', 'swift')).toMatchObject({ ok: false, code: 'BANK_TEXT.UNSUPPORTED_CHARACTER', params: { char: 'U+8D27', profile: 'swift' } });
  });

  test('is idempotent: the bank form of the bank form is itself', () => {
    for (const [text, profile] of [['Müller Straße', 'swift'], ['货款 ABC', 'cnaps']] as const) {
      const once = toBankText(text, profile);
      expect(once.ok && toBankText(once.value, profile)).toEqual(once);
    }
  });
});

describe('checkPurpose: one check for chat, API and schedules', () => {
  test('refuses a control character with the bank-text code', () => {
    expect(checkPurpose('Invoice\u0007', 'cnaps')).toMatchObject({ ok: false, code: 'BANK_TEXT.ILLEGAL_CHARACTER' });
  });
  test('refuses a purpose whose transliteration no longer fits Ustrd', () => {
    expect(checkPurpose('ß'.repeat(80), 'swift')).toEqual({ ok: false, code: 'PAYMENT.PURPOSE_TOO_LONG', params: { max: 140 } });
  });
  test('returns the trimmed text as typed', () => {
    expect(checkPurpose('  Café rent  ', 'swift')).toEqual({ ok: true, value: 'Café rent' });
  });
});
