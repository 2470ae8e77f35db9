import type { Database } from '../persistence/database';
import type { HttpRoutes } from './http-server';

/**
 * /healthz: the process answers. /readyz: the database answers and every
 * migration is applied, so a load balancer sends no traffic to a replica that
 * would fail on its first query.
 */
export function healthRoutes(db: Database): HttpRoutes {
  return async (app) => {
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/readyz', async (_req, reply) => {
      try {
        const pending = await db.orm.getMigrator().getPendingMigrations();
        if (pending.length > 0) return reply.code(503).send({ status: 'migrations_pending', pending: pending.map((m) => m.name) });
        return { status: 'ready' };
      } catch {
        return reply.code(503).send({ status: 'database_unreachable' });
      }
    });
  };
}
