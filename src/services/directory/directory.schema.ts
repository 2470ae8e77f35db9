/**
 * The company directory file: people, bank accounts, payees, approval policy and
 * alert routes, as a treasury admin writes them in YAML.
 *
 * This schema checks the SHAPE only (types, formats, known words). Amounts stay
 * the strings people typed, because their meaning depends on a currency given
 * elsewhere in the entry; directory.resolve.ts parses them and checks everything
 * that spans entries (uniqueness, policy coverage, an admin exists).
 *
 * Objects are strict on purpose: a misspelt optional field (`coolingOfDays`)
 * would otherwise be dropped silently and the payee loaded without a cooling-off.
 * (Top-level `x-…` keys, which hold YAML anchors, are removed before this schema.)
 */
import { z } from 'zod';
import { ROLES, type ApprovalPolicy, type Role } from '../../domain/approval/approval-policy';
import { LOCALES, type Locale } from '../../domain/locale';
import { isLocalDate } from '../../domain/schedule/calendar';
import type { Money } from '../../domain/money';

/** Alert kinds routes can name; `*` matches every kind. A typo would route nothing, so the list is closed. */
export const ALERT_KINDS = ['*', 'anomaly', 'low_balance', 'projected_low_balance', 'reconciliation'] as const;
export const ALERT_SEVERITIES = ['low', 'medium', 'high'] as const;
export const ALERT_PLATFORMS = ['web', 'slack', 'feishu'] as const;

// Replaces zod's wording only for missing or wrongly typed values; range and format checks keep their own.
// `name:` with nothing after it is null in YAML, which the author means as "not filled in".
const required = (what: string) => (iss: { code?: string; input?: unknown }) => {
  if (iss.input == null) return 'is required';
  return iss.code === 'invalid_type' || iss.code === 'invalid_value' ? `must be ${what}` : undefined;
};

/** Optional field; an empty value (`bic:` with nothing after it) counts as absent. */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

const text = (what = 'text') => z.string({ error: required(what) }).trim().min(1, 'must not be empty');

/** Keys are what people type in chat (`/pay acme ...`), so lower-case and shell-safe. */
const key = text().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'may only contain a-z, 0-9, "_", "." and "-" (lower-case)');

/**
 * An amount as people type it ("200,000", "1.5万"). An unquoted YAML number is
 * accepted only as a whole number below 10^15: those are exact as doubles, while
 * `0.30000000000000001` would silently read as 0.3. Decimals must be quoted.
 */
const amount = z
  .union([z.string().trim().min(1), z.number()], { error: 'must be an amount such as "12,345.67"' })
  .refine((v) => typeof v === 'string' || (Number.isInteger(v) && Math.abs(v) < 1e15), {
    error: 'put amounts with decimals in quotes, e.g. "1,234.50"',
  })
  .transform((v) => (typeof v === 'number' ? String(v) : v));

/**
 * Account numbers must be quoted: an unquoted 19-digit number loses digits as a
 * YAML number, and leading zeros vanish. Spaces and dashes are only formatting.
 */
const accountNumber = z
  .string({ error: required('in quotes, e.g. "6222 0200 0000 5678" (long numbers lose digits otherwise)') })
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9]{4,34}$/, 'must be 4 to 34 letters or digits'));

const bic = text().regex(/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'must be an 8 or 11 character BIC/SWIFT code');
const currency = text('a currency code').regex(/^[A-Z]{3}$/, 'must be an upper-case ISO 4217 code such as CNY');
const role = z.enum(ROLES, { error: required(`one of: ${ROLES.join(', ')}`) });
const list = <T extends z.ZodType>(item: T) => z.array(item, { error: required('a list') });

const userSchema = z.strictObject({
  /** Login-like unique key; chat commands and other files refer to people by it. */
  handle: key,
  /** Display name on cards, any script. */
  name: text(),
  /** Optional contact address (not used for sign-in). */
  email: optional(z.email('must be an email address')),
  /** What the person may do; see ROLES. */
  roles: list(role).min(1, 'needs at least one role'),
  /** Language of their cards and replies. */
  locale: z.enum(LOCALES, { error: required(`one of: ${LOCALES.join(', ')}`) }),
  /** Currency → largest amount this person's approval may release; a missing currency means none. */
  approvalLimits: z.record(z.string(), amount, { error: required('a mapping such as { CNY: "200,000" }') }).default({}),
  /** Slack member id (U…/W…). */
  slack: optional(text().regex(/^[UW][A-Z0-9]+$/, 'must be a Slack member id such as U0ALICE')),
  /** Feishu open_id (ou_…). */
  feishu: optional(text().regex(/^ou_[A-Za-z0-9_]+$/, 'must be a Feishu open_id such as ou_alice')),
  /** false = the person keeps their history but can no longer act (leavers). */
  active: z.boolean({ error: required('true or false') }).default(true),
});

