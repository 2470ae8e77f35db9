import { randomUUID } from 'node:crypto';
import { alertCard } from '../../commands/alerts/alert-card.view';
import { handleAlertAction } from '../../commands/alerts/alert-action.handler';
import { alertsCommand } from '../../commands/alerts/alerts.command';
import type { ChatSurface, LocalisedCard, Platform } from '../../commands/contracts';
import type { CardView, ListView } from '../../commands/view/view';
import { ANOMALY } from '../../src/domain/anomaly/anomaly-rules';
import type { User } from '../../src/domain/directory';
import { Result } from '../../src/domain/result';
import { directory } from '../../src/persistence/repositories/directory.repository';
import { verifyAuditChain } from '../../src/services/audit/verify-audit-chain';
import { PaymentEvents } from '../../src/services/events';
import { anomalyCheckFor } from '../../src/services/monitoring/anomaly-check';
import { Monitoring, createMonitoring } from '../../src/services/monitoring/monitoring';
import { AnomalyCheck, CreatePayment, CreatePaymentInput } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { paymentStore } from '../../src/services/payments/payment-store';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

/** A chat surface that remembers what it was asked to show; `fail` makes alert posts throw. */
class RecordingSurface implements ChatSurface {
  posts: { channel: string; key: string; card: LocalisedCard }[] = [];
  updates: { key: string; card: LocalisedCard }[] = [];
  fail = false;
  constructor(readonly platform: Platform) {}
  async postApprovalCard(): Promise<void> {}
  async notifyUser(): Promise<void> {}
  async updateCard(i: { key: string; card: LocalisedCard }): Promise<void> {
    this.updates.push(i);
  }
  async postAlert(i: { channel: string; key: string; card: LocalisedCard }): Promise<void> {
    if (this.fail) throw new Error('platform down');
    this.posts.push(i);
  }
  postsFor = (key: string) => this.posts.filter((p) => p.key === key);
}

const HOUR = 3_600_000;
const REPEAT = 4 * HOUR;
let t: TestDb;
let f: Fixture;
let events: PaymentEvents;
let web: RecordingSurface;
let slack: RecordingSurface;
let m: Monitoring<CardView>;
let create: CreatePayment;
let decide: DecideApproval;
const listenerErrors: unknown[] = [];
// Payments are created on a fake clock, one second apart, from a date each test picks.
let paymentNow = new Date('2026-11-25T02:00:00Z'); // Wednesday 10:00 in Shanghai
const paymentClock = () => (paymentNow = new Date(paymentNow.getTime() + 1000));
let alertNow = new Date('2026-11-25T02:00:00Z');

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  events = new PaymentEvents(t.db, { onError: (err) => listenerErrors.push(err) });
  web = new RecordingSurface('web');
  slack = new RecordingSurface('slack');
  m = createMonitoring<CardView>({
    db: t.db, events, surfaces: [web, slack], cardFor: (a) => alertCard(a),
    config: { timezone: 'Asia/Shanghai', alerts: { projectionDays: 7, repeatAfterMs: REPEAT } },
    clock: () => alertNow,
  });
  m.paymentAlerts.subscribe(events);
  m.balances.subscribe(events);
  m.alerts.subscribe(events); // alert cards go through the outbox
  create = new CreatePayment(t.db, events, m.anomalyCheck, paymentClock);
  decide = new DecideApproval(t.db, events);
  await t.db.tx((em) =>
    em.execute(`insert into alert_routes (id, kind, min_severity, platform, channel) values
      (?, '*', 'low', 'web', '#alerts'), (?, 'anomaly', 'high', 'slack', 'C0ANOM'), (?, 'low_balance', 'high', 'slack', 'C0BAL')`,
      [randomUUID(), randomUUID(), randomUUID()]),
  );
});
afterAll(async () => {
  await events.settle();
  await m.alerts.settle();
  expect(listenerErrors).toEqual([]);
  expect((await verifyAuditChain(t.db)).intact).toBe(true);
  await t.drop();
});

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`refused: ${r.code}`);
  return r.value;
}
const yuan = (n: number) => ({ minor: BigInt(n) * 100n, currency: 'CNY' });
const input = (over: Partial<CreatePaymentInput> = {}): CreatePaymentInput => ({
  source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: yuan(1_234),
  purpose: 'Invoice', requesterId: f.users.requester, actor: 'user:rita', ...over,
});
const settle = async () => {
  await events.settle();
  await m.alerts.settle();
};
const user = async (id: string): Promise<User> => (await t.db.read((em) => directory.user(em, id)))!;
const rows = (sql: string, params: unknown[] = []) => t.db.read((em) => em.execute(sql, params));
const alertsAbout = (subjectId: string) => rows(`select * from alerts where subject_id = ? order by created_at`, [subjectId]);
const codes = (ws: { code: string }[]) => ws.map((w) => w.code);

