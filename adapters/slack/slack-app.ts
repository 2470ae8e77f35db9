/**
 * paydesk on Slack through @slack/bolt: slash commands, buttons, modals, App Home and
 * the ChatSurface the notifier posts cards through. HTTP mode mounts Bolt's own
 * HTTPReceiver (signature and 5-minute timestamp checks included) on paydesk's one
 * HTTP server; Socket Mode connects out with the app-level token instead.
 */
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { CommandHandler } from '../../commands/contracts';
import { DEFAULT_TIME_ZONE } from '../../commands/views/format';
import type { SlackConfig } from '../../src/config';
import type { Locale } from '../../src/domain/locale';
import type { HttpRoutes } from '../../src/http/http-server';
import type { Logger } from '../../src/logger';
import type { Database } from '../../src/persistence/database';
import { claimReceipt } from '../../src/services/interaction-receipts';
import { PaymentQueries } from '../../src/services/payments/payment-queries';
import { directoryQuery } from '../../src/services/queries/directory.query';
import { publishHome, registerAppHome } from './app-home';
import { CardMessageStore, MemoryCardStore, SqlCardStore } from './card-message-store';
import { DEFAULT_RETRY, FollowUps, RetryPolicy } from './follow-ups';
import { registerInteractions } from './interactions';
import { SlackDeps } from './slack-deps';
import { SlackSurface } from './slack-surface';
import { registerSlashCommands } from './slash-commands';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackAdapterOptions {
  config: SlackConfig;
  commands: CommandHandler;
  log: Logger;
  /** Card copies and App Home / modal reads; without it copies live in memory and Home shows only help. */
  db?: Database;
  defaultLocale?: Locale;
  /** Company time zone: dates on cards, "today" in the date picker check. */
  timeZone?: string;
  /** Overrides for tests. */
  cardStore?: CardMessageStore;
  retry?: RetryPolicy;
  /** Told how long each request took until Bolt acknowledged it, by kind (metrics). */
  onAck?: (action: string, seconds: number) => void;
}

export interface SlackAdapter {
  app: App;
  surface: SlackSurface;
  /** HTTP mode only: routes to register on the HttpServer (SLACK_EVENTS_PATH). */
  httpHandler?: HttpRoutes;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Waits for card updates and DMs still in flight (shutdown, tests). */
  settle(): Promise<void>;
}