const accountSchema = z.strictObject({
  /** Unique key; payments name the debtor account by code or alias. */
  code: key,
  name: text(),
  /** Other words people use for the account in chat. */
  aliases: list(text()).default([]),
  /** Bank name as shown to people. */
  bank: text(),
  bic: optional(bic),
  /** Full account number: kept for the bank, shown masked everywhere else. */
  number: accountNumber,
  currency,
  /** Balance when the account is first loaded; never re-applied to a live account. "0" is allowed. */
  openingBalance: amount,
  /** Warn when the (projected) balance falls below this. */
  lowBalanceThreshold: optional(amount),
  /** Where this account's low-balance warnings go, in addition to alertRoutes. */
  alertChannels: list(text()).default([]),
  /** Pays in its currency when a chat request names no account (at most one per currency). */
  default: z.boolean({ error: required('true or false') }).default(false),
});

const payeeSchema = z.strictObject({
  /** Unique key; payments name the payee by code or alias. */
  code: key,
  /** Display name. */
  name: text(),
  aliases: list(text()).default([]),
  bank: text(),
  bic: optional(bic),
  number: accountNumber,
  /** Account holder's name exactly as the bank has it (banks check it). */
  accountName: text(),
  /** Bank details confirmed out of band (call-back, signed letter). */
  verified: z.boolean({ error: required('true or false') }).default(false),
  /** Days after first load (or a bank-detail change) during which the payee still counts as new. */
  coolingOffDays: z.number({ error: required('a whole number of days') }).int().min(0).max(365).default(0),
  /** Currencies the payee accepts (e.g. [CNY]); omitted = any. A payment in another currency is refused. */
  currencies: list(currency).default([]),
});

const tierSchema = z.strictObject({
  /** Largest amount (inclusive) of this band; omit on the last band, which has no ceiling. */
  upTo: optional(amount),
  /** Distinct approvals needed. */
  approvals: z.number({ error: required('a whole number') }).int('must be a whole number'),
  /** Roles whose votes count. */
  roles: list(role),
  /** At least one approving vote must come from this role. */
  requireRole: optional(role),
  /** Small clean payments to known payees may skip human approval. */
  autoApprove: z.boolean({ error: required('true or false') }).default(false),
});

const alertRouteSchema = z.strictObject({
  kind: z.enum(ALERT_KINDS, { error: required(`one of: ${ALERT_KINDS.join(', ')}`) }),
  /** Alerts below this severity are not sent to this route. */
  minSeverity: z.enum(ALERT_SEVERITIES, { error: required(`one of: ${ALERT_SEVERITIES.join(', ')}`) }),
  platform: z.enum(ALERT_PLATFORMS, { error: required(`one of: ${ALERT_PLATFORMS.join(', ')}`) }),
  /** Slack channel id, Feishu chat id, or a playground channel name such as #alerts. */
  channel: text(),
});

const severity = z.enum(ALERT_SEVERITIES, { error: required(`one of: ${ALERT_SEVERITIES.join(', ')}`) });
const whole = (min: number, max: number) =>
  z.number({ error: required('a whole number') }).int('must be a whole number').min(min).max(max);
/** A threshold in whole units of each currency (50,000 = ¥50,000 or US$50,000): a whole number, commas allowed. */
const wholeAmount = z
  .union([z.string().trim(), z.number()], { error: 'must be a whole amount such as "50,000"' })
  .transform((v) => String(v).replace(/,/g, ''))
  .pipe(z.string().regex(/^\d{1,15}$/, 'must be a whole amount such as "50,000" (no decimals)'));
const clockTime = text().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 09:00');
const rule = <T extends z.ZodRawShape>(shape: T) =>
  optional(z.strictObject({ enabled: optional(z.boolean({ error: required('true or false') })), severity: optional(severity), ...shape }));

/**
 * Anomaly rule thresholds; anything left out keeps paydesk's default (see
 * docs/monitoring.md). Applied with the file and audited when it changes.
 */
