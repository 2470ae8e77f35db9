/**
 * Golden tests of what people actually see: the real payment, alert and schedule cards,
 * built by the command layer's view builders from domain objects that the real services
 * created and the real queries loaded (not hand-written views), rendered for Slack
 * (Block Kit) and Feishu (card JSON 2.0), in English and Chinese, and compared with the
 * committed snapshots in __snapshots__/card-goldens.test.ts.snap. A change there changes
 * every approver's card, so it must be a deliberate one (`jest -u` and review the diff).
 *
 * Every rendering is also checked against the platforms' structural limits.
 * The clock is injected and the fixture's own dates are pinned, so no date of the run shows.
 */
import { alertCard } from '../../commands/alerts/alert-card.view';
import '../../commands/alerts/alerts.messages';
import { currentScheduleCard } from '../../commands/schedules/schedule-card.query';
import { scheduleCard } from '../../commands/schedules/schedule-card.view';
import '../../commands/schedules/schedule-command.messages';
import type { CardView } from '../../commands/view/view';
import { paymentCard } from '../../commands/views/payment-card.view';
import { cardRequestBytes, FEISHU_LIMITS } from '../../adapters/feishu/card-limits';
import { renderCardView } from '../../adapters/feishu/render-card';
import { checkBlocks } from '../../adapters/slack/block-kit-limits';
import { renderView as renderBlockKit } from '../../adapters/slack/render-block-kit';
import type { Alert } from '../../src/domain/alerts/alert';
import type { Locale } from '../../src/domain/locale';
import { PaymentEvents } from '../../src/services/events';
import { AlertService } from '../../src/services/monitoring/alert-service';
import { anomalyCheckFor } from '../../src/services/monitoring/anomaly-check';
import { PaymentAlerts } from '../../src/services/monitoring/payment-alerts';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { paymentCardQuery } from '../../src/services/queries/payment-card.query';
import { ScheduleService } from '../../src/services/schedules/schedule-service';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

const ZONE = 'Asia/Shanghai';
/** Monday 2026-11-30, 10:00 in Shanghai. */
let nowMs = Date.parse('2026-11-30T02:00:00Z');
const clock = () => new Date(nowMs);
const later = (minutes: number) => (nowMs += minutes * 60_000);

let t: TestDb;
let f: Fixture;
let events: PaymentEvents;
let alerts: AlertService;

/** The cards under test, each as a function of the reader's language, filled in by beforeAll. */
const cards: Record<string, (l: Locale) => CardView> = {};

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  // The fixture stamps its rows with the real date; pin them so nothing on a card depends on the run's day.
  const pinned = new Date('2026-10-01T02:00:00Z');
  await t.db.read(async (em) => {
    await em.execute(`update payees set created_at = ?`, [pinned]);
    // The new payee's cooling-off ends a week after the real day the fixture ran: pin it after the test's clock.
    await em.execute(`update payees set cooling_off_until = ? where cooling_off_until is not null`, [new Date('2026-12-05T02:00:00Z')]);
    await em.execute(`update bank_accounts set created_at = ?, balance_as_of = ?`, [pinned, pinned]);
    await em.execute(`update users set created_at = ?`, [pinned]);
  });
  events = new PaymentEvents(t.db);
  alerts = new AlertService(t.db, undefined, { repeatAfterMs: 3_600_000, clock });
  const create = new CreatePayment(t.db, events, anomalyCheckFor(), clock);
  const decide = new DecideApproval(t.db, events, clock);

  // A payment to a payee nobody has paid yet: pending, with its anomaly warning and both buttons.
  const created = await create.execute({
    source: 'chat', debtorAccountId: f.accountId, payeeId: f.newPayeeId, amount: { minor: 8_800_000n, currency: 'CNY' },
    purpose: 'Invoice 2026-117 / 发票 117', requesterId: f.users.requester, actor: 'user:rita',
  });
  if (!created.ok) throw new Error(created.code);
  const payment = created.value.payment;
  const pending = (await paymentCardQuery.current(t.db, { id: payment.id }))!;
  cards['payment pending'] = (locale) => paymentCard({ ...pending, locale, timeZone: ZONE, now: clock() });

  // The anomaly alert the real consumer raises for it.
  await new PaymentAlerts(t.db, alerts).onCreated(payment);
  const [open] = await alertsOf(payment.id);
  cards['alert open'] = alertCard(open, { timeZone: ZONE });

  // A treasurer approves (the held payment needs one); the card shows the vote and loses its buttons.
  later(42);
  const decided = await decide.execute({ paymentId: payment.id, approverId: f.users.treasurer, decision: 'approve', via: 'feishu' });
  if (!decided.ok) throw new Error(decided.code);
  const approved = (await paymentCardQuery.current(t.db, { id: payment.id }))!;
  cards['payment approved'] = (locale) => paymentCard({ ...approved, locale, timeZone: ZONE, now: clock() });

  later(5);
  const acked = await alerts.acknowledge(open.id, f.users.treasurer);
  if (!acked.ok) throw new Error(acked.code);
  cards['alert acknowledged'] = alertCard(acked.value, { timeZone: ZONE });

  // A monthly rent schedule, waiting for a second person's approval, then active with its next runs.
  const schedules = new ScheduleService(t.db, clock, ZONE);
  const schedule = await schedules.create({
    requesterId: f.users.requester, debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: 4_500_000n, currency: 'CNY' },
    purpose: 'Office rent 办公室租金', cadence: 'monthly on day 25',
  });
  if (!schedule.ok) throw new Error(schedule.code);
  const ref = schedule.value.schedule.reference;
  const waiting = await currentScheduleCard({ schedules, db: t.db }, ref);
  if (!waiting.ok) throw new Error(waiting.code);
  cards['schedule pending'] = (locale) => scheduleCard(waiting.value, { locale, timeZone: ZONE });
  later(30);
  const activated = await schedules.approveSchedule(ref, f.users.approver);
  if (!activated.ok) throw new Error(activated.code);
  const active = await currentScheduleCard({ schedules, db: t.db }, ref);
  if (!active.ok) throw new Error(active.code);
  cards['schedule active'] = (locale) => scheduleCard(active.value, { locale, timeZone: ZONE });
});
afterAll(async () => {
  await events.stop();
  await t.drop();
});

