/**
 * The Feishu adapter's own behaviour in HTTP mode, with a recording CommandHandler:
 * request verification, routing, de-duplication, where replies go, card copies and
 * their patches, retries. Everything Feishu-side runs through the real SDK (Client,
 * EventDispatcher) against the fake Open API; the store is real PostgreSQL.
 */
import type { ActionRequest, CommandHandler, TextRequest } from '../../commands/contracts';
import { message, type CardView } from '../../commands/view/view';
import { createFeishuAdapter, type FeishuAdapter } from '../../adapters/feishu/feishu-app';
import type { FeishuConfig } from '../../src/config';
import type { User } from '../../src/domain/directory';
import type { Locale } from '../../src/domain/locale';
import { HttpServer } from '../../src/http/http-server';
import { createLogger } from '../../src/logger';
import { feishuStore } from '../../src/persistence/repositories/feishu-card.repository';
import { FakeFeishuApi, FAKE_TENANT_TOKEN } from '../support/fake-feishu-api';
import { cardActionEvent, challengeEvent, signedRequest, textMessageEvent } from '../support/feishu-crypto';
import { createTestDb, TestDb } from '../support/test-db';

const KEY = 'test-encrypt-key';
const TOKEN = 'test-verification-token';

const user = (handle: string, locale: Locale, feishuOpenId?: string): User => ({
  id: `id-${handle}`, handle, name: handle.toUpperCase(), roles: ['approver'], approvalLimits: {}, locale, feishuOpenId, active: true,
});
const people: Record<string, User> = { ou_rita: user('rita', 'en', 'ou_rita'), ou_amy: user('amy', 'zh-CN', 'ou_amy') };

const card = (locale: Locale, status = 'pending'): CardView => ({
  kind: 'card', key: 'payment:p-1', title: `${locale} card`, status: { label: status, tone: 'warning' },
  fields: [], warnings: [], context: [], buttons: [{ actionId: 'payment.approve', label: 'OK', value: '{"id":"p-1","v":1}' }],
});

let t: TestDb;
let api: FakeFeishuApi;
let adapter: FeishuAdapter;
let http: HttpServer;
let base: string;
const texts: TextRequest[] = [];
const actions: ActionRequest[] = [];
let failNextText = false;

const commands: CommandHandler = {
  async handleText(req) {
    texts.push(req);
    if (failNextText) {
      failNextText = false;
      throw new Error('database went away');
    }
    return { visibility: req.text.includes('secret') ? 'ephemeral' : 'in_channel', view: message('info', `echo ${req.text}`) };
  },
  async handleAction(req) {
    actions.push(req);
    return { visibility: 'ephemeral', view: message('good', 'done'), toast: { tone: 'good', text: 'Approved' }, card: card('en', 'approved') };
  },
  async resolveUser(actor) {
    return people[actor.platformUserId];
  },
};

const config: FeishuConfig = {
  appId: 'cli_0123456789abcdef', appSecret: 'app-secret', domain: '', approvalsChat: 'oc_approvals', dmApprovers: true,
  mode: 'http', encryptKey: KEY, verificationToken: TOKEN,
};

beforeAll(async () => {
  t = await createTestDb();
  api = await FakeFeishuApi.start();
  adapter = createFeishuAdapter({
    config: { ...config, domain: api.url }, commands, store: feishuStore(t.db), log: createLogger({ level: 'silent' }),
    defaultLocale: 'en', retry: { attempts: 3, baseDelayMs: 5 },
  });
  http = new HttpServer(createLogger({ level: 'silent' }));
  http.register(adapter.httpHandler!);
  const bound = await http.listen('127.0.0.1', 0);
  base = `http://127.0.0.1:${bound.port}`;
});
afterAll(async () => {
  await adapter.stop();
  await http.close();
  await api.close();
  await t.drop();
});
beforeEach(() => {
  api.reset();
  texts.length = 0;
  actions.length = 0;
});

