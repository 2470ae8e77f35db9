/**
 * Small reusable checks of the directory resolver. Each reports through
 * `report(path, message)` instead of returning early, so one pass finds every problem.
 */
import { MONEY, Money, isKnownCurrency, money, moneyMessages, parseMoney } from '../../domain/money';

export type IssuePath = (string | number)[];

/** A problem at a path of the file; `firstAt` points at the earlier entry a duplicate collides with. */
export interface PathIssue {
  path: IssuePath;
  message: string;
  firstAt?: IssuePath;
}

export type Report = (path: IssuePath, message: string, firstAt?: IssuePath) => void;

export function knownCurrency(code: string, path: IssuePath, report: Report): boolean {
  if (isKnownCurrency(code)) return true;
  report(path, `"${code}" is not a currency paydesk supports (use an upper-case ISO code such as CNY or USD)`);
  return false;
}

export function amountIn(
  text: string,
  currency: string,
  path: IssuePath,
  report: Report,
  allowZero = false,
): Money | undefined {
  const r = parseMoney(text, currency);
  if (!r.ok) {
    if (allowZero && r.code === MONEY.ZERO) return money(0n, currency);
    const template = moneyMessages.en[r.code] ?? r.code;
    report(path, `"${text}": ${template.replace(/\{(\w+)\}/g, (_m, k: string) => String(r.params?.[k] ?? `{${k}}`))}`);
    return undefined;
  }
  // parseMoney honours a currency written in the text, so "USD 5,000" under CNY would otherwise slip through.
  if (r.value.currency !== currency) {
    report(path, `"${text}" is in ${r.value.currency}, but this amount must be in ${currency}`);
    return undefined;
  }
  return r.value;
}

export function unique<T>(
  items: T[],
  keyOf: (t: T) => string | undefined,
  pathOf: (i: number) => IssuePath,
  what: string,
  report: Report,
): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = keyOf(item);
    if (k === undefined) return;
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else report(pathOf(i), `${what} "${k}" is used twice`, pathOf(first));
  });
}

export function uniqueNames(items: { code: string; aliases: string[] }[], section: string, report: Report): void {
  const owner = new Map<string, { index: number; path: IssuePath }>();
  items.forEach((item, i) => {
    const names: [string, IssuePath][] = [
      [item.code, [section, i, 'code']],
      ...item.aliases.map((a, j): [string, IssuePath] => [a, [section, i, 'aliases', j]]),
    ];
    for (const [name, path] of names) {
      const key = name.toLowerCase();
      const first = owner.get(key);
      if (!first) owner.set(key, { index: i, path });
      else if (first.index !== i) report(path, `name "${name}" already refers to another entry`, first.path);
    }
  });
}

export function noRepeats(values: string[], at: IssuePath, what: string, report: Report): void {
  values.forEach((v, j) => {
    if (values.indexOf(v) !== j) report([...at, j], `${what} "${v}" is listed twice`);
  });
}
