/**
 * /report through the real Bolt receiver, with Slack's Web API played by a loopback
 * fake: the cash chart is uploaded with files.uploadV2 (the three calls the SDK makes,
 * the PNG bytes reaching the upload URL) into the person's DM and the card with the
 * figures follows; a failed upload still delivers the figures; exports are uploaded
 * to a treasurer's DM and refused to a requester.
 */
import { reportCommand } from '../../commands/reports/report.command';
import { createLogger } from '../../src/logger';
import { renderCashChart } from '../../src/services/reports/render-cash-chart';
import { ReportService } from '../../src/services/reports/report-service';
import { postSigned, slashCommandForm } from '../support/slack-signing';
import { FORM, SlackHarness, startSlackHarness } from '../support/slack-harness';

const SECRET = 'reports-signing-secret';
let h: SlackHarness;
let n = 0;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

beforeAll(async () => {
  h = await startSlackHarness({
    secret: SECRET,
    extraTopCommands: (surface, t) => {
      const reports = new ReportService(t.db, { timezone: 'Asia/Shanghai', clock: () => new Date('2026-12-08T01:00:00Z') });
      const command = reportCommand({ reports, surfaces: [surface], timeZone: 'Asia/Shanghai', renderChart: renderCashChart, log: createLogger({ level: 'silent' }) });
      return { report: command };
    },
  });
}, 30_000);
afterAll(() => h.stop());
beforeEach(() => h.fake.reset());

async function slash(user: string, text: string) {
  const id = `r${++n}`;
  const body = slashCommandForm({ command: '/report', text, user_id: user, response_url: h.fake.responseUrl(id), trigger_id: `trig-${id}` });
  const res = await postSigned(h.url, { body, contentType: FORM, secret: SECRET });
  expect(res.status).toBe(200);
  return h.fake.waitFor(() => h.fake.responses.find((r) => r.id === id)?.body, `response ${id}`);
}
const text = (x: unknown) => JSON.stringify(x);

test('/report cash uploads the chart into the DM with files.uploadV2, then posts the card with the figures', async () => {
  const reply = await slash('U_tess', 'cash');
  expect(reply.response_type).toBe('ephemeral');
  expect(text(reply.blocks)).toMatch(/Today CNY [\d,]+\.\d\d/);
  expect(text(reply.blocks)).toContain('The chart is in your direct messages with paydesk.');

  const [getUrl] = h.fake.callsTo('files.getUploadURLExternal');
  expect(getUrl.args).toMatchObject({ filename: 'paydesk-cash-2026-12-08.png', alt_text: expect.stringMatching(/^Chart of the cash position per currency/) });
  expect(h.fake.uploads).toHaveLength(1);
  expect(h.fake.uploads[0].bytes.includes(PNG)).toBe(true);
  const [complete] = h.fake.callsTo('files.completeUploadExternal');
  expect(complete.args.channel_id).toBe('D_tess');
  const post = h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'D_tess');
  expect(text(post?.args.blocks)).toMatch(/Cash position/);
});

test('a failed upload still brings the figures, with a note, to the DM and the reply', async () => {
  h.fake.failNext('files.getUploadURLExternal', 1);
  const reply = await slash('U_tess', 'cash 90d');
  expect(text(reply.blocks)).toContain('The chart could not be uploaded; the figures are shown instead.');
  expect(h.fake.uploads).toHaveLength(0);
  const post = h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'D_tess');
  expect(text(post?.args.blocks)).toMatch(/Today CNY [\d,]+\.\d\d/);
  expect(text(post?.args.blocks)).toContain('The chart could not be uploaded');
});

test('exports: refused to a requester, uploaded as CSV and XLSX to a treasurer’s DM', async () => {
  const refused = await slash('U_rita', 'export payments 2026-12');
  expect(text(refused.blocks)).toContain('Exports are for treasurers, admins and auditors.');
  expect(h.fake.callsTo('files.getUploadURLExternal')).toHaveLength(0);

  const sent = await slash('U_tess', 'export audit 2026-12');
  expect(text(sent.blocks)).toMatch(/The audit log export for 2026-12 \(\d+ rows\) is in your direct messages/);
  const names = h.fake.callsTo('files.getUploadURLExternal').map((c) => c.args.filename);
  expect(names).toEqual(['paydesk-audit-2026-12.csv', 'paydesk-audit-2026-12.xlsx']);
  const csv = h.fake.uploads[0].bytes;
  expect(csv.includes(Buffer.from('\ufeffseq,at,actor,action,subject_type,subject_id,data,hash\r\n', 'utf8'))).toBe(true);
  expect(h.fake.callsTo('files.completeUploadExternal').every((c) => c.args.channel_id === 'D_tess')).toBe(true);
});
