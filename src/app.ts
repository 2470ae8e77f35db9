import { CommandRouter } from '../commands/command-router';
import type { ChatSurface } from '../commands/contracts';
import { PaymentNotifier } from '../commands/notifications/payment-notifier';
import { handleAlertAction } from '../commands/alerts/alert-action.handler';
import { alertCard } from '../commands/alerts/alert-card.view';
import { alertsCommand } from '../commands/alerts/alerts.command';
import { outboxCommand } from '../commands/outbox/outbox.command';
import { ChatApprovalReminders } from '../commands/notifications/approval-reminders';
import { scheduleActions } from '../commands/schedules/schedule-actions';
import { holidaysCommand, scheduleCommand } from '../commands/schedules/schedule.command';
import { noticeProvisionalCalendar } from '../commands/schedules/calendar-notice';
import { tokenCommand } from '../commands/tokens/token.command';
import type { CardView } from '../commands/view/view';
import { ACTION_IDS } from '../commands/contracts';
import { createFeishuAdapter } from '../adapters/feishu/feishu-app';
import { createSlackAdapter } from '../adapters/slack/slack-app';
import { mountPlayground, PlaygroundHandler, WebSurface } from '../adapters/web';
import { FileGateway } from './banks/iso20022/file-gateway';
import { InboxProcessor } from './banks/iso20022/inbox-processor';
import { SandboxBank } from './banks/sandbox-bank';
import type { BankGateway } from './banks/bank-gateway';
import { playgroundEnabled, type AppConfig } from './config';
import { openAppDatabase, resolveDatabase } from './database-bootstrap';
import { createApiRoutes } from './http/api/api-handler';
import { defineOperationsJobs } from './jobs/operations-jobs';
import { startScheduler } from './jobs/scheduler';
import { healthRoutes } from './http/health';
import { HttpServer } from './http/http-server';
import { createMetrics } from './http/metrics/metrics';
import { mountMetrics } from './http/metrics/metrics-routes';
import type { Logger } from './logger';
import { Database } from './persistence/database';
import { directory } from './persistence/repositories/directory.repository';
import { feishuStore } from './persistence/repositories/feishu-card.repository';
import { BankOutbox } from './services/bank/bank-outbox';
import { seedOnFirstStart } from './seed-on-start';
import { platformHasAdmin } from './services/directory/link-identity';
import { createReports, type Reports } from './reports-module';
import { PaymentEvents } from './services/events';
import { createMonitoring, type Monitoring } from './services/monitoring/monitoring';
import { reconciliationAlert } from './services/monitoring/reconciliation-alert';
import { ScheduleService } from './services/schedules/schedule-service';
import { provisionalYearsToWarn } from './services/calendar/calendar-warning';
import { lastPublishedYear } from './services/calendar/cn-holiday-source';
import { WebhookDispatcher } from './services/webhooks/webhook-dispatcher';
import { WebhookStore } from './services/webhooks/webhook-store';
import { webhookPolicyFrom } from './services/webhooks/webhook-url-policy';
import { CancelPayment } from './services/payments/cancel-payment';
import { CreatePayment } from './services/payments/create-payment';
import { DecideApproval } from './services/payments/decide-approval';

/** The payment core every surface talks to. */
export interface Core {
  config: AppConfig;
  log: Logger;
  db: Database;
  events: PaymentEvents;
  bank: BankGateway;
  outbox: BankOutbox;
  createPayment: CreatePayment;
  decideApproval: DecideApproval;
  cancelPayment: CancelPayment;
  monitoring: Monitoring<CardView>;
}

/** The chat side: the neutral command handler and the notifier that fans cards out to surfaces. */
export interface Chat {
  commands: CommandRouter;
  notifier: PaymentNotifier;
  surfaces: ChatSurface[];
}

