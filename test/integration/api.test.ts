import { z } from 'zod';
import { createApiRoutes } from '../../src/http/api/api-handler';
import { CreatePaymentRequest } from '../../src/http/api/api.schemas';
import { HttpServer } from '../../src/http/http-server';
import { createLogger } from '../../src/logger';
import { apiTokens } from '../../src/services/api-tokens/api-tokens';
import { PaymentEvent, PaymentEvents } from '../../src/services/events';
import { CancelPayment } from '../../src/services/payments/cancel-payment';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

let t: TestDb;
let f: Fixture;
let http: HttpServer;
let base: string;
let events: PaymentEvents;
const published: PaymentEvent[] = [];
const tokens: Record<'erp' | 'reader' | 'other' | 'revoked' | 'auditor', string> = {} as never;

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  events = new PaymentEvents(t.db);
  events.subscribe('test', (e) => void published.push(e));
  const log = createLogger({ level: 'silent' });
  const mint = async (name: string, scopes: string[]) => {
    const r = await apiTokens.create(t.db, { name, scopes, createdBy: 'user:root' });
    if (!r.ok) throw new Error(r.code);
    return r.value.token;
  };
  tokens.erp = await mint('erp', ['payments:write', 'payments:read', 'balances:read']);
  tokens.reader = await mint('reader', ['payments:read']);
  tokens.other = await mint('other-erp', ['payments:write', 'payments:read']);
  tokens.revoked = await mint('old-erp', ['payments:write', 'payments:read']);
  tokens.auditor = await mint('auditor', ['audit:read']);
  await apiTokens.revoke(t.db, 'old-erp', 'user:root');
  http = new HttpServer(log);
  http.register(createApiRoutes({ db: t.db, createPayment: new CreatePayment(t.db, events), cancelPayment: new CancelPayment(t.db, events), events, log }));
  const bound = await http.listen('127.0.0.1', 0);
  base = `http://127.0.0.1:${bound.port}`;
});
afterAll(async () => {
  http.closeAllConnections();
  await http.close();
  await events.settle();
  await t.drop();
});

async function call(method: string, path: string, opts: { token?: string; body?: unknown; key?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.key ? { 'idempotency-key': opts.key } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
const order = (over: Record<string, unknown> = {}) => ({
  debtor_account: 'cmb-cny', payee: 'acme', amount: '50000', currency: 'CNY', purpose: 'PO-4711 steel', external_ref: 'PO-4711', ...over,
});
const paymentCount = async () => Number((await t.db.read((em) => em.execute(`select count(*) as n from payments`)))[0].n);

describe('authentication and scopes', () => {
  test.each([
    ['no token', undefined, 401, 'AUTH.TOKEN_REQUIRED'],
    ['an unknown token', 'pd_not-a-real-token', 401, 'AUTH.TOKEN_INVALID'],
    ['a revoked token', 'revoked', 401, 'AUTH.TOKEN_REVOKED'],
    ['a token without payments:write', 'reader', 403, 'AUTH.SCOPE_MISSING'],
  ])('%s is refused before anything happens', async (_what, token, status, code) => {
    const before = await paymentCount();
    const secret = token && token in tokens ? tokens[token as keyof typeof tokens] : token;
    const r = await call('POST', '/api/v1/payments', { token: secret, key: 'k-auth', body: order() });
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(typeof r.body.error.message).toBe('string');
    if (status === 401) expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await paymentCount()).toBe(before);
  });

  test('scopes are per endpoint: balances need balances:read, audit needs audit:read', async () => {
    expect((await call('GET', '/api/v1/accounts', { token: tokens.reader })).status).toBe(403);
    expect((await call('GET', '/api/v1/audit/verify', { token: tokens.erp })).body.error).toEqual({ code: 'AUTH.SCOPE_MISSING', message: 'This token lacks the audit:read scope.' });
    const v = await call('GET', '/api/v1/audit/verify', { token: tokens.auditor });
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ intact: true, checked: expect.any(Number) });
  });

  test('creating and revoking tokens is on the audit trail, and only hashes are stored', async () => {
    const rows = await t.db.read((em) => em.execute(`select action, actor, subject_id from audit_events where subject_type = 'api_token' order by seq`));
    expect(rows).toEqual(expect.arrayContaining([
      { action: 'api_token.created', actor: 'user:root', subject_id: 'erp' },
      { action: 'api_token.revoked', actor: 'user:root', subject_id: 'old-erp' },
    ]));
    const stored = await t.db.read((em) => em.execute(`select token_hash from api_tokens where name = 'erp'`));
    expect(stored[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await t.db.read((em) => em.execute(`select * from api_tokens`)))).not.toContain(tokens.erp);
  });
});

