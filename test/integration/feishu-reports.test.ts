/**
 * /报表 on Feishu: the command layer delivers through the FeishuSurface, whose calls go
 * through the real Lark SDK client to a loopback fake of the open platform. The chart is
 * uploaded (im.v1.image.create) and shown as an `img` element in the card sent to the
 * person; a failed upload sends the card with the figures and a note; exports are
 * uploaded files (im.v1.file.create) sent as file messages.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import { FeishuMessenger } from '../../adapters/feishu/feishu-messenger';
import { FeishuSurface } from '../../adapters/feishu/feishu-surface';
import { FollowUps } from '../../adapters/feishu/follow-ups';
import { CommandRouter } from '../../commands/command-router';
import { reportCommand } from '../../commands/reports/report.command';
import { createLogger } from '../../src/logger';
import { feishuStore } from '../../src/persistence/repositories/feishu-card.repository';
import { PaymentEvents } from '../../src/services/events';
import { CancelPayment } from '../../src/services/payments/cancel-payment';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { renderCashChart } from '../../src/services/reports/render-cash-chart';
import { ReportService } from '../../src/services/reports/report-service';
import { FakeFeishuApi } from '../support/fake-feishu-api';
import { seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

let t: TestDb;
let fake: FakeFeishuApi;
let router: CommandRouter;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const feishu = (openId: string, text: string) => router.handleText({ actor: { platform: 'feishu', platformUserId: openId }, text });

beforeAll(async () => {
  t = await createTestDb();
  await seedFixture(t.db);
  fake = await FakeFeishuApi.start();
  const log = createLogger({ level: 'silent' });
  const client = new lark.Client({ appId: 'cli_test', appSecret: 'secret', domain: fake.url, loggerLevel: lark.LoggerLevel.error });
  const surface = new FeishuSurface({
    messenger: new FeishuMessenger(client), store: feishuStore(t.db), followUps: new FollowUps(log), log, defaultLocale: 'zh-CN', dmApprovers: false,
  });
  const reports = new ReportService(t.db, { timezone: 'Asia/Shanghai', clock: () => new Date('2026-12-08T01:00:00Z') });
  const report = reportCommand({ reports, surfaces: [surface], timeZone: 'Asia/Shanghai', renderChart: renderCashChart, log });
  const events = new PaymentEvents();
  router = new CommandRouter({
    db: t.db, defaultLocale: 'zh-CN', createPayment: new CreatePayment(t.db, events), decideApproval: new DecideApproval(t.db, events),
    cancelPayment: new CancelPayment(t.db, events), extraTopCommands: { 报表: report, report },
  });
}, 30_000);
afterAll(async () => {
  await fake.close();
  await t.drop();
});

const toTess = () => fake.sent.filter((m) => m.to === 'ou_tess');

test('the chart is uploaded and shown as an img element in the card sent to the person', async () => {
  const reply = await feishu('ou_tess', '/报表 资金');
  expect(reply.view.kind).toBe('card');
  const images = fake.uploads.filter((u) => u.path === '/open-apis/im/v1/images');
  expect(images).toHaveLength(1);
  expect(images[0].bytes.includes(PNG)).toBe(true);
  const card = toTess().at(-1)!;
  expect(card.receiveIdType).toBe('open_id');
  expect(card.card.body.elements[0]).toMatchObject({ tag: 'img', img_key: images[0].key, alt: { content: expect.stringMatching(/^Chart of the cash position/) } });
  expect(JSON.stringify(card.card)).toMatch(/Today CNY [\d,]+\.\d\d/);
});

test('a failed image upload sends the card with the figures and a note instead', async () => {
  const before = toTess().length;
  fake.failNext('/open-apis/im/v1/images', 1);
  const reply = await feishu('ou_tess', '/report cash 90d');
  expect(JSON.stringify(reply.view)).toContain('The chart could not be uploaded; the figures are shown instead.');
  const card = toTess().slice(before).at(-1)!;
  expect(card.card.body.elements.some((e: any) => e.tag === 'img')).toBe(false);
  expect(JSON.stringify(card.card)).toMatch(/Today CNY [\d,]+\.\d\d/);
  expect(JSON.stringify(card.card)).toContain('The chart could not be uploaded');
});

test('exports arrive as file messages for a treasurer and never for a requester', async () => {
  const refused = await feishu('ou_rita', '/report export payments 2026-12');
  expect(refused.view).toMatchObject({ kind: 'message', text: 'Exports are for treasurers, admins and auditors.' });
  expect(fake.sent.filter((m) => m.to === 'ou_rita')).toHaveLength(0);
  const ok = await feishu('ou_tess', '/report export payments 2026-12');
  expect(ok.view).toMatchObject({ kind: 'message', tone: 'good' });
  const files = fake.uploads.filter((u) => u.path === '/open-apis/im/v1/files');
  expect(files).toHaveLength(2);
  expect(files[0].bytes.toString('utf8')).toContain('paydesk-payments-2026-12.csv');
  const fileMessages = toTess().filter((m) => m.card.file_key);
  expect(fileMessages.map((m) => m.card.file_key)).toEqual(files.map((f) => f.key));
});
