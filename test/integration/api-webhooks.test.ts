import { createServer, IncomingMessage, Server } from 'node:http';
import { createApiRoutes } from '../../src/http/api/api-handler';
import { HttpServer } from '../../src/http/http-server';
import { createLogger } from '../../src/logger';
import { ApiToken, apiTokens } from '../../src/services/api-tokens/api-tokens';
import { PaymentEvents } from '../../src/services/events';
import { CancelPayment } from '../../src/services/payments/cancel-payment';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { WebhookDispatcher } from '../../src/services/webhooks/webhook-dispatcher';
import { verifyWebhookSignature } from '../../src/services/webhooks/webhook-signature';
import { WebhookStore } from '../../src/services/webhooks/webhook-store';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A subscriber on 127.0.0.1 that answers with the statuses it is told, in turn, then 200. */
class Receiver {
  readonly requests: Received[] = [];
  private server?: Server;
  url = '';
  constructor(private readonly answers: Record<string, number[]> = {}) {}
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const status = this.answers[req.url ?? '']?.shift() ?? 200;
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }
  on(path: string): Received[] {
    return this.requests.filter((r) => r.path === path);
  }
  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

let t: TestDb;
let f: Fixture;
let http: HttpServer;
let base: string;
let events: PaymentEvents;
let dispatcher: WebhookDispatcher;
let receiver: Receiver;
let erp: string;
let other: string;
let erpToken: ApiToken;
/** The receiver runs on 127.0.0.1, which the API (https to public hosts only) refuses: tests register through a store that allows it. */
const localStore = new WebhookStore({ allowInsecureLocal: true });
async function subscribeLocally(url: string): Promise<{ id: string; secret: string; created_at: string }> {
  const r = await localStore.subscribe(t.db, erpToken, url);
  if (!r.ok) throw new Error(r.code);
  return { id: r.value.id, secret: r.value.secret, created_at: r.value.createdAt.toISOString() };
}

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  events = new PaymentEvents(t.db);
  const log = createLogger({ level: 'silent' });
  const mint = async (name: string) => {
    const r = await apiTokens.create(t.db, { name, scopes: ['payments:write', 'payments:read'], createdBy: 'user:root' });
    if (!r.ok) throw new Error(r.code);
    return r.value;
  };
  ({ token: erp, record: erpToken } = await mint('erp'));
  other = (await mint('other-erp')).token;
  // The first delivery to /hooks fails with a 500; /down always fails.
  receiver = new Receiver({ '/hooks': [500], '/down': [503, 503, 503, 503] });
  await receiver.start();
  http = new HttpServer(log);
  http.register(createApiRoutes({ db: t.db, createPayment: new CreatePayment(t.db, events), cancelPayment: new CancelPayment(t.db, events), events, log }));
  base = `http://127.0.0.1:${(await http.listen('127.0.0.1', 0)).port}`;
  dispatcher = new WebhookDispatcher(t.db, events, { maxAttempts: 3, baseDelayMs: 30, pollMs: 20, timeoutMs: 2_000, log, allowInsecureLocal: true });
  dispatcher.start();
  await events.start(); // the outbox hands status changes to the webhook consumer
});
afterAll(async () => {
  await dispatcher.stop();
  http.closeAllConnections();
  await http.close();
  await receiver.stop();
  await events.stop();
  await t.drop();
});

