/**
 * All settings come from the environment through ONE zod schema, so a bad deployment
 * fails at startup with every problem listed at once instead of one crash per restart.
 */
import { isIPv4, isIPv6 } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { BANK_TEXT_PROFILES, type BankTextProfile } from './domain/bank-text';
import { LOCALES, type Locale } from './domain/locale';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type SlackConfig = {
  botToken: string;
  apiUrl: string;
  approvalsChannel?: string;
  dmApprovers: boolean;
} & (
  | { mode: 'http'; signingSecret: string }
  // Socket mode receives events over the websocket, so no signing secret is needed.
  | { mode: 'socket'; appToken: string; signingSecret?: string }
);

export type FeishuConfig = {
  appId: string;
  appSecret: string;
  /** Base URL of the open platform, e.g. https://open.feishu.cn (no trailing slash). */
  domain: string;
  approvalsChat?: string;
  dmApprovers: boolean;
} & (
  | { mode: 'http'; encryptKey: string; verificationToken: string }
  | { mode: 'ws'; encryptKey?: string; verificationToken?: string }
);

export type DatabaseConfig =
  /** `url` is the application role; `ownerUrl` (optional) the role that owns the schema and runs migrations. */
  | { kind: 'external'; url: string; ownerUrl?: string }
  | { kind: 'embedded'; dataDir: string; port: number };

export interface HttpLimits {
  /** Fastify's trustProxy: false, true, a hop count, or addresses/CIDRs of the proxies. */
  trustProxy: boolean | number | string;
  /** Per minute; the API's per token and per address, chat callbacks' per address. */
  rateLimits: { apiPerToken: number; apiPerIp: number; chatPerIp: number };
  apiBodyLimitBytes: number;
}

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  logLevel: LogLevel;
  http: { host: string; port: number };
  /** Limits and proxy trust of the HTTP server (README: Operating paydesk). */
  httpLimits: HttpLimits;
  /** GET /metrics: on the main port (loopback HOST or with a token), or its own listener. */
  metrics: { token?: string; port?: number; host: string };
  /** Absolute; embedded PostgreSQL and bank files live below it by default. */
  dataDir: string;
  database: DatabaseConfig;
  /** `file` is an explicit seed file; without it the demo company is loaded when `demo` is on. */
  seed: { file?: string; demo: boolean };
  defaultLocale: Locale;
  timezone: string;
  bank: {
    gateway: 'sandbox' | 'iso20022';
    sandbox: { settleDelayMs: number };
    iso20022: { outboxDir: string; inboxDir: string };
    /** Characters the bank's gateway accepts in names and purposes (see domain/bank-text.ts). */
    textProfile: BankTextProfile;
  };
  /** intervalMs: bank submissions and status polls; retentionDays: how long delivered outbox events are kept. */
  outbox: { intervalMs: number; retentionDays: number };
  /** How often account balances are refreshed from the bank (a scheduled job). */
  balancePollMs: number;
  /** Raw setting; use playgroundEnabled() for the decision. */
  playground: 'auto' | 'on' | 'off';
  slack?: SlackConfig;
  feishu?: FeishuConfig;
  approvals: { remindAfterMs: number; escalateAfterMs: number; expireAfterMs: number };
  alerts: { projectionDays: number; repeatAfterMs: number };
  /** allowInsecureLocal: http and loopback/private receivers, for development only (off by default; warned at start-up). */
  webhooks: { maxAttempts: number; allowInsecureLocal: boolean };
  /** Key of the audit chain's signed checkpoints; absent = the development key (see audit-chainer.ts). */
  audit?: { checkpointKey: string };
  /** Daily treasury summary: local time (HH:MM, in `timezone`) it is posted on business days. */
  reports?: { dailyAt: string };
}

