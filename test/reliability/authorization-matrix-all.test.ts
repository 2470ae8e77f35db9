/**
 * The rest of the authorization matrix (issue 20): every chat action paydesk has
 * beyond the seven payment actions of authorization-matrix.test.ts — schedules,
 * alerts (acknowledge, and releasing a payment held for a treasurer), holidays,
 * directory links, exports, API tokens — for every role, on the actor's own
 * object or someone else's, through the composition root (startApp) so every
 * module is wired as in production. The REST API's scopes have their own table
 * in api-scope-matrix.test.ts.
 *
 * A cell passes only when the database agrees with the table: an allowed action
 * did what it is for; a refused one answered with a refusal AND left its target,
 * the actor's audit trail, schedules, holidays, tokens and identities unchanged.
 */
import { ACTION_IDS } from '../../commands/contracts';
import type { View } from '../../commands/view/view';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { Role } from '../../src/domain/approval/approval-policy';
import { addDays, localDateOf } from '../../src/domain/schedule';
import { createLogger } from '../../src/logger';
import { apiTokens } from '../../src/services/api-tokens/api-tokens';
import { Fixture, seedFixture } from '../support/fixtures';
import { freePort } from '../support/reliability-process';
import { addUser } from '../support/reliability-world';
import { createTestDb, TestDb } from '../support/test-db';

type Who = Role | 'unmapped';
const WHO: Who[] = ['requester', 'approver', 'treasurer', 'admin', 'auditor', 'unmapped'];
const HANDLES: Record<Who, string> = { requester: 'mreq', approver: 'mapr', treasurer: 'mtre', admin: 'madm', auditor: 'maud', unmapped: 'nobody' };

/*
 * Y allowed, N refused, - cannot happen (only requesters, treasurers and admins may
 * request, so only they own schedules and payments).
 * - schedules: approving/rejecting is an approver's or treasurer's, never one's own;
 *   pausing and cancelling the requester's own or any for a treasurer or admin; a
 *   schedule paused by a treasurer is resumed by a treasurer or admin other than its requester.
 * - alerts: approvers, treasurers and admins acknowledge, never on their own payment;
 *   a payment held for a treasurer (high anomaly) is released only by a treasurer's vote.
 * - holidays, links and tokens: admins only; exports: admins, treasurers and auditors.
 */
const MATRIX: Record<string, string> = {
  //                       req apr tre adm aud unmapped
  'schedule.new':          'Y   N   Y   Y   N   N',
  'schedule.approve:own':  'N   -   N   N   -   -',
  'schedule.approve:other':'N   Y   Y   N   N   N',
  'schedule.reject:own':   'N   -   N   N   -   -',
  'schedule.reject:other': 'N   Y   Y   N   N   N',
  'schedule.pause:own':    'Y   -   Y   Y   -   -',
  'schedule.pause:other':  'N   N   Y   Y   N   N',
  'schedule.resume:own':   'N   -   N   N   -   -',
  'schedule.resume:other': 'N   N   Y   Y   N   N',
  'schedule.cancel:own':   'Y   -   Y   Y   -   -',
  'schedule.cancel:other': 'N   N   Y   Y   N   N',
  'alert.ack:own':         'N   -   N   N   -   -',
  'alert.ack:other':       'N   Y   Y   Y   N   N',
  'hold.release:own':      'N   -   N   N   -   -',
  'hold.release:other':    'N   N   Y   N   N   N',
  'holidays.add':          'N   N   N   Y   N   N',
  'holidays.workday':      'N   N   N   Y   N   N',
  'holidays.remove':       'N   N   N   Y   N   N',
  'directory.link':        'N   N   N   Y   N   N',
  'report.export':         'N   N   Y   Y   Y   N',
  'token.create':          'N   N   N   Y   N   N',
  'token.revoke':          'N   N   N   Y   N   N',
};
const expected = (column: string, who: Who) => MATRIX[column].trim().split(/\s+/)[WHO.indexOf(who)] as 'Y' | 'N' | '-';

let t: TestDb;
let f: Fixture;
let app: RunningApp;
const ids: Partial<Record<Who, string>> = {};
const BIG = { CNY: 100_000_000_000n };
let n = 0;

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  ids.requester = await addUser(t.db, HANDLES.requester, ['requester']);
  ids.approver = await addUser(t.db, HANDLES.approver, ['approver'], BIG);
  ids.treasurer = await addUser(t.db, HANDLES.treasurer, ['treasurer'], BIG);
  ids.admin = await addUser(t.db, HANDLES.admin, ['admin']);
  ids.auditor = await addUser(t.db, HANDLES.auditor, ['auditor']);
  const config = loadConfig({
    DATABASE_URL: t.url, PORT: String(await freePort()), HOST: '127.0.0.1', PLAYGROUND: 'on', PAYDESK_DEMO: 'off',
    OUTBOX_INTERVAL_MS: '3600000', DEFAULT_LOCALE: 'en', LOG_LEVEL: 'silent',
  });
  app = await startApp(config, createLogger({ level: 'silent' }), { schedulerLockLifetimeMs: 2_000 });
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await t?.drop();
});

