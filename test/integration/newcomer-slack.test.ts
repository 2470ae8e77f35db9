/**
 * The newcomer's path from README and docs/slack-setup.md, through the composition root:
 * copy .env.example to .env, fill in Slack's three values on their lines (removing the
 * leading "# "), start paydesk on the demo company, read the one-time code from the start-up
 * log, link yourself from Slack with `/pay link me dave <code>`, check with `/pay whoami`,
 * then link a colleague. Slack's Web API is the loopback fake; requests are signed as Slack does.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { loadEnvFile } from '../../src/env-file';
import { createLogger } from '../../src/logger';
import { FakeSlackApi } from '../support/fake-slack-api';
import { freePort } from '../support/reliability-process';
import { postSigned, slashCommandForm } from '../support/slack-signing';
import { createTestDb, TestDb } from '../support/test-db';

const SECRET = 'newcomer-signing-secret';
let t: TestDb;
let fake: FakeSlackApi;
let app: RunningApp;
const lines: { level: number; msg: string }[] = [];
let envFile: ReturnType<typeof loadEnvFile>;

beforeAll(async () => {
  t = await createTestDb();
  fake = await new FakeSlackApi().start();
  // Step 2 of the guide, literally: copy the example, then fill in the three Slack lines.
  const dir = mkdtempSync(path.join(tmpdir(), 'paydesk-newcomer-'));
  copyFileSync(path.join(__dirname, '..', '..', '.env.example'), path.join(dir, '.env'));
  const filled = readFileSync(path.join(dir, '.env'), 'utf8')
    .replace(/^# SLACK_BOT_TOKEN=$/m, 'SLACK_BOT_TOKEN=xoxb-newcomer-token')
    .replace(/^# SLACK_SIGNING_SECRET=$/m, `SLACK_SIGNING_SECRET=${SECRET}`)
    .replace(/^# SLACK_APPROVALS_CHANNEL=$/m, 'SLACK_APPROVALS_CHANNEL=C0APPROVALS');
  writeFileSync(path.join(dir, '.env'), filled);
  // What this machine needs on top (the real environment wins over .env): the test database, a free
  // port, and Slack's Web API on the loopback fake.
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: t.url, PORT: String(await freePort()), SLACK_API_URL: fake.apiUrl, LOG_LEVEL: 'info', SANDBOX_SETTLE_DELAY_MS: '0',
  };
  envFile = loadEnvFile(env, dir);
  const config = loadConfig(env);
  const log = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) } as unknown as NodeJS.WritableStream,
  });
  app = await startApp(config, log, { schedulerLockLifetimeMs: 2_000 });
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await fake?.stop();
  await t.drop();
});

async function slash(user: string, text: string): Promise<string> {
  const id = `${user}-${Math.random().toString(36).slice(2, 8)}`;
  const body = slashCommandForm({ command: '/pay', text, user_id: user, response_url: fake.responseUrl(id) });
  const res = await postSigned(`${app.url}/slack/events`, { body, contentType: 'application/x-www-form-urlencoded', secret: SECRET });
  expect(res.status).toBe(200);
  const answer = await fake.waitFor(() => fake.responses.find((r) => r.id === id)?.body, `answer to ${text}`);
  return JSON.stringify(answer.blocks ?? answer.text);
}

test('the copied .env with the three Slack values turns Slack on in HTTP mode', () => {
  expect([...envFile.applied].sort()).toEqual(['SLACK_APPROVALS_CHANNEL', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
  expect(envFile.commentedOut).toBeUndefined();
  expect(lines.some((l) => l.msg === 'Slack connected')).toBe(true);
  expect(fake.callsTo('auth.test').length).toBeGreaterThan(0);
});

test('the newcomer links themselves with the code from the log, checks with whoami, then links a colleague', async () => {
  // The demo's admin has no Slack id, so the start-up log offers the one-time code.
  const hint = lines.find((l) => l.msg.startsWith('no admin is linked on slack yet'));
  expect(hint).toBeDefined();
  const command = /type there: (\/pay link me <handle> \w+)$/.exec(hint!.msg)![1];
  const code = command.split(' ').at(-1)!;

  // Before linking: told their member id and the exact command to hand an admin (in DEFAULT_LOCALE, zh-CN unless set;
  // Slack shows the escaped `&lt;@U…&gt;` as `<@U…>`).
  expect(await slash('U0NEWCOMER', 'whoami')).toContain('请让 paydesk 管理员输入：/付款 绑定 &lt;@U0NEWCOMER&gt; &lt;用户名&gt;');
  expect(await slash('U0NEWCOMER', 'link me dave wrong-code')).toContain('尚未关联');
  // The guide: "type that command with your directory handle (dave in the demo)".
  expect(await slash('U0NEWCOMER', `link me dave ${code}`)).toContain('已将 U0NEWCOMER 关联到 Dave Thompson（dave）');
  expect(await slash('U0NEWCOMER', 'whoami')).toContain('You are Dave Thompson (dave)');
  // The code is spent.
  expect(await slash('U0INTRUDER', `link me erin ${code}`)).toContain('尚未关联');

  // Now an admin: link a colleague with Slack's escaped mention, as the guide shows.
  expect(await slash('U0NEWCOMER', 'link <@U0COLLEAGUE|alice> alice')).toContain('Linked U0COLLEAGUE to');
  expect(await slash('U0COLLEAGUE', 'whoami')).toContain('您是 王爱丽 (Alice Wang)（alice）');
  const audit = await t.db.read((em) =>
    em.execute(`select actor from audit_events where action = 'directory.user.linked' order by seq`),
  );
  expect(audit.map((a) => String(a.actor))).toEqual(['system:setup-code', 'user:dave']);
});
