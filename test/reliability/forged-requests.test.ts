/**
 * Forged and replayed requests into the real Slack (Bolt HTTPReceiver) and Feishu
 * endpoints: missing or wrong signatures, old timestamps, wrong tokens, tampered
 * or re-encrypted bodies. Every one is refused with 401 and nothing changes: no
 * row in any table, no call out to the platform. A correctly made request then
 * goes through, so the refusals are not an artefact of a broken set-up.
 */
import { createFeishuAdapter, type FeishuAdapter } from '../../adapters/feishu/feishu-app';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/slack-app';
import { HttpServer } from '../../src/http/http-server';
import { createLogger } from '../../src/logger';
import { feishuStore } from '../../src/persistence/repositories/feishu-card.repository';
import { FakeFeishuApi } from '../support/fake-feishu-api';
import { FakeSlackApi } from '../support/fake-slack-api';
import { cardActionEvent, challengeEvent, encryptPayload, sign, signedRequest } from '../support/feishu-crypto';
import { Fixture, seedFixture } from '../support/fixtures';
import { buildCore, buildRouter, buttonValue, Core, count, tableCounts } from '../support/reliability-world';
import { blockActionsBody } from '../support/reliability-slack';
import { postSigned, slackSignature, slashCommandForm } from '../support/slack-signing';
import { createTestDb, TestDb } from '../support/test-db';

const SLACK_SECRET = 'slack-signing-secret-for-tests';
const FEISHU_KEY = 'feishu-encrypt-key-for-tests';
const FEISHU_TOKEN = 'feishu-verification-token';
const FORM = 'application/x-www-form-urlencoded' as const;

let t: TestDb;
let f: Fixture;
let core: Core;
let http: HttpServer;
let base: string;
let slackApi: FakeSlackApi;
let feishuApi: FakeFeishuApi;
let slack: SlackAdapter;
let feishu: FeishuAdapter;

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  core = buildCore(t.db);
  const router = buildRouter(t.db, core);
  const log = createLogger({ level: 'silent' });
  slackApi = await new FakeSlackApi().start();
  feishuApi = await FakeFeishuApi.start();
  slack = createSlackAdapter({
    config: { mode: 'http', botToken: 'xoxb-forged-test', signingSecret: SLACK_SECRET, apiUrl: slackApi.apiUrl, dmApprovers: false },
    commands: router, log, db: t.db, defaultLocale: 'en', retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
  feishu = createFeishuAdapter({
    config: { appId: 'cli_forged', appSecret: 'feishu-app-secret', domain: feishuApi.url, dmApprovers: false, mode: 'http', encryptKey: FEISHU_KEY, verificationToken: FEISHU_TOKEN },
    commands: router, store: feishuStore(t.db), log, defaultLocale: 'en', retry: { attempts: 1, baseDelayMs: 1 },
  });
  http = new HttpServer(log);
  http.register(slack.httpHandler!);
  http.register(feishu.httpHandler!);
  base = `http://127.0.0.1:${(await http.listen('127.0.0.1', 0)).port}`;
  await slack.start();
});
afterAll(async () => {
  await slack.stop();
  await feishu.stop();
  await http.close();
  await slackApi.stop();
  await feishuApi.close();
  await core.events.settle();
  await t.drop();
});

async function pending() {
  const r = await core.create.execute({
    source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: 5_000_000n, currency: 'CNY' },
    purpose: 'forgery target', requesterId: f.users.requester, actor: 'user:rita',
  });
  if (!r.ok) throw new Error(r.code);
  return r.value.payment;
}
const votesOn = (id: string) => count(t.db, `select count(*) as n from approvals where payment_id = ?`, [id]);
const until = async (what: () => Promise<boolean>) => {
  for (const end = Date.now() + 5000; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) if (await what()) return;
  throw new Error('timed out');
};

