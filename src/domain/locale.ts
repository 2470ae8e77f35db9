export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const isLocale = (s: string): s is Locale => (LOCALES as readonly string[]).includes(s);

/** A message catalog: stable code → template with `{param}` placeholders, per locale. */
export type Catalog = Record<Locale, Record<string, string>>;
