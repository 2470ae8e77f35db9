import { loadConfigOrExit } from '../bootstrap-config';
import { openAppDatabase, resolveDatabase } from '../database-bootstrap';
import { createLogger } from '../logger';
import { Database } from '../persistence/database';

/** Runs a CLI task against DATABASE_URL, or the embedded database `npm start` uses. */
export async function withDatabase(task: (db: Database) => Promise<void>): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const log = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, name: 'paydesk-cli' });
  const target = await resolveDatabase(config, log);
  const { db } = await openAppDatabase(target, log);
  try {
    await task(db);
  } finally {
    await db.close();
    await target.stop();
  }
}

export function fail(err: unknown): never {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
