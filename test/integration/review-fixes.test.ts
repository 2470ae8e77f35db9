import { createServer, Server, ServerResponse } from 'node:http';
import { SandboxBank } from '../../src/banks/sandbox-bank';
import { Payment } from '../../src/domain/payment/payment';
import { JOBS } from '../../src/jobs/job-definitions';
import { startScheduler } from '../../src/jobs/scheduler';
import { ApiToken, apiTokens } from '../../src/services/api-tokens/api-tokens';
import { BankOutbox } from '../../src/services/bank/bank-outbox';
import { PaymentEvents } from '../../src/services/events';
import { RECEIPT_RETENTION_MS, claimReceipt, pruneInteractionReceipts } from '../../src/services/interaction-receipts';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { WebhookDispatcher } from '../../src/services/webhooks/webhook-dispatcher';
import { WebhookStore } from '../../src/services/webhooks/webhook-store';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

let t: TestDb;
let f: Fixture;
let events: PaymentEvents;
let server: Server;
let port: number;
const hits: string[] = [];
const HUGE = 64 * 1024 * 1024;
/** How far the receiver got with the huge reply when its connection closed. */
let huge: { sent: number; finished: boolean; closed: boolean } = { sent: 0, finished: false, closed: false };
/** How the receiver answers each path; anything else gets an empty 200. */
const answers: Record<string, (res: ServerResponse) => void> = {
  // 64 MB of reply: far more than any kernel buffer holds, so the receiver only finishes if paydesk reads it all.
  '/huge': (res) => {
    huge = { sent: 0, finished: false, closed: false };
    res.on('finish', () => (huge.finished = true));
    res.on('close', () => (huge.closed = true));
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(HUGE) });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = (): void => {
      while (!res.destroyed && huge.sent < HUGE) {
        huge.sent += chunk.length;
        const more = res.write(chunk);
        if (huge.sent >= HUGE) return void res.end();
        if (!more) return void res.once('drain', pump);
      }
    };
    pump();
  },
};

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  events = new PaymentEvents(t.db);
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits.push(req.url ?? '');
      (answers[req.url ?? ''] ?? ((r: ServerResponse) => r.writeHead(200).end()))(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await events.settle();
  await t.drop();
});

const rows = (sql: string, params: unknown[] = []) => t.db.read((em) => em.execute(sql, params));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const localStore = new WebhookStore({ allowInsecureLocal: true });

async function tokenNamed(name: string): Promise<ApiToken> {
  const r = await apiTokens.create(t.db, { name, scopes: ['payments:write', 'payments:read'], createdBy: 'user:root' });
  if (!r.ok) throw new Error(r.code);
  return r.value.record;
}
async function subscribe(token: ApiToken, url: string): Promise<void> {
  const r = await localStore.subscribe(t.db, token, url);
  if (!r.ok) throw new Error(r.code);
}
/** A payment the token created, as the webhook dispatcher sees one. */
async function apiPayment(token: ApiToken, amountYuan: number): Promise<Payment> {
  const r = await new CreatePayment(t.db, events).execute({
    source: 'api', actor: `api:${token.name}`, debtorAccountId: f.accountId, payeeId: f.knownPayeeId,
    amount: { minor: BigInt(amountYuan) * 100n, currency: 'CNY' }, purpose: `webhook ${amountYuan}`,
  });
  if (!r.ok) throw new Error(r.code);
  return r.value.payment;
}
const deliveriesTo = (pathSuffix: string) =>
  rows(
    `select d.attempts, d.delivered_at, d.last_error from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id
      where s.url like ? order by d.created_at`,
    [`%${pathSuffix}`],
  );