const monitoringSchema = z.strictObject({
  duplicate: rule({ windowHours: optional(whole(1, 24 * 90)) }),
  unusualAmount: rule({ factorPercent: optional(whole(101, 100_000)), minHistory: optional(whole(1, 1000)) }),
  newPayee: rule({ minAmount: optional(wholeAmount) }),
  changedBankDetails: rule({ withinDays: optional(whole(0, 365)) }),
  velocity: rule({ windowMinutes: optional(whole(1, 24 * 60 * 7)), maxCount: optional(whole(1, 100_000)), maxAmount: optional(wholeAmount) }),
  businessHours: rule({ start: optional(clockTime), end: optional(clockTime) }),
  roundAmount: rule({ minAmount: optional(wholeAmount), unit: optional(wholeAmount) }),
  /** Days ahead the projected balance looks (every run of every active schedule, approved payments). */
  projectionHorizonDays: optional(whole(1, 366)),
});
export type MonitoringSettings = z.output<typeof monitoringSchema>;

const calendarDay = z.strictObject({
  date: text().refine(isLocalDate, 'must be a real date such as 2027-01-01'),
  name: text(),
  /** CN (default) or weekends. */
  calendar: z.enum(['CN', 'weekends'], { error: required('CN or weekends') }).default('CN'),
});
/** Company calendar overrides: extra days off and extra working days (e.g. the official 调休 before the data package has them). */
const calendarSchema = z.strictObject({
  holidays: list(calendarDay).default([]),
  workdays: list(calendarDay).default([]),
});
export type CalendarSettings = z.output<typeof calendarSchema>;
/** Where the daily treasury summary is posted, and in which language (issue 17). */
const reportRouteSchema = z.strictObject({
  platform: z.enum(ALERT_PLATFORMS, { error: required(`one of: ${ALERT_PLATFORMS.join(', ')}`) }),
  channel: text(),
  locale: z.enum(LOCALES, { error: required(`one of: ${LOCALES.join(', ')}`) }),
});
export type DirectoryReportRoute = z.output<typeof reportRouteSchema>;

export const directoryFileSchema = z.strictObject(
  {
    /** `legalName`: as registered with the banks (pain.001 initiating party and debtor); `name` when absent. */
    company: z.strictObject({ name: text(), legalName: text().optional() }, { error: required('a mapping with a name') }),
    users: list(userSchema),
    accounts: list(accountSchema).default([]),
    payees: list(payeeSchema).default([]),
    /** Currency → ordered amount tiers. */
    approvalPolicy: z
      .record(z.string(), list(tierSchema), { error: required('a mapping of currency to tiers') })
      .default({}),
    alertRoutes: list(alertRouteSchema).default([]),
    monitoring: optional(monitoringSchema),
    calendar: optional(calendarSchema),
    reportRoutes: list(reportRouteSchema).default([]),
  },
  {
    error: (iss) =>
      iss.code !== 'invalid_type' ? undefined : iss.input == null ? 'the file is empty' : 'must be a mapping',
  },
);

/** The file after shape checks: amounts still as typed. */
export type DirectoryFile = z.output<typeof directoryFileSchema>;

/** Resolved directory entries: what applyDirectory writes. Amounts are Money / minor units. */
export interface DirectoryUser {
  handle: string;
  name: string;
  email?: string;
  roles: Role[];
  locale: Locale;
  /** Currency → minor units. */
  approvalLimits: Record<string, bigint>;
  slackUserId?: string;
  feishuOpenId?: string;
  active: boolean;
}

export interface DirectoryAccount {
  code: string;
  name: string;
  aliases: string[];
  bankName: string;
  bankBic?: string;
  accountNumber: string;
  currency: string;
  openingBalance: Money;
  lowBalanceThreshold?: Money;
  alertChannels: string[];
  isDefault: boolean;
}

export interface DirectoryPayee {
  code: string;
  name: string;
  aliases: string[];
  bankName: string;
  bankBic?: string;
  accountNumber: string;
  accountName: string;
  verified: boolean;
  coolingOffDays: number;
  currencies: string[];
}

export interface DirectoryAlertRoute {
  kind: (typeof ALERT_KINDS)[number];
  minSeverity: (typeof ALERT_SEVERITIES)[number];
  platform: (typeof ALERT_PLATFORMS)[number];
  channel: string;
}

/** A validated directory, ready for applyDirectory. */
export interface Directory {
  company: { name: string; legalName: string };
  users: DirectoryUser[];
  accounts: DirectoryAccount[];
  payees: DirectoryPayee[];
  policies: ApprovalPolicy[];
  alertRoutes: DirectoryAlertRoute[];
  /** Absent: the defaults (and no audit event). */
  monitoring?: MonitoringSettings;
  calendar?: CalendarSettings;
  reportRoutes?: DirectoryReportRoute[];
}
