import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import type { AppConfig } from './config';
import type { Logger } from './logger';
import { Database } from './persistence/database';
import { auditExposure, grantApplicationRole, roleOf } from './persistence/database-roles';
import type * as EmbeddedModule from './persistence/embedded-postgres';
import { migrate, openOrm } from './persistence/orm';

export interface DatabaseTarget {
  /** The application role: what the running process connects as. */
  url: string;
  /** The owner role that runs migrations; absent when one role does both. */
  ownerUrl?: string;
  stop(): Promise<void>;
}

/** The embedded server's two roles; it listens on 127.0.0.1 only. */
export const EMBEDDED_ROLES = { owner: 'paydesk_owner', app: 'paydesk_app' } as const;

/**
 * DATABASE_URL (+ DATABASE_OWNER_URL) when given; otherwise a real PostgreSQL
 * embedded under the data folder, with a `paydesk` database owned by
 * `paydesk_owner` and the process connecting as `paydesk_app`.
 */
export async function resolveDatabase(config: AppConfig, log: Logger): Promise<DatabaseTarget> {
  if (config.database.kind === 'external') {
    const { url, ownerUrl } = config.database;
    return { url, ...(ownerUrl && ownerUrl !== url ? { ownerUrl } : {}), stop: async () => {} };
  }
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
  try {
    await ensureRoles(embedded.serverUrl, 'paydesk', EMBEDDED_ROLES);
  } catch (e) {
    await embedded.stop();
    throw e;
  }
  const as = (role: string) => {
    const u = new URL(embedded.serverUrl);
    u.username = role;
    u.password = role; // the server answers 127.0.0.1 only; the process holds the superuser password anyway
    u.pathname = '/paydesk';
    return u.toString();
  };
  log.info({ port: config.database.port, ms: Date.now() - started }, 'embedded PostgreSQL started');
  return { url: as(EMBEDDED_ROLES.app), ownerUrl: as(EMBEDDED_ROLES.owner), stop: () => embedded.stop() };
}

/**
 * Creates the owner and application roles (password = role name) and the
 * database owned by the owner, idempotently. A database from before the split
 * (tables owned by the superuser) is handed over to the owner role once.
 */
export async function ensureRoles(serverUrl: string, database: string, roles: { owner: string; app: string }): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    for (const role of [roles.owner, roles.app]) {
      const exists = await admin.query('select 1 from pg_roles where rolname = $1', [role]);
      // Two processes may race here (parallel test files): a duplicate is as good as our own.
      if (exists.rowCount === 0)
        await admin.query(`create role ${escapeIdentifier(role)} login password ${escapeLiteral(role)}`).catch(ignoreDuplicate);
    }
    const db = await admin.query<{ owner: string }>('select pg_get_userbyid(datdba) as owner from pg_database where datname = $1', [database]);
    if (db.rowCount === 0) await admin.query(`create database ${escapeIdentifier(database)} owner ${escapeIdentifier(roles.owner)}`);
    else if (db.rows[0].owner !== roles.owner) await admin.query(`alter database ${escapeIdentifier(database)} owner to ${escapeIdentifier(roles.owner)}`);
  } finally {
    await admin.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  const inDb = new Client({ connectionString: u.toString() });
  await inDb.connect();
  try {
    await inDb.query(`grant connect on database ${escapeIdentifier(database)} to ${escapeIdentifier(roles.app)}`);
    await handOver(inDb, roles.owner);
  } finally {
    await inDb.end();
  }
}

/** Gives the owner role every table, free-standing sequence and function in `public` it does not own yet. */
async function handOver(c: Client, owner: string): Promise<void> {
  const o = escapeIdentifier(owner);
  const { rows } = await c.query<{ stmt: string }>(
    `select format('alter %s %s owner to %s', case when k.relkind = 'S' then 'sequence' when k.relkind in ('v') then 'view' else 'table' end,
                   k.oid::regclass, $1::text) as stmt
       from pg_class k join pg_namespace n on n.oid = k.relnamespace
      where n.nspname = 'public' and k.relkind in ('r', 'p', 'v', 'S') and pg_get_userbyid(k.relowner) <> $2
        and not exists (select 1 from pg_depend d where d.objid = k.oid and d.classid = 'pg_class'::regclass and d.deptype in ('a', 'i'))
     union all
     select format('alter function %s owner to %s', p.oid::regprocedure, $1::text)
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> $2`,
    [o, owner],
  );
  for (const r of rows) await c.query(r.stmt);
}

function ignoreDuplicate(e: { code?: string }): void {
  if (e.code !== '42710' && e.code !== '23505') throw e;
}

/**
 * Migrates (as the owner when there is one), grants the application role its
 * privileges, and opens the application's connection. With a single role the
 * audit trail's protection rests on that role's goodwill: say so at start-up.
 */
export async function openAppDatabase(target: DatabaseTarget, log: Logger): Promise<{ db: Database; applied: string[] }> {
  let applied: string[] = [];
  const appRole = await roleOf(target.url);
  // Two URLs for one role is one role: revoking from it would take the owner's own rights away.
  const ownerUrl = target.ownerUrl && (await roleOf(target.ownerUrl)) !== appRole ? target.ownerUrl : undefined;
  if (ownerUrl) {
    const ownerOrm = await openOrm(ownerUrl, { pool: { min: 0, max: 2 } });
    try {
      applied = await migrate(ownerOrm);
    } finally {
      await ownerOrm.close(true);
    }
    await grantApplicationRole(ownerUrl, appRole);
  }
  const db = new Database(await openOrm(target.url));
  try {
    if (!ownerUrl) applied = await migrate(db.orm);
    const exposure = await auditExposure(target.url);
    if (exposure.canRewriteAudit)
      log.warn(
        { role: exposure.role, ownerRole: Boolean(ownerUrl) },
        `paydesk connects as database role "${exposure.role}", which owns or may update the audit tables: it could disable the append-only triggers and rewrite the audit trail. ` +
          'Set DATABASE_OWNER_URL to an owner role for migrations and DATABASE_URL to a separate application role (README: Security notes).',
      );
    return { db, applied };
  } catch (e) {
    await db.close();
    throw e;
  }
}