export interface RunningApp {
  core: Core;
  chat: Chat;
  reports: Reports;
  http: HttpServer;
  url: string;
  /** The separate metrics listener's URL, when METRICS_PORT is set. */
  metricsUrl?: string;
  playground: boolean;
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * Agenda keeps a timer of half the lock lifetime alive after each job, which
   * holds a test runner open for minutes after stop(); tests pass a short one.
   */
  schedulerLockLifetimeMs?: number;
  /** The reports' idea of now (daily summary, snapshots); tests move it. */
  clock?: () => Date;
}

/** Composition root: builds everything the configuration asks for and starts it. */
export async function startApp(config: AppConfig, log: Logger, options: StartOptions = {}): Promise<RunningApp> {
  const target = await resolveDatabase(config, log);
  const stops: (() => Promise<void>)[] = [() => target.stop()];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch((err) => log.error({ err }, 'error during shutdown'));
  };
  try {
    // Migrations as the owner role, then the application role's connection (README: Security notes).
    const { db, applied } = await openAppDatabase(target, log);
    stops.push(() => db.close());
    if (applied.length) log.info({ applied }, 'migrations applied');
    await seedOnFirstStart(db, config, log);

    // The transactional outbox: services record events with their changes; consumers below subscribe by name.
    const events = new PaymentEvents(db, { log: log.child({ component: 'outbox' }) });
    const fileGateway =
      config.bank.gateway === 'iso20022'
        ? new FileGateway(db, { outboxDir: config.bank.iso20022.outboxDir, timezone: config.timezone, textProfile: config.bank.textProfile, log })
        : undefined;
    const bank: BankGateway = fileGateway ?? new SandboxBank(db, config.bank.sandbox.settleDelayMs, { timezone: config.timezone });
    if (fileGateway) {
      const rebuilt = await fileGateway.recover(); // finishes pain.001 writes a crash interrupted
      if (rebuilt) log.warn({ rebuilt }, 'pain.001 files interrupted by a crash were rebuilt');
    }
    // Surfaces join this list as adapters start; the notifier and alert router hold the same array.
    const surfaces: ChatSurface[] = [];
    const monitoring = createMonitoring<CardView>({
      db, events, surfaces, config, log, cardFor: (a) => alertCard(a, { timeZone: config.timezone }),
    });
    const outbox = new BankOutbox(db, bank, events, log, undefined, monitoring.preSubmitCheck, { timezone: config.timezone });
    const core: Core = {
      config, log, db, events, bank, outbox, monitoring,
      createPayment: new CreatePayment(db, events, monitoring.anomalyCheck, undefined, config.bank.textProfile, config.timezone),
      decideApproval: new DecideApproval(db, events),
      cancelPayment: new CancelPayment(db, events),
    };

    const alertDeps = { alerts: monitoring.alerts, timeZone: config.timezone };
    const scheduleDeps = {
      schedules: new ScheduleService(db, undefined, config.timezone, config.bank.textProfile), db,
      defaultLocale: config.defaultLocale, timeZone: config.timezone, notify: { surfaces, log },
    };
    const reports = createReports({ db, config, log, surfaces, ...(options.clock ? { clock: options.clock } : {}) });
    const schedule = scheduleCommand(scheduleDeps);
    const holidays = holidaysCommand(scheduleDeps);
    const tokens = tokenCommand({ db, surfaces, timeZone: config.timezone, log, ...(options.clock ? { clock: options.clock } : {}) });
    const commands = new CommandRouter({
      db, createPayment: core.createPayment, decideApproval: core.decideApproval, cancelPayment: core.cancelPayment,
      defaultLocale: config.defaultLocale, timeZone: config.timezone,
      extraActions: {
        [ACTION_IDS.acknowledgeAlert]: (req, user) => handleAlertAction(alertDeps, user, req.value),
        ...scheduleActions(scheduleDeps),
      },
      extraCommands: {
        alerts: ({ user, locale }) => alertsCommand(alertDeps, user, locale),
        告警: ({ user, locale }) => alertsCommand(alertDeps, user, locale),
        schedule, 定时: schedule, holidays, 节假日: holidays, token: tokens, 令牌: tokens,
        outbox: ({ user, locale, args }) => outboxCommand({ db, timeZone: config.timezone }, user, locale, args),
        发件箱: ({ user, locale, args }) => outboxCommand({ db, timeZone: config.timezone }, user, locale, args),
        ...reports.commands,
      },
      extraTopCommands: reports.commands,
    });
    const metrics = createMetrics({ db, log });
    const limits = config.httpLimits;
    const http = new HttpServer(log, {
      trustProxy: limits.trustProxy, chatPerIpPerMinute: limits.rateLimits.chatPerIp, onRequestDone: metrics.observeRequest,
    });
    http.register(healthRoutes(db));
    const metricsServer = mountMetrics(http, metrics, config, log);
    // The SSRF guard is on unless WEBHOOK_ALLOW_LOCAL says otherwise (warned at start-up).
    const { allowInsecureLocal } = webhookPolicyFrom(config.webhooks, log);
    const webhookStore = new WebhookStore({ allowInsecureLocal });
    http.register(createApiRoutes({
      db, createPayment: core.createPayment, cancelPayment: core.cancelPayment, events, log, webhookStore, auditCheckpointKey: config.audit?.checkpointKey,
      reports: reports.service,
    }, {
      bodyLimit: limits.apiBodyLimitBytes, perTokenPerMinute: limits.rateLimits.apiPerToken, perIpPerMinute: limits.rateLimits.apiPerIp,
    }));
    let playground: PlaygroundHandler | undefined;
    if (playgroundEnabled(config)) {
      const web = new WebSurface({ onListenerError: (err) => log.error({ err }, 'playground stream failed') });
      surfaces.push(web);
      // Answers only `/`, `/playground` and `/playground/*`; every other path passes on.
      playground = mountPlayground(http, {
        commands, surface: web, defaultLocale: config.defaultLocale, log: log.child({ component: 'playground' }),
        listUsers: () => db.read((em) => directory.users(em)),
        allowedHosts: [config.http.host],
      });
    }
    if (config.slack) {
      const slack = createSlackAdapter({
        config: config.slack, commands, log: log.child({ component: 'slack' }), db,
        defaultLocale: config.defaultLocale, timeZone: config.timezone,
        onAck: (action, seconds) => metrics.observeAck('slack', action, seconds),
      });
      if (slack.httpHandler) http.register(slack.httpHandler);
      surfaces.push(slack.surface);
      await slack.start(); // auth.test (and in Socket Mode the connection) before we accept traffic
      stops.push(() => slack.stop()); // waits for pending card updates and DMs; runs before the database closes
      log.info({ mode: config.slack.mode }, 'Slack connected');
    }
    if (config.feishu) {
      const feishu = createFeishuAdapter({
        config: config.feishu, commands, store: feishuStore(db), log: log.child({ component: 'feishu' }),
        defaultLocale: config.defaultLocale,
        onAck: (action, seconds) => metrics.observeAck('feishu', action, seconds),
      });
      surfaces.push(feishu.surface);
      if (feishu.httpHandler) http.register(feishu.httpHandler); // http mode only; ws needs no public address
      await feishu.start(); // ws mode opens the long connection
      stops.push(() => feishu.stop());
      log.info({ mode: config.feishu.mode }, 'Feishu connected');
    }
    // Nobody can run /pay link on a platform where no admin is linked yet: the operator gets a one-time code here.
    for (const platform of ['slack', 'feishu'] as const) {
      const command = commands.setupCode.command(platform);
      if (config[platform] && command && !(await platformHasAdmin(db, platform)))
        log.warn({ platform }, `no admin is linked on ${platform} yet; to link yourself, type there: ${command}`);
    }
    const notifier = new PaymentNotifier({ db, events, surfaces, defaultLocale: config.defaultLocale, log, timeZone: config.timezone });
    notifier.start();
    stops.push(async () => notifier.stop());
    const webhooks = new WebhookDispatcher(db, events, { maxAttempts: config.webhooks.maxAttempts, log, allowInsecureLocal });
    webhooks.start();
    stops.push(() => webhooks.stop());
    // Runs after the scheduler and the bank inbox stopped (stops run in reverse): deliveries in flight
    // finish (bounded); whatever is left waits in outbox_deliveries for the next start or another replica.
    stops.push(() => events.stop());
    const chat: Chat = { commands, notifier, surfaces };

    // Every timed job runs on Agenda in PostgreSQL: these (bank outbox, schedules, approval timeouts, balance refresh,
    // audit chain, receipts), the reports' and the operations jobs below.
    const scheduler = await startScheduler({
      connectionString: target.url, db, outbox, createPayment: core.createPayment, events, bank,
      log: log.child({ component: 'jobs' }),
      config: {
        outboxIntervalMs: config.outbox.intervalMs, outboxRetentionDays: config.outbox.retentionDays, ...config.approvals, balancePollMs: config.balancePollMs,
        ...(options.schedulerLockLifetimeMs ? { lockLifetimeMs: options.schedulerLockLifetimeMs } : {}),
      },
      // The notifier already tells the requester about expiry; reminders cover approvers and treasurers.
      notify: new ChatApprovalReminders({ db, surfaces, timeZone: config.timezone, notifyRequesterOnExpiry: false }),
      onBalanceRefreshed: async (accountId) => {
        await monitoring.balances.check(accountId);
      },
      auditCheckpointKey: config.audit?.checkpointKey,
    });
    stops.push(() => scheduler.stop());
    await reports.start(scheduler.agenda);
    const inbox = fileGateway
      ? new InboxProcessor(db, events, {
        inboxDir: config.bank.iso20022.inboxDir,
        log,
        // A statement line we cannot account for is a treasury question: raise it where managers look.
        onUnmatched: async (f) => void (await monitoring.alerts.raise(reconciliationAlert(f))),
      })
      : undefined;
    // The alert sweep, balance checks, bank inbox and calendar warning: Agenda jobs, so replicas share them.
    await defineOperationsJobs(scheduler.agenda, {
      sweepAlerts: () => monitoring.alerts.sweep(),
      checkBalances: () => monitoring.balances.checkAll(),
      ...(inbox ? { processBankInbox: () => inbox.processAll() } : {}),
      warnProvisionalCalendar: async () => {
        const years = provisionalYearsToWarn(options.clock?.() ?? new Date(), config.timezone);
        if (years.length === 0) return years;
        log.warn({ years, lastPublishedYear: lastPublishedYear() }, 'business calendar provisional: official holiday schedule not loaded');
        await noticeProvisionalCalendar({ db, surfaces, log }, years, lastPublishedYear());
        return years;
      },
    }, { monitoringMs: 60_000, bankInboxMs: 5_000, calendarWarningAt: '09:00', timezone: config.timezone }, log.child({ component: 'jobs' }));
    monitoring.start();
    stops.push(async () => monitoring.stop());
    await events.start(); // every consumer has subscribed: deliver what is waiting, then follow NOTIFY

    const bound = await http.listen(config.http.host, config.http.port);
    stops.push(async () => {
      playground?.close();
      http.closeAllConnections();
      await http.close();
    });
    let metricsUrl: string | undefined;
    if (metricsServer) {
      metricsUrl = urlOf(await metricsServer.listen(config.metrics.host, config.metrics.port!));
      stops.push(() => metricsServer.close());
    }
    return { core, chat, reports, http, url: urlOf(bound), metricsUrl, playground: playground !== undefined, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

const urlOf = (b: { host: string; port: number }) => `http://${b.host.includes(':') ? `[${b.host}]` : b.host}:${b.port}`;
