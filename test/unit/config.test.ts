import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CONFIG_VARIABLES,
  ConfigError,
  formatConfigError,
  isLoopbackHost,
  isSecretVariable,
  loadConfig,
  parseDuration,
  playgroundEnabled,
  type AppConfig,
} from '../../src/config';

const H = 3_600_000;

/** The ConfigError thrown for `env` (fails the test if none is thrown). */
function errorFor(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}
const linesFor = (env: NodeJS.ProcessEnv) => errorFor(env).message.split('\n').slice(1);

describe('loadConfig defaults', () => {
  it('turns an empty environment into the embedded setup', () => {
    const data = path.resolve('./.data');
    expect(loadConfig({})).toEqual<AppConfig>({
      env: 'development',
      logLevel: 'info',
      http: { host: '127.0.0.1', port: 3000 },
      httpLimits: { trustProxy: false, apiBodyLimitBytes: 65536, rateLimits: { apiPerToken: 600, apiPerIp: 1200, chatPerIp: 20000 } },
      metrics: { token: undefined, port: undefined, host: '127.0.0.1' },
      dataDir: data,
      database: { kind: 'embedded', dataDir: path.join(data, 'pg'), port: 5433 },
      seed: { file: undefined, demo: true },
      defaultLocale: 'zh-CN',
      timezone: 'Asia/Shanghai',
      bank: {
        gateway: 'sandbox',
        sandbox: { settleDelayMs: 2000 },
        iso20022: { outboxDir: path.join(data, 'bank', 'outbox'), inboxDir: path.join(data, 'bank', 'inbox') },
        textProfile: 'cnaps',
      },
      outbox: { intervalMs: 1000, retentionDays: 30 },
      balancePollMs: 300000,
      playground: 'auto',
      slack: undefined,
      feishu: undefined,
      approvals: { remindAfterMs: 4 * H, escalateAfterMs: 24 * H, expireAfterMs: 72 * H },
      alerts: { projectionDays: 30, repeatAfterMs: 4 * H },
      webhooks: { maxAttempts: 8, allowInsecureLocal: false },
      reports: { dailyAt: '09:00' },
    });
  });

  it('treats empty and blank strings as unset', () => {
    const c = loadConfig({ PORT: '', SLACK_BOT_TOKEN: '', FEISHU_APP_ID: '  ', LOG_LEVEL: '' });
    expect(c.http.port).toBe(3000);
    expect(c.logLevel).toBe('info');
    expect(c.slack).toBeUndefined();
    expect(c.feishu).toBeUndefined();
  });

  it('ignores unrelated variables', () => {
    expect(loadConfig({ PATH: '/bin', HOME: '/root' }).http.port).toBe(3000);
  });
});

