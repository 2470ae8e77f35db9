import { currencyInfo } from '../money/currency';
import { Severity } from '../payment/payment';

/**
 * An amount threshold that works across currencies: `major` whole units (10,000
 * means ¥10,000 or US$10,000), unless `perCurrency` names an exact minor-unit
 * amount for that currency (JPY and KRW usually want their own figure).
 */
export interface AmountThreshold {
  major: bigint;
  perCurrency?: Record<string, bigint>;
}

export function thresholdMinor(t: AmountThreshold, currency: string): bigint {
  const exact = t.perCurrency?.[currency];
  if (exact !== undefined) return exact;
  return t.major * 10n ** BigInt(currencyInfo(currency)?.decimals ?? 2);
}

interface RuleBase {
  enabled: boolean;
  severity: Severity;
}

/** Every threshold of the anomaly rules in one place; `anomalyConfig` fills in what is not given. */
export interface AnomalyConfig {
  /** IANA zone the business hours are read in. */
  timezone: string;
  duplicate: RuleBase & { windowMs: number };
  /** `factorPercent` 300 = more than 3 × the payee's median; integers keep the comparison exact. */
  unusualAmount: RuleBase & { factorPercent: number; minHistory: number; historySize: number };
  /**
   * `severity` applies to payees that are not yet known (unverified or cooling off);
   * `firstPaymentSeverity` to a verified payee nobody has paid yet, a smaller risk.
   */
  newPayee: RuleBase & { minAmount: AmountThreshold; firstPaymentSeverity: Severity };
  changedBankDetails: RuleBase & { withinDays: number };
  velocity: RuleBase & { windowMs: number; maxCount: number; maxAmount: AmountThreshold };
  /** Minutes after local midnight; schedules run when their cadence says, so they are exempt by default. */
  businessHours: RuleBase & { startMinutes: number; endMinutes: number; exemptSources: string[] };
  roundAmount: RuleBase & { minAmount: AmountThreshold; unit: AmountThreshold };
}

const HOUR = 3_600_000;

export const DEFAULT_ANOMALY_CONFIG: AnomalyConfig = {
  timezone: 'Asia/Shanghai',
  // A second payment of the same money to the same payee is the costliest mistake: hold it.
  duplicate: { enabled: true, severity: 'high', windowMs: 72 * HOUR },
  unusualAmount: { enabled: true, severity: 'medium', factorPercent: 300, minHistory: 5, historySize: 100 },
  // Paying an unproven account is how invoice fraud succeeds: hold it for a treasurer.
  newPayee: { enabled: true, severity: 'high', firstPaymentSeverity: 'medium', minAmount: { major: 10_000n } },
  changedBankDetails: { enabled: true, severity: 'high', withinDays: 30 },
  velocity: { enabled: true, severity: 'medium', windowMs: HOUR, maxCount: 10, maxAmount: { major: 1_000_000n } },
  businessHours: { enabled: true, severity: 'low', startMinutes: 9 * 60, endMinutes: 18 * 60, exemptSources: ['schedule'] },
  roundAmount: { enabled: true, severity: 'low', minAmount: { major: 50_000n }, unit: { major: 10_000n } },
};

export type AnomalyConfigInput = { timezone?: string } & {
  [K in Exclude<keyof AnomalyConfig, 'timezone'>]?: Partial<AnomalyConfig[K]>;
};

/** The defaults with any rule's settings overridden field by field. */
export function anomalyConfig(input: AnomalyConfigInput = {}): AnomalyConfig {
  const d = DEFAULT_ANOMALY_CONFIG;
  return {
    timezone: input.timezone ?? d.timezone,
    duplicate: { ...d.duplicate, ...input.duplicate },
    unusualAmount: { ...d.unusualAmount, ...input.unusualAmount },
    newPayee: { ...d.newPayee, ...input.newPayee },
    changedBankDetails: { ...d.changedBankDetails, ...input.changedBankDetails },
    velocity: { ...d.velocity, ...input.velocity },
    businessHours: { ...d.businessHours, ...input.businessHours },
    roundAmount: { ...d.roundAmount, ...input.roundAmount },
  };
}
