/**
 * The audit chain off the commit path (issue 14): events commit unlinked and lock-free,
 * the chainer links them afterwards and signs the head, and verify still catches a
 * changed, inserted or deleted event — the newest ones included.
 */
import { GENESIS_HASH, hashEvent, signCheckpoint } from '../../src/domain/audit/audit-chain';
import type { Tx } from '../../src/persistence/database';
import { AuditChainTampered, DEV_CHECKPOINT_KEY, eventBody, linkPendingAuditEvents } from '../../src/services/audit/audit-chainer';
import { appendAudit } from '../../src/services/audit/audit-log';
import { verifyAuditChain } from '../../src/services/audit/verify-audit-chain';
import { createTestDb, TestDb } from '../support/test-db';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.drop();
});

const AT = new Date('2026-03-02T01:02:03.456Z');
const event = (n: number) => ({ actor: 'system:test', action: 'test.event', subjectType: 'test', subjectId: `s${n}`, data: { n, amount: 100n * BigInt(n) }, at: AT });
const append = (n: number) => t.db.tx((em) => appendAudit(em, event(n)));
const rows = (sql: string, params: unknown[] = []) => t.db.read((em) => em.execute(sql, params));
/** As an attacker with database access would: superuser, triggers bypassed. */
const tamper = (fn: (em: Tx) => Promise<unknown>) =>
  t.db.tx(async (em) => {
    await em.execute(`set local session_replication_role = replica`);
    await fn(em);
  });

async function chainOf(n: number): Promise<void> {
  for (let i = 1; i <= n; i++) await append(i);
  await linkPendingAuditEvents(t.db);
}

test('events commit unlinked; the chainer links them in order and signs the head in the same transaction', async () => {
  for (const n of [1, 2, 3]) await append(n);
  expect(await rows(`select chain_seq, hash from audit_events`)).toEqual([
    { chain_seq: null, hash: null }, { chain_seq: null, hash: null }, { chain_seq: null, hash: null },
  ]);

  expect(await linkPendingAuditEvents(t.db)).toBe(3);
  const linked = await rows(`select seq, chain_seq, at, actor, action, subject_type, subject_id, data, prev_hash, hash from audit_events order by chain_seq`);
  expect(linked.map((r: any) => Number(r.chain_seq))).toEqual([1, 2, 3]);
  let prev = GENESIS_HASH;
  for (const r of linked) {
    expect(r.prev_hash).toBe(prev);
    expect(r.hash).toBe(hashEvent(prev, eventBody(r)));
    prev = r.hash;
  }
  const [cp] = await rows(`select chain_seq, hash, signature from audit_checkpoints`);
  expect({ chainSeq: Number(cp.chain_seq), hash: cp.hash }).toEqual({ chainSeq: 3, hash: prev });
  expect(cp.signature).toBe(signCheckpoint(DEV_CHECKPOINT_KEY, { chainSeq: 3n, hash: prev }));
  expect(await linkPendingAuditEvents(t.db)).toBe(0);
  expect(await verifyAuditChain(t.db)).toEqual({ intact: true, checked: 3, lastHash: prev });
});

test('audited transactions share no lock, and an event of a transaction still open is linked by a later round', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let appendedInOpen!: () => void;
  const appended = new Promise<void>((r) => (appendedInOpen = r));
  const open = t.db.tx(async (em) => {
    await appendAudit(em, event(1));
    appendedInOpen();
    await gate; // still in flight
  });
  await appended;
  // Under the old design this append waited for the open transaction's advisory lock until it committed.
  await append(2);
  expect(await linkPendingAuditEvents(t.db)).toBe(1);
  release();
  await open;
  expect(await linkPendingAuditEvents(t.db)).toBe(1);
  const order = await rows(`select subject_id, chain_seq from audit_events order by chain_seq`);
  expect(order.map((r: any) => [r.subject_id, Number(r.chain_seq)])).toEqual([['s2', 1], ['s1', 2]]);
  expect(await verifyAuditChain(t.db)).toMatchObject({ intact: true, checked: 2 });
});

test('deleting the newest audit event is detected by the signed checkpoint', async () => {
  await chainOf(5);
  expect((await verifyAuditChain(t.db)).intact).toBe(true);
  await tamper((em) => em.execute(`delete from audit_events where chain_seq = 5`));
  expect(await verifyAuditChain(t.db)).toMatchObject({ intact: false, brokenAtSeq: 5n, reason: 'checkpoint_mismatch' });
  // The chainer will not build on the shortened chain either.
  await append(6);
  await expect(linkPendingAuditEvents(t.db)).rejects.toBeInstanceOf(AuditChainTampered);
});

