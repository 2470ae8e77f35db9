import type { Role } from '../approval/approval-policy';
import type { User } from '../directory';

/** Who may take data out of paydesk as files: treasury, admins, and the read-only auditors. */
export const EXPORT_ROLES: readonly Role[] = ['admin', 'treasurer', 'auditor'];

export const mayExport = (u: User): boolean => u.active && u.roles.some((r) => EXPORT_ROLES.includes(r));

/** A month as typed in `/report export payments 2026-11`. */
export function parseMonth(text: string | undefined): { year: number; month: number } | undefined {
  const m = /^(\d{4})-(\d{1,2})$/.exec(text?.trim() ?? '');
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  return year >= 2000 && year <= 2200 && month >= 1 && month <= 12 ? { year, month } : undefined;
}

export const monthLabel = (m: { year: number; month: number }): string => `${m.year}-${String(m.month).padStart(2, '0')}`;