/** A payment in the past, straight into the table: history the rules should see. */
async function pastPayment(o: {
  payeeId: string; amount: number; status: string; at: Date; externalRef?: string; decidedAt?: Date; warnings?: { code: string; severity: string }[];
}): Promise<string> {
  const id = randomUUID();
  const ref = `PAY-2020-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  await t.db.tx((em) =>
    em.execute(
      `insert into payments (id, reference, source, debtor_account_id, payee_id, amount_minor, currency, purpose, requested_by, status,
         version, tier, warnings, end_to_end_id, external_ref, submit_attempts, created_at, updated_at, decided_at)
       values (?, ?, 'chat', ?, ?, ?, 'CNY', 'history', 'user:rita', ?, 1, '{}'::jsonb, ?::jsonb, ?, ?, 0, ?, ?, ?)`,
      [id, ref, f.accountId, o.payeeId, (BigInt(o.amount) * 100n).toString(), o.status, JSON.stringify(o.warnings ?? []), `PD${ref.replace(/-/g, '')}`,
        o.externalRef ?? null, o.at, o.at, o.decidedAt ?? null],
    ),
  );
  return ref;
}
const byReference = async (ref: string) => (await t.db.read((em) => paymentStore.byReference(em, ref)))!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('anomaly facts on PostgreSQL', () => {
  test('a new payee paid an unusual amount: warnings, no auto-approval, one alert routed to #alerts and Slack', async () => {
    paymentNow = new Date('2026-11-25T02:00:00Z');
    for (let i = 0; i < 5; i++)
      await pastPayment({ payeeId: f.newPayeeId, amount: 1_000 + i, status: 'settled', at: new Date(paymentNow.getTime() - (10 + i) * 24 * HOUR) });
    await pastPayment({ payeeId: f.newPayeeId, amount: 500_000, status: 'rejected', at: new Date(paymentNow.getTime() - 20 * 24 * HOUR) });

    const r = value(await create.execute(input({ payeeId: f.newPayeeId, amount: yuan(88_123) })));
    expect(r.autoApproved).toBe(false);
    expect(r.payment.status).toBe('pending_approval');
    // Median of the five settled ones (the rejected one never counts as usual).
    expect(r.payment.warnings).toEqual([
      { code: ANOMALY.NEW_PAYEE, severity: 'high', detail: expect.stringMatching(/^> CNY 10,000\.00( · → \d{4}-\d{2}-\d{2})?$/) },
      { code: ANOMALY.UNUSUAL_AMOUNT, severity: 'medium', detail: '≈ 87.9× CNY 1,002.00 (n=5)' },
    ]);
    await settle();

    const alerts = await alertsAbout(r.payment.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'anomaly', severity: 'high', status: 'open', subject_type: 'payment', notify_count: 1 });
    const key = `alert:${alerts[0].id}`;
    expect(web.postsFor(key).map((p) => p.channel)).toEqual(['#alerts']);
    expect(slack.postsFor(key).map((p) => p.channel)).toEqual(['C0ANOM']);

    const en = web.postsFor(key)[0].card('en');
    expect(en.title).toBe(`Anomaly · ${r.payment.reference}`);
    expect(en.amount).toEqual({ text: 'CNY 88,123.00', capital: '捌万捌仟壹佰贰拾叁元整' });
    expect(en.warnings[0]).toMatch(/^New payee/);
    expect(en.context[0]).toContain(`/pay show ${r.payment.reference}`);
    expect(en.buttons).toEqual([{ actionId: 'alert.ack', label: 'Acknowledge', style: 'primary', value: JSON.stringify({ id: alerts[0].id }) }]);
    expect(web.postsFor(key)[0].card('zh-CN').title).toBe(`异常 · ${r.payment.reference}`);
    const audit = await rows(`select actor, data from audit_events where action = 'alert.raised' and subject_id = ?`, [alerts[0].id]);
    expect(audit).toEqual([{ actor: 'system:monitoring', data: expect.objectContaining({ kind: 'anomaly', severity: 'high' }) }]);
  });

  test('the same payee and amount again, and the same invoice reference, are duplicates', async () => {
    paymentNow = new Date('2026-12-02T02:00:00Z');
    const first = value(await create.execute(input({ amount: yuan(2_345), externalRef: 'INV-77' })));
    expect(codes(first.payment.warnings)).toEqual([]);
    expect(first.autoApproved).toBe(true);
    const again = value(await create.execute(input({ amount: yuan(2_345) })));
    expect(again.payment.warnings).toEqual([{ code: ANOMALY.DUPLICATE, severity: 'high', detail: first.payment.reference }]);
    const sameInvoice = value(await create.execute(input({ amount: yuan(3_456), externalRef: 'INV-77', source: 'api', actor: 'api:erp' })));
    expect(sameInvoice.payment.warnings[0]).toEqual({ code: ANOMALY.DUPLICATE, severity: 'high', detail: `INV-77 · ${first.payment.reference}` });
    expect(sameInvoice.autoApproved).toBe(false);
    // A week later, outside the 72-hour window, the same amount is just another payment.
    paymentNow = new Date(paymentNow.getTime() + 7 * 24 * HOUR);
    expect(codes(value(await create.execute(input({ amount: yuan(2_345) }))).payment.warnings)).toEqual([]);
  });

  test('two identical requests at the same moment: the second waits for the first and carries the duplicate warning', async () => {
    const at = new Date('2026-12-08T02:00:00Z'); // a Tuesday, 10:00 in Shanghai
    let arrived = 0;
    let bothIn!: () => void;
    const gate = new Promise<void>((r) => (bothIn = r));
    // Both transactions are open before either checks, and each commits a while after its check:
    // without a lock serialising them, each check runs before the other payment is committed.
    const racing: AnomalyCheck = async (em, draft, now) => {
      if (++arrived === 2) bothIn();
      await gate;
      const warnings = await m.anomalyCheck(em, draft, now);
      await sleep(250);
      return warnings;
    };
    const racer = new CreatePayment(t.db, events, racing, () => at);
    const [a, b] = (await Promise.all([racer.execute(input({ amount: yuan(5_432) })), racer.execute(input({ amount: yuan(5_432) }))])).map(value);
    const [first, second] = a.payment.warnings.length === 0 ? [a, b] : [b, a];
    expect(first.payment.warnings).toEqual([]);
    expect(second.payment.warnings).toEqual([{ code: ANOMALY.DUPLICATE, severity: 'high', detail: first.payment.reference }]);
    expect(second.autoApproved).toBe(false);
    expect(second.payment.status).toBe('pending_approval');
  });

  test('velocity, changed bank details, evenings, weekends and holidays', async () => {
    const strict = new CreatePayment(t.db, events, anomalyCheckFor({ timezone: 'Asia/Shanghai', velocity: { maxCount: 2 } }), paymentClock);
    paymentNow = new Date('2026-12-10T02:00:00Z'); // Thursday
    expect(codes(value(await strict.execute(input({ amount: yuan(101) }))).payment.warnings)).toEqual([]);
    expect(codes(value(await strict.execute(input({ amount: yuan(102) }))).payment.warnings)).toEqual([]);
    expect(codes(value(await strict.execute(input({ amount: yuan(103) }))).payment.warnings)).toEqual([ANOMALY.VELOCITY]);
    paymentNow = new Date(paymentNow.getTime() + 2 * HOUR); // the hour has passed
    expect(codes(value(await strict.execute(input({ amount: yuan(104) }))).payment.warnings)).toEqual([]);

    await t.db.tx((em) => em.execute(`update payees set bank_details_changed_at = ? where id = ?`, [new Date(paymentNow.getTime() - 5 * 24 * HOUR), f.knownPayeeId]));
    expect(codes(value(await create.execute(input({ amount: yuan(105) }))).payment.warnings)).toEqual([ANOMALY.CHANGED_BANK_DETAILS]);
    await t.db.tx((em) => em.execute(`update payees set bank_details_changed_at = null where id = ?`, [f.knownPayeeId]));

    paymentNow = new Date('2026-12-10T11:00:00Z'); // 19:00
    expect(codes(value(await create.execute(input({ amount: yuan(106) }))).payment.warnings)).toEqual([ANOMALY.OUTSIDE_BUSINESS_HOURS]);
    paymentNow = new Date('2026-12-12T02:00:00Z'); // Saturday
    const weekend = value(await create.execute(input({ amount: yuan(107) })));
    expect(codes(weekend.payment.warnings)).toEqual([ANOMALY.OUTSIDE_BUSINESS_HOURS]);
    expect(weekend.autoApproved).toBe(false);
    await t.db.tx((em) => em.execute(`insert into business_holidays (date, name, created_by) values ('2026-12-16', 'test', 'test')`));
    paymentNow = new Date('2026-12-16T02:00:00Z'); // a Wednesday, but a holiday
    expect(codes(value(await create.execute(input({ amount: yuan(108) }))).payment.warnings)).toEqual([ANOMALY.OUTSIDE_BUSINESS_HOURS]);
  });
});

describe('a high-severity warning holds the payment for a treasurer (needs holdForTreasurer in CreatePayment)', () => {
  test('an approver cannot release it, nor the requester; a treasurer can, and the alert resolves', async () => {
    paymentNow = new Date('2026-12-23T02:00:00Z');
    const { payment } = value(await create.execute(input({ payeeId: f.newPayeeId, amount: yuan(45_678) })));
    expect(payment.tier).toMatchObject({ requireRole: 'treasurer', approvals: 1 });
    const byApprover = await decide.execute({ paymentId: payment.id, approverId: f.users.approver, decision: 'approve', via: 'test' });
    expect(byApprover).toEqual({ ok: false, code: 'APPROVAL.NEEDS_ROLE', params: { role: 'treasurer' } });
    const byRequester = await decide.execute({ paymentId: payment.id, approverId: f.users.requester, decision: 'approve', via: 'test' });
    expect(byRequester.ok === false && byRequester.code).toBe('APPROVAL.SELF_APPROVAL');
    const released = value(await decide.execute({ paymentId: payment.id, approverId: f.users.treasurer, decision: 'approve', via: 'test' }));
    expect(released.payment.status).toBe('approved');
    await settle();
    const [alert] = await alertsAbout(payment.id);
    expect(alert).toMatchObject({ status: 'resolved', resolved_by: 'system:payment:approved' });
    const refreshed = web.updates.filter((u) => u.key === `alert:${alert.id}`).at(-1)!.card('en');
    expect(refreshed.buttons).toEqual([]);
    expect(refreshed.context.join('\n')).toMatch(/Resolved .*: the payment is now Approved/);
  });
});

describe('alerts', () => {
  // The card is posted by the outbox's alert-cards consumer after the commit; settle() runs it.
  const raiseTest = async (key: string) => {
    const r = await m.alerts.raise({ kind: 'reconciliation', severity: 'medium', subjectType: 'statement', subjectId: key, dedupeKey: key, title: `Test ${key}`, detail: {} });
    await settle();
    return r;
  };

  test('the same key twice while unresolved is one alert, one audit event, one post', async () => {
    const a = await raiseTest('recon:dup');
    const b = await raiseTest('recon:dup');
    expect(a.raised).toBe(true);
    expect(b).toEqual({ raised: false, alert: expect.objectContaining({ id: a.alert.id }) });
    expect(await rows(`select id from alerts where dedupe_key = 'recon:dup'`)).toHaveLength(1);
    expect(await rows(`select seq from audit_events where action = 'alert.raised' and subject_id = ?`, [a.alert.id])).toHaveLength(1);
    expect(web.postsFor(`alert:${a.alert.id}`)).toHaveLength(1);
    expect(slack.postsFor(`alert:${a.alert.id}`)).toHaveLength(0); // no Slack route for reconciliation
    // Once resolved, the key is free for the next occurrence.
    value(await m.alerts.resolve(a.alert.id, 'user:root'));
    const c = await raiseTest('recon:dup');
    expect(c.raised).toBe(true);
    expect(c.alert.id).not.toBe(a.alert.id);
  });

  test('acknowledge from the card: refused for a requester, done by an approver, a second tap shows who', async () => {
    const { alert } = await raiseTest('recon:ack');
    const tap = JSON.stringify({ id: alert.id });
    const byRequester = await handleAlertAction({ alerts: m.alerts }, await user(f.users.requester), tap);
    expect(byRequester.toast).toEqual({ tone: 'danger', text: 'Only approvers, treasurers and admins can acknowledge alerts.' });
    expect(byRequester.card).toBeUndefined();
    expect((await m.alerts.byId(alert.id))!.status).toBe('open');

    const byApprover = await handleAlertAction({ alerts: m.alerts }, await user(f.users.approver), tap);
    expect(byApprover.toast?.tone).toBe('good');
    expect(byApprover.card?.status).toMatchObject({ code: 'acknowledged' });
    expect(byApprover.card?.buttons).toEqual([]);
    expect(byApprover.card?.context.join('\n')).toContain('Acknowledged by ADAM');
    await m.alerts.settle();
    expect(web.updates.filter((u) => u.key === `alert:${alert.id}`)).toHaveLength(1);
    expect(await rows(`select actor from audit_events where action = 'alert.acknowledged' and subject_id = ?`, [alert.id])).toEqual([{ actor: 'user:adam' }]);

    const second = await handleAlertAction({ alerts: m.alerts }, await user(f.users.treasurer), tap);
    expect(second.toast).toEqual({ tone: 'info', text: 'ADAM already acknowledged this alert.' });
    expect(second.card?.status?.code).toBe('acknowledged');
    expect((await handleAlertAction({ alerts: m.alerts }, await user(f.users.approver), '{"id":"nope"}')).toast?.tone).toBe('warning');
  });

  test('nobody acknowledges the alert about their own payment (maker–checker)', async () => {
    const own = await t.db.read((em) => em.execute(`select id from payments where requester_id = ? limit 1`, [f.users.requester]));
    const { alert } = await m.alerts.raise({
      kind: 'anomaly', severity: 'high', subjectType: 'payment', subjectId: own[0].id, dedupeKey: `self-ack:${own[0].id}`, title: 'held', detail: {},
    });
    await t.db.tx((em) => em.execute(`update users set roles = '{requester,treasurer}' where id = ?`, [f.users.requester]));
    try {
      expect(await m.alerts.acknowledge(alert.id, f.users.requester)).toEqual({ ok: false, code: 'ALERT.SELF_ACK' });
      expect((await m.alerts.acknowledge(alert.id, f.users.treasurer)).ok).toBe(true);
    } finally {
      await t.db.tx((em) => em.execute(`update users set roles = '{requester}' where id = ?`, [f.users.requester]));
    }
  });

  test('an unacknowledged alert is posted again after the interval, an acknowledged one is not', async () => {
    alertNow = new Date('2026-11-26T02:00:00Z');
    const { alert } = await raiseTest('recon:repeat');
    const key = `alert:${alert.id}`;
    expect(web.postsFor(key)).toHaveLength(1);
    alertNow = new Date(alertNow.getTime() + REPEAT - 1000);
    await m.alerts.sweep();
    expect(web.postsFor(key)).toHaveLength(1);
    alertNow = new Date(alertNow.getTime() + 2000);
    await m.alerts.sweep();
    expect(web.postsFor(key)).toHaveLength(2);
    expect(web.postsFor(key)[1].card('en').context).toContain('Reminder 1: not acknowledged yet');
    value(await m.alerts.acknowledge(alert.id, f.users.treasurer));
    alertNow = new Date(alertNow.getTime() + 3 * REPEAT);
    await m.alerts.sweep();
    expect(web.postsFor(key)).toHaveLength(2);
  });

  test('a post that failed is not lost: the outbox retries it, once delivered the sweep does not post it again', async () => {
    web.fail = true;
    const { alert } = await raiseTest('recon:retry');
    const key = `alert:${alert.id}`;
    expect(web.postsFor(key)).toHaveLength(0);
    expect((await m.alerts.byId(alert.id))!.notifyCount).toBe(0);
    // The failed attempt was reported to the outbox (and will be retried), not swallowed.
    expect(listenerErrors.splice(0)).toEqual([expect.objectContaining({ message: expect.stringContaining('no copy of the card could be posted') })]);
    web.fail = false;
    for (let i = 0; i < 60 && web.postsFor(key).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50)); // the first retry comes 0.5–1 s later
      await settle();
    }
    expect(web.postsFor(key)).toHaveLength(1);
    alertNow = new Date(alertNow.getTime() + 61_000);
    await m.alerts.sweep();
    expect(web.postsFor(key)).toHaveLength(1);
  });

  test('/pay alerts lists open alerts, newest first, in the reader’s language', async () => {
    alertNow = new Date('2026-11-27T02:00:00Z');
    const older = await raiseTest('recon:list-1');
    alertNow = new Date('2026-11-27T03:00:00Z');
    const newer = await raiseTest('recon:list-2');
    const reply = await alertsCommand({ alerts: m.alerts }, await user(f.users.requester), 'en');
    const view = reply.view as ListView;
    expect(reply.visibility).toBe('ephemeral');
    const keys = view.items.map((i) => i.key);
    expect(keys.indexOf(`alert:${newer.alert.id}`)).toBeLessThan(keys.indexOf(`alert:${older.alert.id}`));
    const open = Number((await rows(`select count(*)::int n from alerts where status = 'open'`))[0].n);
    expect(view.title).toBe(`Open alerts (${open})`);
    expect(view.items).toHaveLength(Math.min(open, 20));
    value(await m.alerts.acknowledge(newer.alert.id, f.users.admin));
    const after = (await alertsCommand({ alerts: m.alerts }, await user(f.users.requester), 'zh-CN')).view as ListView;
    expect(after.title).toBe(`未处理告警 (${open - 1})`);
    expect(after.items.map((i) => i.key)).not.toContain(`alert:${newer.alert.id}`);
  });
});

describe('re-evaluation before submission', () => {
  test('bank details changed after the request stop the payment; the listener raises a blocked alert', async () => {
    paymentNow = new Date('2026-12-30T02:00:00Z');
    const { payment } = value(await create.execute(input({ amount: yuan(4_321) })));
    expect(await t.db.tx((em) => m.preSubmitCheck(em, payment, paymentNow))).toEqual({ block: false });
    await t.db.tx((em) => em.execute(`update payees set bank_details_changed_at = ? where id = ?`, [new Date(payment.createdAt.getTime() + HOUR), f.knownPayeeId]));
    const verdict = await t.db.tx((em) => m.preSubmitCheck(em, payment, new Date(payment.createdAt.getTime() + 2 * HOUR)));
    await t.db.tx((em) => em.execute(`update payees set bank_details_changed_at = null where id = ?`, [f.knownPayeeId]));
    expect(verdict).toEqual({ block: true, reason: `PAYDESK-ANOMALY ${ANOMALY.CHANGED_BANK_DETAILS}`, warnings: [expect.objectContaining({ code: ANOMALY.CHANGED_BANK_DETAILS, severity: 'high' })] });

    // What the bank outbox records once it has recorded the block.
    await t.db.tx((em) => events.record(em, { type: 'payment.status_changed', payment: { ...payment, status: 'failed', bankReason: verdict.block ? verdict.reason : '' }, from: 'approved' }));
    await settle();
    const [alert] = await rows(`select * from alerts where dedupe_key = ?`, [`anomaly:blocked:${payment.id}`]);
    expect(alert).toMatchObject({ kind: 'anomaly', severity: 'high', status: 'open' });
    expect(web.postsFor(`alert:${alert.id}`)[0].card('en').context[0]).toMatch(/^Stopped before it was sent to the bank/);
  });

  test('a duplicate that reached the bank in the meantime stops it; one the approvers saw does not', async () => {
    paymentNow = new Date('2027-01-06T02:00:00Z');
    const { payment } = value(await create.execute(input({ amount: yuan(154) })));
    expect(payment.warnings).toEqual([]);
    const twin = await pastPayment({ payeeId: f.knownPayeeId, amount: 154, status: 'submitted', at: paymentNow });
    const v = await t.db.tx((em) => m.preSubmitCheck(em, payment, paymentNow));
    expect(v).toMatchObject({ block: true, warnings: [{ code: ANOMALY.DUPLICATE, detail: twin }] });
    const seen = { ...payment, warnings: [{ code: ANOMALY.DUPLICATE, severity: 'high' as const }] };
    expect(await t.db.tx((em) => m.preSubmitCheck(em, seen, paymentNow))).toEqual({ block: false });
  });

  test('two approved twins nobody warned about: the one decided first goes, the other is stopped', async () => {
    paymentNow = new Date('2027-01-13T02:00:00Z');
    const earlier = await pastPayment({ payeeId: f.knownPayeeId, amount: 163, status: 'approved', at: new Date(paymentNow.getTime() - 2 * HOUR), decidedAt: new Date(paymentNow.getTime() - HOUR) });
    const later = await pastPayment({ payeeId: f.knownPayeeId, amount: 163, status: 'approved', at: new Date(paymentNow.getTime() - 3 * HOUR), decidedAt: new Date(paymentNow.getTime() - HOUR / 2) });
    // Whichever worker checks first, the answer is the same: decision order, not timing, picks the one that goes.
    expect(await t.db.tx(async (em) => m.preSubmitCheck(em, await byReference(later), paymentNow))).toMatchObject({
      block: true, warnings: [{ code: ANOMALY.DUPLICATE, detail: earlier }],
    });
    expect(await t.db.tx(async (em) => m.preSubmitCheck(em, await byReference(earlier), paymentNow))).toEqual({ block: false });
    await t.db.tx((em) => em.execute(`update payments set status = 'cancelled' where reference in (?, ?)`, [earlier, later]));
  });

  test('a twin being submitted by another worker holds this check until it commits, then stops this one', async () => {
    paymentNow = new Date('2027-01-20T02:00:00Z');
    // B was decided first but its worker is second; A's approvers saw the duplicate warning, so A itself passes.
    const b = await byReference(await pastPayment({ payeeId: f.knownPayeeId, amount: 172, status: 'approved', at: new Date(paymentNow.getTime() - 2 * HOUR), decidedAt: new Date(paymentNow.getTime() - HOUR) }));
    const aRef = await pastPayment({
      payeeId: f.knownPayeeId, amount: 172, status: 'approved', at: new Date(paymentNow.getTime() - HOUR), decidedAt: new Date(paymentNow.getTime() - HOUR / 2),
      warnings: [{ code: ANOMALY.DUPLICATE, severity: 'high' }],
    });
    const a = await byReference(aRef);
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const worker1 = t.db.tx(async (em) => {
      expect(await m.preSubmitCheck(em, a, paymentNow)).toEqual({ block: false });
      await em.execute(`update payments set status = 'submitted' where id = ?`, [a.id]); // the bank took it
      entered();
      await sleep(300);
    });
    await inside;
    const verdict = await t.db.tx((em) => m.preSubmitCheck(em, b, paymentNow));
    await worker1;
    expect(verdict).toMatchObject({ block: true, warnings: [{ code: ANOMALY.DUPLICATE, detail: aRef }] });
  });
});