async function alertsOf(paymentId: string): Promise<Alert[]> {
  const rows: { id: string }[] = await t.db.read((em) => em.execute(`select id from alerts where subject_id = ? order by created_at`, [paymentId]));
  const out: Alert[] = [];
  for (const r of rows) {
    const a = await alerts.byId(r.id);
    if (a) out.push(a);
  }
  if (!out.length) throw new Error(`no alert raised for payment ${paymentId}`);
  return out;
}

/** Ids are random per run: each distinct UUID becomes <id-N> in order of appearance. */
function stable(x: unknown): unknown {
  const seen = new Map<string, string>();
  const json = JSON.stringify(x).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
    if (!seen.has(id)) seen.set(id, `<id-${seen.size + 1}>`);
    return seen.get(id)!;
  });
  return JSON.parse(json);
}

const NAMES = ['payment pending', 'payment approved', 'alert open', 'alert acknowledged', 'schedule pending', 'schedule active'];
const LOCALES: Locale[] = ['en', 'zh-CN'];
const cases = NAMES.flatMap((name) => LOCALES.map((locale) => [name, locale] as const));

describe('Slack Block Kit', () => {
  test.each(cases)('%s (%s)', (name, locale) => {
    const message = renderBlockKit(cards[name](locale));
    expect(checkBlocks(message.blocks)).toEqual([]);
    expect(stable(message)).toMatchSnapshot();
  });
});

describe('Feishu card JSON 2.0', () => {
  test.each(cases)('%s (%s)', (name, locale) => {
    const card = renderCardView(cards[name](locale), locale);
    expect(cardRequestBytes(card)).toBeLessThanOrEqual(FEISHU_LIMITS.requestBytes - FEISHU_LIMITS.envelopeBytes);
    expect(card.schema).toBe('2.0');
    expect(stable(card)).toMatchSnapshot();
  });
});

test('the cards are the real ones: what the services did shows on them', () => {
  const text = (name: string, locale: Locale) => JSON.stringify(renderCardView(cards[name](locale), locale));
  expect(text('payment pending', 'en')).toMatch(/"action":"payment\.approve"/);
  expect(text('payment approved', 'en')).not.toMatch(/"tag":"button"/);
  expect(text('payment approved', 'zh-CN')).toContain('TESS');
  expect(text('alert open', 'en')).toMatch(/"action":"alert\.ack"/);
  expect(text('alert acknowledged', 'en')).toContain('Acknowledged by TESS');
  expect(text('schedule pending', 'en')).toMatch(/"action":"schedule\.approve"/);
  expect(text('schedule active', 'zh-CN')).toContain('2026-12-25');
});
