import type { IncomingMessage } from 'node:http';
import type { Database } from '../../persistence/database';
import { ApiScope, ApiToken, apiTokens, paymentReadReach } from '../../services/api-tokens/api-tokens';
import { ApiError } from './api-errors';

const CHALLENGE = { 'www-authenticate': 'Bearer realm="paydesk"' };

/**
 * The token behind `Authorization: Bearer pd_…`; 401 for none, unknown, revoked or
 * expired, 403 for a missing scope. A route that filters to the token's own payments
 * (`ownScope`) also admits `payments:read:own` for `payments:read`.
 */
export async function authenticate(db: Database, req: IncomingMessage, scope: ApiScope, ownScope = false): Promise<ApiToken> {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!m) throw new ApiError(401, 'AUTH.TOKEN_REQUIRED', {}, undefined, CHALLENGE);
  const found = await db.read((em) => apiTokens.authenticate(em, m[1]));
  if ('error' in found)
    throw new ApiError(401, found.error === 'revoked' ? 'AUTH.TOKEN_REVOKED' : found.error === 'expired' ? 'AUTH.TOKEN_EXPIRED' : 'AUTH.TOKEN_INVALID', {}, undefined, {
      'www-authenticate': 'Bearer realm="paydesk", error="invalid_token"',
    });
  const granted = found.token.scopes.includes(scope) || (ownScope && scope === 'payments:read' && paymentReadReach(found.token) === 'own');
  if (!granted)
    throw new ApiError(403, 'AUTH.SCOPE_MISSING', { scope }, undefined, {
      'www-authenticate': `Bearer realm="paydesk", error="insufficient_scope", scope="${scope}"`,
    });
  await apiTokens.touch(db, found.token.id);
  return found.token;
}
