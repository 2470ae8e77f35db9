import { Client } from 'pg';
import type { AppConfig } from './config';
import type { Logger } from './logger';
import type * as EmbeddedModule from './persistence/embedded-postgres';

export interface DatabaseTarget {
  url: string;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when given; otherwise a real PostgreSQL embedded under the data
 * folder, with a `paydesk` database created on first start.
 */
export async function resolveDatabase(config: AppConfig, log: Logger): Promise<DatabaseTarget> {
  if (config.database.kind === 'external') return { url: config.database.url, stop: async () => {} };
  const started = Date.now();
  // Loaded only when needed: the package looks up its platform binaries as it loads, which
  // a process given DATABASE_URL (and jest, which cannot import that ESM) should not do.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startEmbeddedPostgres } = require('./persistence/embedded-postgres') as typeof EmbeddedModule;
  const embedded = await startEmbeddedPostgres({
    dataDir: config.database.dataDir,
    port: config.database.port,
    onLog: (line) => log.debug({ pg: line }, 'embedded postgres'),
  });
  const admin = new Client({ connectionString: embedded.serverUrl });
  await admin.connect();
  try {
    const exists = await admin.query(`select 1 from pg_database where datname = 'paydesk'`);
    if (exists.rowCount === 0) await admin.query('create database paydesk');
  } finally {
    await admin.end();
  }
  const url = embedded.serverUrl.replace(/\/postgres$/, '/paydesk');
  log.info({ port: config.database.port, ms: Date.now() - started }, 'embedded PostgreSQL started');
  return { url, stop: () => embedded.stop() };
}
