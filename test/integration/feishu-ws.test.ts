/**
 * Long-connection mode through the SDK's real WSClient: it fetches its endpoint from the
 * fake Open API, connects to the fake's WebSocket, receives protobuf-framed events and
 * answers card callbacks on the same socket.
 */
import type { ActionRequest, CommandHandler, TextRequest } from '../../commands/contracts';
import { message } from '../../commands/view/view';
import { createFeishuAdapter, type FeishuAdapter } from '../../adapters/feishu/feishu-app';
import { createLogger } from '../../src/logger';
import { feishuStore } from '../../src/persistence/repositories/feishu-card.repository';
import { FakeFeishuApi } from '../support/fake-feishu-api';
import { cardActionEvent, textMessageEvent } from '../support/feishu-crypto';
import { createTestDb, TestDb } from '../support/test-db';

let t: TestDb;
let api: FakeFeishuApi;
let adapter: FeishuAdapter;
const texts: TextRequest[] = [];
const actions: ActionRequest[] = [];

const commands: CommandHandler = {
  async handleText(req) {
    texts.push(req);
    return { visibility: 'in_channel', view: message('info', `echo ${req.text}`) };
  },
  async handleAction(req) {
    actions.push(req);
    return { visibility: 'ephemeral', view: message('danger', 'Rejected PAY-1') };
  },
  async resolveUser() {
    return undefined;
  },
};

beforeAll(async () => {
  t = await createTestDb();
  api = await FakeFeishuApi.start();
  adapter = createFeishuAdapter({
    config: { appId: 'cli_0123456789abcdef', appSecret: 'app-secret', domain: api.url, dmApprovers: true, mode: 'ws' },
    commands, store: feishuStore(t.db), log: createLogger({ level: 'silent' }), retry: { attempts: 2, baseDelayMs: 5 },
  });
  await adapter.start();
  await api.waitForConnection();
});
afterAll(async () => {
  await adapter.stop();
  await api.close();
  await t.drop();
});

test('ws mode mounts no HTTP endpoint and connects with the app credentials', () => {
  expect(adapter.httpHandler).toBeUndefined();
  const endpoint = api.calls.find((c) => c.path === '/callback/ws/endpoint')!;
  expect(endpoint.body).toMatchObject({ AppID: 'cli_0123456789abcdef', AppSecret: 'app-secret' });
});

test('a text message over the long connection runs the command and is replied to', async () => {
  const ev = textMessageEvent({ token: 'unused-in-ws', openId: 'ou_rita', text: '/余额', messageId: 'om_ws_1', eventId: 'ev-ws-1' });
  const answer = await api.pushEvent(ev);
  await adapter.settle();
  expect(answer.code).toBe(200);
  expect(texts.map((x) => [x.actor.platformUserId, x.text])).toEqual([['ou_rita', '/余额']]);
  expect(api.sent).toEqual([expect.objectContaining({ kind: 'reply', to: 'om_ws_1' })]);
  // The same event id again (a redelivery after reconnecting) does nothing.
  await api.pushEvent(ev);
  await adapter.settle();
  expect(texts).toHaveLength(1);
  expect(api.sent).toHaveLength(1);
});

test('a card callback over the long connection is answered on the socket with the toast', async () => {
  const ev = cardActionEvent({
    token: 'unused-in-ws', openId: 'ou_amy', value: { action: 'payment.reject', value: '{"id":"p","v":1}' }, messageId: 'om_card',
    formValue: { reason_1: 'wrong payee' }, eventId: 'ev-ws-card',
  });
  const answer = await api.pushEvent(ev);
  expect(answer).toEqual({ code: 200, data: { toast: { type: 'error', content: 'Rejected PAY-1' } } });
  expect(actions).toEqual([expect.objectContaining({ actionId: 'payment.reject', reason: 'wrong payee', receiptId: 'ev-ws-card' })]);
});