export function createSlackAdapter(o: SlackAdapterOptions): SlackAdapter {
  const log = o.log.child({ component: 'slack' });
  const logger = boltLogger(log);
  // The client's own retries stay short: FollowUps retries with back-off on top and logs losses.
  // A 429 is rejected rather than slept on inside the client: the outbox (or FollowUps) waits out Retry-After.
  const clientOptions = { slackApiUrl: o.config.apiUrl, retryConfig: { retries: 2, minTimeout: 250, maxTimeout: 2000 }, rejectRateLimitedCalls: true };
  const common = {
    token: o.config.botToken,
    logger,
    // auth.test runs in start(), so a bad token fails at boot instead of on the first event.
    deferInitialization: true,
    clientOptions,
  };
  let receiver: HTTPReceiver | undefined;
  let socket: SocketModeReceiver | undefined;
  let app: App;
  if (o.config.mode === 'socket') {
    // Built here rather than by App so stop() can wait for the close handshake (App.stop does not).
    socket = new SocketModeReceiver({ appToken: o.config.appToken, logger, installerOptions: { clientOptions } });
    app = new App({ ...common, socketMode: true, receiver: socket });
  } else {
    // processBeforeResponse false: Bolt answers on ack(), so the 3-second limit never waits on our work.
    receiver = new HTTPReceiver({
      signingSecret: o.config.signingSecret, endpoints: SLACK_EVENTS_PATH, processBeforeResponse: false, logger,
      // Hands the request to the middleware below, which names its kind for the ack metric.
      customPropertiesExtractor: (req) => ({ [RAW_REQUEST]: req }),
    });
    app = new App({ ...common, receiver });
  }

  const followUps = new FollowUps(log, o.retry ?? DEFAULT_RETRY);
  const defaultLocale = o.defaultLocale ?? 'en';
  const surface = new SlackSurface({
    client: app.client,
    store: o.cardStore ?? (o.db ? new SqlCardStore(o.db) : new MemoryCardStore()),
    followUps,
    log,
    defaultLocale,
    approvalsChannel: o.config.approvalsChannel,
    dmApprovers: o.config.dmApprovers,
    // Bound late: deps (and its Home queries) are built just below.
    refreshHome: (slackUserId) =>
      publishHome({ client: app.client, commands: o.commands, queries: deps.queries, slackUserId, defaultLocale, timeZone: deps.timeZone }),
    homeAudience: async () => {
      if (!o.db) return [];
      const users = await directoryQuery.users(o.db);
      return users.filter((u) => u.active && u.slackUserId && u.roles.some((r) => r === 'approver' || r === 'treasurer')).map((u) => u.slackUserId!);
    },
  });
  const deps: SlackDeps = {
    commands: o.commands,
    client: app.client,
    surface,
    followUps,
    log,
    defaultLocale,
    timeZone: o.timeZone ?? DEFAULT_TIME_ZONE,
    queries: o.db ? new PaymentQueries(o.db) : undefined,
    claimEvent: o.db ? (eventId) => claimReceipt(o.db!, SLACK_EVENT_PLATFORM, eventId, new Date()) : memoryClaims(),
  };

  // Runs before every listener: labels the raw request with what Slack sent, for the ack-latency metric.
  app.use(async ({ body, context, next }) => {
    const raw = (context as Record<string, unknown>)[RAW_REQUEST];
    if (raw && typeof raw === 'object') (raw as Record<string, unknown>)[ACTION_KIND] = actionOf(body);
    await next();
  });
  registerSlashCommands(app, deps);
  registerInteractions(app, deps);
  registerAppHome(app, deps);
  // One place for whatever escapes a listener: logged with Slack's error code, never swallowed.
  app.error(async (error) => {
    log.error({ err: error, code: (error as { code?: string }).code }, 'slack: unhandled listener error');
  });

  let started = false;
  const httpHandler: HttpRoutes | undefined = receiver
    ? async (http) => {
        // Bolt reads, verifies and answers the request itself, so Fastify hands over the raw request untouched.
        http.post(SLACK_EVENTS_PATH, {
          config: { chatCallback: true },
          onRequest: (req, reply, done) => {
            if (!started) {
              void reply.code(503).send(); // Slack retries; better than acting before auth.test passed
              return;
            }
            reply.hijack();
            const t0 = process.hrtime.bigint();
            reply.raw.once('finish', () => {
              const kind = (req.raw as unknown as Record<string, unknown>)[ACTION_KIND];
              o.onAck?.(typeof kind === 'string' ? kind : 'other', Number(process.hrtime.bigint() - t0) / 1e9);
            });
            receiver!.requestListener(req.raw, reply.raw);
            done();
          },
          handler: async () => undefined,
        });
      }
    : undefined;

  return {
    app,
    surface,
    httpHandler,
    async start() {
      await app.init();
      if (o.config.mode === 'socket') await app.start();
      started = true;
      log.info({ mode: o.config.mode }, 'slack adapter started');
    },
    async stop() {
      started = false;
      if (socket) await socket.client.disconnect();
      await followUps.settle();
    },
    settle: () => followUps.settle(),
  };
}

/** Slack Events API deliveries share interaction_receipts under their own platform name (taps use 'slack'). */
export const SLACK_EVENT_PLATFORM = 'slack-event';

/** Without a database (unit tests of the adapter) one process is all there is: remember recent ids in memory. */
function memoryClaims(): (eventId: string) => Promise<boolean> {
  const seen = new Set<string>();
  return async (eventId) => {
    if (seen.has(eventId)) return false;
    seen.add(eventId);
    if (seen.size > 5000) seen.delete(seen.values().next().value!);
    return true;
  };
}

const RAW_REQUEST = 'paydeskRawRequest';
const ACTION_KIND = 'paydeskSlackActionKind';

/** `block_actions:payment.approve`, `view_submission`, `slash_command`, `event_callback`: a small fixed set. */
function actionOf(body: unknown): string {
  const b = body as { type?: unknown; command?: unknown; actions?: { action_id?: unknown }[] };
  const kind = typeof b?.type === 'string' ? b.type : typeof b?.command === 'string' ? 'slash_command' : 'other';
  const id = kind === 'block_actions' ? b.actions?.[0]?.action_id : undefined;
  const label = typeof id === 'string' ? `${kind}:${id}` : kind;
  return /^[\w.:]{1,80}$/.test(label) ? label : 'other';
}

/** Bolt and its Web API client log through paydesk's pino (and so through its secret redaction). */
function boltLogger(log: Logger): BoltLogger {
  const emit = (level: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => {
    const err = msg.find((m) => m instanceof Error);
    const text = msg.filter((m) => !(m instanceof Error)).map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
    if (err) log[level]({ err }, text || (err as Error).message);
    else log[level](text);
  };
  const level = (): LogLevel => {
    const l = log.level;
    return l === 'debug' || l === 'trace' ? LogLevel.DEBUG : l === 'warn' ? LogLevel.WARN : l === 'error' || l === 'fatal' ? LogLevel.ERROR : LogLevel.INFO;
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    // pino's level (LOG_LEVEL) decides; Bolt's own setting is ignored on purpose.
    setLevel: () => {},
    getLevel: level,
    setName: () => {},
  };
}
