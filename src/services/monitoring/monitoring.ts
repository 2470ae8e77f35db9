import { AnomalyConfigInput } from '../../domain/anomaly/anomaly-config';
import type { Database } from '../../persistence/database';
import type { PaymentEvents } from '../events';
import type { AnomalyCheck } from '../payments/create-payment';
import { AlertCardFactory, AlertRouter, AlertSurface, RouterLogger } from './alert-router';
import { AlertService } from './alert-service';
import { PreSubmitCheck, anomalyCheckFor, preSubmitCheckFor } from './anomaly-check';
import { BalanceMonitor } from './balance-monitor';
import { PaymentAlerts } from './payment-alerts';

export interface MonitoringDeps<C> {
  db: Database;
  events: PaymentEvents;
  /** The shared list of chat surfaces, kept by reference: adapters that start later are seen. */
  surfaces?: AlertSurface<C>[];
  /** The alert card view (commands/alerts `alertCard`). */
  cardFor: AlertCardFactory<C>;
  config: { timezone: string; alerts: { projectionDays: number; repeatAfterMs: number } };
  anomaly?: AnomalyConfigInput;
  log?: RouterLogger & { error(obj: object, msg: string): void };
  clock?: () => Date;
}

export interface Monitoring<C> {
  anomalyCheck: AnomalyCheck;
  preSubmitCheck: PreSubmitCheck;
  router: AlertRouter<C>;
  alerts: AlertService;
  balances: BalanceMonitor;
  paymentAlerts: PaymentAlerts;
  /**
   * One round of both timed parts: repeats and late first posts (alerts.sweep), then every
   * account's balance (balances.checkAll). In the app they run as two Agenda jobs
   * (src/jobs/monitoring-jobs.ts), so one replica runs each round, never two.
   */
  tick(): Promise<void>;
  /** Subscribes to payment events (the timed parts run on Agenda, not here). */
  start(): void;
  stop(): Promise<void>;
}

/** Builds the monitoring module from the core's pieces. */
export function createMonitoring<C>(deps: MonitoringDeps<C>): Monitoring<C> {
  const anomaly = { timezone: deps.config.timezone, ...deps.anomaly };
  const router = new AlertRouter<C>(deps.db, deps.surfaces ?? [], deps.cardFor, deps.log);
  const alerts = new AlertService(deps.db, router, {
    repeatAfterMs: deps.config.alerts.repeatAfterMs, clock: deps.clock, log: deps.log, events: deps.events,
  });
  const balances = new BalanceMonitor(deps.db, alerts, {
    projectionDays: deps.config.alerts.projectionDays, timezone: deps.config.timezone, clock: deps.clock,
  });
  const paymentAlerts = new PaymentAlerts(deps.db, alerts);
  const unsubscribe: (() => void)[] = [];

  const tick = async () => {
    await alerts.sweep();
    await balances.checkAll();
  };

  return {
    anomalyCheck: anomalyCheckFor(anomaly),
    preSubmitCheck: preSubmitCheckFor(anomaly),
    router, alerts, balances, paymentAlerts, tick,
    start() {
      if (unsubscribe.length > 0) return;
      unsubscribe.push(paymentAlerts.subscribe(deps.events), balances.subscribe(deps.events), alerts.subscribe(deps.events));
    },
    async stop() {
      for (const u of unsubscribe.splice(0)) u();
      await alerts.settle();
    },
  };
}