export interface ConfigIssue {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(formatConfigError({ issues }));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export function formatConfigError(e: { issues: readonly ConfigIssue[] }): string {
  return ['Invalid configuration:', ...e.issues.map((i) => `  ${i.variable}: ${i.message}`)].join('\n');
}

/** Variables whose values must never be echoed (error messages, config dumps). */
export function isSecretVariable(name: string): boolean {
  // DATABASE_URL usually embeds the password.
  return name === 'DATABASE_URL' || name === 'DATABASE_OWNER_URL' || /(^|_)(TOKEN|SECRET|KEY|PASSWORD)(_|$)/i.test(name);
}

// ---------- durations ----------

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "30s", "15m", "4h", "3d" (also "500ms") → milliseconds; undefined if not a positive duration. */
export function parseDuration(s: string): number | undefined {
  const m = /^(\d+)\s*(ms|s|m|h|d)$/i.exec(s.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2].toLowerCase() as keyof typeof UNIT_MS];
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

/** Inverse of parseDuration using the largest exact unit, for messages ("86400000" → "1d"). */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

// ---------- field parsers ----------
// Each one reports a message that reads after "VARIABLE: "; loadConfig appends the offending value.

type Ctx = z.core.$RefinementCtx<string>;
const fail = (ctx: Ctx, message: string): never => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/** Case-insensitive, because LOG_LEVEL=INFO or DEFAULT_LOCALE=zh-cn are obvious intents. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.string().transform((s, ctx): T[number] => {
    const hit = values.find((v) => v.toLowerCase() === s.toLowerCase());
    return hit ?? fail(ctx, `must be one of ${values.join(', ')}`);
  });
}

function int(min: number, max?: number) {
  return z.string().transform((s, ctx) => {
    const n = /^\d+$/.test(s) ? Number(s) : NaN;
    if (n >= min && n <= (max ?? Number.MAX_SAFE_INTEGER)) return n;
    return fail(ctx, max === undefined ? `must be an integer of at least ${min}` : `must be an integer between ${min} and ${max}`);
  });
}

const onOff = z.string().transform((s, ctx) => {
  const v = s.toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(v)) return true;
  if (['off', 'false', 'no', '0'].includes(v)) return false;
  return fail(ctx, 'must be on or off');
});

const duration = z
  .string()
  .transform((s, ctx) => parseDuration(s) ?? fail(ctx, 'must be a positive duration like 30s, 15m, 4h or 3d'));

const tokenWithPrefix = (prefix: string, what: string) =>
  z.string().refine((s) => s.startsWith(prefix) && s.length > prefix.length, `must be ${what} starting with ${prefix}`);

function parseUrl(s: string, protocols: string[]): URL | undefined {
  try {
    const u = new URL(s);
    return protocols.includes(u.protocol) ? u : undefined;
  } catch {
    return undefined;
  }
}

const httpUrl = z.string().transform((s, ctx) => {
  const u = parseUrl(s, ['http:', 'https:']);
  // Slack's client appends method names directly, so the base must end with "/".
  return u ? (u.href.endsWith('/') ? u.href : `${u.href}/`) : fail(ctx, 'must be an http(s) URL');
});

const postgresUrl = z
  .string()
  .refine((s) => parseUrl(s, ['postgres:', 'postgresql:']) !== undefined, 'must be a postgres:// or postgresql:// URL');

const timezone = z.string().transform((s, ctx) => {
  try {
    // Canonical spelling ("utc" → "UTC") so later comparisons are exact.
    return new Intl.DateTimeFormat('en-US', { timeZone: s }).resolvedOptions().timeZone;
  } catch {
    return fail(ctx, 'must be an IANA time zone such as Asia/Shanghai or UTC');
  }
});

const FEISHU_DOMAINS: Record<string, string> = { feishu: 'https://open.feishu.cn', lark: 'https://open.larksuite.com' };
const feishuDomain = z.string().transform((s, ctx) => {
  const known = FEISHU_DOMAINS[s.toLowerCase()];
  if (known) return known;
  // The Feishu SDK appends "/open-apis/...", so a trailing slash would double up.
  const u = parseUrl(s, ['http:', 'https:']);
  return u ? u.href.replace(/\/+$/, '') : fail(ctx, 'must be feishu, lark or an http(s) URL');
});

const optional = z.string().optional();

/** off | on | a hop count | comma-separated proxy addresses or CIDRs, as Fastify's trustProxy takes them. */
const trustProxy = z.string().transform((s, ctx): boolean | number | string => {
  const v = s.toLowerCase();
  if (['off', 'false', 'no', '0'].includes(v)) return false;
  if (['on', 'true', 'yes'].includes(v)) return true;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const parts = s.split(',').map((p) => p.trim());
  if (parts.every((p) => /^[0-9a-f.:]+(\/\d{1,3})?$/i.test(p))) return parts.join(',');
  return fail(ctx, 'must be off, on, a hop count, or comma-separated proxy addresses/CIDRs');
});

// ---------- the schema ----------

/**
 * Defaults are applied to the raw strings before parsing, so a default goes through the
 * same validation as a set value and error messages can say which default conflicted.
 * Conditional defaults (SLACK_MODE, ISO20022 dirs) are computed in build().
 */
const DEFAULTS: Record<string, string> = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'info',
  PORT: '3000',
  HOST: '127.0.0.1',
  PAYDESK_DATA_DIR: './.data',
  EMBEDDED_PG_PORT: '5433',
  PAYDESK_DEMO: 'on',
  DEFAULT_LOCALE: 'zh-CN',
  TIMEZONE: 'Asia/Shanghai',
  BANK_GATEWAY: 'sandbox',
  BANK_TEXT_PROFILE: 'cnaps',
  SANDBOX_SETTLE_DELAY_MS: '2000',
  OUTBOX_INTERVAL_MS: '1000',
  OUTBOX_RETENTION_DAYS: '30',
  BALANCE_POLL_INTERVAL: '5m',
  PLAYGROUND: 'auto',
  SLACK_API_URL: 'https://slack.com/api/',
  SLACK_DM_APPROVERS: 'on',
  FEISHU_MODE: 'ws',
  FEISHU_DOMAIN: 'feishu',
  FEISHU_DM_APPROVERS: 'on',
  APPROVAL_REMIND_AFTER: '4h',
  APPROVAL_ESCALATE_AFTER: '24h',
  APPROVAL_EXPIRE_AFTER: '72h',
  PROJECTION_DAYS: '30',
  ALERT_REPEAT_AFTER: '4h',
  WEBHOOK_MAX_ATTEMPTS: '8',
  WEBHOOK_ALLOW_LOCAL: 'off',
  TRUST_PROXY: 'off',
  API_RATE_LIMIT_PER_TOKEN: '600',
  API_RATE_LIMIT_PER_IP: '1200',
  CHAT_RATE_LIMIT_PER_IP: '20000',
  API_MAX_BODY_BYTES: '65536',
  METRICS_HOST: '127.0.0.1',
  REPORT_DAILY_AT: '09:00',
};

