/**
 * The two database roles (README: Security notes): migrations run as the owner,
 * paydesk as an application role that can add to the audit trail and read it but
 * not rewrite it, nor switch off the triggers that keep it append-only. Role names
 * are unique per test database: roles are cluster-wide and test files run in parallel.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Reply } from '../../commands/view/view';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { ensureRoles, openAppDatabase } from '../../src/database-bootstrap';
import { createLogger } from '../../src/logger';
import { grantApplicationRole } from '../../src/persistence/database-roles';
import { linkPendingAuditEvents } from '../../src/services/audit/audit-chainer';
import { verifyAuditChain } from '../../src/services/audit/verify-audit-chain';
import { adminQuery, withDatabase } from '../support/pg-admin';
import { freePort } from '../support/reliability-process';
import { createTestDb, TestDb } from '../support/test-db';

let t: TestDb;
const suffix = randomBytes(4).toString('hex');
const APP = `paydesk_app_t${suffix}`;
const server = () => process.env.PAYDESK_TEST_SERVER_URL!;
const as = (url: string, role: string) => {
  const u = new URL(url);
  u.username = role;
  u.password = role;
  return u.toString();
};
let appUrl: string;
let app: Client;

beforeAll(async () => {
  t = await createTestDb();
  await adminQuery(server(), `create role ${APP} login password '${APP}'`);
  await grantApplicationRole(t.url, APP);
  appUrl = as(t.url, APP);
  app = new Client({ connectionString: appUrl });
  await app.connect();
  // One event and one checkpoint to try to rewrite.
  await app.query(`insert into audit_events (at, actor, action, subject_type, subject_id, data) values (now(), 'user:x', 'test.event', 'test', '1', '{}')`);
  await linkPendingAuditEvents(t.db);
});
afterAll(async () => {
  await app?.end();
  await t.drop();
  await adminQuery(server(), `drop role if exists ${APP}`);
});

const refused = async (sql: string, why: RegExp) => {
  await expect(app.query(sql)).rejects.toThrow(why);
};
const DENIED = /permission denied/; // the privilege layer, before any trigger runs
const NOT_OWNER = /must be owner/;

test('as the application role the audit trail cannot be rewritten, deleted or silenced', async () => {
  await refused(`update audit_events set actor = 'user:mallory'`, DENIED);
  await refused(`delete from audit_events`, DENIED);
  await refused(`truncate audit_events`, DENIED);
  // The link columns are the chainer's, once per event: a linked event refuses a second link (the trigger).
  await refused(`update audit_events set hash = repeat('0', 64) where chain_seq is not null`, /append-only/);
  await refused(`alter table audit_events disable trigger all`, NOT_OWNER);
  await refused(`alter table audit_events disable trigger audit_events_no_update`, NOT_OWNER);
  await refused(`drop trigger audit_events_no_update on audit_events`, NOT_OWNER);
  await refused(`update audit_checkpoints set hash = repeat('0', 64)`, DENIED);
  await refused(`delete from audit_checkpoints`, DENIED);
  await refused(`truncate audit_checkpoints`, DENIED);
  await refused(`alter table audit_checkpoints disable trigger all`, NOT_OWNER);
  await refused(`create or replace function audit_events_append_only() returns trigger language plpgsql as $$ begin return new; end $$`, /must be owner|permission denied for schema/);
  // What it may do: read both, append events.
  expect((await app.query(`select count(*)::int as n from audit_checkpoints`)).rows[0].n).toBeGreaterThan(0);
  await app.query(`insert into audit_events (at, actor, action, subject_type, subject_id, data) values (now(), 'user:x', 'test.event', 'test', '2', '{}')`);
  // The check can fail: the owner (here the test's superuser) can switch the trigger off.
  const owner = new Client({ connectionString: t.url });
  await owner.connect();
  try {
    await owner.query('begin');
    await owner.query(`alter table audit_events disable trigger all`);
    await owner.query('rollback');
  } finally {
    await owner.end();
  }
});

test('a single role that owns the audit tables gets a start-up warning saying what is lost; the split gets none', async () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'warn', destination: { write: (s: string) => void lines.push(s) } as any });
  const single = await openAppDatabase({ url: t.url, stop: async () => {} }, log);
  await single.db.close();
  expect(lines.join('\n')).toMatch(/could disable the append-only triggers and rewrite the audit trail/);
  // The same role under two URLs is still one role: warned, and its own rights untouched.
  lines.length = 0;
  const same = await openAppDatabase({ url: t.url, ownerUrl: `${t.url}${t.url.includes('?') ? '&' : '?'}application_name=owner`, stop: async () => {} }, log);
  await same.db.close();
  expect(lines.join('\n')).toMatch(/could disable the append-only triggers/);
  lines.length = 0;
  const split = await openAppDatabase({ url: appUrl, ownerUrl: t.url, stop: async () => {} }, log);
  await split.db.close();
  expect(lines).toEqual([]);
});

describe('the embedded default', () => {
  const db = `paydesk_t_roles_${suffix}`;
  const roles = { owner: `paydesk_owner_t${suffix}`, app: `paydesk_app2_t${suffix}` };
  afterAll(async () => {
    await adminQuery(server(), `drop database if exists ${db} with (force)`);
    for (const r of Object.values(roles)) await adminQuery(server(), `drop role if exists ${r}`);
  });

  test('creates both roles idempotently and hands a database from before the split to the owner', async () => {
    // A database from before the split: every table belongs to the superuser.
    await adminQuery(server(), `create database ${db} template ${process.env.PAYDESK_TEST_TEMPLATE}`);
    await ensureRoles(server(), db, roles);
    await ensureRoles(server(), db, roles); // second start
    const c = new Client({ connectionString: withDatabase(server(), db) });
    await c.connect();
    const notOwned = (await c.query(`select tablename from pg_tables where schemaname = 'public' and tableowner <> $1`, [roles.owner])).rows;
    const dbOwner = (await c.query(`select pg_get_userbyid(datdba) as o from pg_database where datname = current_database()`)).rows[0].o;
    await c.end();
    expect(notOwned).toEqual([]);
    expect(dbOwner).toBe(roles.owner);

    const lines: string[] = [];
    const log = createLogger({ level: 'warn', destination: { write: (s: string) => void lines.push(s) } as any });
    const target = { url: as(withDatabase(server(), db), roles.app), ownerUrl: as(withDatabase(server(), db), roles.owner), stop: async () => {} };
    const opened = await openAppDatabase(target, log);
    try {
      expect(lines).toEqual([]);
      const [{ who }] = await opened.db.read((em) => em.execute(`select current_user as who`));
      expect(who).toBe(roles.app);
      await expect(opened.db.read((em) => em.execute(`delete from audit_events`))).rejects.toThrow(/permission denied/);
    } finally {
      await opened.db.close();
    }
  });
});

describe('paydesk runs as the application role', () => {
  let running: RunningApp;
  beforeAll(async () => {
    const config = loadConfig({
      DATABASE_URL: appUrl, DATABASE_OWNER_URL: t.url, PORT: String(await freePort()), HOST: '127.0.0.1', PLAYGROUND: 'on',
      PAYDESK_DEMO: 'on', SANDBOX_SETTLE_DELAY_MS: '0', OUTBOX_INTERVAL_MS: '100', DEFAULT_LOCALE: 'en', LOG_LEVEL: 'silent',
    });
    running = await startApp(config, createLogger({ level: 'silent' }), { schedulerLockLifetimeMs: 2_000 });
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
  });
  const say = (who: string, text: string): Promise<Reply> => running.chat.commands.handleText({ actor: { platform: 'web', platformUserId: who }, text });

  // ¥50,000 is never auto-approved (¥500 would be, inside business hours): the treasurer's vote approves it whatever the time.
  test('a payment goes from request to settled, and the audit chain links and verifies', async () => {
    const [{ who }] = await running.core.db.read((em) => em.execute(`select current_user as who`));
    expect(who).toBe(APP);
    const created = await say('alice', '/pay new ¥50,000 to acme for 货款 from cmb');
    if (created.view.kind !== 'card') throw new Error(JSON.stringify(created.view));
    const ref = /PAY-\d{4}-\d{6}/.exec(created.view.title)![0];
    const approved = await say('carol', `/pay approve ${ref}`);
    expect(approved.view).toMatchObject({ kind: 'card', status: { code: 'ACTC' } });
    const status = async () => (await running.core.db.read((em) => em.execute(`select status from payments where reference = ?`, [ref])))[0].status;
    for (let i = 0; i < 100 && (await status()) !== 'settled'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await status()).toBe('settled');
    await linkPendingAuditEvents(running.core.db);
    const verdict = await verifyAuditChain(running.core.db);
    expect(verdict.intact).toBe(true);
    const actions = (await running.core.db.read((em) => em.execute(`select action from audit_events where subject_id = ? and chain_seq is not null order by seq`, [ref]))).map((r: any) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['payment.created', 'payment.approved', 'payment.settled']));
  }, 30_000);
});
