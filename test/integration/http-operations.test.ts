/**
 * What an operator gets from paydesk's HTTP server: request ids, one access log
 * line per request (nothing secret in it), body limits, rate limits with
 * Retry-After, health and readiness, and the Prometheus families. The API, the
 * Slack receiver and the metrics routes are the production ones on a real
 * HttpServer; the database is real PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Validator } from '@seriousme/openapi-schema-validator';
import { API_ROUTES, createApiRoutes } from '../../src/http/api/api-handler';
import { healthRoutes } from '../../src/http/health';
import { HttpServer } from '../../src/http/http-server';
import { createMetrics, Metrics } from '../../src/http/metrics/metrics';
import { metricsRoutes, mountMetrics } from '../../src/http/metrics/metrics-routes';
import { createLogger } from '../../src/logger';
import { Database } from '../../src/persistence/database';
import { migrate, openOrm } from '../../src/persistence/orm';
import { apiTokens } from '../../src/services/api-tokens/api-tokens';
import { PaymentEvents, RetryLater } from '../../src/services/events';
import { CancelPayment } from '../../src/services/payments/cancel-payment';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { Fixture, seedFixture } from '../support/fixtures';
import { adminQuery, withDatabase } from '../support/pg-admin';
import { FORM, SlackHarness, startSlackHarness } from '../support/slack-harness';
import { slashCommandForm } from '../support/slack-signing';
import { createTestDb, TestDb } from '../support/test-db';

const METRICS_TOKEN = 'metrics-token-0123456789';
const BODY_LIMIT = 4096;

let t: TestDb;
let fixture: Fixture;
let events: PaymentEvents;
let http: HttpServer;
let base: string;
let metrics: Metrics;
const lines: Record<string, any>[] = [];
const tokens: Record<'erp' | 'other', string> = {} as never;

function makeServer(limits: { perTokenPerMinute: number; perIpPerMinute: number }, log = createLogger({ level: 'silent' })) {
  const server = new HttpServer(log, { onRequestDone: (o) => metrics.observeRequest(o) });
  server.register(createApiRoutes(
    { db: t.db, createPayment: new CreatePayment(t.db, events), cancelPayment: new CancelPayment(t.db, events), events, log },
    { bodyLimit: BODY_LIMIT, ...limits },
  ));
  return server;
}

beforeAll(async () => {
  t = await createTestDb();
  fixture = await seedFixture(t.db);
  events = new PaymentEvents();
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const log = createLogger({ level: 'info', destination: sink });
  metrics = createMetrics({ db: t.db, log });
  for (const name of ['erp', 'other'] as const) {
    const r = await apiTokens.create(t.db, { name, scopes: ['payments:write', 'payments:read'], createdBy: 'user:root' });
    if (!r.ok) throw new Error(r.code);
    tokens[name] = r.value.token;
  }
  http = makeServer({ perTokenPerMinute: 5, perIpPerMinute: 1000 }, log);
  http.register(healthRoutes(t.db));
  http.register(metricsRoutes(metrics, { token: METRICS_TOKEN }));
  base = `http://127.0.0.1:${(await http.listen('127.0.0.1', 0)).port}`;
});
afterAll(async () => {
  await http.close();
  await events.settle();
  await t.drop();
});

const order = { debtor_account: 'cmb-cny', payee: 'acme', amount: '50000', currency: 'CNY', purpose: 'Secret project Falcon', external_ref: 'PO-OPS-1' };

describe('request ids and the access log', () => {
  test('a caller\'s X-Request-Id is returned and names every log line of its request', async () => {
    lines.length = 0;
    const res = await fetch(`${base}/api/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.erp}`, 'idempotency-key': 'ops-1', 'content-type': 'application/json', 'x-request-id': 'erp-trace-42' },
      body: JSON.stringify(order),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('erp-trace-42');
    await events.settle();
    const mine = lines.filter((l) => l.reqId === 'erp-trace-42');
    // The route's own line (written by API code that never saw the id) and the access line.
    expect(mine.map((l) => l.msg)).toEqual(expect.arrayContaining(['payment requested over the API', 'http request']));
    expect(lines.filter((l) => l.msg === 'http request')).toHaveLength(1);
  });

  test('without one (or with one that could smuggle text into logs) the server makes a fresh id', async () => {
    const plain = await fetch(`${base}/healthz`);
    const forged = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'a b\u00e9"}' } });
    const ids = [plain.headers.get('x-request-id'), forged.headers.get('x-request-id')];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  test('the access line has method, route pattern, status and ms; no token, body, id in the path or query', async () => {
    lines.length = 0;
    const res = await fetch(`${base}/api/v1/payments/PAY-1999-424242?secret=query-value`, {
      headers: { authorization: `Bearer ${tokens.erp}`, 'x-request-id': 'read-1' },
    });
    expect(res.status).toBe(404);
    const access = lines.filter((l) => l.msg === 'http request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ reqId: 'read-1', method: 'GET', route: '/api/v1/payments/:ref', status: 404, ms: expect.any(Number) });
    const text = JSON.stringify(lines);
    for (const leak of [tokens.erp, 'PAY-1999-424242', 'query-value', 'Bearer']) expect(text).not.toContain(leak);
  });

  test('a POST\'s body never reaches the access line', async () => {
    lines.length = 0;
    await fetch(`${base}/api/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.other}`, 'idempotency-key': 'ops-body', 'content-type': 'application/json' },
      body: JSON.stringify({ ...order, purpose: 'Payroll for Falcon team', amount: '1.234' }),
    });
    const access = lines.filter((l) => l.msg === 'http request');
    expect(access).toEqual([expect.objectContaining({ method: 'POST', route: '/api/v1/payments', status: 422 })]);
    expect(JSON.stringify(access)).not.toMatch(/Falcon|1\.234|ops-body/);
  });
});

describe('limits', () => {
  test('a body over the API limit is 413 in the API error shape, before anything is created', async () => {
    const count = async () => Number((await t.db.read((em) => em.execute(`select count(*) as n from payments`)))[0].n);
    const before = await count();
    const res = await fetch(`${base}/api/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.other}`, 'idempotency-key': 'too-big', 'content-type': 'application/json' },
      body: JSON.stringify({ ...order, purpose: 'x'.repeat(BODY_LIMIT) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'API.BODY_TOO_LARGE', message: 'The request body is too large.' } });
    expect(await count()).toBe(before);
  });

  test('over its per-token budget a token gets 429 with Retry-After; another token is unaffected', async () => {
    const get = (token: string) => fetch(`${base}/api/v1/payments?limit=1`, { headers: { authorization: `Bearer ${token}`, 'accept-language': 'zh-CN' } });
    // A fresh token, so the earlier tests' requests do not count.
    const r = await apiTokens.create(t.db, { name: 'burst', scopes: ['payments:read'], createdBy: 'user:root' });
    if (!r.ok) throw new Error(r.code);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) statuses.push((last = await get(r.value.token)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(last!.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const body = await last!.json();
    expect(body.error.code).toBe('API.RATE_LIMITED');
    expect(body.error.message).toContain('秒后重试');
    const other = await apiTokens.create(t.db, { name: 'calm', scopes: ['payments:read'], createdBy: 'user:root' });
    if (!other.ok) throw new Error(other.code);
    expect((await get(other.value.token)).status).toBe(200);
  });

  test('one address is limited whatever tokens it sends, made-up ones included', async () => {
    const server = makeServer({ perTokenPerMinute: 1000, perIpPerMinute: 3 });
    const url = `http://127.0.0.1:${(await server.listen('127.0.0.1', 0)).port}/api/v1/payments`;
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 4; i++) statuses.push((last = await fetch(url, { headers: { authorization: `Bearer pd_guess-${i}` } })).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});

describe('health', () => {
  test('/healthz answers; /readyz is ready on a migrated database', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  test('/readyz is 503 until the migrations are applied', async () => {
    const server = process.env.PAYDESK_TEST_SERVER_URL!;
    const name = `${t.name}_bare`;
    await adminQuery(server, `create database ${name}`);
    const db = new Database(await openOrm(withDatabase(server, name)));
    const h = new HttpServer(createLogger({ level: 'silent' }));
    h.register(healthRoutes(db));
    const url = `http://127.0.0.1:${(await h.listen('127.0.0.1', 0)).port}/readyz`;
    try {
      const before = await fetch(url);
      expect(before.status).toBe(503);
      expect(await before.json()).toMatchObject({ status: 'migrations_pending', pending: expect.arrayContaining([expect.stringMatching(/CoreSchema/)]) });
      await migrate(db.orm);
      expect((await fetch(url)).status).toBe(200);
    } finally {
      await h.close();
      await db.close();
      await adminQuery(server, `drop database if exists ${name} with (force)`);
    }
  });
});

describe('GET /metrics', () => {
  let slack: SlackHarness;
  beforeAll(async () => {
    slack = await startSlackHarness({ secret: 'ops-secret', adapter: { onAck: (action, s) => metrics.observeAck('slack', action, s) } });
  });
  afterAll(async () => slack.stop());

  /** Outbox consumers that have not caught up: one told to come back in a minute, one that fails and is parked. */
  async function outboxWithStragglers(): Promise<PaymentEvents> {
    const outbox = new PaymentEvents(t.db, { listen: false, maxAttempts: 1 });
    const made = await new CreatePayment(t.db, outbox).execute({
      source: 'chat', debtorAccountId: fixture.accountId, payeeId: fixture.knownPayeeId, amount: { minor: 123_400n, currency: 'CNY' },
      purpose: 'Metrics', requesterId: fixture.users.requester, actor: 'user:rita',
    });
    if (!made.ok) throw new Error(made.code);
    outbox.subscribe('ops-waiting', () => { throw new RetryLater(60_000); });
    outbox.subscribe('ops-broken', () => { throw new Error('receiver gone'); });
    await outbox.settle();
    return outbox;
  }

  test('needs the metrics token', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
  });

  test('exposes HTTP, chat ack, payment, approval, bank, outbox, webhook, alert, scheduler and process families', async () => {
    const cmd = slashCommandForm({ command: '/pay', text: 'help', user_id: 'U_nobody', response_url: slack.fake.responseUrl('ops') });
    expect((await slack.post(cmd, {}, FORM)).status).toBe(200);
    await slack.settle();
    const outbox = await outboxWithStragglers();

    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const family of [
      'paydesk_http_request_duration_seconds histogram', 'paydesk_chat_ack_seconds histogram', 'paydesk_payments gauge',
      'paydesk_pending_approvals gauge', 'paydesk_oldest_pending_approval_age_seconds gauge', 'paydesk_approval_votes gauge',
      'paydesk_approval_votes_last_minute gauge', 'paydesk_bank_payments gauge', 'paydesk_bank_submissions_due gauge',
      'paydesk_webhook_deliveries gauge', 'paydesk_webhook_delivery_lag_seconds gauge', 'paydesk_alerts_open gauge',
      'paydesk_scheduler_job_lag_seconds gauge', 'paydesk_outbox_lag_seconds gauge', 'paydesk_outbox_backlog_age_seconds gauge',
      'paydesk_outbox_parked gauge', 'process_cpu_user_seconds_total counter', 'process_resident_memory_bytes gauge',
      'nodejs_eventloop_lag_seconds gauge', 'nodejs_heap_size_used_bytes gauge',
    ])
      expect(text).toContain(`# TYPE ${family}`);
    // The consumer told to retry in a minute still owes the events; the failing one parked them.
    expect(text).toMatch(/paydesk_outbox_lag_seconds\{consumer="ops-waiting"\} \d/);
    expect(text).toMatch(/paydesk_outbox_parked\{consumer="ops-broken"\} [1-9]/);
    expect(text).not.toMatch(/paydesk_outbox_parked\{consumer="ops-waiting"\}/);
    await outbox.stop();
    // The sample dashboard only charts families that exist.
    const dashboard = readFileSync(path.resolve(__dirname, '../../docs/grafana-dashboard.json'), 'utf8');
    const charted = new Set([...dashboard.matchAll(/\b((?:paydesk|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, '')));
    expect(charted.size).toBeGreaterThan(15);
    for (const name of charted) expect(text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    expect(text).toMatch(/paydesk_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/payments",status="201"\} \d+/);
    expect(text).toMatch(/paydesk_chat_ack_seconds_count\{platform="slack",action="slash_command"\} 1/);
    // The payment created above is pending approval.
    expect(text).toMatch(/paydesk_payments\{status="pending_approval"\} [1-9]/);
    expect(text).toMatch(/paydesk_pending_approvals [1-9]/);
    expect(text).not.toContain('paydesk_metrics_scrape_errors_total{');
  });
});

describe('where /metrics is served', () => {
  const silent = createLogger({ level: 'silent' });
  async function statusOf(config: { http: { host: string; port: number }; metrics: { token?: string; port?: number; host: string } }) {
    const main = new HttpServer(silent);
    const own = mountMetrics(main, metrics, config, silent);
    const mainUrl = `http://127.0.0.1:${(await main.listen('127.0.0.1', 0)).port}/metrics`;
    const ownUrl = own ? `http://127.0.0.1:${(await own.listen('127.0.0.1', 0)).port}/metrics` : undefined;
    try {
      return { main: (await fetch(mainUrl)).status, own: ownUrl ? (await fetch(ownUrl)).status : undefined };
    } finally {
      await main.close();
      await own?.close();
    }
  }

  test('open on a loopback HOST; off on a public HOST without a token; its own port when METRICS_PORT is set', async () => {
    expect(await statusOf({ http: { host: '127.0.0.1', port: 3000 }, metrics: { host: '127.0.0.1' } })).toEqual({ main: 200, own: undefined });
    expect(await statusOf({ http: { host: '0.0.0.0', port: 3000 }, metrics: { host: '127.0.0.1' } })).toEqual({ main: 404, own: undefined });
    expect(await statusOf({ http: { host: '0.0.0.0', port: 3000 }, metrics: { host: '127.0.0.1', token: METRICS_TOKEN } })).toEqual({ main: 401, own: undefined });
    expect(await statusOf({ http: { host: '0.0.0.0', port: 3000 }, metrics: { host: '127.0.0.1', port: 9464 } })).toEqual({ main: 404, own: 200 });
  });
});

test('GET /api/v1/openapi.json is a valid OpenAPI 3.1 document with every route of the table, and only those', async () => {
  const doc = await (await fetch(`${base}/api/v1/openapi.json`)).json();
  const validator = new Validator();
  expect(await validator.validate(doc)).toEqual({ valid: true });
  const operations = Object.entries(doc.paths as Record<string, Record<string, { operationId: string }>>)
    .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`));
  expect(operations.sort()).toEqual(API_ROUTES.map((r) => `${r.method} /api/v1${r.path} ${r.operationId}`).sort());
  // Every authenticated route documents its scope, the auth errors and the rate limit.
  for (const ops of Object.values(doc.paths as Record<string, Record<string, any>>))
    for (const op of Object.values(ops)) {
      expect(op['x-required-scope']).toEqual(expect.any(String));
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403', '429']));
    }
});

test('paths the router cannot decode, and very long references, are 404s in the error shape', async () => {
  const bad = await fetch(`${base}/api/v1/payments/%E0%A4%A`, { headers: { authorization: `Bearer ${tokens.erp}` } });
  expect(bad.status).toBe(404);
  expect((await bad.json()).error.code).toBe('HTTP.NOT_FOUND');
  const long = await fetch(`${base}/api/v1/payments/PAY-${'9'.repeat(300)}`, { headers: { authorization: `Bearer ${tokens.erp}` } });
  expect(long.status).toBe(404);
  expect((await long.json()).error.code).toBe('PAYMENT.NOT_FOUND');
});
