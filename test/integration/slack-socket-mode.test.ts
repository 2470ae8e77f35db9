/**
 * Socket Mode through the real Bolt SocketModeReceiver: apps.connections.open on the fake
 * Web API hands out a ws:// URL on the same fake, which greets with `hello` and then
 * pushes envelopes; the adapter must ack each one over the socket.
 */
import { createSlackAdapter, SlackAdapter } from '../../adapters/slack/slack-app';
import type { ActionRequest, CommandHandler, TextRequest } from '../../commands/contracts';
import type { CardView } from '../../commands/view/view';
import type { User } from '../../src/domain/directory';
import { createLogger } from '../../src/logger';
import { FakeSlackApi } from '../support/fake-slack-api';

const adam: User = { id: 'u-adam', handle: 'adam', name: 'Adam', roles: ['approver'], approvalLimits: {}, locale: 'en', slackUserId: 'U_adam', active: true };
const decidedCard: CardView = { kind: 'card', key: 'payment:p1', title: 'Payment PAY-2026-000001', status: { label: 'Approved', tone: 'info' }, fields: [], warnings: [], context: [], buttons: [] };

/** A command layer stand-in: this test is about the transport, not the rules. */
class RecordingHandler implements CommandHandler {
  texts: TextRequest[] = [];
  actions: ActionRequest[] = [];
  async resolveUser(actor: { platformUserId: string }) {
    return actor.platformUserId === 'U_adam' ? adam : undefined;
  }
  async handleText(req: TextRequest) {
    this.texts.push(req);
    return { visibility: 'in_channel' as const, view: { kind: 'message' as const, tone: 'info' as const, text: 'Balance: CNY 5,000,000.00' } };
  }
  async handleAction(req: ActionRequest) {
    this.actions.push(req);
    return { visibility: 'ephemeral' as const, view: { kind: 'message' as const, tone: 'good' as const, text: 'ok' }, card: decidedCard, toast: { tone: 'good' as const, text: 'ok' } };
  }
}

let fake: FakeSlackApi;
let adapter: SlackAdapter;
const handler = new RecordingHandler();

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  adapter = createSlackAdapter({
    config: { mode: 'socket', botToken: 'xoxb-test', appToken: 'xapp-1-test', apiUrl: fake.apiUrl, dmApprovers: false },
    commands: handler,
    log: createLogger({ level: 'silent' }),
  });
});
afterAll(async () => {
  await adapter.stop();
  await fake.stop();
});

test('connects with the app token, acks a slash command and an interaction over the socket', async () => {
  expect(adapter.httpHandler).toBeUndefined(); // nothing to mount: Slack is reached outbound
  const started = adapter.start();
  await fake.waitFor(() => fake.socketConnected, 'websocket connection');
  fake.sendSocket({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0001' } });
  await started;
  expect(fake.callsTo('apps.connections.open')[0].token).toBe('xapp-1-test');
  expect(fake.callsTo('auth.test')[0].token).toBe('xoxb-test');

  fake.sendSocket({
    envelope_id: 'env-slash-1',
    type: 'slash_commands',
    accepts_response_payload: true,
    payload: {
      command: '/balance', text: 'cmb', user_id: 'U_adam', channel_id: 'C_GENERAL', team_id: 'T0001', api_app_id: 'A0001',
      response_url: fake.responseUrl('sm-1'), trigger_id: 'trig-sm-1',
    },
  });
  await fake.waitFor(() => fake.socketMessages.find((m) => m.envelope_id === 'env-slash-1'), 'slash command ack');
  const answer = await fake.waitFor(() => fake.responses.find((r) => r.id === 'sm-1')?.body, 'slash command answer');
  expect(answer).toMatchObject({ response_type: 'in_channel', text: 'Balance: CNY 5,000,000.00' });
  expect(handler.texts).toEqual([{ actor: { platform: 'slack', platformUserId: 'U_adam' }, text: '/balance cmb', channel: 'C_GENERAL' }]);

  fake.sendSocket({
    envelope_id: 'env-tap-1',
    type: 'interactive',
    accepts_response_payload: false,
    payload: {
      type: 'block_actions', team: { id: 'T0001' }, user: { id: 'U_adam', team_id: 'T0001' }, api_app_id: 'A0001', token: 'legacy',
      trigger_id: 'trig-tap', response_url: fake.responseUrl('sm-tap'),
      container: { type: 'message', channel_id: 'C_approvals', message_ts: '1700000000.000100', is_ephemeral: false },
      channel: { id: 'C_approvals' },
      actions: [{ type: 'button', action_id: 'payment.approve', block_id: 'b', value: '{"id":"p1","v":1}', action_ts: '1700000009.000001' }],
    },
  });
  await fake.waitFor(() => fake.socketMessages.find((m) => m.envelope_id === 'env-tap-1'), 'interaction ack');
  const update = await fake.waitFor(() => fake.callsTo('chat.update')[0], 'card update');
  expect(update.args).toMatchObject({ channel: 'C_approvals', ts: '1700000000.000100' });
  expect(update.args.blocks.some((b: any) => b.type === 'actions')).toBe(false);
  expect(handler.actions).toEqual([
    {
      actor: { platform: 'slack', platformUserId: 'U_adam' },
      actionId: 'payment.approve',
      value: '{"id":"p1","v":1}',
      receiptId: '1700000009.000001:U_adam:payment.approve',
    },
  ]);
  await adapter.settle();
});
