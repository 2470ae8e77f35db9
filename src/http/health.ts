import type { Database } from '../persistence/database';
import { HttpHandler, sendJson } from './http-server';

/** /healthz: the process answers. /readyz: the database answers and every migration is applied. */
export function healthHandler(db: Database): HttpHandler {
  return async (req, res, url) => {
    if (req.method !== 'GET') return false;
    if (url.pathname === '/healthz') {
      sendJson(res, 200, { status: 'ok' });
      return true;
    }
    if (url.pathname === '/readyz') {
      try {
        const pending = await db.orm.getMigrator().getPendingMigrations();
        if (pending.length > 0) sendJson(res, 503, { status: 'migrations_pending', pending: pending.map((m) => m.name) });
        else sendJson(res, 200, { status: 'ready' });
      } catch {
        sendJson(res, 503, { status: 'database_unreachable' });
      }
      return true;
    }
    return false;
  };
}