const fields = z.object({
  NODE_ENV: oneOf(['development', 'test', 'production']),
  LOG_LEVEL: oneOf(LOG_LEVELS),
  PORT: int(1, 65535),
  HOST: z.string(),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_OWNER_URL: postgresUrl.optional(),
  PAYDESK_DATA_DIR: z.string(),
  EMBEDDED_PG_PORT: int(1, 65535),
  PAYDESK_SEED_FILE: optional,
  PAYDESK_DEMO: onOff,
  DEFAULT_LOCALE: oneOf(LOCALES),
  TIMEZONE: timezone,
  BANK_GATEWAY: oneOf(['sandbox', 'iso20022']),
  BANK_TEXT_PROFILE: oneOf(BANK_TEXT_PROFILES),
  SANDBOX_SETTLE_DELAY_MS: int(0),
  ISO20022_OUTBOX_DIR: optional,
  ISO20022_INBOX_DIR: optional,
  OUTBOX_INTERVAL_MS: int(1),
  OUTBOX_RETENTION_DAYS: int(1),
  BALANCE_POLL_INTERVAL: duration,
  PLAYGROUND: oneOf(['auto', 'on', 'off']),
  SLACK_BOT_TOKEN: tokenWithPrefix('xoxb-', 'a Slack bot token').optional(),
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: tokenWithPrefix('xapp-', 'a Slack app-level token').optional(),
  SLACK_MODE: oneOf(['http', 'socket']).optional(),
  SLACK_API_URL: httpUrl,
  SLACK_APPROVALS_CHANNEL: optional,
  SLACK_DM_APPROVERS: onOff,
  FEISHU_APP_ID: optional,
  FEISHU_APP_SECRET: optional,
  FEISHU_MODE: oneOf(['ws', 'http']),
  FEISHU_ENCRYPT_KEY: optional,
  FEISHU_VERIFICATION_TOKEN: optional,
  FEISHU_DOMAIN: feishuDomain,
  FEISHU_APPROVALS_CHAT: optional,
  FEISHU_DM_APPROVERS: onOff,
  REPORT_DAILY_AT: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM, e.g. 09:00'),
  APPROVAL_REMIND_AFTER: duration,
  APPROVAL_ESCALATE_AFTER: duration,
  APPROVAL_EXPIRE_AFTER: duration,
  PROJECTION_DAYS: int(1, 366),
  ALERT_REPEAT_AFTER: duration,
  WEBHOOK_MAX_ATTEMPTS: int(1, 100),
  WEBHOOK_ALLOW_LOCAL: onOff,
  AUDIT_CHECKPOINT_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  TRUST_PROXY: trustProxy,
  API_RATE_LIMIT_PER_TOKEN: int(1),
  API_RATE_LIMIT_PER_IP: int(1),
  CHAT_RATE_LIMIT_PER_IP: int(1),
  API_MAX_BODY_BYTES: int(1024, 10_000_000),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (it guards the metrics endpoint)').optional(),
  METRICS_PORT: int(1, 65535).optional(),
  METRICS_HOST: z.string(),
});
type Fields = z.output<typeof fields>;

