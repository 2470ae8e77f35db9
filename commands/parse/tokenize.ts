/** One word of a command; quoted text is a single token that is never read as a keyword. */
export interface Token {
  text: string;
  quoted: boolean;
}

const QUOTE_PAIRS: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ["'", "'"],
  ['“', '”'],
  ['「', '」'],
]);

/**
 * Chinese input methods produce full-width spaces and slashes; treating them as
 * their ASCII forms means `／付款　列表` works the same as `/付款 列表`.
 */
export function normaliseInput(text: string): string {
  return text
    // NUL and other control characters can only be noise (and PostgreSQL text refuses NUL).
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/[\u3000\u00a0\u2009\u202f\t\r\n]/g, ' ')
    .replace(/^\s*[／/]/, '/')
    .trim();
}

/** Splits on spaces, keeping "quoted phrases" (ASCII or Chinese quotes) together. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') {
      i++;
      continue;
    }
    const close = QUOTE_PAIRS.get(text[i]);
    if (close) {
      const end = text.indexOf(close, i + 1);
      // An unclosed quote is taken literally rather than swallowing the rest of the line.
      if (end > i) {
        tokens.push({ text: text.slice(i + 1, end), quoted: true });
        i = end + 1;
        continue;
      }
    }
    let j = i;
    // Chinese quotes open a phrase even inside a word ("给“给力科技”用途…" is typed without spaces);
    // ASCII quotes do not, or "don't" would open one.
    const opensHere = (k: number) => (text[k] === '“' || text[k] === '「') && text.indexOf(QUOTE_PAIRS.get(text[k])!, k + 1) > k;
    while (j < text.length && text[j] !== ' ' && !(j > i && opensHere(j))) j++;
    tokens.push({ text: text.slice(i, j), quoted: false });
    i = j;
  }
  return tokens;
}

export const joinTokens = (tokens: Token[]): string => tokens.map((t) => t.text).join(' ');
