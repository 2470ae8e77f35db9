import { Writable } from 'node:stream';
import { createLogger, maskAccountNumber, scrubSecrets } from '../../src/logger';

/** A logger writing into memory; `lines()` parses what was written so far. */
function memoryLogger(level = 'info') {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ level, destination, name: 'test' });
  const raw = () => chunks.join('');
  const lines = () => raw().trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
  return { logger, raw, lines };
}

const BOT_TOKEN = 'xoxb-1234567890-0987654321-AbCdEfGhIjKl';
const APP_TOKEN = 'xapp-1-A0123-456-deadbeef';
const PG_PASSWORD = 'hunter2pw';
const ACCOUNT = '6222021234567890123';

describe('createLogger redaction by field name', () => {
  it('censors secret fields at the top level and nested up to 3 levels', () => {
    const { logger, raw, lines } = memoryLogger();
    logger.info(
      {
        token: 'top-secret-1',
        slack: { botToken: 'bot-secret-2', appToken: 'app-secret-3' },
        feishu: { auth: { tenant_access_token: 't-secret-4', appSecret: 'fs-secret-5' } },
        req: { headers: { authorization: 'Basic czNjcjN0', 'x-slack-signature': 'v0=abc123sig', 'content-type': 'application/json' } },
        list: [{ password: 'pw-secret-6' }],
        a: { b: { c: { signingSecret: 'deep-secret-7' } } },
        payee: { name: 'Acme Ltd', accountNumber: '1234', iban: 'DE89370400440532013000' },
      },
      'dispatch',
    );
    const text = raw();
    for (const s of ['top-secret-1', 'bot-secret-2', 'app-secret-3', 't-secret-4', 'fs-secret-5', 'czNjcjN0', 'abc123sig', 'pw-secret-6', 'deep-secret-7', 'DE89370400440532013000'])
      expect(text).not.toContain(s);
    const [line] = lines();
    expect(line.token).toBe('[REDACTED]');
    expect(line.slack).toEqual({ botToken: '[REDACTED]', appToken: '[REDACTED]' });
    expect(line.feishu.auth).toEqual({ tenant_access_token: '[REDACTED]', appSecret: '[REDACTED]' });
    expect(line.req.headers).toEqual({
      authorization: '[REDACTED]',
      'x-slack-signature': '[REDACTED]',
      'content-type': 'application/json',
    });
    expect(line.list).toEqual([{ password: '[REDACTED]' }]);
    expect(line.a.b.c.signingSecret).toBe('[REDACTED]');
    expect(line.payee).toEqual({ name: 'Acme Ltd', accountNumber: '[REDACTED]', iban: '[REDACTED]' });
  });

  it('censors secret child bindings', () => {
    const { logger, raw, lines } = memoryLogger();
    logger.child({ token: 'child-secret', component: 'slack' }).info('ready');
    expect(raw()).not.toContain('child-secret');
    expect(lines()[0]).toMatchObject({ token: '[REDACTED]', component: 'slack', msg: 'ready' });
  });
});

describe('createLogger scrubbing of free text', () => {
  it('scrubs tokens, bearer credentials, database passwords and account numbers from messages', () => {
    const { logger, raw, lines } = memoryLogger();
    logger.warn(`slack auth failed for ${BOT_TOKEN}`);
    logger.info('socket mode with %s', APP_TOKEN);
    logger.info(`calling ERP with Bearer eyJhbGciOi.payload.sig`);
    logger.error(`cannot connect to postgresql://paydesk:${PG_PASSWORD}@db:5432/paydesk`);
    logger.info(`paying to account ${ACCOUNT} today`);
    const text = raw();
    for (const s of [BOT_TOKEN, APP_TOKEN, 'eyJhbGciOi', PG_PASSWORD, ACCOUNT]) expect(text).not.toContain(s);
    expect(lines().map((l) => l.msg)).toEqual([
      'slack auth failed for xoxb-[REDACTED]',
      'socket mode with xapp-[REDACTED]',
      'calling ERP with Bearer [REDACTED]',
      'cannot connect to postgresql://paydesk:[REDACTED]@db:5432/paydesk',
      'paying to account ***************0123 today',
    ]);
  });

  it('scrubs strings nested in objects, arrays, child bindings and errors', () => {
    const { logger, raw, lines } = memoryLogger();
    const err = Object.assign(new Error(`login with ${BOT_TOKEN} failed`), { code: 'invalid_auth' });
    logger.error(err);
    logger.error({ err, context: { note: `db postgres://u:${PG_PASSWORD}@h/db`, rows: [`acct ${ACCOUNT}`] } }, 'sync failed');
    logger.child({ hint: `token ${APP_TOKEN}` }).info('child');
    const text = raw();
    for (const s of [BOT_TOKEN, APP_TOKEN, PG_PASSWORD, ACCOUNT]) expect(text).not.toContain(s);
    const [first, second, third] = lines();
    expect(first.msg).toBe('login with xoxb-[REDACTED] failed');
    expect(first.err).toMatchObject({ type: 'Error', message: 'login with xoxb-[REDACTED] failed', code: 'invalid_auth' });
    expect(first.err.stack).toContain('Error: login with xoxb-[REDACTED] failed');
    expect(second.context).toEqual({ note: 'db postgres://u:[REDACTED]@h/db', rows: ['acct ***************0123'] });
    expect(second.msg).toBe('sync failed');
    expect(third.hint).toBe('token xapp-[REDACTED]');
  });

  it('does not mutate the caller’s objects', () => {
    const { logger } = memoryLogger();
    const payload = { token: 'keep-me', note: `x ${BOT_TOKEN}` };
    logger.info(payload, 'sent');
    expect(payload).toEqual({ token: 'keep-me', note: `x ${BOT_TOKEN}` });
  });
});