const say = (handle: string, text: string) => app.chat.commands.handleText({ actor: { platform: 'web', platformUserId: handle }, text });
const q = async (sql: string, params: unknown[] = []) => t.db.read((em) => em.execute(sql, params));
const one = async (sql: string, params: unknown[] = []) => (await q(sql, params))[0];
const ownerHandle = (who: Who, scope?: string) => (scope === 'own' ? HANDLES[who] : 'rita');
const ownerId = (who: Who, scope?: string) => (scope === 'own' ? ids[who]! : f.users.requester);
const futureDate = () => addDays(localDateOf(new Date(), 'Asia/Shanghai'), 200 + ++n);

async function newSchedule(handle: string): Promise<string> {
  const r = await say(handle, `/pay schedule new 1,000 to acme for matrix ${++n} every monthly on day 25`);
  const ref = /SCH-\d{6,}/.exec(JSON.stringify(r.view))?.[0];
  if (!ref) throw new Error(`schedule not created by ${handle}: ${JSON.stringify(r.view)}`);
  return ref;
}
async function activeSchedule(handle: string): Promise<string> {
  const ref = await newSchedule(handle);
  await say('adam', `/pay schedule approve ${ref}`);
  expect(await scheduleStatus(ref)).toBe('active');
  return ref;
}
const scheduleStatus = async (ref: string) => (await one(`select status from payment_schedules where reference = ?`, [ref]))?.status;

