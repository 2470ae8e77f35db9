import { Client, escapeIdentifier } from 'pg';

/**
 * paydesk's two database roles (README: Security notes).
 *
 * - The **owner** owns the schema: it runs migrations and is the only role that
 *   can ALTER a table, which includes disabling the triggers that keep
 *   `audit_events` and `audit_checkpoints` append-only.
 * - The **application** role is what the running process connects as: the usual
 *   SELECT/INSERT/UPDATE/DELETE on paydesk's and Agenda's tables, but on the audit
 *   tables only SELECT and INSERT — plus, on `audit_events`, UPDATE of the three
 *   link columns the chainer fills in once (the trigger refuses any other change
 *   and any second link; see Migration20261207214517AuditChainer).
 */

/** Grants the application role its privileges; run as the owner after migrations. Idempotent. */
export async function grantApplicationRole(ownerUrl: string, appRole: string): Promise<void> {
  const app = escapeIdentifier(appRole);
  await withClient(ownerUrl, async (c) => {
    await c.query('begin');
    try {
      await c.query(`grant usage on schema public to ${app}`);
      await c.query(`grant select, insert, update, delete on all tables in schema public to ${app}`);
      await c.query(`grant usage, select, update on all sequences in schema public to ${app}`);
      // Revoking table-level UPDATE also drops column grants, so the link columns are granted after it.
      await c.query(`revoke update, delete, truncate, references, trigger on audit_events, audit_checkpoints from ${app}`);
      await c.query(`grant update (chain_seq, prev_hash, hash) on audit_events to ${app}`);
      // Which migrations ran is the owner's record; the application only reads it.
      await c.query(`revoke insert, update, delete, truncate on mikro_orm_migrations from ${app}`);
      await c.query('commit');
    } catch (e) {
      await c.query('rollback').catch(() => {});
      throw e;
    }
  });
}

export interface AuditExposure {
  role: string;
  /** True when this role could rewrite or silence the audit trail (owner, superuser, or UPDATE/DELETE/TRUNCATE granted). */
  canRewriteAudit: boolean;
}

/** What the role behind `url` could do to the audit tables. */
export async function auditExposure(url: string): Promise<AuditExposure> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ role: string; can: boolean }>(
      `select current_user as role,
              (select rolsuper from pg_roles where rolname = current_user)
              or exists (
                select 1 from pg_class t
                where t.oid in ('audit_events'::regclass, 'audit_checkpoints'::regclass)
                  and (pg_has_role(current_user, t.relowner, 'USAGE')
                       or has_table_privilege(current_user, t.oid, 'UPDATE')
                       or has_table_privilege(current_user, t.oid, 'DELETE')
                       or has_table_privilege(current_user, t.oid, 'TRUNCATE'))
              ) as can`,
    );
    return { role: rows[0].role, canRewriteAudit: rows[0].can };
  });
}

/** The role name a URL logs in as (the URL's user, or the server's default). */
export async function roleOf(url: string): Promise<string> {
  return withClient(url, async (c) => (await c.query<{ role: string }>('select current_user as role')).rows[0].role);
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  c.on('error', () => {});
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => {});
  }
}