async function call(method: string, path: string, token: string, body?: unknown, key?: string) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const order = { debtor_account: 'cmb-cny', payee: 'acme', amount: '50000', currency: 'CNY', purpose: 'PO-1', external_ref: 'PO-1' };
async function until<T>(what: () => Promise<T> | T, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const deliveries = () =>
  t.db.read((em) => em.execute(`select d.attempts, d.delivered_at, d.failed_at, d.last_error, s.url from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id order by d.created_at`));

let secret: string;
let subscriptionId: string;

test('a subscriber receives signed status changes of its payments, retried after a 500', async () => {
  const sub = await subscribeLocally(`${receiver.url}/hooks`);
  expect(sub.secret).toMatch(/^whsec_/);
  secret = sub.secret;
  subscriptionId = sub.id;
  // The secret is shown once: listing never repeats it.
  const listed = await call('GET', '/api/v1/webhooks', erp);
  expect(listed.body.data).toEqual([{ id: subscriptionId, url: `${receiver.url}/hooks`, created_at: sub.created_at, active: true }]);

  const created = await call('POST', '/api/v1/payments', erp, order, 'po-1');
  // Approved in chat: a status change the ERP should hear about.
  await new DecideApproval(t.db, events).execute({ reference: created.body.reference, approverId: f.users.approver, decision: 'approve', via: 'slack' });

  const got = await until(() => receiver.on('/hooks'), (r) => r.length >= 2);
  const [failed, delivered] = got;
  // The retry is the same event with the same body, freshly signed.
  expect(delivered.body).toBe(failed.body);
  expect(delivered.headers['x-paydesk-event-id']).toBe(failed.headers['x-paydesk-event-id']);
  const body = JSON.parse(delivered.body);
  expect(body).toMatchObject({
    type: 'payment.status_changed',
    data: { reference: created.body.reference, status: 'approved', iso_status: 'ACTC', previous_status: 'pending_approval', amount: '50000.00', currency: 'CNY', amount_minor: '5000000', external_ref: 'PO-1' },
  });
  const ts = String(delivered.headers['x-paydesk-timestamp']);
  const signature = String(delivered.headers['x-paydesk-signature']);
  expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
  expect(verifyWebhookSignature(secret, ts, delivered.body, signature)).toBe(true);
  // A forged body or another secret does not verify.
  expect(verifyWebhookSignature(secret, ts, delivered.body.replace('50000.00', '90000.00'), signature)).toBe(false);
  expect(verifyWebhookSignature('whsec_other', ts, delivered.body, signature)).toBe(false);

  const [row] = await until(deliveries, (rows) => rows.length === 1 && rows[0].delivered_at !== null);
  expect(row).toMatchObject({ attempts: 2, last_error: null, failed_at: null });
});

test('payments of other tokens are not sent to this subscriber', async () => {
  const before = receiver.on('/hooks').length;
  const theirs = await call('POST', '/api/v1/payments', other, order, 'po-1');
  expect((await call('POST', `/api/v1/payments/${theirs.body.reference}/cancel`, other)).status).toBe(200);
  await events.settle();
  await dispatcher.deliverDue();
  expect(receiver.on('/hooks')).toHaveLength(before);
  expect(await deliveries()).toHaveLength(1);
});

test('a subscriber that keeps failing is given up after the configured attempts', async () => {
  await call('DELETE', `/api/v1/webhooks/${subscriptionId}`, erp);
  await subscribeLocally(`${receiver.url}/down`);
  const created = await call('POST', '/api/v1/payments', erp, { ...order, external_ref: 'PO-2' }, 'po-2');
  expect((await call('POST', `/api/v1/payments/${created.body.reference}/cancel`, erp)).status).toBe(200);
  const rows = await until(deliveries, (r) => r.some((d: any) => d.url.endsWith('/down') && d.failed_at !== null));
  const down = rows.find((d: any) => d.url.endsWith('/down'));
  expect(down).toMatchObject({ attempts: 3, delivered_at: null, last_error: 'HTTP 503' });
  expect(receiver.on('/down')).toHaveLength(3);
  // The removed subscription got nothing of this payment.
  expect(receiver.on('/hooks').filter((r) => r.body.includes(created.body.reference))).toEqual([]);
});

test('webhook subscriptions are per token and their changes are audited', async () => {
  expect((await call('DELETE', `/api/v1/webhooks/${subscriptionId}`, erp)).status).toBe(404);
  const mine = await call('GET', '/api/v1/webhooks', erp);
  expect((await call('DELETE', `/api/v1/webhooks/${mine.body.data[0].id}`, other)).status).toBe(404);
  expect((await call('POST', '/api/v1/webhooks', erp, { url: 'ftp://example.com/x' })).status).toBe(400);
  expect((await call('POST', '/api/v1/webhooks', erp, { url: 'https://user:pw@example.com/x' })).body.error.code).toBe('WEBHOOK.INVALID_URL');
  const audit = await t.db.read((em) => em.execute(`select action, actor from audit_events where subject_type = 'webhook' order by seq`));
  expect(audit).toEqual([
    { action: 'webhook.subscribed', actor: 'api:erp' },
    { action: 'webhook.unsubscribed', actor: 'api:erp' },
    { action: 'webhook.subscribed', actor: 'api:erp' },
  ]);
});

test('registration takes only https URLs of public hosts: nothing inside the network, whatever the spelling', async () => {
  const refused = [
    `${receiver.url}/hooks`, // plain http to this machine
    'http://erp.example.com/hook', // plain http anywhere
    'https://localhost/hook',
    'https://app.localhost/hook',
    'https://127.0.0.2/hook',
    'https://10.1.2.3/hook',
    'https://172.16.0.9/hook',
    'https://192.168.1.20/hook',
    'https://169.254.169.254/latest/meta-data', // cloud metadata
    'https://100.64.0.1/hook',
    'https://0.0.0.0/hook',
    'https://[::1]/hook',
    'https://[fd12:3456::1]/hook',
    'https://[fe80::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://2130706433/hook', // 127.0.0.1 as one number
  ];
  for (const url of refused) {
    const r = await call('POST', '/api/v1/webhooks', other, { url });
    expect({ url, status: r.status, code: r.body.error.code }).toEqual({ url, status: 422, code: 'WEBHOOK.URL_NOT_ALLOWED' });
  }
  const zh = await fetch(base + '/api/v1/webhooks', {
    method: 'POST',
    headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json', 'accept-language': 'zh-CN' },
    body: JSON.stringify({ url: 'https://10.0.0.1/x' }),
  });
  expect((await zh.json()).error.message).toMatch(/^Webhook 地址必须使用 https/);

  const ok = await call('POST', '/api/v1/webhooks', other, { url: 'https://erp.example.com/paydesk/hook' });
  expect(ok.status).toBe(201);
  expect((await call('DELETE', `/api/v1/webhooks/${ok.body.id}`, other)).status).toBe(204);

  // Allowing local receivers (development and tests) opens http to loopback only, never plain http elsewhere.
  const token = (await t.db.read((em) => em.execute(`select id, name from api_tokens where name = 'other-erp'`)))[0];
  const as = { id: token.id, name: token.name, scopes: [], createdBy: 'user:root', createdAt: new Date() } as ApiToken;
  expect((await localStore.subscribe(t.db, as, 'http://10.0.0.1/hook')).ok).toBe(false);
  expect((await localStore.subscribe(t.db, as, 'http://erp.example.com/hook')).ok).toBe(false);
  const local = await localStore.subscribe(t.db, as, 'http://localhost:9/hook');
  expect(local.ok).toBe(true);
  if (local.ok) expect((await call('DELETE', `/api/v1/webhooks/${local.value.id}`, other)).status).toBe(204);
});
