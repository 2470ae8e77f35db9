import { Severity } from '../payment/payment';

export type { Severity };
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high'];

const RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3 };

export const isSeverity = (s: string): s is Severity => (SEVERITIES as readonly string[]).includes(s);

/** True when `s` is at least as severe as `min` (routes name a minimum). */
export const severityAtLeast = (s: Severity, min: Severity): boolean => RANK[s] >= RANK[min];

/** Most severe first; stable for equal severities. */
export const bySeverityDesc = <T extends { severity: Severity }>(a: T, b: T): number => RANK[b.severity] - RANK[a.severity];