describe('Slack', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const url = () => `${base}/slack/events`;

  test('unsigned, mis-signed, stale, tampered and wrongly versioned requests are all refused and change nothing', async () => {
    const p = await pending();
    const tap = (actionTs: string) =>
      blockActionsBody({ user: 'U_adam', actionId: 'payment.approve', value: buttonValue(p.id, p.version), actionTs, responseUrl: slackApi.responseUrl('x') });
    const body = tap('1700000001.000001');
    const command = slashCommandForm({ command: '/pay', text: 'new 50000 to acme for forged', user_id: 'U_rita', response_url: slackApi.responseUrl('c') });
    const before = await tableCounts(t.db);
    slackApi.reset();

    // Headers a forger controls fully: no `secret`, so postSigned adds nothing of its own.
    const withHeaders = (b: string, ts: string, signature: string) =>
      postSigned(url(), { body: b, contentType: FORM, headers: { 'x-slack-request-timestamp': ts, 'x-slack-signature': signature } });
    const ts = now();
    const attempts = [
      postSigned(url(), { body, contentType: FORM }), // no signature at all
      postSigned(url(), { body, contentType: FORM, secret: 'not-the-secret' }),
      postSigned(url(), { body, contentType: FORM, secret: SLACK_SECRET, timestamp: now() - 6 * 60 }), // a capture replayed after 5 minutes
      postSigned(url(), { body: command, contentType: FORM, secret: 'not-the-secret' }),
      // A valid signature copied from one body onto another (approve → reject).
      withHeaders(body.replace('payment.approve', 'payment.reject'), String(ts), slackSignature(SLACK_SECRET, body, ts)),
      withHeaders(body, String(ts), slackSignature(SLACK_SECRET, body, ts).replace('v0=', 'v1=')),
      withHeaders(body, 'not-a-number', slackSignature(SLACK_SECRET, body, 'not-a-number' as unknown as number)),
      withHeaders(body, String(ts), ''),
    ];
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    expect(statuses).toEqual(attempts.map(() => 401));
    await slack.settle();
    expect(await tableCounts(t.db)).toEqual(before);
    expect(slackApi.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect(slackApi.responses).toEqual([]);

    // The same tap, correctly signed, counts: the set-up really accepts what it should.
    expect((await postSigned(url(), { body, contentType: FORM, secret: SLACK_SECRET })).status).toBe(200);
    await until(async () => (await votesOn(p.id)) === 1);
    // A replay of that valid delivery inside the window acts once only.
    expect((await postSigned(url(), { body, contentType: FORM, secret: SLACK_SECRET })).status).toBe(200);
    await slack.settle();
    expect(await votesOn(p.id)).toBe(1);
  });

});

describe('Feishu', () => {
  const post = (req: { headers: Record<string, string>; body: string }) =>
    fetch(`${base}/feishu/events`, { method: 'POST', headers: req.headers, body: req.body }).then((r) => r.status);

  test('unencrypted, unsigned, mis-signed, stale, wrong-token, wrong-key and tampered callbacks are refused and change nothing', async () => {
    const p = await pending();
    const event = (token: string, eventId: string) =>
      cardActionEvent({ token, openId: 'ou_adam', value: { action: 'payment.approve', value: buttonValue(p.id, p.version) }, messageId: 'om_card', eventId });
    const good = event(FEISHU_TOKEN, 'ev-good');
    const before = await tableCounts(t.db);
    feishuApi.reset();

    const signed = signedRequest(FEISHU_KEY, good);
    const tampered = { headers: signed.headers, body: JSON.stringify({ encrypt: encryptPayload(FEISHU_KEY, event(FEISHU_TOKEN, 'ev-tampered')) }) };
    // Encrypted with another key but signed properly over what is sent: the signature alone is not enough.
    const otherKey = (() => {
      const body = JSON.stringify({ encrypt: encryptPayload('some-other-key', good) });
      const ts = String(Math.floor(Date.now() / 1000));
      return { headers: { 'content-type': 'application/json', 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': 'n1', 'x-lark-signature': sign(ts, 'n1', FEISHU_KEY, body) }, body };
    })();
    const attempts = [
      { headers: { 'content-type': 'application/json' }, body: JSON.stringify(good) }, // plain JSON, as the SDK would accept
      signedRequest(FEISHU_KEY, good, { unsigned: true }),
      signedRequest(FEISHU_KEY, good, { signWith: 'not-the-key' }),
      signedRequest(FEISHU_KEY, good, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }),
      signedRequest(FEISHU_KEY, event('wrong-token', 'ev-wrong-token')),
      signedRequest(FEISHU_KEY, challengeEvent('wrong-token', 'c1')),
      tampered,
      otherKey,
    ];
    const statuses = [];
    for (const a of attempts) statuses.push(await post(a));
    expect(statuses).toEqual(attempts.map(() => 401));
    await feishu.settle();
    expect(await tableCounts(t.db)).toEqual(before);
    expect(feishuApi.calls).toEqual([]);

    expect(await post(signedRequest(FEISHU_KEY, good))).toBe(200);
    expect(await votesOn(p.id)).toBe(1);
    // Feishu redelivering the same event (same event id, freshly signed) acts once only.
    expect(await post(signedRequest(FEISHU_KEY, good))).toBe(200);
    await feishu.settle();
    expect(await votesOn(p.id)).toBe(1);
  });
});