describe('POST /api/v1/payments', () => {
  let reference: string;

  test('without an Idempotency-Key nothing is created', async () => {
    const before = await paymentCount();
    const r = await call('POST', '/api/v1/payments', { token: tokens.erp, body: order() });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('API.IDEMPOTENCY_KEY_REQUIRED');
    expect(await paymentCount()).toBe(before);
  });

  test('creates a pending payment under the approval policy, announced like a chat request', async () => {
    published.length = 0;
    const r = await call('POST', '/api/v1/payments', { token: tokens.erp, key: 'po-4711-1', body: order() });
    expect(r.status).toBe(201);
    expect(r.headers.get('idempotent-replayed')).toBeNull();
    expect(r.body).toMatchObject({
      status: 'pending_approval', iso_status: 'PDNG', amount: '50000.00', currency: 'CNY', amount_minor: '5000000',
      debtor_account: 'cmb-cny', payee: 'acme', source: 'api', requested_by: 'api:erp', external_ref: 'PO-4711',
      approvals_required: 1, reconciled_at: null,
    });
    reference = r.body.reference;
    expect(r.headers.get('location')).toBe(`/api/v1/payments/${reference}`);
    // payment.created is what puts the approval card in front of the approvers.
    await events.settle();
    expect(published).toEqual([expect.objectContaining({ type: 'payment.created', payment: expect.objectContaining({ reference, status: 'pending_approval' }) })]);
    const audit = await t.db.read((em) => em.execute(`select action, actor from audit_events where subject_id = ?`, [reference]));
    expect(audit).toEqual([{ action: 'payment.created', actor: 'api:erp' }]);
  });

  test('the same key and body again returns the first payment, marked as a replay', async () => {
    const before = await paymentCount();
    // "50000.00" is the same amount as "50000": the body is compared normalised.
    const r = await call('POST', '/api/v1/payments', { token: tokens.erp, key: 'po-4711-1', body: order({ amount: '50000.00' }) });
    expect(r.status).toBe(200);
    expect(r.headers.get('idempotent-replayed')).toBe('true');
    expect(r.body.reference).toBe(reference);
    expect(await paymentCount()).toBe(before);
  });

  test('the same key with a different body is refused', async () => {
    const r = await call('POST', '/api/v1/payments', { token: tokens.erp, key: 'po-4711-1', body: order({ amount: '50001' }) });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('PAYMENT.IDEMPOTENCY_CONFLICT');
    expect(r.body.error.message).toContain(reference);
  });

  test('keys belong to their token: another ERP using the same key gets its own payment', async () => {
    const r = await call('POST', '/api/v1/payments', { token: tokens.other, key: 'po-4711-1', body: order() });
    expect(r.status).toBe(201);
    expect(r.body.reference).not.toBe(reference);
    expect(r.body.requested_by).toBe('api:other-erp');
  });

  test('a small payment to a known payee is auto-approved, as the policy says', async () => {
    const r = await call('POST', '/api/v1/payments', { token: tokens.erp, key: 'small-1', body: order({ amount: '800.50', external_ref: 'PO-SMALL' }) });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'approved', iso_status: 'ACTC', approvals_required: 0 });
  });

  test.each([
    ['a grouped amount', { amount: '12,345.67' }, 400, 'API.INVALID_REQUEST'],
    ['an unknown field', { ammount: '1' }, 400, 'API.INVALID_REQUEST'],
    ['too many decimals', { amount: '1.234' }, 422, 'MONEY.TOO_MANY_DECIMALS'],
    ['an unknown payee', { payee: 'nobody' }, 422, 'PAYMENT.UNKNOWN_PAYEE'],
    ['the wrong currency', { currency: 'USD' }, 422, 'PAYMENT.CURRENCY_MISMATCH'],
    ['an impossible date', { execution_date: '2026-02-30' }, 400, 'API.INVALID_REQUEST'],
  ])('refuses %s with a stable code', async (_what, over, status, code) => {
    const r = await call('POST', '/api/v1/payments', { token: tokens.erp, key: `bad-${code}-${status}-${JSON.stringify(over)}`, body: order(over) });
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    if (status === 400) expect(r.body.error.details.length).toBeGreaterThan(0);
  });

  test('a body that is not JSON is a 400 in the same shape; Chinese messages on request', async () => {
    const r = await call('POST', '/api/v1/payments', { token: tokens.erp, key: 'x', body: '{"amount":', headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(r).toMatchObject({ status: 400, body: { error: { code: 'API.INVALID_JSON', message: '请求体不是有效的 JSON。' } } });
  });
});

