/**
 * API token limits (issue 20): a token can be limited to the payments it created
 * (`payments:read:own`), can expire, and records when it was last used.
 */
import { apiTokens } from '../../src/services/api-tokens/api-tokens';
import { PaymentEvents } from '../../src/services/events';
import { CancelPayment } from '../../src/services/payments/cancel-payment';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { seedFixture } from '../support/fixtures';
import { ApiServer, startApiServer } from '../support/api-server';
import { createTestDb, TestDb } from '../support/test-db';

let t: TestDb;
let api: ApiServer;
let base: string;
let events: PaymentEvents;
const secrets: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDb();
  await seedFixture(t.db);
  events = new PaymentEvents();
  const mint = async (name: string, scopes: string[], expiresAt?: Date) => {
    const r = await apiTokens.create(t.db, { name, scopes, createdBy: 'user:root', expiresAt });
    if (!r.ok) throw new Error(r.code);
    secrets[name] = r.value.token;
  };
  await mint('erp-own', ['payments:write', 'payments:read:own']);
  await mint('erp-all', ['payments:write', 'payments:read']);
  await mint('erp-expired', ['payments:read'], new Date(Date.now() - 1_000));
  await mint('erp-later', ['payments:read'], new Date(Date.now() + 3_600_000));
  api = await startApiServer({ db: t.db, createPayment: new CreatePayment(t.db, events), cancelPayment: new CancelPayment(t.db, events), events });
  base = api.base;
});
afterAll(async () => {
  await api.close();
  await events.settle();
  await t.drop();
});

async function call(method: string, path: string, token: string, body?: unknown, key?: string) {
  const res = await fetch(base + path, {
    method,
    headers: {
      authorization: `Bearer ${secrets[token]}`, ...(key ? { 'idempotency-key': key } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const order = (purpose: string) => ({ debtor_account: 'cmb-cny', payee: 'acme', amount: '500', currency: 'CNY', purpose });

test('payments:read:own reads the payments this token created and nothing else', async () => {
  const mine = await call('POST', '/api/v1/payments', 'erp-own', order('own one'), 'own-1');
  const theirs = await call('POST', '/api/v1/payments', 'erp-all', order('someone else'), 'all-1');
  expect([mine.status, theirs.status]).toEqual([201, 201]);
  expect((await call('GET', `/api/v1/payments/${mine.body.reference}`, 'erp-own')).status).toBe(200);
  const other = await call('GET', `/api/v1/payments/${theirs.body.reference}`, 'erp-own');
  expect(other).toMatchObject({ status: 404, body: { error: { code: 'PAYMENT.NOT_FOUND' } } });
  const list = await call('GET', '/api/v1/payments', 'erp-own');
  expect(list.body.data.map((p: any) => p.reference)).toEqual([mine.body.reference]);
  // A payments:read token still reads everything.
  expect((await call('GET', '/api/v1/payments', 'erp-all')).body.data).toHaveLength(2);
  expect((await call('GET', `/api/v1/payments/${mine.body.reference}`, 'erp-all')).status).toBe(200);
});

test('payments:read:own does not open routes that cannot narrow to own payments (webhooks)', async () => {
  const r = await call('GET', '/api/v1/webhooks', 'erp-own');
  expect(r).toMatchObject({ status: 403, body: { error: { code: 'AUTH.SCOPE_MISSING' } } });
});

test('an expired token is refused with its own code; one not yet expired works', async () => {
  expect(await call('GET', '/api/v1/payments', 'erp-expired')).toMatchObject({ status: 401, body: { error: { code: 'AUTH.TOKEN_EXPIRED' } } });
  expect((await call('GET', '/api/v1/payments', 'erp-later')).status).toBe(200);
});

test('last_used_at records when a token was used', async () => {
  const before = (await apiTokens.list(t.db)).find((x) => x.name === 'erp-later')!;
  expect(before.lastUsedAt).toBeInstanceOf(Date);
  const unused = await apiTokens.create(t.db, { name: 'never-used', scopes: ['payments:read'], createdBy: 'user:root' });
  expect(unused.ok && unused.value.record.lastUsedAt).toBeUndefined();
});
