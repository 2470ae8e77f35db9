import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Result, ok, refuse } from '../../domain/result';
import type { Database, Tx } from '../../persistence/database';
import { appendAudit } from '../audit/audit-log';

/**
 * What a token may do. `payments:read` reads every payment; `payments:read:own` only
 * the payments this token created. `audit:read` covers the audit-chain check only;
 * `reports:read` the payments CSV and the cash-position series.
 */
export const API_SCOPES = ['payments:write', 'payments:read', 'payments:read:own', 'balances:read', 'audit:read', 'reports:read'] as const;
export type ApiScope = (typeof API_SCOPES)[number];
export const isApiScope = (s: string): s is ApiScope => (API_SCOPES as readonly string[]).includes(s);

/** A token as stored: never the secret itself, only its sha256. */
export interface ApiToken {
  id: string;
  name: string;
  scopes: ApiScope[];
  createdBy: string;
  createdAt: Date;
  revokedAt?: Date;
  /** After this the token is refused (AUTH.TOKEN_EXPIRED); none means it lives until revoked. */
  expiresAt?: Date;
  lastUsedAt?: Date;
}

/** Which payments a token may read: every one, only its own, or none. */
export function paymentReadReach(t: Pick<ApiToken, 'scopes'>): 'all' | 'own' | 'none' {
  if (t.scopes.includes('payments:read')) return 'all';
  return t.scopes.includes('payments:read:own') ? 'own' : 'none';
}

const TOKEN_PREFIX = 'pd_';
const NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

/** The audit actor for everything a token does. */
export const apiActor = (t: Pick<ApiToken, 'name'>): string => `api:${t.name}`;

// A fast hash is enough: the token carries 256 random bits, so there is nothing to brute-force.
const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

function fromRow(r: any): ApiToken {
  return {
    id: r.id,
    name: r.name,
    scopes: (r.scopes as string[]).filter(isApiScope),
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
    ...(r.revoked_at ? { revokedAt: new Date(r.revoked_at) } : {}),
    ...(r.expires_at ? { expiresAt: new Date(r.expires_at) } : {}),
    ...(r.last_used_at ? { lastUsedAt: new Date(r.last_used_at) } : {}),
  };
}

export const apiTokens = {
  /** Creates a token and returns its secret; the secret is not stored and cannot be shown again. */
  async create(
    db: Database,
    input: { name: string; scopes: readonly string[]; createdBy: string; expiresAt?: Date },
  ): Promise<Result<{ token: string; record: ApiToken }>> {
    const name = input.name.trim().toLowerCase();
    if (!NAME.test(name)) return refuse('API_TOKEN.INVALID_NAME');
    const unknown = input.scopes.filter((s) => !isApiScope(s));
    if (unknown.length > 0) return refuse('API_TOKEN.UNKNOWN_SCOPE', { scope: unknown.join(', '), known: API_SCOPES.join(', ') });
    const scopes = [...new Set(input.scopes)] as ApiScope[];
    if (scopes.length === 0) return refuse('API_TOKEN.NO_SCOPES', { known: API_SCOPES.join(', ') });
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    return db.tx(async (em) => {
      const rows = await em.execute(
        `insert into api_tokens (id, name, token_hash, scopes, created_by, created_at, expires_at) values (?, ?, ?, ?::text[], ?, now(), ?)
         on conflict (name) do nothing returning *`,
        [randomUUID(), name, hashToken(token), `{${scopes.join(',')}}`, input.createdBy, input.expiresAt ?? null],
      );
      if (rows.length === 0) return refuse('API_TOKEN.NAME_TAKEN', { name });
      const record = fromRow(rows[0]);
      await appendAudit(em, {
        actor: input.createdBy, action: 'api_token.created', subjectType: 'api_token', subjectId: name,
        data: { scopes, ...(input.expiresAt ? { expiresAt: input.expiresAt.toISOString() } : {}) },
      });
      return ok({ token, record });
    });
  },

  async list(db: Database): Promise<ApiToken[]> {
    const rows = await db.read((em) => em.execute(`select * from api_tokens order by name`));
    return rows.map(fromRow);
  },

  /** Revokes a live token named `name` (or with that id, as `/pay token list` shows it). */
  async revoke(db: Database, name: string, revokedBy: string): Promise<Result<ApiToken>> {
    return db.tx(async (em) => {
      const rows = await em.execute(
        `update api_tokens set revoked_at = now() where (name = ? or id::text = ?) and revoked_at is null returning *`,
        [name.trim().toLowerCase(), name.trim().toLowerCase()],
      );
      if (rows.length === 0) return refuse('API_TOKEN.NOT_FOUND', { name });
      const record = fromRow(rows[0]);
      // Webhooks of a revoked token stop with it.
      await em.execute(`update webhook_subscriptions set active = false where token_id = ?`, [record.id]);
      await appendAudit(em, { actor: revokedBy, action: 'api_token.revoked', subjectType: 'api_token', subjectId: record.name, data: {} });
      return ok(record);
    });
  },

  /** The live token for a bearer secret, or why not. Revoked tokens are told apart so clients see why. */
  async authenticate(em: Tx, secret: string, now: Date = new Date()): Promise<{ token: ApiToken } | { error: 'invalid' | 'revoked' | 'expired' }> {
    if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return { error: 'invalid' };
    const hash = hashToken(secret);
    const rows = await em.execute(`select * from api_tokens where token_hash = ?`, [hash]);
    // The lookup is by hash, so timing reveals nothing about the secret; the compare is belt and braces.
    if (rows.length === 0 || !timingSafeEqual(Buffer.from(rows[0].token_hash), Buffer.from(hash))) return { error: 'invalid' };
    const token = fromRow(rows[0]);
    if (token.revokedAt) return { error: 'revoked' };
    return token.expiresAt && token.expiresAt.getTime() <= now.getTime() ? { error: 'expired' } : { token };
  },

  /** Records a use; at most once a minute per token, so a busy ERP does not write on every request. */
  async touch(db: Database, id: string, now: Date = new Date()): Promise<void> {
    await db.tx((em) =>
      em.execute(`update api_tokens set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)`, [
        now, id, new Date(now.getTime() - 60_000),
      ]),
    );
  },
};