describe('reading payments', () => {
  test('GET by reference; unknown references are 404', async () => {
    const list = await call('GET', '/api/v1/payments?external_ref=PO-4711&limit=1', { token: tokens.reader });
    const ref = list.body.data[0].reference;
    const one = await call('GET', `/api/v1/payments/${ref.toLowerCase()}`, { token: tokens.reader });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(list.body.data[0]);
    const missing = await call('GET', '/api/v1/payments/PAY-1999-000001', { token: tokens.reader });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'PAYMENT.NOT_FOUND' } } });
  });

  test('cursor pagination walks every match once, newest first', async () => {
    for (let i = 0; i < 7; i++) {
      const r = await call('POST', '/api/v1/payments', { token: tokens.erp, key: `page-${i}`, body: order({ amount: `${20000 + i}`, external_ref: 'PAGE' }) });
      expect(r.status).toBe(201);
    }
    const seen: string[] = [];
    const amounts: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/api/v1/payments?external_ref=PAGE&status=pending_approval&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const r = await call('GET', q, { token: tokens.reader });
      expect(r.status).toBe(200);
      expect(r.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...r.body.data.map((p: any) => p.reference));
      amounts.push(...r.body.data.map((p: any) => p.amount));
      cursor = r.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    expect(amounts).toEqual(['20006.00', '20005.00', '20004.00', '20003.00', '20002.00', '20001.00', '20000.00']);
    const since = await call('GET', '/api/v1/payments?since=2999-01-01', { token: tokens.reader });
    expect(since.body).toEqual({ data: [], next_cursor: null });
  });

  test('bad filters and forged cursors are 400s', async () => {
    expect((await call('GET', '/api/v1/payments?status=paid', { token: tokens.reader })).body.error.code).toBe('API.INVALID_REQUEST');
    expect((await call('GET', '/api/v1/payments?limit=0', { token: tokens.reader })).body.error.code).toBe('API.INVALID_REQUEST');
    expect((await call('GET', '/api/v1/payments?cursor=abc', { token: tokens.reader })).body.error.code).toBe('API.INVALID_CURSOR');
  });
});

describe('cancelling', () => {
  test('a token cancels its own pending payment, attributed to it; not another token\'s; not twice', async () => {
    const mine = await call('POST', '/api/v1/payments', { token: tokens.erp, key: 'to-cancel', body: order({ external_ref: 'PO-CANCEL' }) });
    const theirs = await call('POST', '/api/v1/payments', { token: tokens.other, key: 'theirs', body: order({ external_ref: 'PO-THEIRS' }) });
    const foreign = await call('POST', `/api/v1/payments/${theirs.body.reference}/cancel`, { token: tokens.erp });
    expect(foreign).toMatchObject({ status: 403, body: { error: { code: 'PAYMENT.CANCEL_NOT_YOURS' } } });
    const ok = await call('POST', `/api/v1/payments/${mine.body.reference}/cancel`, { token: tokens.erp, body: { reason: 'PO withdrawn' } });
    expect(ok).toMatchObject({ status: 200, body: { status: 'cancelled', iso_status: 'CANC' } });
    const again = await call('POST', `/api/v1/payments/${mine.body.reference}/cancel`, { token: tokens.erp });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'PAYMENT.CANCEL_TOO_LATE' } } });
    const audit = await t.db.read((em) => em.execute(`select action, actor, data from audit_events where subject_id = ? order by seq`, [mine.body.reference]));
    expect(audit.map((a: any) => `${a.action} ${a.actor}`)).toEqual(['payment.created api:erp', 'payment.cancelled api:erp']);
    expect(audit[1].data.reason).toBe('PO withdrawn');
  });
});

test('GET /api/v1/accounts shows balances with masked numbers', async () => {
  const r = await call('GET', '/api/v1/accounts', { token: tokens.erp });
  expect(r.status).toBe(200);
  expect(r.body.data).toEqual([
    expect.objectContaining({ code: 'cmb-cny', currency: 'CNY', account_number_masked: '**** 1234', balance: '5000000.00', balance_minor: '500000000' }),
  ]);
  expect(JSON.stringify(r.body)).not.toContain(f.accountNumber);
});

describe('OpenAPI and routing', () => {
  test('the document is generated from the zod schemas that validate requests', async () => {
    const r = await call('GET', '/api/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    const post = r.body.paths['/api/v1/payments'].post;
    expect(post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreatePaymentRequest' });
    expect(post.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }));
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '401', '403', '422']));
    const { $schema: _s, ...fromZod } = z.toJSONSchema(CreatePaymentRequest) as Record<string, unknown>;
    expect(r.body.components.schemas.CreatePaymentRequest).toEqual(fromZod);
    expect(r.body.paths['/api/v1/payments'].get.parameters.map((p: any) => p.name)).toEqual(['status', 'since', 'external_ref', 'cursor', 'limit']);
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining([
      '/api/v1/payments/{ref}', '/api/v1/payments/{ref}/cancel', '/api/v1/accounts', '/api/v1/audit/verify', '/api/v1/webhooks', '/api/v1/webhooks/{id}',
    ]));
  });

  test('unknown API paths and methods answer in the error shape; other paths are left to other handlers', async () => {
    expect(await call('GET', '/api/v1/nope')).toMatchObject({ status: 404, body: { error: { code: 'API.NOT_FOUND' } } });
    const wrong = await call('PUT', '/api/v1/payments', { token: tokens.erp });
    expect(wrong).toMatchObject({ status: 405, body: { error: { code: 'API.METHOD_NOT_ALLOWED' } } });
    expect(wrong.headers.get('allow')).toBe('POST, GET');
    // Not ours: the server's own 404.
    expect((await call('GET', '/api/v2/payments')).body.error.code).toBe('HTTP.NOT_FOUND');
  });
});
