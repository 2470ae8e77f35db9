/** Anything chat users refer to by name: payees and company accounts. */
export interface Named {
  code: string;
  name: string;
  aliases: string[];
}

export type MatchRule = 'exact' | 'prefix' | 'substring';
export type NameMatch<T> = { kind: 'one'; item: T; exact: boolean; rule: MatchRule } | { kind: 'many'; items: T[] } | { kind: 'none' };

// Full-width letters, case and runs of spaces are typing accidents, not differences.
const norm = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Finds what a typed name refers to, strictest rule first: an exact code, name or
 * alias wins outright; otherwise a prefix; otherwise a substring. Two or more
 * candidates at the first rule that matches is ambiguous: with money at stake we
 * ask rather than guess.
 */
export function matchByName<T extends Named>(items: readonly T[], query: string): NameMatch<T> {
  const q = norm(query);
  if (!q) return { kind: 'none' };
  const names = (i: T) => [i.code, i.name, ...i.aliases].map(norm);
  const rules: [MatchRule, (n: string) => boolean][] = [
    ['exact', (n) => n === q],
    ['prefix', (n) => n.startsWith(q)],
    ['substring', (n) => n.includes(q)],
  ];
  for (const [name, rule] of rules) {
    const hits = items.filter((i) => names(i).some(rule));
    if (hits.length === 1) return { kind: 'one', item: hits[0], exact: name === 'exact', rule: name };
    if (hits.length > 1) return { kind: 'many', items: hits };
  }
  return { kind: 'none' };
}

/** "acme (Acme Ltd), acme-hk (Acme HK)": how candidates are listed back to the user. */
export const describeNamed = (items: readonly Named[], max = 5): string => {
  const shown = items.slice(0, max).map((i) => (norm(i.code) === norm(i.name) ? i.code : `${i.code} (${i.name})`));
  return items.length > max ? `${shown.join(', ')}, …` : shown.join(', ');
};