/** Every variable the app reads (used to keep .env.example complete). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(fields.shape);

const slackMode = (v: Fields) => v.SLACK_MODE ?? (v.SLACK_APP_TOKEN !== undefined ? 'socket' : 'http');

/**
 * Rules spanning several variables. Runs even when single fields failed (`when`), so the
 * operator sees every problem in one go; a failed field holds junk, hence the typeof guards.
 */
function crossCheck(v: Fields, ctx: z.core.$RefinementCtx<Fields>): void {
  const issue = (variable: string, message: string) => ctx.addIssue({ code: 'custom', path: [variable], message });

  if (v.DATABASE_OWNER_URL !== undefined && v.DATABASE_URL === undefined)
    issue('DATABASE_OWNER_URL', 'needs DATABASE_URL (the application role); the embedded database creates both roles itself');

  if (v.SLACK_BOT_TOKEN !== undefined) {
    const mode = slackMode(v);
    if (mode === 'http' && v.SLACK_SIGNING_SECRET === undefined)
      issue('SLACK_SIGNING_SECRET', 'required when SLACK_BOT_TOKEN is set in http mode');
    if (mode === 'socket' && v.SLACK_APP_TOKEN === undefined)
      issue('SLACK_APP_TOKEN', 'required when SLACK_MODE is socket');
  }

  const hasId = v.FEISHU_APP_ID !== undefined;
  const hasSecret = v.FEISHU_APP_SECRET !== undefined;
  if (hasId && !hasSecret) issue('FEISHU_APP_SECRET', 'required when FEISHU_APP_ID is set');
  if (!hasId && hasSecret) issue('FEISHU_APP_ID', 'required when FEISHU_APP_SECRET is set');
  if (hasId && hasSecret && v.FEISHU_MODE === 'http') {
    if (v.FEISHU_ENCRYPT_KEY === undefined) issue('FEISHU_ENCRYPT_KEY', 'required when FEISHU_MODE is http');
    if (v.FEISHU_VERIFICATION_TOKEN === undefined)
      issue('FEISHU_VERIFICATION_TOKEN', 'required when FEISHU_MODE is http');
  }

  // Reminders must come before escalation, which must come before expiry.
  const order = [
    ['APPROVAL_REMIND_AFTER', 'APPROVAL_ESCALATE_AFTER'],
    ['APPROVAL_ESCALATE_AFTER', 'APPROVAL_EXPIRE_AFTER'],
  ] as const;
  for (const [shorter, longer] of order) {
    const a = v[shorter];
    const b = v[longer];
    if (typeof a === 'number' && typeof b === 'number' && b <= a)
      issue(longer, `must be longer than ${shorter}, which is ${formatDuration(a)}`);
  }
}