async function post(req: { headers: Record<string, string>; body: string }, path = '/feishu/events') {
  const res = await fetch(base + path, { method: 'POST', headers: req.headers, body: req.body });
  const body = await res.json().catch(() => undefined);
  await adapter.settle();
  return { status: res.status, body };
}
const sendText = (i: Omit<Parameters<typeof textMessageEvent>[0], 'token'>, path?: string) =>
  post(signedRequest(KEY, textMessageEvent({ token: TOKEN, ...i })), path);
const cardText = (c: any) => JSON.stringify(c);

test('a direct message runs the command and the reply goes back as a reply, with the tenant token', async () => {
  const r = await sendText({ openId: 'ou_rita', text: '/pay list', messageId: 'om_in_1' });
  expect(r).toEqual({ status: 200, body: {} });
  expect(texts).toEqual([{ actor: { platform: 'feishu', platformUserId: 'ou_rita' }, text: '/pay list', channel: 'oc_p2p_ou_rita' }]);
  expect(api.sent).toHaveLength(1);
  expect(api.sent[0]).toMatchObject({ kind: 'reply', to: 'om_in_1' });
  expect(cardText(api.sent[0].card)).toContain('echo /pay list');
  const replyCall = api.calls.find((c) => c.path.endsWith('/reply'))!;
  expect(replyCall.authorization).toBe(`Bearer ${FAKE_TENANT_TOKEN}`);
  expect(replyCall.body.msg_type).toBe('interactive');
});

test('a redelivered message event acts once', async () => {
  const req = signedRequest(KEY, textMessageEvent({ token: TOKEN, openId: 'ou_rita', text: '/balance', eventId: 'ev-dup-1' }));
  expect((await post(req)).status).toBe(200);
  // Feishu retries with the same event id (and a fresh signature).
  const again = signedRequest(KEY, textMessageEvent({ token: TOKEN, openId: 'ou_rita', text: '/balance', eventId: 'ev-dup-1' }));
  expect((await post(again)).status).toBe(200);
  expect(texts).toHaveLength(1);
  expect(api.sent).toHaveLength(1);
});

test('a command that crashes answers 500 and gives the event back, so the retry acts', async () => {
  failNextText = true;
  const ev = textMessageEvent({ token: TOKEN, openId: 'ou_rita', text: '/balance', eventId: 'ev-crash-1' });
  expect((await post(signedRequest(KEY, ev))).status).toBe(500);
  expect(api.sent).toHaveLength(0);
  expect((await post(signedRequest(KEY, ev))).status).toBe(200);
  expect(texts).toHaveLength(2);
  expect(api.sent).toHaveLength(1);
});

test('in a group only @-mentions of the bot count; the mention is stripped', async () => {
  await sendText({ openId: 'ou_rita', chatType: 'group', chatId: 'oc_team', text: '/pay list' });
  await sendText({
    openId: 'ou_rita', chatType: 'group', chatId: 'oc_team', text: '@_user_1 /pay list',
    mentions: [{ key: '@_user_1', openId: 'ou_someone_else', name: 'Bob' }],
  });
  expect(texts).toEqual([]);
  await sendText({
    openId: 'ou_rita', chatType: 'group', chatId: 'oc_team', text: '@_user_1 /付款 列表', messageId: 'om_in_g',
    mentions: [{ key: '@_user_1', openId: api.botOpenId, name: 'paydesk' }],
  });
  expect(texts.map((x) => x.text)).toEqual(['/付款 列表']);
  expect(api.sent[0]).toMatchObject({ kind: 'reply', to: 'om_in_g' });
});

test('an "only you" reply to a group command goes to the asker directly', async () => {
  await sendText({
    openId: 'ou_rita', chatType: 'group', chatId: 'oc_team', text: '@_user_1 /balance secret',
    mentions: [{ key: '@_user_1', openId: api.botOpenId, name: 'paydesk' }],
  });
  expect(api.sent).toHaveLength(1);
  expect(api.sent[0]).toMatchObject({ kind: 'create', to: 'ou_rita', receiveIdType: 'open_id' });
});

test('messages from bots and non-text messages do not run commands', async () => {
  await sendText({ openId: 'ou_rita', text: '/pay list', senderType: 'app' });
  expect(texts).toEqual([]);
  expect(api.sent).toEqual([]);
  await sendText({ openId: 'ou_amy', text: '', messageType: 'image' });
  expect(texts).toEqual([]);
  // A hint, in the sender's language.
  expect(cardText(api.sent[0].card)).toContain('只读取文字命令');
});

