import * as lark from '@larksuiteoapi/node-sdk';
import type { CommandHandler } from '../../commands/contracts';
import type { FeishuConfig } from '../../src/config';
import { registerCatalog } from '../../src/domain/i18n';
import type { Locale } from '../../src/domain/locale';
import type { HttpRoutes } from '../../src/http/http-server';
import type { Logger } from '../../src/logger';
import { feishuEventHandlers } from './feishu-events';
import { feishuHttpRoutes } from './feishu-http-handler';
import { FeishuMessenger } from './feishu-messenger';
import type { FeishuStore } from './feishu-store';
import { FeishuSurface } from './feishu-surface';
import { feishuMessages } from './feishu.messages';
import { FollowUps, type RetryPolicy } from './follow-ups';

export interface FeishuAdapterOptions {
  config: FeishuConfig;
  commands: CommandHandler;
  /** Card copies and event receipts (src/persistence/repositories/feishu-card.repository.ts). */
  store: FeishuStore;
  log: Logger;
  /** Language of cards posted into group chats; defaults to zh-CN. */
  defaultLocale?: Locale;
  retry?: RetryPolicy;
  /** Told how long each callback took to answer, by event type (metrics; http mode). */
  onAck?: (action: string, seconds: number) => void;
}

export interface FeishuAdapter {
  client: lark.Client;
  surface: FeishuSurface;
  /** The one dispatcher both connection modes feed. */
  dispatcher: lark.EventDispatcher;
  /** Routes to register on the HTTP server (`/feishu/events`); present in http mode only. */
  httpHandler?: HttpRoutes;
  /** Opens the long connection in ws mode; nothing to do in http mode. */
  start(): Promise<void>;
  /** Closes the long connection and waits for follow-up work (replies, card patches). */
  stop(): Promise<void>;
  /** Waits until no follow-up work is pending (tests, graceful shutdown). */
  settle(): Promise<void>;
}

function text(x: unknown): string {
  if (typeof x === 'string') return x;
  try {
    return JSON.stringify(x);
  } catch {
    return String(x);
  }
}

function summariseError(err: Error): Record<string, unknown> {
  const e = err as Error & { code?: unknown; response?: { status?: unknown } };
  return { type: err.name, message: err.message, code: e.code, status: e.response?.status };
}

/**
 * The SDK logs through console by default; route it through pino so secrets are redacted.
 * Its LoggerProxy hands over each call's arguments as one array. The SDK's "info" chatter
 * (ready messages) goes to debug.
 */
function sdkLogger(log: Logger) {
  const child = log.child({ component: 'lark-sdk' });
  const emit = (level: 'error' | 'warn' | 'debug' | 'trace') => (...args: unknown[]) => {
    const parts = args.flat();
    const err = parts.find((p): p is Error => p instanceof Error);
    const msg = parts.filter((p) => p !== err).map(text).join(' ');
    // SDK errors (axios) carry the whole request, app secret included: keep only what explains the failure.
    child[level](err ? { err: summariseError(err) } : {}, msg || err?.message || '');
  };
  return { error: emit('error'), warn: emit('warn'), info: emit('debug'), debug: emit('debug'), trace: emit('trace') };
}

export function createFeishuAdapter(o: FeishuAdapterOptions): FeishuAdapter {
  registerCatalog(feishuMessages);
  const { config } = o;
  const log = o.log.child({ platform: 'feishu' });
  const logger = sdkLogger(log);
  const defaultLocale = o.defaultLocale ?? 'zh-CN';

  const client = new lark.Client({
    appId: config.appId, appSecret: config.appSecret, domain: config.domain, logger, loggerLevel: lark.LoggerLevel.warn,
  });
  const messenger = new FeishuMessenger(client);
  const followUps = new FollowUps(log, o.retry);
  const surface = new FeishuSurface({
    messenger, store: o.store, followUps, log, defaultLocale,
    approvalsChat: config.approvalsChat, dmApprovers: config.dmApprovers,
  });

  // Learnt once; a failure is retried on the next group message instead of being cached.
  let botOpenId: string | undefined;
  const bot = async () => {
    if (botOpenId) return botOpenId;
    try {
      botOpenId = await messenger.botOpenId();
    } catch (err) {
      log.error({ err }, 'could not learn the bot open_id; group @-mentions are ignored until it can');
    }
    return botOpenId;
  };

  const dispatcher = new lark.EventDispatcher({
    encryptKey: config.encryptKey, verificationToken: config.verificationToken, logger, loggerLevel: lark.LoggerLevel.warn,
  }).register(feishuEventHandlers({ commands: o.commands, store: o.store, surface, messenger, followUps, log, defaultLocale, botOpenId: bot }));

  const httpHandler =
    config.mode === 'http'
      ? feishuHttpRoutes({ dispatcher, encryptKey: config.encryptKey, verificationToken: config.verificationToken, log, onAck: o.onAck })
      : undefined;

  let ws: lark.WSClient | undefined;
  return {
    client, surface, dispatcher, httpHandler,
    async start() {
      if (config.mode !== 'ws' || ws) return;
      ws = new lark.WSClient({
        appId: config.appId, appSecret: config.appSecret, domain: config.domain, logger, loggerLevel: lark.LoggerLevel.warn,
        onReady: () => log.info('feishu long connection ready'),
        onError: (err) => log.error({ err }, 'feishu long connection gave up; events are not being received'),
      });
      // Resolves once the first connection attempt is done; reconnects are the SDK's job.
      await ws.start({ eventDispatcher: dispatcher });
    },
    async stop() {
      ws?.close({ force: true });
      ws = undefined;
      await followUps.stop();
    },
    settle: () => followUps.settle(),
  };
}
