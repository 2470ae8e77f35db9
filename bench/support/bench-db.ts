/**
 * A throwaway database on the local PostgreSQL server for one benchmark run:
 * created fresh (so earlier runs' rows never skew a figure) and dropped at the end.
 */
import { Client } from 'pg';
import { Database } from '../../src/persistence/database';
import { migrate, openOrm } from '../../src/persistence/orm';

/** DATABASE_URL's server, or the local one; the database part of the URL is replaced. */
export function serverUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(sql: string, params: unknown[] = []): Promise<any[]> {
  const client = new Client({ connectionString: withDatabase(serverUrl(), 'postgres') });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export interface BenchDb {
  name: string;
  url: string;
  db: Database;
  drop(): Promise<void>;
}

/** An empty database; `migrated` applies paydesk's migrations and opens the ORM with `poolMax` connections. */
export async function createBenchDb(prefix: string, opts: { poolMax?: number } = {}): Promise<BenchDb> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(`create database ${name}`);
  const url = withDatabase(serverUrl(), name);
  const orm = await openOrm(url, { pool: { min: 0, max: opts.poolMax ?? 10 } });
  await migrate(orm);
  const db = new Database(orm);
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await db.close().catch(() => undefined);
    await adminQuery(`drop database if exists ${name} with (force)`);
  };
  return { name, url, db, drop };
}

/** An empty, unmigrated database (pgbench's own). */
export async function createRawDb(prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(`create database ${name}`);
  return { name, url: withDatabase(serverUrl(), name), drop: async () => void (await adminQuery(`drop database if exists ${name} with (force)`)) };
}

export async function serverVersion(): Promise<string> {
  return (await adminQuery('show server_version'))[0].server_version;
}

/** Drops the bench database even on Ctrl-C, so an interrupted run leaves nothing behind. */
export function dropOnExit(drop: () => Promise<void>): void {
  const handler = () => void drop().finally(() => process.exit(130));
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