test('the path may carry a query string; other methods and paths are not ours', async () => {
  expect((await sendText({ openId: 'ou_rita', text: '/help' }, '/feishu/events?from=feishu')).status).toBe(200);
  expect(texts).toHaveLength(1);
  expect((await fetch(`${base}/feishu/events`)).status).toBe(405);
  expect((await fetch(`${base}/feishu/other`, { method: 'POST', body: '{}' })).status).toBe(404);
});

test('the URL check is answered with the decrypted challenge', async () => {
  const r = await post(signedRequest(KEY, challengeEvent(TOKEN, 'challenge-abc'), { unsigned: true }));
  expect(r).toEqual({ status: 200, body: { challenge: 'challenge-abc' } });
});

describe('refused with 401, and nothing runs', () => {
  const ev = () => textMessageEvent({ token: TOKEN, openId: 'ou_rita', text: '/pay list' });
  test.each([
    ['a forged signature', () => signedRequest(KEY, ev(), { signWith: 'not-the-key' })],
    ['no signature', () => signedRequest(KEY, ev(), { unsigned: true })],
    ['a wrong verification token', () => signedRequest(KEY, textMessageEvent({ token: 'nope', openId: 'ou_rita', text: '/pay list' }))],
    ['a stale timestamp', () => signedRequest(KEY, ev(), { timestamp: Math.floor(Date.now() / 1000) - 600 })],
    ['no encryption', () => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(ev()) })],
    ['a wrong token on a card callback', () =>
      signedRequest(KEY, cardActionEvent({ token: 'nope', openId: 'ou_amy', value: { action: 'payment.approve', value: '{}' }, messageId: 'om_1' }))],
  ])('%s', async (_name, make) => {
    const r = await post(make());
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: { code: 'FEISHU.UNAUTHORIZED', message: 'Request verification failed' } });
    expect(texts).toEqual([]);
    expect(actions).toEqual([]);
    expect(api.calls.filter((c) => c.path.startsWith('/open-apis/im/'))).toEqual([]);
  });
});

