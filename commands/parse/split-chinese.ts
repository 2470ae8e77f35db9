import { CLAUSES, Clause } from './keywords';
import type { Token } from './tokenize';

// Chinese clause words, longest first so 付给 wins over 给 and 用于 over 于.
const CJK = /[\u3400-\u9fff]/;
const CHINESE_WORDS = [...CLAUSES.keys()].filter((w) => CJK.test(w)).sort((a, b) => b.length - a.length);
const DATE_START = /^\d{4}\D\d{1,2}\D\d{1,2}/;
// 于 and 日期 only introduce a date: "关于", "用于" and "日期" inside a purpose stay words.
const needsDate = (clause: Clause) => clause === 'on';

/**
 * Chinese is typed without spaces: `5000元给阿克米用途货款从招行`. Each unquoted
 * word is cut before and after the FIRST occurrence of each Chinese clause word,
 * scanning left to right across the whole command, so later occurrences
 * ("货款给供应商" once 给 was seen) stay part of the text, exactly as spaced
 * input behaves. Quoted text is never cut.
 */
export function splitGluedClauses(tokens: Token[]): Token[] {
  const seen = new Set<Clause>();
  const out: Token[] = [];
  for (const [i, tk] of tokens.entries()) {
    const whole = tk.quoted ? undefined : CLAUSES.get(tk.text.toLowerCase());
    if (tk.quoted || !CJK.test(tk.text) || whole) {
      // A whole-word clause is decided by the caller (it knows what follows); mark it seen here too.
      if (whole && whole !== 'on') seen.add(whole);
      out.push(tk);
      continue;
    }
    let rest = tk.text;
    let piece = '';
    while (rest.length > 0) {
      const word = CHINESE_WORDS.find((w) => rest.startsWith(w));
      const clause = word ? CLAUSES.get(word)! : undefined;
      const after = word ? rest.slice(word.length) : '';
      // The date may follow in the same word ("日期2026-12-31") or after a space ("货款日期 2026-12-31").
      const dated = DATE_START.test(after) || (after === '' && DATE_START.test(tokens[i + 1]?.text ?? ''));
      if (word && clause && !seen.has(clause) && (!needsDate(clause) || dated)) {
        if (piece) out.push({ text: piece, quoted: false });
        out.push({ text: word, quoted: false });
        seen.add(clause);
        piece = '';
        rest = after;
        continue;
      }
      piece += rest[0];
      rest = rest.slice(1);
    }
    if (piece) out.push({ text: piece, quoted: false });
  }
  return out;
}

/**
 * `/付款新建…` or `新建5000元…`: a Chinese command word glued to what follows is
 * cut off, so the rest is read as if a space had been typed. Only Chinese words
 * (an English prefix such as "newco" is a name, not "new" + "co").
 */
export function splitLeadingWord<T>(tokens: Token[], words: ReadonlyMap<string, T>): Token[] {
  const [first, ...rest] = tokens;
  if (!first || first.quoted || words.has(first.text.replace(/^\//, '').toLowerCase())) return tokens;
  const slash = first.text.startsWith('/') ? '/' : '';
  const body = first.text.slice(slash.length);
  const word = [...words.keys()]
    .filter((w) => CJK.test(w) && body.startsWith(w))
    .sort((a, b) => b.length - a.length)[0];
  if (!word) return tokens;
  return [{ text: slash + word, quoted: false }, { text: body.slice(word.length), quoted: false }, ...rest];
}
