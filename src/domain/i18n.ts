import { coreMessages } from './core.messages';
import { Catalog, Locale } from './locale';
import { moneyMessages } from './money/money.messages';
import { scheduleMessages } from './schedule/schedule.messages';

const catalogs: Catalog[] = [coreMessages, moneyMessages, scheduleMessages];

/** Other layers (directory, schedules, commands) add their catalogs at start-up. */
export function registerCatalog(c: Catalog): void {
  if (!catalogs.includes(c)) catalogs.push(c);
}

/**
 * Looks a stable code up in the user's language, falling back to English and
 * finally to the code itself, so a missing translation never hides the reason.
 */
export function t(locale: Locale, code: string, params: Record<string, string | number> = {}): string {
  let template: string | undefined;
  for (const c of catalogs) template ??= c[locale]?.[code];
  for (const c of catalogs) template ??= c.en?.[code];
  template ??= code;
  return template.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

export function hasMessage(locale: Locale, code: string): boolean {
  return catalogs.some((c) => c[locale]?.[code] !== undefined);
}

export function allCatalogs(): readonly Catalog[] {
  return catalogs;
}