describe('createLogger keeps ordinary data', () => {
  it('leaves numbers, ids and plain fields intact', () => {
    const { logger, lines } = memoryLogger('debug');
    const when = new Date('2024-11-28T09:30:00.000Z');
    logger.debug(
      { paymentId: 'PAY202411280001', amountMinor: 123456789012345, count: 3, ok: true, when, requestId: '123e4567-e89b-12d3-a456-426614174000' },
      'approved by %s',
      'U123',
    );
    const [line] = lines();
    expect(line).toMatchObject({
      level: 20,
      name: 'test',
      msg: 'approved by U123',
      paymentId: 'PAY202411280001',
      amountMinor: 123456789012345,
      count: 3,
      ok: true,
      when: '2024-11-28T09:30:00.000Z',
      requestId: '123e4567-e89b-12d3-a456-426614174000',
    });
    // time and pid are numbers far longer than 12 digits / unrelated to secrets: untouched.
    expect(typeof line.time).toBe('number');
    expect(line.time).toBeGreaterThan(1_600_000_000_000);
    expect(line.pid).toBe(process.pid);
  });

  it('respects the level', () => {
    const { logger, raw } = memoryLogger('warn');
    logger.info('hidden');
    expect(raw()).toBe('');
  });
});

describe('account numbers in the shapes people and banks write them (issue 20)', () => {
  test.each([
    ['grouped with spaces', 'payee 6222 0200 0000 5678 refused', 'payee **** **** **** 5678 refused'],
    ['grouped with dashes', 'acct 6222-0200-0000-5678', 'acct ****-****-****-5678'],
    ['an IBAN', 'to DE89370400440532013000.', 'to ******************3000.'],
    ['an IBAN in print format', 'IBAN DE89 3704 0044 0532 0130 00', 'IBAN **** **** **** **** **30 00'],
    ['a bare 11-digit number', 'card 12345678901', 'card *******8901'],
  ])('masks %s', (_what, text, masked) => {
    expect(scrubSecrets(text)).toBe(masked);
  });

  test.each([
    ['a pain.001 message id (looks like an IBAN, fails its check)', 'file PD2026120100000001'],
    ['dates and times', 'at 2026-12-07 10:00:00'],
    ['a payment reference', 'PAY-2026-000123'],
    ['an amount with thousands spaces', 'amount 12 345 678.00'],
  ])('leaves %s readable', (_what, text) => {
    expect(scrubSecrets(text)).toBe(text);
  });

  test('reaches the log line through the logger', () => {
    const lines: string[] = [];
    const log = createLogger({ destination: { write: (l: string) => void lines.push(l) } as never });
    log.warn({ detail: 'creditor DE89 3704 0044 0532 0130 00' }, 'refused 6222 0200 0000 5678');
    expect(lines.join('')).not.toMatch(/0532|0200 0000/);
    expect(lines.join('')).toContain('**** **** **** 5678');
  });
});

describe('masking helpers', () => {
  it('maskAccountNumber keeps only the last 4 characters', () => {
    expect(maskAccountNumber(ACCOUNT)).toBe('**** 0123');
    expect(maskAccountNumber('6222 0212 3456 7890')).toBe('**** 7890');
    expect(maskAccountNumber('1234')).toBe('****');
  });

  it('scrubSecrets leaves text without secrets unchanged', () => {
    const text = 'Payment PAY-7 of CNY 1,250.00 approved by Alice at 2024-11-28 17:30';
    expect(scrubSecrets(text)).toBe(text);
    expect(scrubSecrets('call 1234567890')).toBe('call 1234567890'); // 10 digits: too short for an account number
  });
});

describe('secrets echoed inside SDK errors', () => {
  it('redacts secrets inside serialised JSON and form bodies, and secret-named keys at any depth', () => {
    const { logger, raw } = memoryLogger();
    const err = Object.assign(new Error('connect ECONNREFUSED'), {
      config: {
        data: '{"app_id":"cli_a1","app_secret":"LARK-SECRET-1"}',
        deep: { a: { b: { c: { appSecret: 'LARK-SECRET-2' } } } },
      },
    });
    logger.error({ err, request: { body: 'grant=1&client_secret=FORM-SECRET-3' } }, 'token request failed');
    const out = raw();
    expect(out).not.toMatch(/LARK-SECRET-1|LARK-SECRET-2|FORM-SECRET-3/);
    expect(out).toContain('token request failed');
    expect(scrubSecrets('{"app_id":"cli_a1","app_secret":"x1"}')).toBe('{"app_id":"cli_a1","app_secret":"[REDACTED]"}');
  });
});
