import { createTestDb, TestDb } from '../support/test-db';

let t: TestDb;
beforeAll(async () => { t = await createTestDb(); });
afterAll(async () => { await t.drop(); });

test('migrations create the core tables', async () => {
  const rows = await t.db.read((em) =>
    em.execute(`select table_name from information_schema.tables where table_schema = 'public' order by 1`),
  );
  const names = rows.map((r: any) => r.table_name);
  expect(names).toEqual(expect.arrayContaining(['payments', 'approvals', 'audit_events', 'users', 'bank_accounts', 'payees']));
});

test('the audit log refuses updates and deletes at the database level', async () => {
  await t.db.tx((em) =>
    em.execute(`insert into audit_events (at, actor, action, subject_type, subject_id, data, prev_hash, hash)
                values (now(), 'system:test', 'test', 'x', '1', '{}', repeat('0',64), repeat('a',64))`),
  );
  await expect(t.db.tx((em) => em.execute(`update audit_events set actor = 'evil'`))).rejects.toThrow(/append-only/);
  await expect(t.db.tx((em) => em.execute(`delete from audit_events`))).rejects.toThrow(/append-only/);
});

test('entity metadata and the committed migrations agree (no drift)', async () => {
  const diff = await t.db.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: true });
  expect(diff.trim()).toBe('');
});
