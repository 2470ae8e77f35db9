/**
 * What bench/e2e.ts drives: paydesk as its own process (src/main.ts → startApp, as
 * `npm start` runs it) with Slack in HTTP mode against a loopback fake of the Web API,
 * plus the three public doors a lifecycle goes through — the REST API, a signed
 * Approve button tap, a signed `/pay approve` slash command — and a watcher that sees
 * payments settle. Nothing here reaches into the server's memory.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { parse, stringify } from 'yaml';
import { Database } from '../../src/persistence/database';
import { openOrm } from '../../src/persistence/orm';
import { DEMO_DIRECTORY } from '../../src/seed-on-start';
import { apiTokens } from '../../src/services/api-tokens/api-tokens';
import { ApiCall, FakeSlackApi } from '../../test/support/fake-slack-api';
import { freePort, PaydeskProcess, startPaydesk } from '../../test/support/reliability-process';
import { blockActionsBody } from '../../test/support/reliability-slack';
import { slackSignature, slashCommandForm } from '../../test/support/slack-signing';

export const SIGNING_SECRET = 'bench-e2e-signing-secret';

/** What the probe (server-probe.cjs) reports: SQL round trips by kind and the server's CPU. */
export interface SqlCounts {
  roundTrips: number;
  statements: number;
  begins: number;
  commits: number;
  rollbacks: number;
  autocommit: number;
}

export interface ProbeCounts {
  /** What paydesk's own code sent (MikroORM's copy of pg). */
  orm: SqlCounts;
  /** What Agenda sent (the top-level copy of pg): job polling and locking. */
  scheduler: SqlCounts;
  cpuUserMs: number;
  cpuSystemMs: number;
}

/**
 * The demo company with an opening balance no run can exhaust: ¥250,000 lifecycles
 * would otherwise run the ¥5,000,000 account dry after twenty.
 */
function benchDirectory(): string {
  const doc = parse(readFileSync(DEMO_DIRECTORY, 'utf8'));
  for (const a of doc.accounts) if (a.code === 'cmb-cny-main') a.openingBalance = '1,000,000,000,000';
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'paydesk-bench-')), 'company.yaml');
  writeFileSync(file, stringify(doc));
  return file;
}