function buildSlack(v: Fields): SlackConfig | undefined {
  if (v.SLACK_BOT_TOKEN === undefined) return undefined;
  const common = {
    botToken: v.SLACK_BOT_TOKEN,
    apiUrl: v.SLACK_API_URL,
    approvalsChannel: v.SLACK_APPROVALS_CHANNEL,
    dmApprovers: v.SLACK_DM_APPROVERS,
  };
  // The `!`s are guaranteed by crossCheck, which rejects the config otherwise.
  return slackMode(v) === 'socket'
    ? { ...common, mode: 'socket', appToken: v.SLACK_APP_TOKEN!, signingSecret: v.SLACK_SIGNING_SECRET }
    : { ...common, mode: 'http', signingSecret: v.SLACK_SIGNING_SECRET! };
}

function buildFeishu(v: Fields): FeishuConfig | undefined {
  if (v.FEISHU_APP_ID === undefined || v.FEISHU_APP_SECRET === undefined) return undefined;
  const common = {
    appId: v.FEISHU_APP_ID,
    appSecret: v.FEISHU_APP_SECRET,
    domain: v.FEISHU_DOMAIN,
    approvalsChat: v.FEISHU_APPROVALS_CHAT,
    dmApprovers: v.FEISHU_DM_APPROVERS,
  };
  return v.FEISHU_MODE === 'http'
    ? { ...common, mode: 'http', encryptKey: v.FEISHU_ENCRYPT_KEY!, verificationToken: v.FEISHU_VERIFICATION_TOKEN! }
    : { ...common, mode: 'ws', encryptKey: v.FEISHU_ENCRYPT_KEY, verificationToken: v.FEISHU_VERIFICATION_TOKEN };
}

function build(v: Fields): AppConfig {
  // Resolved once here so a later chdir cannot move the data.
  const dataDir = path.resolve(v.PAYDESK_DATA_DIR);
  return {
    env: v.NODE_ENV,
    logLevel: v.LOG_LEVEL,
    http: { host: v.HOST, port: v.PORT },
    httpLimits: {
      trustProxy: v.TRUST_PROXY, apiBodyLimitBytes: v.API_MAX_BODY_BYTES,
      rateLimits: { apiPerToken: v.API_RATE_LIMIT_PER_TOKEN, apiPerIp: v.API_RATE_LIMIT_PER_IP, chatPerIp: v.CHAT_RATE_LIMIT_PER_IP },
    },
    metrics: { token: v.METRICS_TOKEN, port: v.METRICS_PORT, host: v.METRICS_HOST },
    dataDir,
    database:
      v.DATABASE_URL !== undefined
        ? { kind: 'external', url: v.DATABASE_URL, ...(v.DATABASE_OWNER_URL ? { ownerUrl: v.DATABASE_OWNER_URL } : {}) }
        : { kind: 'embedded', dataDir: path.join(dataDir, 'pg'), port: v.EMBEDDED_PG_PORT },
    seed: { file: v.PAYDESK_SEED_FILE && path.resolve(v.PAYDESK_SEED_FILE), demo: v.PAYDESK_DEMO },
    defaultLocale: v.DEFAULT_LOCALE,
    timezone: v.TIMEZONE,
    bank: {
      gateway: v.BANK_GATEWAY,
      sandbox: { settleDelayMs: v.SANDBOX_SETTLE_DELAY_MS },
      // Default under the data dir (= ./.data/bank/* by default) so moving PAYDESK_DATA_DIR moves them too.
      iso20022: {
        outboxDir: path.resolve(v.ISO20022_OUTBOX_DIR ?? path.join(dataDir, 'bank', 'outbox')),
        inboxDir: path.resolve(v.ISO20022_INBOX_DIR ?? path.join(dataDir, 'bank', 'inbox')),
      },
      textProfile: v.BANK_TEXT_PROFILE,
    },
    outbox: { intervalMs: v.OUTBOX_INTERVAL_MS, retentionDays: v.OUTBOX_RETENTION_DAYS },
    balancePollMs: v.BALANCE_POLL_INTERVAL,
    playground: v.PLAYGROUND,
    slack: buildSlack(v),
    feishu: buildFeishu(v),
    approvals: {
      remindAfterMs: v.APPROVAL_REMIND_AFTER,
      escalateAfterMs: v.APPROVAL_ESCALATE_AFTER,
      expireAfterMs: v.APPROVAL_EXPIRE_AFTER,
    },
    alerts: { projectionDays: v.PROJECTION_DAYS, repeatAfterMs: v.ALERT_REPEAT_AFTER },
    webhooks: { maxAttempts: v.WEBHOOK_MAX_ATTEMPTS, allowInsecureLocal: v.WEBHOOK_ALLOW_LOCAL },
    ...(v.AUDIT_CHECKPOINT_KEY !== undefined ? { audit: { checkpointKey: v.AUDIT_CHECKPOINT_KEY } } : {}),
    reports: { dailyAt: v.REPORT_DAILY_AT },
  };
}