/** A ¥50,000 payment to the unverified payee: a high anomaly, so it is held for a treasurer and alerted. */
async function heldPayment(requesterId: string) {
  const r = await app.core.createPayment.execute({
    source: 'chat', debtorAccountId: f.accountId, payeeId: f.newPayeeId, amount: { minor: 5_000_000n, currency: 'CNY' },
    purpose: `matrix ${++n}`, requesterId, actor: 'user:matrix',
  });
  if (!r.ok) throw new Error(r.code);
  return r.value.payment;
}
async function alertOn(paymentId: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const row = await one(`select id from alerts where subject_type = 'payment' and subject_id = ? order by created_at desc limit 1`, [paymentId]);
    if (row) return row.id;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no alert raised for payment ${paymentId}`);
}

interface Cell {
  /** The command or button, once its target exists. */
  act(handle: string): Promise<{ view: View }>;
  /** Did it do what it is for? From the database. */
  did(): Promise<boolean>;
  /** The target's own state, which a refusal must leave as it was. */
  target(): Promise<unknown>;
}

/** Builds the target of one cell (as `who`'s own or someone else's) and says how to act on it and judge it. */
async function prepare(column: string, who: Who): Promise<Cell> {
  const [action, scope] = column.split(':');
  switch (action) {
    case 'schedule.new': {
      const before = Number((await one(`select count(*) as n from payment_schedules where requester_id = ?`, [ids[who] ?? '00000000-0000-0000-0000-000000000000'])).n);
      const count = async () => Number((await one(`select count(*) as n from payment_schedules where requester_id = ?`, [ids[who] ?? '00000000-0000-0000-0000-000000000000'])).n);
      return { act: (h) => say(h, `/pay schedule new 2,000 to acme for matrix new ${++n} every monthly on day 25`), did: async () => (await count()) > before, target: count };
    }
    case 'schedule.approve':
    case 'schedule.reject': {
      const ref = await newSchedule(ownerHandle(who, scope));
      const verb = action.split('.')[1];
      const done = verb === 'approve' ? 'active' : 'rejected';
      return {
        act: (h) => say(h, `/pay schedule ${verb} ${ref}${verb === 'reject' ? ' wrong amount' : ''}`),
        did: async () => (await scheduleStatus(ref)) === done,
        target: () => q(`select status, version from payment_schedules where reference = ?`, [ref]),
      };
    }
    case 'schedule.pause':
    case 'schedule.resume':
    case 'schedule.cancel': {
      const ref = await activeSchedule(ownerHandle(who, scope));
      const verb = action.split('.')[1];
      if (verb === 'resume') {
        await say('tess', `/pay schedule pause ${ref}`);
        expect(await scheduleStatus(ref)).toBe('paused');
      }
      const done = { pause: 'paused', resume: 'active', cancel: 'cancelled' }[verb];
      return {
        act: (h) => say(h, `/pay schedule ${verb} ${ref}`),
        did: async () => (await scheduleStatus(ref)) === done,
        target: () => q(`select status, version from payment_schedules where reference = ?`, [ref]),
      };
    }
    case 'alert.ack': {
      const payment = await heldPayment(ownerId(who, scope));
      const alertId = await alertOn(payment.id);
      return {
        act: (h) => app.chat.commands.handleAction({
          actor: { platform: 'web', platformUserId: h }, actionId: ACTION_IDS.acknowledgeAlert, value: JSON.stringify({ id: alertId }), receiptId: `ack-${++n}`,
        }),
        did: async () => (await one(`select status from alerts where id = ?`, [alertId])).status === 'acknowledged',
        target: () => q(`select status, acknowledged_by from alerts where id = ?`, [alertId]),
      };
    }
    case 'hold.release': {
      const payment = await heldPayment(ownerId(who, scope));
      return {
        act: (h) => say(h, `/pay approve ${payment.reference}`),
        did: async () => (await one(`select status from payments where id = ?`, [payment.id])).status === 'approved',
        target: () => q(`select status, version, (select count(*)::int from approvals where payment_id = p.id) as votes from payments p where id = ?`, [payment.id]),
      };
    }
    case 'holidays.add':
    case 'holidays.workday': {
      const date = futureDate();
      const verb = action.split('.')[1];
      const row = () => q(`select kind from business_holidays where date = ?`, [date]);
      return { act: (h) => say(h, `/pay holidays ${verb} ${date} matrix day`), did: async () => (await row()).length === 1, target: row };
    }
    case 'holidays.remove': {
      const date = futureDate();
      await say('root', `/pay holidays add ${date} matrix day`);
      const row = () => q(`select kind from business_holidays where date = ?`, [date]);
      expect(await row()).toHaveLength(1);
      return { act: (h) => say(h, `/pay holidays remove ${date}`), did: async () => (await row()).length === 0, target: row };
    }
    case 'directory.link': {
      const slackId = `U0MTX${++n}`;
      const row = () => q(`select slack_user_id from users where handle = 'lou'`);
      return { act: (h) => say(h, `/pay link ${slackId} lou`), did: async () => (await row())[0].slack_user_id === slackId, target: row };
    }
    case 'report.export': {
      const exports = async () => Number((await one(`select count(*) as n from audit_events where action = 'report.exported' and actor = ?`, [`user:${HANDLES[who]}`])).n);
      const before = await exports();
      return { act: (h) => say(h, '/report export payments 2026-11'), did: async () => (await exports()) > before, target: exports };
    }
    case 'token.create': {
      const name = `mtx-${++n}`;
      const row = () => q(`select name from api_tokens where name = ?`, [name]);
      return { act: (h) => say(h, `/pay token create ${name} scopes payments:read`), did: async () => (await row()).length === 1, target: row };
    }
    case 'token.revoke': {
      const name = `mtx-r${++n}`;
      const r = await apiTokens.create(t.db, { name, scopes: ['payments:read'], createdBy: 'test' });
      if (!r.ok) throw new Error(r.code);
      const row = () => q(`select revoked_at from api_tokens where name = ?`, [name]);
      return { act: (h) => say(h, `/pay token revoke ${name}`), did: async () => (await row())[0].revoked_at !== null, target: row };
    }
  }
  throw new Error(`no cell for ${column}`);
}

/** What any refused chat action must leave alone, beyond its own target. */
async function untouched(who: Who) {
  return {
    auditByActor: (await one(`select count(*)::int as n from audit_events where actor = ?`, [`user:${HANDLES[who]}`])).n,
    schedules: (await one(`select count(*)::int as n from payment_schedules`)).n,
    holidays: await q(`select calendar, date::text, kind from business_holidays order by calendar, date`),
    tokens: await q(`select name, revoked_at from api_tokens order by name`),
    identities: await q(`select handle, slack_user_id, feishu_open_id, roles, active from users order by handle`),
  };
}

const cells = Object.keys(MATRIX).flatMap((column) => WHO.map((who) => [column, who, expected(column, who)] as const)).filter(([, , e]) => e !== '-');

test.each(cells)('%s by %s → %s', async (column, who, allowed) => {
  const cell = await prepare(column, who);
  const target = await cell.target();
  const others = await untouched(who);
  const reply = await cell.act(HANDLES[who]);
  const did = await cell.did();
  expect({ column, who, allowed: did ? 'Y' : 'N' }).toEqual({ column, who, allowed });
  if (allowed === 'N') {
    // A refusal says so, and nothing moved.
    expect(reply.view).toMatchObject({ kind: 'message', tone: expect.stringMatching(/^(warning|danger)$/) });
    expect(await cell.target()).toEqual(target);
    expect(await untouched(who)).toEqual(others);
  }
}, 20_000);

test('the table covers every role, and every action both succeeds for someone and is refused to someone', () => {
  for (const column of Object.keys(MATRIX)) {
    expect(MATRIX[column].trim().split(/\s+/)).toHaveLength(WHO.length);
    if (column.endsWith(':own')) continue; // own-object cells may be all refusals (maker–checker)
    expect(new Set(WHO.map((w) => expected(column, w)).filter((e) => e !== '-'))).toEqual(new Set(['Y', 'N']));
  }
});