test('changing one audit event is detected at that event', async () => {
  await chainOf(5);
  const [victim] = await rows(`select seq from audit_events where chain_seq = 3`);
  await tamper((em) => em.execute(`update audit_events set data = jsonb_set(data, '{amount}', '"1"') where seq = ?`, [victim.seq]));
  expect(await verifyAuditChain(t.db)).toMatchObject({ intact: false, brokenAtSeq: BigInt(victim.seq), reason: 'hash_mismatch' });
});

test('inserting one audit event is detected, even with every later link recomputed', async () => {
  for (let i = 1; i <= 3; i++) await append(i);
  await linkPendingAuditEvents(t.db); // checkpoint at 3
  for (let i = 4; i <= 5; i++) await append(i);
  await linkPendingAuditEvents(t.db); // checkpoint at 5
  // A forged event slipped in at position 2, every later event moved up one and re-hashed,
  // so that every link in the table is consistent again.
  await tamper(async (em) => {
    await em.execute(`update audit_events set chain_seq = -chain_seq where chain_seq >= 2`);
    await em.execute(`update audit_events set chain_seq = -chain_seq + 1 where chain_seq <= -2`);
    await em.execute(`insert into audit_events (at, actor, action, subject_type, subject_id, data, chain_seq) values (?, 'user:mallory', 'payment.approved', 'payment', 'PAY-X', '{}'::jsonb, 2)`, [AT.toISOString()]);
    const chain = await em.execute(`select seq, at, actor, action, subject_type, subject_id, data from audit_events order by chain_seq`);
    let prev = GENESIS_HASH;
    for (const r of chain) {
      const hash = hashEvent(prev, eventBody(r));
      await em.execute(`update audit_events set prev_hash = ?, hash = ? where seq = ?`, [prev, hash, r.seq]);
      prev = hash;
    }
  });
  expect(await verifyAuditChain(t.db)).toMatchObject({ intact: false, brokenAtSeq: 3n, reason: 'checkpoint_mismatch' });
});

test('an event linked by hand beyond the newest checkpoint is detected, and the chainer refuses to build on it', async () => {
  await chainOf(3);
  await tamper(async (em) => {
    const [head] = await em.execute(`select hash from audit_events where chain_seq = 3`);
    const body = eventBody({ at: AT, actor: 'user:mallory', action: 'payment.approved', subject_type: 'payment', subject_id: 'PAY-X', data: {} });
    await em.execute(
      `insert into audit_events (at, actor, action, subject_type, subject_id, data, chain_seq, prev_hash, hash) values (?, ?, ?, ?, ?, '{}'::jsonb, 4, ?, ?)`,
      [body.at, body.actor, body.action, body.subjectType, body.subjectId, head.hash, hashEvent(head.hash, body)],
    );
  });
  expect(await verifyAuditChain(t.db)).toMatchObject({ intact: false, brokenAtSeq: 4n, reason: 'unanchored' });
  await append(9);
  await expect(linkPendingAuditEvents(t.db)).rejects.toBeInstanceOf(AuditChainTampered);
});

test('a checkpoint not signed with the configured key is detected', async () => {
  await chainOf(2);
  expect(await verifyAuditChain(t.db, { checkpointKey: 'another-key-of-at-least-32-characters' })).toMatchObject({
    intact: false, brokenAtSeq: 2n, reason: 'checkpoint_signature',
  });
  expect((await verifyAuditChain(t.db, { checkpointKey: DEV_CHECKPOINT_KEY })).intact).toBe(true);
});

test('the database refuses to change a linked event, to relink it, or to change or delete a checkpoint', async () => {
  await chainOf(2);
  await expect(t.db.tx((em) => em.execute(`update audit_events set actor = 'evil' where chain_seq = 1`))).rejects.toThrow(/append-only/);
  await expect(t.db.tx((em) => em.execute(`update audit_events set hash = repeat('b', 64) where chain_seq = 1`))).rejects.toThrow(/append-only/);
  await expect(t.db.tx((em) => em.execute(`delete from audit_events where chain_seq = 2`))).rejects.toThrow(/append-only/);
  await expect(t.db.tx((em) => em.execute(`update audit_checkpoints set hash = repeat('b', 64)`))).rejects.toThrow(/append-only/);
  await expect(t.db.tx((em) => em.execute(`delete from audit_checkpoints`))).rejects.toThrow(/append-only/);
  // Linking an unlinked event is allowed once, and only without changing the event itself.
  await append(3);
  await expect(
    t.db.tx((em) => em.execute(`update audit_events set chain_seq = 3, hash = repeat('c', 64), actor = 'evil' where chain_seq is null`)),
  ).rejects.toThrow(/append-only/);
  expect((await verifyAuditChain(t.db)).intact).toBe(true);
});
