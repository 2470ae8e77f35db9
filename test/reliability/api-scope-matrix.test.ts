/**
 * The REST API's authorization matrix (issue 20): every scope × every route ×
 * the token's own payment or another token's, over real HTTP. A cell passes when
 * the status says allowed (2xx) or refused (401/403, or 404 for another token's
 * payment behind an own-payments scope) AND a refused write left no row behind.
 */
import { API_SCOPES, apiTokens } from '../../src/services/api-tokens/api-tokens';
import { PaymentEvents } from '../../src/services/events';
import { CancelPayment } from '../../src/services/payments/cancel-payment';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { WebhookStore } from '../../src/services/webhooks/webhook-store';
import { seedFixture } from '../support/fixtures';
import { tableCounts } from '../support/reliability-world';
import { ApiServer, startApiServer } from '../support/api-server';
import { createTestDb, TestDb } from '../support/test-db';

type Who = (typeof API_SCOPES)[number] | 'none';
const COLUMNS = ['create', 'get:own', 'get:other', 'list', 'cancel:own', 'cancel:other', 'accounts', 'audit', 'webhook:add', 'webhook:list'] as const;
type Column = (typeof COLUMNS)[number];

/*
 * Y allowed, N refused. `payments:write` alone may cancel its own payment (the reply is
 * the payment it cancelled) but not read others'; an own-payments reader sees only its own.
 */
const MATRIX: Record<Who, string> = {
  //                      create get:own get:other list cancel:own cancel:other accounts audit wh:add wh:list
  'payments:write':      'Y      N       N         N    Y          N            N        N     N      N',
  'payments:read':       'N      Y       Y         Y    N          N            N        N     Y      Y',
  'payments:read:own':   'N      Y       N         Y    N          N            N        N     N      N',
  'balances:read':       'N      N       N         N    N          N            Y        N     N      N',
  'audit:read':          'N      N       N         N    N          N            N        Y     N      N',
  'reports:read':        'N      N       N         N    N          N            N        N     N      N',
  none:                  'N      N       N         N    N          N            N        N     N      N',
};
const expected = (who: Who, c: Column) => MATRIX[who].trim().split(/\s+/)[COLUMNS.indexOf(c)] as 'Y' | 'N';

let t: TestDb;
let api: ApiServer;
let base: string;
let events: PaymentEvents;
const secrets: Partial<Record<Who | 'owner' | 'other', string>> = {};

beforeAll(async () => {
  t = await createTestDb();
  await seedFixture(t.db);
  events = new PaymentEvents();
  for (const scope of API_SCOPES) {
    // One token per scope, holding only that scope; its "own" payments are seeded as requested by it.
    const r = await apiTokens.create(t.db, { name: scope.replace(/:/g, '-'), scopes: [scope], createdBy: 'test' });
    if (!r.ok) throw new Error(r.code);
    secrets[scope] = r.value.token;
  }
  const other = await apiTokens.create(t.db, { name: 'other-erp', scopes: ['payments:write'], createdBy: 'test' });
  if (!other.ok) throw new Error(other.code);
  secrets.other = other.value.token;
  secrets.none = 'pd_not-a-token';
  api = await startApiServer({
    db: t.db, createPayment: new CreatePayment(t.db, events), cancelPayment: new CancelPayment(t.db, events), events, webhookStore: new WebhookStore({}),
  });
  base = api.base;
});
afterAll(async () => {
  await api.close();
  await events.settle();
  await t.drop();
});

let n = 0;
async function call(method: string, path: string, secret: string, body?: unknown) {
  n += 1;
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${secret}`, 'idempotency-key': `m-${n}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.text();
  return res.status;
}
const order = { debtor_account: 'cmb-cny', payee: 'acme', amount: '50000', currency: 'CNY', purpose: 'matrix' };

/** A pending payment requested as `api:<tokenName>` (as that token's own). */
async function paymentOf(tokenName: string): Promise<string> {
  const r = await new CreatePayment(t.db, events).execute({
    source: 'api', idempotencyKey: `${tokenName}:seed-${++n}`, debtorAccountId: (await t.db.read((em) => em.execute(`select id from bank_accounts limit 1`)))[0].id,
    payeeId: (await t.db.read((em) => em.execute(`select id from payees where code = 'acme'`)))[0].id, amount: { minor: 5_000_000n, currency: 'CNY' },
    purpose: 'matrix', actor: `api:${tokenName}`,
  });
  if (!r.ok) throw new Error(r.code);
  return r.value.payment.reference;
}

const cells = (Object.keys(MATRIX) as Who[]).flatMap((who) => COLUMNS.map((c) => [who, c, expected(who, c)] as const));

test.each(cells)('%s × %s → %s', async (who, column, allowed) => {
  const secret = secrets[who]!;
  const own = who === 'none' ? 'nobody' : who.replace(/:/g, '-');
  const ref = column.endsWith(':own') ? await paymentOf(own) : column.endsWith(':other') ? await paymentOf('other-erp') : '';
  const before = await tableCounts(t.db);
  const status = await {
    create: () => call('POST', '/api/v1/payments', secret, order),
    'get:own': () => call('GET', `/api/v1/payments/${ref}`, secret),
    'get:other': () => call('GET', `/api/v1/payments/${ref}`, secret),
    list: () => call('GET', '/api/v1/payments', secret),
    'cancel:own': () => call('POST', `/api/v1/payments/${ref}/cancel`, secret, {}),
    'cancel:other': () => call('POST', `/api/v1/payments/${ref}/cancel`, secret, {}),
    accounts: () => call('GET', '/api/v1/accounts', secret),
    audit: () => call('GET', '/api/v1/audit/verify', secret),
    'webhook:add': () => call('POST', '/api/v1/webhooks', secret, { url: 'https://erp.example.com/hook' }),
    'webhook:list': () => call('GET', '/api/v1/webhooks', secret),
  }[column]();
  expect({ who, column, allowed: status < 300 ? 'Y' : 'N' }).toEqual({ who, column, allowed });
  if (allowed === 'N') {
    expect([401, 403, 404]).toContain(status);
    const after = await tableCounts(t.db);
    expect(after).toEqual(before);
  }
});

test('the table covers every scope and both outcomes occur', () => {
  for (const s of API_SCOPES) expect(MATRIX[s]).toBeDefined();
  for (const who of Object.keys(MATRIX) as Who[]) expect(MATRIX[who].trim().split(/\s+/)).toHaveLength(COLUMNS.length);
  expect(new Set(cells.map(([, , e]) => e))).toEqual(new Set(['Y', 'N']));
});
