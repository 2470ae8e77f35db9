/**
 * A whole run at LOG_LEVEL=trace with every credential set: paydesk started as
 * `npm start` starts it (src/main.ts, a child process, configuration from the
 * environment), payments going through the playground, Slack, Feishu and the
 * REST API, forged requests and failing platform calls on top (error paths log
 * the most). Its captured output must contain no token, secret, database
 * password or full account number of the demo company.
 *
 * A child process rather than startApp in jest: Agenda's liveness timers keep a
 * stopped scheduler's process alive for minutes, which main.ts ends with exit().
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { apiTokens } from '../../src/services/api-tokens/api-tokens';
import { FakeFeishuApi, FAKE_TENANT_TOKEN } from '../support/fake-feishu-api';
import { FakeSlackApi } from '../support/fake-slack-api';
import { signedRequest, textMessageEvent } from '../support/feishu-crypto';
import { DEMO_DIRECTORY } from '../support/playground-harness';
import { blockActionsBody } from '../support/reliability-slack';
import { cardButton, freePort, PaydeskProcess, PlaygroundClient, startPaydesk } from '../support/reliability-process';
import { postSigned, slashCommandForm } from '../support/slack-signing';
import { createTestDb, TestDb } from '../support/test-db';

const SECRETS = {
  slackBotToken: 'xoxb-4242-1717-Slk8otT0kenValue',
  slackSigningSecret: 'slk-signing-9d1f7c2e44ab',
  feishuAppSecret: 'fsh-app-secret-5e8a1b9c',
  feishuEncryptKey: 'fsh-encrypt-key-0c3d7e21',
  feishuVerificationToken: 'fsh-verify-token-77aa31',
  dbPassword: 'pg-Pa55word-in-url',
};

let t: TestDb;
let paydesk: PaydeskProcess;
let slackApi: FakeSlackApi;
let feishuApi: FakeFeishuApi;
let apiToken = '';

beforeAll(async () => {
  t = await createTestDb();
  slackApi = await new FakeSlackApi().start();
  feishuApi = await FakeFeishuApi.start();
  paydesk = await startPaydesk({
    DATABASE_URL: t.url.replace('postgres@', `postgres:${SECRETS.dbPassword}@`), // trust auth ignores it; the logs must too
    PORT: String(await freePort()), LOG_LEVEL: 'trace', PLAYGROUND: 'on', PAYDESK_DEMO: 'on',
    SANDBOX_SETTLE_DELAY_MS: '0', OUTBOX_INTERVAL_MS: '100', DEFAULT_LOCALE: 'en',
    SLACK_BOT_TOKEN: SECRETS.slackBotToken, SLACK_SIGNING_SECRET: SECRETS.slackSigningSecret, SLACK_API_URL: slackApi.apiUrl,
    SLACK_APPROVALS_CHANNEL: '#approvals',
    FEISHU_APP_ID: 'cli_secrets_test', FEISHU_APP_SECRET: SECRETS.feishuAppSecret, FEISHU_MODE: 'http',
    FEISHU_ENCRYPT_KEY: SECRETS.feishuEncryptKey, FEISHU_VERIFICATION_TOKEN: SECRETS.feishuVerificationToken, FEISHU_DOMAIN: feishuApi.url,
  });
  const made = await apiTokens.create(t.db, { name: 'erp', scopes: ['payments:write', 'payments:read'], createdBy: 'test' });
  if (!made.ok) throw new Error(made.code);
  apiToken = made.value.token;
}, 90_000);
afterAll(async () => {
  await paydesk?.kill9();
  await slackApi.stop();
  await feishuApi.close();
  await t.drop();
});

async function settled(reference: string): Promise<void> {
  for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const rows = await t.db.read((em) => em.execute(`select status from payments where reference = ?`, [reference]));
    if (rows[0]?.status === 'settled') return;
  }
  throw new Error(`${reference} did not settle`);
}

test('a full run at trace level logs no token, secret, password or full account number', async () => {
  // Playground: a payment from request to settlement, a balance enquiry, a refused command.
  const play = new PlaygroundClient(paydesk.url);
  const created = await play.command('alice', '/pay new 50,000 to acme for Invoice 77 from cmb-cny-main');
  const button = cardButton(created.json)!;
  expect(button).toBeDefined();
  expect((await play.action('bob', 'payment.approve', JSON.stringify(button))).status).toBe(200);
  await settled(created.json.view.title.match(/PAY-\d{4}-\d+/)[0]);
  await play.command('alice', '/balance');
  await play.command('mallory', '/pay show PAY-2026-000001');

  // Slack: a signed command, a tap, a forged request, and the Web API failing with an auth error.
  const slackUrl = `${paydesk.url}/slack/events`;
  slackApi.failNext('chat.postMessage', 3, 'invalid_auth');
  const form = 'application/x-www-form-urlencoded' as const;
  await postSigned(slackUrl, { contentType: form, secret: SECRETS.slackSigningSecret, body: slashCommandForm({ command: '/pay', text: 'new 60,000 to huaxin for secrets run from cmb-cny-main', user_id: 'U0ALICE', response_url: slackApi.responseUrl('c1') }) });
  await postSigned(slackUrl, { contentType: form, secret: SECRETS.slackSigningSecret, body: blockActionsBody({ user: 'U0BOB', actionId: 'payment.approve', value: JSON.stringify(button), actionTs: '1.1', responseUrl: slackApi.responseUrl('a1') }) });
  await postSigned(slackUrl, { contentType: form, secret: 'forged', body: slashCommandForm({ command: '/balance', text: '', user_id: 'U0ALICE', response_url: slackApi.responseUrl('c2') }) });

  // Feishu: a signed message, a forged one.
  const feishuPost = (r: { headers: Record<string, string>; body: string }) => fetch(`${paydesk.url}/feishu/events`, { method: 'POST', ...r });
  await feishuPost(signedRequest(SECRETS.feishuEncryptKey, textMessageEvent({ token: SECRETS.feishuVerificationToken, openId: 'ou_alice', text: '/balance' })));
  await feishuPost(signedRequest(SECRETS.feishuEncryptKey, textMessageEvent({ token: 'wrong', openId: 'ou_alice', text: '/balance' }), { signWith: 'forged' }));

  // REST API: a request with the real token and one with a made-up one.
  const api = (token: string) => fetch(`${paydesk.url}/api/v1/payments`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'secrets-1' },
    body: JSON.stringify({ debtor_account: 'cmb-cny-main', payee: 'acme', amount: '800.00', currency: 'CNY', purpose: 'API run' }),
  });
  expect((await api(apiToken)).status).toBe(201);
  expect((await api('pd_madeUpTokenValue123')).status).toBe(401);
  await new Promise((r) => setTimeout(r, 300)); // follow-ups (card posts, replies) run after the answers

  // Stopped (gracefully) before reading: shutdown logs too, and follow-ups still in flight finish first.
  await paydesk.stop();
  const logs = paydesk.lines.join('\n');
  // The run really happened and was logged in detail, so an empty or silent log cannot pass.
  expect(paydesk.lines.length).toBeGreaterThan(20);
  for (const msg of ['directory loaded', 'Slack connected', 'Feishu connected', 'feishu request refused', 'payment requested over the API'])
    expect(logs).toContain(msg);
  expect(logs).toMatch(/"level":(10|20)/);

  const demo = parse(readFileSync(DEMO_DIRECTORY, 'utf8'));
  const numbers: string[] = [...demo.accounts, ...demo.payees].map((a: { number: string }) => String(a.number));
  expect(numbers.length).toBeGreaterThanOrEqual(8);
  const forbidden = [...Object.values(SECRETS), apiToken, 'pd_madeUpTokenValue123', FAKE_TENANT_TOKEN, ...numbers];
  const leaked = forbidden.filter((s) => logs.includes(s));
  expect(leaked).toEqual([]);
}, 60_000);
