import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from '../../logger';
import type { Database } from '../../persistence/database';
import type { RequestObservation } from '../http-server';
import { readGauge, SCRAPE_GAUGES, ScrapeGauge } from './scrape-gauges';

/** paydesk's Prometheus metrics, on their own registry (never prom-client's global one). */
export interface Metrics {
  registry: Registry;
  /** Feed from HttpServer's onRequestDone. */
  observeRequest(o: RequestObservation): void;
  /** Time from a chat platform's request to paydesk's acknowledgement. */
  observeAck(platform: 'slack' | 'feishu', action: string, seconds: number): void;
  /** One more database-backed gauge (see scrape-gauges.ts); for families owned elsewhere. */
  addScrapeGauge(g: ScrapeGauge): void;
}

// Chat platforms give up at 3 s; the buckets resolve the range that matters around it.
const ACK_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 5, 10];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(deps: { db?: Database; log: Pick<Logger, 'warn'> }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const http = new Histogram({
    name: 'paydesk_http_request_duration_seconds', help: 'HTTP requests by route pattern, method and status',
    labelNames: ['method', 'route', 'status'], buckets: HTTP_BUCKETS, registers: [registry],
  });
  const ack = new Histogram({
    name: 'paydesk_chat_ack_seconds', help: 'Chat callbacks: request received to acknowledgement sent, by platform and action',
    labelNames: ['platform', 'action'], buckets: ACK_BUCKETS, registers: [registry],
  });
  const scrapeErrors = new Counter({
    name: 'paydesk_metrics_scrape_errors_total', help: 'Database-backed gauges that could not be read at scrape time',
    labelNames: ['gauge'], registers: [registry],
  });

  const addScrapeGauge = (g: ScrapeGauge): void => {
    const db = deps.db;
    if (!db) return;
    new Gauge({
      name: g.name, help: g.help, labelNames: g.labels, registers: [registry],
      async collect() {
        this.reset();
        try {
          for (const row of await readGauge(db, g)) this.set(row.labels, row.value);
        } catch (err) {
          // A scrape must still answer (process metrics, the other gauges); the gap shows in the graph.
          scrapeErrors.inc({ gauge: g.name });
          deps.log.warn({ err, gauge: g.name }, 'metrics: gauge not readable');
        }
      },
    });
  };
  for (const g of SCRAPE_GAUGES) addScrapeGauge(g);

  return {
    registry,
    observeRequest: (o) => http.observe({ method: o.method, route: o.route, status: String(o.status) }, o.seconds),
    observeAck: (platform, action, seconds) => ack.observe({ platform, action }, seconds),
    addScrapeGauge,
  };
}
