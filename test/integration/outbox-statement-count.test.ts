/**
 * What one payment lifecycle costs in SQL, counted in the process (every pg query is seen), through
 * startApp: alice asks for ¥250,000 (two approvals), erin and carol approve, the sandbox bank
 * settles, and every consequence is delivered. Counts, not timings: the outbox may add one
 * statement (its INSERT) per state change, and its dispatcher a bounded number per event.
 */
import { Client } from 'pg';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { freePort } from '../support/reliability-process';
import { countSql, ignoreClient, installSqlCounter } from '../support/sql-counter';
import { createTestDb, TestDb } from '../support/test-db';

installSqlCounter();

let t: TestDb;
let app: RunningApp;
let watch: Client;

beforeAll(async () => {
  t = await createTestDb();
  const config = loadConfig({
    DATABASE_URL: t.url, PORT: String(await freePort()), HOST: '127.0.0.1', PLAYGROUND: 'on', PAYDESK_DEMO: 'on',
    SANDBOX_SETTLE_DELAY_MS: '0', DEFAULT_LOCALE: 'en', LOG_LEVEL: 'silent', OUTBOX_INTERVAL_MS: '200',
  });
  app = await startApp(config, createLogger({ level: 'silent' }), { schedulerLockLifetimeMs: 2_000 });
  watch = ignoreClient(new Client({ connectionString: t.url }));
  await watch.connect();
}, 60_000);
afterAll(async () => {
  await watch?.end();
  await app?.stop();
  await t.drop();
});

const say = (who: string, text: string) => app.chat.commands.handleText({ actor: { platform: 'web', platformUserId: who }, text });

async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
}

/** Every event handed to every consumer. */
async function outboxDrained(): Promise<boolean> {
  return (await watch.query(`select not exists (select 1 from outbox_events where completed_at is null) as ok`)).rows[0].ok;
}

test('one two-approval lifecycle: the outbox adds one INSERT per state change, and its dispatcher a few statements per event', async () => {
  await until('the start-up to go quiet', outboxDrained);
  const read = countSql();
  const created = await say('alice', '/pay new ¥250,000 to acme for statement count from cmb');
  const reference = /PAY-\d{4}-\d{6}/.exec(JSON.stringify(created.view))?.[0];
  expect(reference).toBeDefined();
  await until('the approval card', outboxDrained);
  await say('erin', `/pay approve ${reference}`);
  await until('the first vote delivered', outboxDrained);
  await say('carol', `/pay approve ${reference}`);
  const settled = async () => (await watch.query(`select status from payments where reference = $1`, [reference])).rows[0]?.status === 'settled';
  await until('settlement', settled);
  await until('every consequence delivered', outboxDrained);
  const c = read();
  const events = Number((await watch.query(
    `select count(*) as n from outbox_events e join payments p on p.id::text = e.subject_id where p.reference = $1`, [reference])).rows[0].n);
  const dispatcher = c.outbox - c.outboxInserts;
  // Read by the report (docs/PERFORMANCE.md): printed, so a run on another commit can be compared.
  console.log(JSON.stringify({ events, statements: c.statements, transactions: c.transactions, outboxInserts: c.outboxInserts, dispatcher, agenda: c.agenda }));
  if (process.env.SQL_COUNT_DUMP) require('node:fs').writeFileSync(process.env.SQL_COUNT_DUMP, c.texts.join('\n'));
  // create, erin's vote, carol's vote (+ approved), submitted, settled: five state changes, one INSERT each.
  expect(events).toBe(6);
  expect(c.outboxInserts).toBeLessThanOrEqual(5);
  // The dispatcher claims a batch in one statement and finishes it in one; a round that finds nothing costs one.
  expect(dispatcher).toBeLessThanOrEqual(3 * events);
}, 60_000);

test('an idle dispatcher sleeps on LISTEN: no outbox statement in 3 s without events', async () => {
  await until('the outbox to be empty', outboxDrained);
  const read = countSql();
  await new Promise((r) => setTimeout(r, 3_000));
  const c = read();
  console.log(JSON.stringify({ idleSeconds: 3, statements: c.statements, transactions: c.transactions, outbox: c.outbox }));
  expect(c.outbox).toBe(0);
});