describe('cards', () => {
  const posted: Locale[] = [];
  const localised = (status: string) => (l: Locale) => {
    posted.push(l);
    return card(l, status);
  };

  test('an approval card goes to the approvals group and each approver in their language; updates patch every copy', async () => {
    const approvers = [people.ou_rita, people.ou_amy, user('slackonly', 'en')];
    await adapter.surface.postApprovalCard({ payment: {} as never, key: 'payment:p-1', card: localised('pending'), approvers });
    const byTarget = (a: string[], b: string[]) => a.join().localeCompare(b.join());
    expect(api.sent.map((s) => [s.receiveIdType!, s.to, s.card.header.title.content]).sort(byTarget)).toEqual([
      ['chat_id', 'oc_approvals', 'en card'],
      ['open_id', 'ou_amy', 'zh-CN card'],
      ['open_id', 'ou_rita', 'en card'],
    ]);
    await adapter.surface.updateCard({ key: 'payment:p-1', card: localised('approved') });
    expect(api.patches.map((p) => [p.messageId, p.card.header.title.content, p.card.header.text_tag_list[0].text.content]).sort(byTarget)).toEqual(
      api.sent.map((s) => [s.messageId, s.card.header.title.content, 'approved']).sort(byTarget),
    );
  });

  test('a tap answers with toast and card and patches nothing itself (the other copies are the notifier\'s, once each)', async () => {
    await adapter.surface.postApprovalCard({ payment: {} as never, key: 'payment:p-1', card: localised('pending'), approvers: [people.ou_rita, people.ou_amy] });
    // Same messages as before: Feishu's uuid de-duplication hands back the first ones.
    const copies = await feishuStore(t.db).cardCopies('payment:p-1');
    expect(copies).toHaveLength(3);
    const group = copies.find((c) => c.receiveId === 'oc_approvals')!;
    api.reset();
    const ev = cardActionEvent({
      token: TOKEN, openId: 'ou_rita', value: { action: 'payment.approve', value: '{"id":"p-1","v":1}' }, messageId: group.messageId, eventId: 'ev-card-1',
    });
    const r = await post(signedRequest(KEY, ev));
    expect(r.status).toBe(200);
    expect(r.body.toast).toEqual({ type: 'success', content: 'Approved' });
    expect(r.body.card.type).toBe('raw');
    expect(r.body.card.data.header.text_tag_list[0].text.content).toBe('approved');
    expect(actions).toEqual([{
      actor: { platform: 'feishu', platformUserId: 'ou_rita' }, actionId: 'payment.approve', value: '{"id":"p-1","v":1}', reason: undefined, receiptId: 'ev-card-1',
    }]);
    // The answer updates the tapped copy; the others wait for the notifier's updateCard, so no copy is patched twice.
    await adapter.settle();
    expect(api.calls.filter((c) => c.method === 'PATCH')).toEqual([]);
  });

  test('the reject form sends its reason', async () => {
    const ev = cardActionEvent({
      token: TOKEN, openId: 'ou_amy', value: { action: 'payment.reject', value: '{"id":"p-1","v":1}' }, messageId: 'om_x',
      formValue: { reason_1: 'duplicate invoice' },
    });
    expect((await post(signedRequest(KEY, ev))).status).toBe(200);
    expect(actions[0]).toMatchObject({ actionId: 'payment.reject', reason: 'duplicate invoice', actor: { platformUserId: 'ou_amy' } });
  });

  test('a failed patch of a card refresh is thrown, so the outbox retries the refresh (not this process)', async () => {
    api.failNext('/open-apis/im/v1/messages/', 2);
    await expect(adapter.surface.updateCard({ key: 'payment:p-1', card: localised('settled') })).rejects.toThrow();
    expect(api.patches).toHaveLength(1); // each copy tried once: one of three landed
    expect(api.calls.filter((c) => c.method === 'PATCH')).toHaveLength(3);
    await adapter.surface.updateCard({ key: 'payment:p-1', card: localised('settled') }); // the outbox's retry
    expect(api.patches).toHaveLength(4);
  });

  test('a slow, retried patch never lands after a newer refresh of the same card', async () => {
    api.failNext('/open-apis/im/v1/messages/', 1);
    const stale = adapter.surface.updateCard({ key: 'payment:p-1', card: (l) => card(l, 'stale') });
    const fresh = adapter.surface.updateCard({ key: 'payment:p-1', card: localised('final') });
    await stale;
    // A refresh whose patch failed is retried by the outbox, which calls updateCard again.
    await fresh.catch(() => adapter.surface.updateCard({ key: 'payment:p-1', card: localised('final') }));
    expect(api.patches.length).toBeGreaterThan(0);
    expect(api.patches.map((p) => p.card.header.text_tag_list[0].text.content)).not.toContain('stale');
    const copies = await feishuStore(t.db).cardCopies('payment:p-1');
    expect(new Set(api.patches.map((p) => p.messageId))).toEqual(new Set(copies.map((c) => c.messageId)));
  });

  test('alerts go to the named chat; notifications only to people with an open_id', async () => {
    await adapter.surface.postAlert({ channel: 'oc_treasury', key: 'alert:low:cmb', card: () => ({ ...card('en'), key: 'alert:low:cmb' }) });
    expect(api.sent).toEqual([expect.objectContaining({ to: 'oc_treasury', receiveIdType: 'chat_id' })]);
    expect((await feishuStore(t.db).cardCopies('alert:low:cmb')).map((c) => c.messageId)).toEqual([api.sent[0].messageId]);
    await adapter.surface.notifyUser({ user: user('slackonly', 'en'), view: (l) => message('info', `hello ${l}`) });
    await adapter.surface.notifyUser({ user: people.ou_amy, view: (l) => message('info', `hello ${l}`) });
    expect(api.sent).toHaveLength(2);
    expect(api.sent[1]).toMatchObject({ to: 'ou_amy', receiveIdType: 'open_id' });
    expect(cardText(api.sent[1].card)).toContain('hello zh-CN');
  });
});
