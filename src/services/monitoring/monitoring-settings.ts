import type { AnomalyConfigInput } from '../../domain/anomaly/anomaly-config';
import type { Tx } from '../../persistence/database';
import type { MonitoringSettings } from '../directory/directory.schema';

export const SETTINGS_ID = 'directory';
const HOUR = 3_600_000;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const major = (v: string | undefined) => (v === undefined ? undefined : { major: BigInt(v) });

/** Drops undefined fields, so a rule's unset thresholds keep their defaults when merged. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The file's `monitoring:` section as anomaly-rule settings (whole units → thresholds, hours → ms). */
export function monitoringToAnomalyInput(m: MonitoringSettings): AnomalyConfigInput {
  const base = (r?: { enabled?: boolean; severity?: 'low' | 'medium' | 'high' }) => defined({ enabled: r?.enabled, severity: r?.severity });
  const out: AnomalyConfigInput = {};
  if (m.duplicate) out.duplicate = { ...base(m.duplicate), ...defined({ windowMs: m.duplicate.windowHours && m.duplicate.windowHours * HOUR }) };
  if (m.unusualAmount) out.unusualAmount = { ...base(m.unusualAmount), ...defined({ factorPercent: m.unusualAmount.factorPercent, minHistory: m.unusualAmount.minHistory }) };
  if (m.newPayee) out.newPayee = { ...base(m.newPayee), ...defined({ minAmount: major(m.newPayee.minAmount) }) };
  if (m.changedBankDetails) out.changedBankDetails = { ...base(m.changedBankDetails), ...defined({ withinDays: m.changedBankDetails.withinDays }) };
  if (m.velocity)
    out.velocity = {
      ...base(m.velocity),
      ...defined({ windowMs: m.velocity.windowMinutes && m.velocity.windowMinutes * 60_000, maxCount: m.velocity.maxCount, maxAmount: major(m.velocity.maxAmount) }),
    };
  if (m.businessHours)
    out.businessHours = {
      ...base(m.businessHours),
      ...defined({
        startMinutes: m.businessHours.start === undefined ? undefined : minutesOf(m.businessHours.start),
        endMinutes: m.businessHours.end === undefined ? undefined : minutesOf(m.businessHours.end),
      }),
    };
  if (m.roundAmount) out.roundAmount = { ...base(m.roundAmount), ...defined({ minAmount: major(m.roundAmount.minAmount), unit: major(m.roundAmount.unit) }) };
  return out;
}

/** `over` wins field by field inside each rule (the file's thresholds over the process defaults). */
export function mergeAnomalyInputs(base: AnomalyConfigInput, over: AnomalyConfigInput): AnomalyConfigInput {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = (base as Record<string, unknown>)[k];
    out[k] = v && typeof v === 'object' && b && typeof b === 'object' ? { ...b, ...v } : v;
  }
  return out as AnomalyConfigInput;
}

export const monitoringSettingsStore = {
  async load(em: Tx): Promise<MonitoringSettings | undefined> {
    const rows = await em.execute(`select settings from monitoring_settings where id = ?`, [SETTINGS_ID]);
    return rows.length ? (rows[0].settings as MonitoringSettings) : undefined;
  },
};
