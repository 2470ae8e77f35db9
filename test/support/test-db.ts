import { randomBytes } from 'node:crypto';
import { Database } from '../../src/persistence/database';
import { openOrm } from '../../src/persistence/orm';
import { adminQuery, withDatabase } from './pg-admin';

export interface TestDb {
  db: Database;
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh migrated database for one test file, cloned from the run's template. */
export async function createTestDb(): Promise<TestDb> {
  const serverUrl = process.env.PAYDESK_TEST_SERVER_URL;
  const template = process.env.PAYDESK_TEST_TEMPLATE;
  if (!serverUrl || !template) throw new Error('test database server not set up (jest globalSetup did not run)');
  const parentPid = template.replace('paydesk_tpl_', '');
  const name = `paydesk_t_${parentPid}_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(serverUrl, `create database ${name} template ${template}`);
      break;
    } catch (e) {
      // Two clones of one template at the same instant can collide; a short retry settles it.
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  const url = withDatabase(serverUrl, name);
  const db = new Database(await openOrm(url, { pool: { min: 0, max: 30 } }));
  return {
    db,
    url,
    name,
    drop: async () => {
      await db.close();
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}