/** Waiters keyed by a string, resolved when the fake Slack API sees the matching call. */
class Waiters<T> {
  private readonly seen = new Map<string, T>();
  private readonly waiting = new Map<string, (v: T) => void>();
  put(key: string, value: T): void {
    const w = this.waiting.get(key);
    if (w) {
      this.waiting.delete(key);
      w(value);
    } else this.seen.set(key, value);
  }
  wait(key: string, timeoutMs: number, what: string): Promise<T> {
    const v = this.seen.get(key);
    if (v !== undefined) {
      this.seen.delete(key);
      return Promise.resolve(v);
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} ${key}`));
      }, timeoutMs);
      this.waiting.set(key, (x) => {
        clearTimeout(timer);
        resolve(x);
      });
    });
  }
}

/** The Approve button's value on a posted approval card, with the reference in its text. */
function approveButton(call: ApiCall): { reference: string; value: string } | undefined {
  if (call.method !== 'chat.postMessage' || !Array.isArray(call.args.blocks)) return undefined;
  const json = JSON.stringify(call.args.blocks);
  const reference = /PAY-\d{4}-\d+/.exec(json)?.[0];
  for (const b of call.args.blocks) for (const e of b.elements ?? []) if (e.action_id === 'payment.approve' && reference) return { reference, value: e.value };
  return undefined;
}

export interface E2eWorld {
  paydesk: PaydeskProcess;
  slack: FakeSlackApi;
  dbUrl: string;
  apiToken: string;
  probe(): Promise<ProbeCounts>;
  /** POST /api/v1/payments; resolves with the reference once the 201 is in. */
  createPayment(key: string, amount: string): Promise<string>;
  /** Resolves with the Approve button's value once the approval card for `reference` was posted to Slack. */
  approvalCard(reference: string): Promise<string>;
  /** A signed block_actions tap; resolves with the HTTP status (paydesk answers 200 after committing the vote; Bolt 404 after 3 s). */
  tapApprove(slackUser: string, value: string, tapId: string): Promise<number>;
  /** A signed `/pay approve <reference>`; resolves when paydesk's answer reaches response_url (the ack comes first, empty). */
  slashApprove(slackUser: string, reference: string, tapId: string): Promise<void>;
  /** Resolves when the payment is seen settled (one shared poller, every 20 ms). */
  settled(reference: string): Promise<void>;
  /** Transactions the watcher itself ran against paydesk's database (subtracted from pg_stat_database deltas). */
  watcherTransactions(): number;
  stop(): Promise<void>;
}

export async function startE2eWorld(o: { dbUrl: string; outboxIntervalMs: number; poolMax?: number }): Promise<E2eWorld> {
  const slack = await new FakeSlackApi().start();
  const cards = new Waiters<string>();
  const responses = new Waiters<unknown>();
  // The fake records every call in arrays; hooking their push sees each one once, without rescans.
  const calls = slack.calls;
  calls.push = (...items: ApiCall[]) => {
    for (const c of items) {
      const b = approveButton(c);
      if (b && c.args.channel === '#approvals') cards.put(b.reference, b.value);
    }
    // Keep memory flat over long runs: the bench needs each call only once.
    return 0;
  };
  slack.responses.push = (...items: { id: string; body: any }[]) => {
    for (const r of items) if (r.id.startsWith('cmd-')) responses.put(r.id, r.body);
    return 0;
  };

  const probeFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'paydesk-probe-')), 'counts.json');
  const port = await freePort();
  const paydesk = await startPaydesk({
    PORT: String(port), DATABASE_URL: o.dbUrl, NODE_ENV: 'production', LOG_LEVEL: 'warn', PLAYGROUND: 'off',
    PAYDESK_SEED_FILE: benchDirectory(), DEFAULT_LOCALE: 'en',
    SLACK_BOT_TOKEN: 'xoxb-bench-e2e', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl,
    SLACK_APPROVALS_CHANNEL: '#approvals',
    // The sandbox bank settles at once: the bench measures paydesk, not pretend clearing time.
    SANDBOX_SETTLE_DELAY_MS: '0', OUTBOX_INTERVAL_MS: String(o.outboxIntervalMs),
    PAYDESK_PROBE_FILE: probeFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(__dirname, 'server-probe.cjs')}`.trim(),
  }, 120_000);

  // An API token made the way an operator makes one (the CLI calls the same service).
  const orm = await openOrm(o.dbUrl, { pool: { min: 0, max: 2 } });
  const db = new Database(orm);
  const made = await apiTokens.create(db, { name: 'bench-erp', scopes: ['payments:write', 'payments:read'], createdBy: 'system:bench' });
  await db.close();
  if (!made.ok) throw new Error(`api token: ${made.code}`);
  const apiToken = made.value.token;

  // No keep-alive: a socket the server closes as idle while the next request is on its way ends in
  // ECONNRESET (seen once at c=8); a fresh loopback connection per request costs well under a millisecond.
  const agent = new Agent({ keepAlive: false, maxSockets: 64 });
  const post = (pathName: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: pathName, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const signed = (body: string, contentType: string) => {
    const ts = Math.floor(Date.now() / 1000);
    return { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature(SIGNING_SECRET, body, ts) };
  };
  const form = 'application/x-www-form-urlencoded';

  // One watcher for every payment in flight: a single indexed query every 20 ms.
  const watcher = new Client({ connectionString: o.dbUrl });
  await watcher.connect();
  let watcherTx = 0;
  const pending = new Map<string, () => void>();
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      if (pending.size > 0) {
        watcherTx += 1;
        const { rows } = await watcher.query(`select reference from payments where reference = any($1::text[]) and status = 'settled'`, [[...pending.keys()]]);
        for (const r of rows) {
          pending.get(r.reference)?.();
          pending.delete(r.reference);
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const polling = poll();

  return {
    paydesk, slack, dbUrl: o.dbUrl, apiToken,
    async probe() {
      const last = existsSync(probeFile) ? JSON.parse(readFileSync(probeFile, 'utf8')).serial : 0;
      process.kill(paydesk.child.pid!, 'SIGUSR2');
      for (let i = 0; i < 500; i++) {
        await new Promise((r) => setTimeout(r, 10));
        const now = existsSync(probeFile) ? JSON.parse(readFileSync(probeFile, 'utf8')) : undefined;
        if (now && now.serial > last) return now as ProbeCounts;
      }
      throw new Error('the server probe did not answer SIGUSR2');
    },
    async createPayment(key, amount) {
      const body = JSON.stringify({ debtor_account: 'cmb-cny-main', payee: 'acme', amount, currency: 'CNY', purpose: `bench e2e ${key}` });
      const r = await post('/api/v1/payments', { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json', 'idempotency-key': key }, body);
      if (r.status !== 201) throw new Error(`POST /api/v1/payments answered ${r.status}: ${r.text.slice(0, 300)}`);
      const p = JSON.parse(r.text);
      if (p.status !== 'pending_approval') throw new Error(`payment ${p.reference} is ${p.status}, expected pending_approval`);
      return p.reference as string;
    },
    approvalCard: (reference) => cards.wait(reference, 60_000, 'the approval card of'),
    async tapApprove(slackUser, value, tapId) {
      const body = blockActionsBody({ user: slackUser, actionId: 'payment.approve', value, actionTs: tapId, responseUrl: slack.responseUrl(`tap-${tapId}`) });
      return (await post('/slack/events', signed(body, form), body)).status;
    },
    async slashApprove(slackUser, reference, tapId) {
      const id = `cmd-${tapId}`;
      const answered = responses.wait(id, 60_000, 'the answer to');
      const body = slashCommandForm({ command: '/pay', text: `approve ${reference}`, user_id: slackUser, response_url: slack.responseUrl(id) });
      const r = await post('/slack/events', signed(body, form), body);
      if (r.status !== 200) throw new Error(`/pay approve answered ${r.status}: ${r.text.slice(0, 300)}`);
      const answer = JSON.stringify(await answered);
      if (!answer.includes(reference) || /refus|cannot|not allowed|失败/i.test(answer)) throw new Error(`/pay approve ${reference} was not approved: ${answer.slice(0, 400)}`);
    },
    settled: (reference) => new Promise<void>((resolve) => pending.set(reference, resolve)),
    watcherTransactions: () => watcherTx,
    async stop() {
      stopped = true;
      await polling.catch(() => undefined);
      await watcher.end().catch(() => undefined);
      agent.destroy();
      await paydesk.stop();
      await slack.stop();
    },
  };
}