describe('loadConfig values', () => {
  it('parses core, database, bank and approval settings', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'DEBUG',
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://pay:pw@db:5432/paydesk',
      PAYDESK_DATA_DIR: '/var/lib/paydesk',
      PAYDESK_SEED_FILE: 'seed/acme.yaml',
      PAYDESK_DEMO: 'off',
      DEFAULT_LOCALE: 'en',
      TIMEZONE: 'utc',
      BANK_GATEWAY: 'iso20022',
      ISO20022_INBOX_DIR: '/srv/bank/in',
      OUTBOX_INTERVAL_MS: '250',
      APPROVAL_REMIND_AFTER: '30m',
      APPROVAL_ESCALATE_AFTER: '2h',
      APPROVAL_EXPIRE_AFTER: '3d',
      ALERT_REPEAT_AFTER: '15m',
      PROJECTION_DAYS: '14',
      WEBHOOK_MAX_ATTEMPTS: '3',
    });
    expect(c.env).toBe('production');
    expect(c.logLevel).toBe('debug');
    expect(c.http).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(c.database).toEqual({ kind: 'external', url: 'postgres://pay:pw@db:5432/paydesk' });
    expect(c.seed).toEqual({ file: path.resolve('seed/acme.yaml'), demo: false });
    expect(c.defaultLocale).toBe('en');
    expect(c.timezone).toBe('UTC');
    // The outbox dir follows the data dir; the explicit inbox dir wins.
    expect(c.bank.iso20022).toEqual({ outboxDir: '/var/lib/paydesk/bank/outbox', inboxDir: '/srv/bank/in' });
    expect(c.bank.gateway).toBe('iso20022');
    expect(c.outbox.intervalMs).toBe(250);
    expect(c.approvals).toEqual({ remindAfterMs: 30 * 60_000, escalateAfterMs: 2 * H, expireAfterMs: 72 * H });
    expect(c.alerts).toEqual({ projectionDays: 14, repeatAfterMs: 15 * 60_000 });
    expect(c.webhooks.maxAttempts).toBe(3);
  });

  it('enables Slack in http mode with a signing secret', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-abc', SLACK_SIGNING_SECRET: 'sig', SLACK_APPROVALS_CHANNEL: 'C123' });
    expect(c.slack).toEqual({
      mode: 'http',
      botToken: 'xoxb-1-abc',
      signingSecret: 'sig',
      apiUrl: 'https://slack.com/api/',
      approvalsChannel: 'C123',
      dmApprovers: true,
    });
  });

  it('switches Slack to socket mode when an app token is given, without a signing secret', () => {
    const c = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1-A',
      SLACK_API_URL: 'http://localhost:9999/api',
      SLACK_DM_APPROVERS: 'off',
    });
    expect(c.slack).toMatchObject({ mode: 'socket', appToken: 'xapp-1-A', apiUrl: 'http://localhost:9999/api/', dmApprovers: false });
  });

  it('enables Feishu over the long connection by default and resolves the domain', () => {
    expect(loadConfig({ FEISHU_APP_ID: 'cli_1', FEISHU_APP_SECRET: 's' }).feishu).toEqual({
      mode: 'ws',
      appId: 'cli_1',
      appSecret: 's',
      domain: 'https://open.feishu.cn',
      approvalsChat: undefined,
      dmApprovers: true,
      encryptKey: undefined,
      verificationToken: undefined,
    });
    const lark = loadConfig({ FEISHU_APP_ID: 'cli_1', FEISHU_APP_SECRET: 's', FEISHU_DOMAIN: 'lark' });
    expect(lark.feishu?.domain).toBe('https://open.larksuite.com');
    const custom = loadConfig({ FEISHU_APP_ID: 'cli_1', FEISHU_APP_SECRET: 's', FEISHU_DOMAIN: 'http://127.0.0.1:7001/' });
    expect(custom.feishu?.domain).toBe('http://127.0.0.1:7001');
  });

  it('accepts Feishu http mode with both callback keys', () => {
    const c = loadConfig({
      FEISHU_APP_ID: 'cli_1',
      FEISHU_APP_SECRET: 's',
      FEISHU_MODE: 'http',
      FEISHU_ENCRYPT_KEY: 'ek',
      FEISHU_VERIFICATION_TOKEN: 'vt',
    });
    expect(c.feishu).toMatchObject({ mode: 'http', encryptKey: 'ek', verificationToken: 'vt' });
  });
});

