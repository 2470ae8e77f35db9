/**
 * The consequences of a decision survive kill -9 (issue 13). paydesk runs as a real process
 * (src/main.ts) with Slack in HTTP mode pointed at a fake Slack Web API in this test process.
 * A treasurer rejects a payment; Slack is slow, so the card updates and the requester's DM are
 * still in flight when the process is killed. After a restart the outbox delivers them: the
 * requester is told exactly once and every copy of the card ends in its final state.
 */
import { count } from '../support/reliability-world';
import { FakeSlackApi } from '../support/fake-slack-api';
import { freePort, PaydeskProcess, PlaygroundClient, startPaydesk } from '../support/reliability-process';
import { createTestDb, TestDb } from '../support/test-db';

let t: TestDb;
let fake: FakeSlackApi;
let env: Record<string, string> & { PORT: string };
const running: PaydeskProcess[] = [];

beforeAll(async () => {
  t = await createTestDb();
  fake = await new FakeSlackApi().start();
  env = {
    DATABASE_URL: t.url, PORT: String(await freePort()), LOG_LEVEL: 'warn', DEFAULT_LOCALE: 'en', PLAYGROUND: 'on',
    SLACK_BOT_TOKEN: 'xoxb-crash-test', SLACK_SIGNING_SECRET: 'crash-test-secret', SLACK_MODE: 'http',
    SLACK_API_URL: fake.apiUrl, SLACK_APPROVALS_CHANNEL: 'C_approvals', SLACK_DM_APPROVERS: 'on',
  };
});
afterAll(async () => {
  for (const p of running) await p.kill9();
  await fake.stop();
  await t.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function eventually<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  for (const end = Date.now() + timeoutMs; ; await sleep(100)) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; slack calls: ${fake.calls.map((c) => c.method).join(', ')}`);
  }
}

async function start(): Promise<PaydeskProcess> {
  const p = await startPaydesk(env);
  running.push(p);
  return p;
}

const hasApprove = (blocks: unknown) => JSON.stringify(blocks ?? []).includes('"action_id":"payment.approve"');

test('reject, kill -9 while Slack is slow, restart: the requester is told once and every card copy is final', async () => {
  const first = await start();
  const play = new PlaygroundClient(first.url);
  const created = await play.command('alice', '/pay new 12345.67 to acme for crash outbox invoice from cmb-cny-main');
  const reference: string = JSON.stringify(created.json).match(/PAY-\d{4}-\d{6}/)![0];
  const id: string = (await t.db.read((em) => em.execute(`select id from payments where reference = ?`, [reference])))[0].id;
  const key = `payment:${id}`;

  // The approval card is posted to the channel and to each eligible approver's DM, each copy recorded.
  const copies = await eventually('the approval card copies', async () => {
    const rows = await t.db.read((em) => em.execute(`select channel, ts from slack_card_messages where card_key = ? order by target`, [key]));
    return rows.length >= 2 && fake.callsTo('chat.postMessage').length >= rows.length ? (rows as { channel: string; ts: string }[]) : undefined;
  });

  // Slack turns slow: nothing it is sent from now on is done before the process dies.
  fake.delayMs = 60_000;
  const before = fake.calls.length;
  const rejected = await play.command('carol', `/pay reject ${reference} duplicate of an earlier invoice`);
  expect(JSON.stringify(rejected.json)).toMatch(/reject/i);
  expect(await count(t.db, `select count(*) as n from payments where id = '${id}' and status = 'rejected'`)).toBe(1);
  await eventually('a Slack call in flight', () => fake.inFlight > 0);
  await first.kill9();
  expect(fake.calls.length).toBe(before); // Slack did nothing: every consequence was lost with the process, but for the outbox

  fake.delayMs = 0;
  const second = await start();
  const dmTo = (channel: string) => fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && JSON.stringify(c.args).includes(reference));
  await eventually('the requester DM', () => dmTo('D0ALICE').some((c) => /rejected|驳回/i.test(JSON.stringify(c.args))));
  const lastUpdate = (c: { channel: string; ts: string }) => fake.callsTo('chat.update').filter((u) => u.args.channel === c.channel && u.args.ts === c.ts).at(-1);
  await eventually('every copy of the card final', () => copies.every((c) => lastUpdate(c) && !hasApprove(lastUpdate(c)!.args.blocks)));
  // The outbox is empty for Slack: nothing parked, nothing left.
  await eventually('the outbox drained', async () =>
    (await count(t.db, `select count(*) as n from outbox_deliveries where consumer = 'notifier:slack' and state <> 'done'`)) === 0);
  await second.stop();

  // Told once, and about the rejection with its reason.
  const notices = dmTo('D0ALICE').filter((c) => /rejected|驳回/i.test(JSON.stringify(c.args)));
  expect(notices).toHaveLength(1);
  expect(JSON.stringify(notices[0].args)).toContain('duplicate of an earlier invoice');
  for (const c of copies) expect(JSON.stringify(lastUpdate(c)!.args.blocks)).toMatch(/Rejected|已驳回/);
  expect(await count(t.db, `select count(*) as n from outbox_deliveries where state = 'parked'`)).toBe(0);
  // A graceful stop logs no stack trace.
  expect(second.lines.filter((l) => /"stack"/.test(l))).toEqual([]);
}, 180_000);

test('two paydesk processes on one database: every card copy final, every requester told once, nothing left undelivered', async () => {
  const a = await start();
  const b = await startPaydesk({ ...env, PORT: String(await freePort()) });
  running.push(b);
  const clients = [new PlaygroundClient(a.url), new PlaygroundClient(b.url)];
  const refs: string[] = [];
  for (let i = 0; i < 4; i++) {
    // Requested on one process, rejected on the other: the consequences may be delivered by either.
    const created = await clients[i % 2].command('alice', `/pay new ${20_000 + i}.00 to acme for two processes ${i} from cmb-cny-main`);
    refs.push(JSON.stringify(created.json).match(/PAY-\d{4}-\d{6}/)![0]);
  }
  for (const [i, ref] of refs.entries()) {
    const key = `payment:${(await t.db.read((em) => em.execute(`select id from payments where reference = ?`, [ref])))[0].id}`;
    await eventually(`the cards of ${ref}`, async () => (await count(t.db, `select count(*) as n from slack_card_messages where card_key = '${key}'`)) >= 2);
    await clients[(i + 1) % 2].command('carol', `/pay reject ${ref} not needed ${i}`);
  }
  const undelivered = () => count(t.db, `select (select count(*) from outbox_deliveries where state <> 'done') + (select count(*) from outbox_events where completed_at is null) as n`);
  await eventually('every delivery done', async () => (await undelivered()) === 0);
  await Promise.all([a.stop(), b.stop()]);

  for (const ref of refs) {
    const dms = fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'D0ALICE' && JSON.stringify(c.args).includes(ref) && /rejected|驳回/i.test(JSON.stringify(c.args)));
    expect({ ref, dms: dms.length }).toEqual({ ref, dms: 1 });
    const key = `payment:${(await t.db.read((em) => em.execute(`select id from payments where reference = ?`, [ref])))[0].id}`;
    const copies = (await t.db.read((em) => em.execute(`select channel, ts from slack_card_messages where card_key = ?`, [key]))) as { channel: string; ts: string }[];
    for (const c of copies) {
      const last = fake.callsTo('chat.update').filter((u) => u.args.channel === c.channel && u.args.ts === c.ts).at(-1);
      expect({ ref, final: last !== undefined && !hasApprove(last.args.blocks) }).toEqual({ ref, final: true });
    }
  }
  // Nothing parked, and one delivery row per consumer and event (the primary key), each done.
  expect(await count(t.db, `select count(*) as n from outbox_deliveries where state <> 'done'`)).toBe(0);
}, 240_000);

