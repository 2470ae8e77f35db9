import { timingSafeEqual } from 'node:crypto';
import { type AppConfig, isLoopbackHost } from '../../config';
import type { Logger } from '../../logger';
import { HttpRoutes, HttpServer } from '../http-server';
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

/**
 * GET /metrics: on its own listener when METRICS_PORT is set (returned, not yet
 * listening); otherwise on the main port, but there only behind METRICS_TOKEN or
 * on a loopback HOST, so a public paydesk never shows its figures to anyone who asks.
 */
export function mountMetrics(http: HttpServer, metrics: Metrics, config: Pick<AppConfig, 'http' | 'metrics'>, log: Logger): HttpServer | undefined {
  const routes = metricsRoutes(metrics, { token: config.metrics.token });
  if (config.metrics.port !== undefined) {
    const own = new HttpServer(log);
    own.register(routes);
    return own;
  }
  if (config.metrics.token || isLoopbackHost(config.http.host)) http.register(routes);
  else log.warn({ host: config.http.host }, 'GET /metrics is off: HOST is not loopback; set METRICS_TOKEN or METRICS_PORT to serve it');
  return undefined;
}