describe('loadConfig errors', () => {
  it('reports a bad PORT with the variable and the value', () => {
    const e = errorFor({ PORT: 'abc' });
    expect(e.message).toBe('Invalid configuration:\n  PORT: must be an integer between 1 and 65535 (got "abc")');
    expect(e.issues).toEqual([{ variable: 'PORT', message: 'must be an integer between 1 and 65535 (got "abc")' }]);
    expect(linesFor({ PORT: '70000' })).toEqual(['  PORT: must be an integer between 1 and 65535 (got "70000")']);
    expect(linesFor({ EMBEDDED_PG_PORT: '0' })).toEqual(['  EMBEDDED_PG_PORT: must be an integer between 1 and 65535 (got "0")']);
  });

  it('reports an unknown LOG_LEVEL', () => {
    expect(linesFor({ LOG_LEVEL: 'loud' })).toEqual([
      '  LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ]);
  });

  it('reports an unknown BANK_GATEWAY', () => {
    expect(linesFor({ BANK_GATEWAY: 'swift' })).toEqual(['  BANK_GATEWAY: must be one of sandbox, iso20022 (got "swift")']);
  });

  it('requires FEISHU_APP_SECRET with FEISHU_APP_ID and vice versa', () => {
    expect(linesFor({ FEISHU_APP_ID: 'cli_1' })).toEqual(['  FEISHU_APP_SECRET: required when FEISHU_APP_ID is set']);
    expect(linesFor({ FEISHU_APP_SECRET: 's' })).toEqual(['  FEISHU_APP_ID: required when FEISHU_APP_SECRET is set']);
  });

  it('requires both Feishu callback keys in http mode', () => {
    expect(linesFor({ FEISHU_APP_ID: 'cli_1', FEISHU_APP_SECRET: 's', FEISHU_MODE: 'http' })).toEqual([
      '  FEISHU_ENCRYPT_KEY: required when FEISHU_MODE is http',
      '  FEISHU_VERIFICATION_TOKEN: required when FEISHU_MODE is http',
    ]);
  });

  it('requires SLACK_SIGNING_SECRET for Slack in http mode', () => {
    expect(linesFor({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      '  SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set in http mode',
    ]);
    // Explicit http mode overrides the socket default that an app token implies.
    expect(linesFor({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_MODE: 'http' })).toEqual([
      '  SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set in http mode',
    ]);
  });

  it('requires SLACK_APP_TOKEN in socket mode', () => {
    expect(linesFor({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_MODE: 'socket' })).toEqual([
      '  SLACK_APP_TOKEN: required when SLACK_MODE is socket',
    ]);
  });

  it('rejects tokens with the wrong prefix without echoing them', () => {
    const e = errorFor({ SLACK_BOT_TOKEN: 'xoxp-user-token-123', SLACK_APP_TOKEN: 'xoxb-not-app', SLACK_SIGNING_SECRET: 's' });
    expect(e.issues).toEqual([
      { variable: 'SLACK_BOT_TOKEN', message: 'must be a Slack bot token starting with xoxb-' },
      { variable: 'SLACK_APP_TOKEN', message: 'must be a Slack app-level token starting with xapp-' },
    ]);
    expect(e.message).not.toContain('xoxp-user-token-123');
    expect(e.message).not.toContain('xoxb-not-app');
  });

  it('checks the HTTP operations settings, without echoing the metrics token', () => {
    const e = errorFor({ METRICS_TOKEN: 'short-secret', METRICS_PORT: '0', API_RATE_LIMIT_PER_TOKEN: 'lots', TRUST_PROXY: 'the load balancer' });
    expect(e.message.split('\n').slice(1).sort()).toEqual([
      // Named like a secret (…_TOKEN), so its value is not echoed either; harmless.
      '  API_RATE_LIMIT_PER_TOKEN: must be an integer of at least 1',
      '  METRICS_PORT: must be an integer between 1 and 65535 (got "0")',
      '  METRICS_TOKEN: must be at least 16 characters (it guards the metrics endpoint)',
      '  TRUST_PROXY: must be off, on, a hop count, or comma-separated proxy addresses/CIDRs (got "the load balancer")',
    ]);
    expect(e.message).not.toContain('short-secret');
    const ok = loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.1', METRICS_PORT: '9464', API_MAX_BODY_BYTES: '131072' });
    expect(ok.httpLimits).toMatchObject({ trustProxy: '10.0.0.0/8,192.168.1.1', apiBodyLimitBytes: 131072 });
    expect(ok.metrics).toEqual({ token: undefined, port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ TRUST_PROXY: '2' }).httpLimits.trustProxy).toBe(2);
  });

  it('masks the password of a malformed DATABASE_URL', () => {
    expect(linesFor({ DATABASE_URL: 'mysql://pay:hunter2@db/x' })).toEqual([
      '  DATABASE_URL: must be a postgres:// or postgresql:// URL (got "mysql://pay:***@db/x")',
    ]);
  });

  it.each(['soon', '4', '4 hours', '0h', '-1h', '1.5h'])('rejects the duration %j', (value) => {
    expect(linesFor({ APPROVAL_REMIND_AFTER: value })).toContain(
      `  APPROVAL_REMIND_AFTER: must be a positive duration like 30s, 15m, 4h or 3d (got ${JSON.stringify(value)})`,
    );
  });

  it('requires escalation after the reminder and expiry after escalation', () => {
    expect(linesFor({ APPROVAL_REMIND_AFTER: '4h', APPROVAL_ESCALATE_AFTER: '4h' })).toEqual([
      '  APPROVAL_ESCALATE_AFTER: must be longer than APPROVAL_REMIND_AFTER, which is 4h (got "4h")',
    ]);
    expect(linesFor({ APPROVAL_ESCALATE_AFTER: '12h', APPROVAL_EXPIRE_AFTER: '600m' })).toEqual([
      '  APPROVAL_EXPIRE_AFTER: must be longer than APPROVAL_ESCALATE_AFTER, which is 12h (got "600m")',
    ]);
  });

  it('says when a default is what conflicts', () => {
    expect(linesFor({ APPROVAL_REMIND_AFTER: '2d' })).toEqual([
      '  APPROVAL_ESCALATE_AFTER: must be longer than APPROVAL_REMIND_AFTER, which is 2d (default "24h")',
    ]);
  });

  it('rejects an unknown TIMEZONE', () => {
    expect(linesFor({ TIMEZONE: 'Mars/Olympus_Mons' })).toEqual([
      '  TIMEZONE: must be an IANA time zone such as Asia/Shanghai or UTC (got "Mars/Olympus_Mons")',
    ]);
  });

  it('rejects a non-URL FEISHU_DOMAIN and bad on/off flags', () => {
    expect(linesFor({ FEISHU_DOMAIN: 'ftp://x', PAYDESK_DEMO: 'maybe' })).toEqual([
      '  PAYDESK_DEMO: must be on or off (got "maybe")',
      '  FEISHU_DOMAIN: must be feishu, lark or an http(s) URL (got "ftp://x")',
    ]);
  });

  it('lists several problems at once, field and cross-field alike', () => {
    const e = errorFor({
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      BANK_GATEWAY: 'swift',
      TIMEZONE: 'Nowhere/Land',
      SLACK_BOT_TOKEN: 'xoxb-1',
      FEISHU_APP_ID: 'cli_1',
      APPROVAL_ESCALATE_AFTER: '1h',
    });
    expect(e.issues.map((i) => i.variable)).toEqual([
      'LOG_LEVEL',
      'PORT',
      'TIMEZONE',
      'BANK_GATEWAY',
      'SLACK_SIGNING_SECRET',
      'FEISHU_APP_SECRET',
      'APPROVAL_ESCALATE_AFTER',
    ]);
    expect(e.message.split('\n')).toHaveLength(8);
    expect(e.message).toContain('\n  PORT: must be an integer between 1 and 65535 (got "abc")');
    expect(e.message).toContain('\n  SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set in http mode');
    expect(formatConfigError(e)).toBe(e.message);
  });
});

describe('playgroundEnabled', () => {
  const slack = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack;
  const feishu = loadConfig({ FEISHU_APP_ID: 'a', FEISHU_APP_SECRET: 's' }).feishu;

  it.each([
    // playground, chat platform, host, expected
    ['auto', 'none', '127.0.0.1', true],
    ['auto', 'none', 'localhost', true],
    ['auto', 'none', '::1', true],
    ['auto', 'none', '127.9.8.7', true],
    ['auto', 'none', '0.0.0.0', false],
    ['auto', 'none', '10.0.0.5', false],
    ['auto', 'slack', '127.0.0.1', false],
    ['auto', 'feishu', '127.0.0.1', false],
    ['on', 'slack', '0.0.0.0', true],
    ['on', 'none', '10.0.0.5', true],
    ['off', 'none', '127.0.0.1', false],
    ['off', 'slack', '0.0.0.0', false],
  ] as const)('%s with %s on %s → %s', (playground, chat, host, expected) => {
    const config = {
      playground,
      http: { host, port: 3000 },
      slack: chat === 'slack' ? slack : undefined,
      feishu: chat === 'feishu' ? feishu : undefined,
    };
    expect(playgroundEnabled(config)).toBe(expected);
  });

  it('recognises loopback in any spelling', () => {
    for (const h of ['[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'LOCALHOST']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['128.0.0.1', '::', '::ffff:10.0.0.1', 'localhost.example.com', '']) expect(isLoopbackHost(h)).toBe(false);
  });
});

describe('helpers', () => {
  it('parses durations to milliseconds', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('4h')).toBe(14_400_000);
    expect(parseDuration('3d')).toBe(259_200_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('3w')).toBeUndefined();
  });

  it('knows which variables are secret', () => {
    for (const v of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'FEISHU_APP_SECRET', 'FEISHU_ENCRYPT_KEY', 'FEISHU_VERIFICATION_TOKEN', 'DATABASE_URL'])
      expect(isSecretVariable(v)).toBe(true);
    for (const v of ['PORT', 'FEISHU_APP_ID', 'SLACK_API_URL', 'SLACK_APPROVALS_CHANNEL', 'PAYDESK_DATA_DIR'])
      expect(isSecretVariable(v)).toBe(false);
  });

  it('.env.example documents exactly the variables the schema reads, all unset', () => {
    const text = readFileSync(path.join(__dirname, '../../.env.example'), 'utf8');
    const documented = [...text.matchAll(/^# ([A-Z][A-Z0-9_]*)=$/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
    // Nothing active: every non-blank line is a comment.
    expect(text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))).toEqual([]);
  });
});
