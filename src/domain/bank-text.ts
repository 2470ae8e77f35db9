import { Result, ok, refuse } from './result';

/**
 * Which characters the bank's gateway accepts in free text (names, purposes).
 * - `cnaps`: CNAPS/CIPS-style domestic gateways: printable ASCII, CJK ideographs,
 *   CJK and full-width punctuation. Chinese names and purposes pass as typed.
 * - `swift`: SWIFT / CBPR+ extended Latin set (printable ASCII). Accented Latin
 *   letters are transliterated (é → e, ß → ss); anything else is refused.
 */
export const BANK_TEXT_PROFILES = ['cnaps', 'swift'] as const;
export type BankTextProfile = (typeof BANK_TEXT_PROFILES)[number];

/**
 * XML 1.0 Char production (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]),
 * minus the C0/C1 controls, tab and line breaks, which no bank text field wants either.
 * A lone surrogate is not a character at all and fails the `u` flag match.
 */
const ILLEGAL = /[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const LATIN = /^[\u0020-\u007E]$/;
const CNAPS = /^[\u0020-\u007E\u00B7\u2014\u2018\u2019\u201C\u201D\u2026\u3000-\u303F\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF01-\uFF5E\uFFE0-\uFFE5]$/;

// Letters NFKD does not decompose into a base letter plus marks.
const LATIN_EXTRA: Record<string, string> = {
  ß: 'ss', ẞ: 'SS', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D',
  þ: 'th', Þ: 'TH', ð: 'd', Ð: 'D', ı: 'i', '‘': "'", '’': "'", '“': '"', '”': '"', '–': '-', '—': '-', '…': '...',
};

/** What went wrong, with the first offending character as `U+XXXX` so the person can find it. */
const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

function transliterate(s: string): string {
  return [...s]
    .map((ch) => LATIN_EXTRA[ch] ?? ch.normalize('NFKD').replace(/\p{M}/gu, ''))
    .join('');
}

/**
 * The ONE gate every text that goes into a bank file passes through, at the edge
 * where it is typed (so the refusal reaches the person) and again in the gateway
 * (so nothing that slipped past can spoil a file that can never be rewritten).
 * Returns the text as it will appear in the file:
 *  - `BANK_TEXT.ILLEGAL_CHARACTER` for control characters and anything XML 1.0 cannot carry;
 *  - `BANK_TEXT.UNSUPPORTED_CHARACTER` for characters the profile's banks refuse.
 * Idempotent: toBankText(toBankText(x)) === toBankText(x).
 */
export function toBankText(text: string, profile: BankTextProfile, field = 'text'): Result<string> {
  const lone = LONE_SURROGATE.exec(text);
  if (lone) return refuse('BANK_TEXT.ILLEGAL_CHARACTER', { field, char: codePoint(lone[0]) });
  const bad = ILLEGAL.exec(text);
  if (bad) return refuse('BANK_TEXT.ILLEGAL_CHARACTER', { field, char: codePoint(bad[0]) });
  // NFC first, so "e + combining acute" and "é" are one character for every later check.
  let out = text.normalize('NFC');
  if (profile === 'swift') out = transliterate(out);
  const allowed = profile === 'swift' ? LATIN : CNAPS;
  for (const ch of out) {
    if (!allowed.test(ch)) return refuse('BANK_TEXT.UNSUPPORTED_CHARACTER', { field, char: codePoint(ch), shown: ch, profile });
  }
  return ok(out);
}

/** True when toBankText accepts the text unchanged or by transliteration. */
export const isBankText = (text: string, profile: BankTextProfile): boolean => toBankText(text, profile).ok;