const schema = fields.superRefine(crossCheck, { when: () => true }).transform(build);

// ---------- loading ----------

/** How an offending value is shown: never for secrets, password-masked for URLs. */
function shownValue(variable: string, raw: string): string | undefined {
  if (variable === 'DATABASE_URL' || variable === 'DATABASE_OWNER_URL') return raw.replace(/(:\/\/[^:/@\s]*:)[^@\s]*@/, '$1***@');
  if (isSecretVariable(variable)) return undefined;
  return raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty (or blank) means unset: `FOO=` in an env file or compose file is common.
  const given: Record<string, string> = {};
  for (const [k, val] of Object.entries(env)) {
    if (typeof val === 'string' && val.trim() !== '') given[k] = val.trim();
  }
  const result = schema.safeParse({ ...DEFAULTS, ...given });
  if (result.success) return result.data;

  const issues = result.error.issues.map((i): ConfigIssue => {
    const variable = i.path.length > 0 ? String(i.path[0]) : '(config)';
    const raw = given[variable];
    const shown = raw !== undefined ? shownValue(variable, raw) : undefined;
    let message = i.message;
    if (shown !== undefined) message += ` (got ${JSON.stringify(shown)})`;
    // A default can only be wrong by conflicting with another variable; say so.
    else if (raw === undefined && DEFAULTS[variable] !== undefined) message += ` (default ${JSON.stringify(DEFAULTS[variable])})`;
    return { variable, message };
  });
  throw new ConfigError(issues);
}

// ---------- derived decisions ----------

/** 127.0.0.0/8, ::1 (any spelling, bracketed or IPv4-mapped) and localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (isIPv6(h)) {
    // URL normalises "0:0:0:0:0:0:0:1" → "[::1]" and "::ffff:127.0.0.1" → "[::ffff:7f00:1]".
    const norm = new URL(`http://[${h}]/`).hostname;
    return norm === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:/.test(norm);
  }
  return false;
}

/**
 * The playground is for trying paydesk locally without a chat platform, so `auto` only
 * enables it when nothing real is wired up and it cannot be reached from outside (loopback).
 */
export function playgroundEnabled(config: Pick<AppConfig, 'playground' | 'slack' | 'feishu' | 'http'>): boolean {
  if (config.playground === 'on') return true;
  if (config.playground === 'off') return false;
  return !config.slack && !config.feishu && isLoopbackHost(config.http.host);
}