describe('webhook sends', () => {
  test('a receiver on a loopback or private address is refused at send time, by address and by name', async () => {
    const token = await tokenNamed('ssrf');
    await subscribe(token, `http://127.0.0.1:${port}/by-address`);
    await subscribe(token, `http://localhost:${port}/by-name`);
    const strict = new WebhookDispatcher(t.db, events, { maxAttempts: 5, baseDelayMs: 10, timeoutMs: 2_000 });
    expect(await strict.enqueue(await apiPayment(token, 111), 'pending_approval')).toBe(2);

    expect(await strict.deliverDue()).toBe(0);
    expect(hits.filter((h) => h.startsWith('/by-'))).toEqual([]);
    for (const path of ['/by-address', '/by-name'])
      expect(await deliveriesTo(path)).toEqual([{ attempts: 1, delivered_at: null, last_error: expect.stringMatching(/^BlockedDestination: .*not a public address/) }]);

    // The same deliveries do reach the receiver when local receivers are allowed, so it was the address that was refused.
    await sleep(30);
    const local = new WebhookDispatcher(t.db, events, { maxAttempts: 5, baseDelayMs: 10, timeoutMs: 2_000, allowInsecureLocal: true });
    expect(await local.deliverDue()).toBe(2);
    expect(hits.filter((h) => h.startsWith('/by-')).sort()).toEqual(['/by-address', '/by-name']);
  });

  test('a huge reply is read only up to 64 KB; the delivery still counts by its status', async () => {
    const token = await tokenNamed('bigreply');
    await subscribe(token, `http://127.0.0.1:${port}/huge`);
    const local = new WebhookDispatcher(t.db, events, { maxAttempts: 3, baseDelayMs: 10, timeoutMs: 5_000, allowInsecureLocal: true });
    expect(await local.enqueue(await apiPayment(token, 222), 'pending_approval')).toBe(1);
    expect(await local.deliverDue()).toBe(1);
    expect(await deliveriesTo('/huge')).toEqual([{ attempts: 1, delivered_at: expect.anything(), last_error: null }]);
    for (const deadline = Date.now() + 5_000; !huge.closed && Date.now() < deadline; ) await sleep(20);
    // paydesk hung up long before the end: the receiver never got to send it all.
    expect(huge).toMatchObject({ closed: true, finished: false });
    expect(huge.sent).toBeLessThan(HUGE);
  });
});

describe('interaction receipts', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);

  test('pruning deletes receipts older than seven days, of every platform, and keeps the rest', async () => {
    await rows(`delete from interaction_receipts`);
    for (const [platform, id, at] of [
      ['slack', 'old-slack', ago(8 * 24 * 3_600_000)],
      ['feishu-event', 'old-feishu', ago(RECEIPT_RETENTION_MS + 1000)],
      ['web', 'week-exactly', ago(RECEIPT_RETENTION_MS)],
      ['slack', 'fresh', ago(60_000)],
    ] as const)
      expect(await claimReceipt(t.db, platform, id, at)).toBe(true);

    expect(await pruneInteractionReceipts(t.db, now)).toBe(2);
    const left = await rows(`select receipt_id from interaction_receipts order by receipt_id`);
    expect(left.map((r: any) => r.receipt_id)).toEqual(['fresh', 'week-exactly']);
    expect(await pruneInteractionReceipts(t.db, now)).toBe(0);
    // A kept receipt still de-duplicates; a pruned one is free again.
    expect(await claimReceipt(t.db, 'slack', 'fresh', now)).toBe(false);
    expect(await claimReceipt(t.db, 'slack', 'old-slack', now)).toBe(true);
  });

  test('the scheduler runs prune-interaction-receipts daily, starting at once', async () => {
    await rows(`delete from interaction_receipts`);
    const real = new Date();
    await claimReceipt(t.db, 'slack', 'stale', new Date(real.getTime() - RECEIPT_RETENTION_MS - 60_000));
    await claimReceipt(t.db, 'slack', 'recent', real);
    const bank = new SandboxBank(t.db, 0);
    const quiet = { info: () => {}, warn: () => {}, error: () => {} };
    const s = await startScheduler({
      connectionString: t.url, db: t.db, events, bank, log: quiet, outbox: new BankOutbox(t.db, bank, events), createPayment: new CreatePayment(t.db, events),
      config: { outboxIntervalMs: 60_000, scanIntervalMs: 60_000, balancePollMs: 60_000, processEveryMs: 100, lockLifetimeMs: 2_000, remindAfterMs: 1e12, escalateAfterMs: 1e12, expireAfterMs: 1e12, stopTimeoutMs: 5_000 },
    });
    try {
      const deadline = Date.now() + 10_000;
      while ((await rows(`select 1 from interaction_receipts where receipt_id = 'stale'`)).length > 0) {
        if (Date.now() > deadline) throw new Error('the prune job did not run');
        await sleep(50);
      }
    } finally {
      await s.stop();
    }
    expect((await rows(`select receipt_id from interaction_receipts`)).map((r: any) => r.receipt_id)).toEqual(['recent']);
    const [job] = await rows(`select repeat_interval from agenda_jobs where name = ?`, [JOBS.pruneInteractionReceipts]);
    expect(String(job.repeat_interval)).toBe(String(24 * 3_600_000));
  });
});
