import { createSlackAdapter, SlackAdapter, SlackAdapterOptions } from '../../adapters/slack/slack-app';
import { CommandDeps, CommandRouter } from '../../commands/command-router';
import { PaymentNotifier } from '../../commands/notifications/payment-notifier';
import type { SlackConfig } from '../../src/config';
import { HttpServer } from '../../src/http/http-server';
import { createLogger, Logger } from '../../src/logger';
import { PaymentEvents } from '../../src/services/events';
import { CancelPayment } from '../../src/services/payments/cancel-payment';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { FakeSlackApi } from './fake-slack-api';
import { Fixture, seedFixture } from './fixtures';
import { postSigned } from './slack-signing';
import { createTestDb, TestDb } from './test-db';

export const FORM = 'application/x-www-form-urlencoded' as const;

export interface SlackHarness {
  t: TestDb;
  f: Fixture;
  fake: FakeSlackApi;
  http: HttpServer;
  adapter: SlackAdapter;
  events: PaymentEvents;
  router: CommandRouter;
  create: CreatePayment;
  /** The Bolt endpoint, `http://127.0.0.1:<port>/slack/events`. */
  url: string;
  /** POSTs a body signed with the harness's signing secret. */
  post(body: string, headers?: Record<string, string>, contentType?: 'application/json' | typeof FORM): ReturnType<typeof postSigned>;
  /** Waits for the notifier's and the adapter's follow-ups. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real stack the Slack tests drive: a fresh database with the fixture company,
 * the command router, the Slack adapter on Bolt's HTTP receiver mounted on
 * paydesk's HttpServer, and Slack's Web API played by a loopback fake.
 */
export async function startSlackHarness(o: {
  secret: string;
  slack?: Partial<SlackConfig>;
  log?: Logger;
  notifier?: boolean;
  extraActions?: CommandDeps['extraActions'];
  /** Top-level commands such as `/report`, built once the adapter's surface exists. */
  extraTopCommands?: (surface: SlackAdapter['surface'], t: TestDb) => CommandDeps['extraTopCommands'];
  /** `/pay <word>` commands such as `/pay token`, built once the adapter's surface exists. */
  extraCommands?: (surface: SlackAdapter['surface'], t: TestDb) => CommandDeps['extraCommands'];
  adapter?: Pick<SlackAdapterOptions, 'retry' | 'timeZone' | 'onAck'>;
}): Promise<SlackHarness> {
  const t = await createTestDb();
  const f = await seedFixture(t.db);
  const fake = await new FakeSlackApi().start();
  const events = new PaymentEvents(t.db);
  const log = o.log ?? createLogger({ level: 'silent' });
  const create = new CreatePayment(t.db, events);
  const topCommands: NonNullable<CommandDeps['extraTopCommands']> = {};
  const subCommands: NonNullable<CommandDeps['extraCommands']> = {};
  const router = new CommandRouter({
    extraTopCommands: topCommands, extraCommands: subCommands,
    db: t.db, defaultLocale: 'en', createPayment: create,
    decideApproval: new DecideApproval(t.db, events), cancelPayment: new CancelPayment(t.db, events),
    ...(o.extraActions ? { extraActions: o.extraActions } : {}),
  });
  const config = { mode: 'http', botToken: 'xoxb-test', signingSecret: o.secret, apiUrl: fake.apiUrl, dmApprovers: false, ...o.slack } as SlackConfig;
  const adapter = createSlackAdapter({ config, commands: router, log, db: t.db, defaultLocale: 'en', ...o.adapter });
  // Commands that need the surface join the router's (shared) table once the adapter exists.
  if (o.extraTopCommands) Object.assign(topCommands, o.extraTopCommands(adapter.surface, t));
  if (o.extraCommands) Object.assign(subCommands, o.extraCommands(adapter.surface, t));
  if (o.notifier) new PaymentNotifier({ db: t.db, events, surfaces: [adapter.surface], defaultLocale: 'en', log }).start();
  const http = new HttpServer(log);
  http.register(adapter.httpHandler!);
  const url = `http://127.0.0.1:${(await http.listen('127.0.0.1', 0)).port}/slack/events`;
  await adapter.start();
  await events.start(); // the outbox delivers to the notifier live, as in startApp
  return {
    t, f, fake, http, adapter, events, router, create, url,
    post: (body, headers = {}, contentType = FORM) => postSigned(url, { body, contentType, secret: o.secret, headers }),
    settle: async () => {
      await events.settle();
      await adapter.settle();
    },
    stop: async () => {
      await events.stop();
      await adapter.stop();
      await http.close();
      await fake.stop();
      await t.drop();
    },
  };
}
