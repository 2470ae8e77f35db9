import type { IncomingMessage } from 'node:http';
import type { Database } from '../../persistence/database';
import { ApiScope, ApiToken, apiTokens } from '../../services/api-tokens/api-tokens';
import { ApiError } from './api-errors';

const CHALLENGE = { 'www-authenticate': 'Bearer realm="paydesk"' };

/** The token behind `Authorization: Bearer pd_…`; 401 for none, unknown or revoked, 403 for a missing scope. */
export async function authenticate(db: Database, req: IncomingMessage, scope: ApiScope): Promise<ApiToken> {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!m) throw new ApiError(401, 'AUTH.TOKEN_REQUIRED', {}, undefined, CHALLENGE);
  const found = await db.read((em) => apiTokens.authenticate(em, m[1]));
  if ('error' in found)
    throw new ApiError(401, found.error === 'revoked' ? 'AUTH.TOKEN_REVOKED' : 'AUTH.TOKEN_INVALID', {}, undefined, {
      'www-authenticate': 'Bearer realm="paydesk", error="invalid_token"',
    });
  if (!found.token.scopes.includes(scope))
    throw new ApiError(403, 'AUTH.SCOPE_MISSING', { scope }, undefined, {
      'www-authenticate': `Bearer realm="paydesk", error="insufficient_scope", scope="${scope}"`,
    });
  return found.token;
}
