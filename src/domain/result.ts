/**
 * Expected outcomes (a refusal the user can act on) are values, not exceptions.
 * `code` is stable (e.g. `APPROVAL.SELF_APPROVAL`) and doubles as the message key
 * in every language; `params` fill the message's `{placeholders}`.
 */
export type Refusal = {
  ok: false;
  code: string;
  params?: Record<string, string | number>;
};
export type Success<T> = { ok: true; value: T };
export type Result<T> = Success<T> | Refusal;

export const ok = <T>(value: T): Success<T> => ({ ok: true, value });
export const refuse = (code: string, params?: Record<string, string | number>): Refusal =>
  params ? { ok: false, code, params } : { ok: false, code };

/** Unwraps a result that the caller has proven cannot be a refusal (tests, seed data). */
export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`unexpected refusal ${r.code} ${JSON.stringify(r.params ?? {})}`);
  return r.value;
}
