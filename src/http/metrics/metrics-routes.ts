import { timingSafeEqual } from 'node:crypto';
import type { HttpRoutes } from '../http-server';
import type { Metrics } from './metrics';

/**
 * GET /metrics in the Prometheus text format. With a token, only
 * `Authorization: Bearer <token>` may read it (compared in constant time).
 */
export function metricsRoutes(metrics: Metrics, opts: { token?: string } = {}): HttpRoutes {
  const expected = opts.token ? Buffer.from(`Bearer ${opts.token}`) : undefined;
  return async (app) => {
    app.get('/metrics', async (req, reply) => {
      if (expected) {
        const given = Buffer.from(req.headers.authorization ?? '');
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          return reply.code(401).header('www-authenticate', 'Bearer realm="paydesk-metrics"')
            .send({ error: { code: 'METRICS.TOKEN_REQUIRED', message: 'Send the metrics token as a bearer token' } });
        }
      }
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    });
  };
}
