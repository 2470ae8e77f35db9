import path from 'node:path';
import { CommandRouter } from '../../commands/command-router';
import { PaymentNotifier } from '../../commands/notifications/payment-notifier';
import { mountPlayground, WebSurface } from '../../adapters/web';
import { SandboxBank } from '../../src/banks/sandbox-bank';
import { HttpServer } from '../../src/http/http-server';
import { createLogger } from '../../src/logger';
import type { Database } from '../../src/persistence/database';
import { directory } from '../../src/persistence/repositories/directory.repository';
import { BankOutbox } from '../../src/services/bank/bank-outbox';
import { OutboxLoop } from '../../src/services/bank/outbox-loop';
import { PaymentEvents } from '../../src/services/events';
import { CancelPayment } from '../../src/services/payments/cancel-payment';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { applyDirectoryFile } from '../../src/services/directory/load-directory';
import { createTestDb } from './test-db';

export interface PlaygroundHarness {
  /** Base URL of the running playground, e.g. http://127.0.0.1:41234 */
  url: string;
  db: Database;
  surface: WebSurface;
  /** Errors the stack logged; a test can assert there were none. */
  errors: unknown[];
  stop(): Promise<void>;
}

/** What `npm start` loads on a fresh machine, so the tests see what a newcomer sees. */
export const DEMO_DIRECTORY = path.resolve(__dirname, '../../demo/demo-company.yaml');

/**
 * The whole playground stack on a fresh database holding the demo company
 * (alice requests; bob, erin approve; carol is the treasurer; dave the admin):
 * the real payment core, command router and notifier, the sandbox bank
 * settling at once, and the HTTP server on a free loopback port.
 */
export async function startPlaygroundHarness(): Promise<PlaygroundHarness> {
  const t = await createTestDb();
  await applyDirectoryFile(t.db, DEMO_DIRECTORY, { actor: 'system:test' });
  const log = createLogger({ level: 'silent' });
  const errors: unknown[] = [];
  const events = new PaymentEvents(t.db, { onError: (err) => errors.push(err) });
  const bank = new SandboxBank(t.db, 0);
  const outbox = new BankOutbox(t.db, bank, events);
  const surface = new WebSurface({ onListenerError: (err) => errors.push(err) });
  const deps = {
    db: t.db,
    createPayment: new CreatePayment(t.db, events),
    decideApproval: new DecideApproval(t.db, events),
    cancelPayment: new CancelPayment(t.db, events),
    defaultLocale: 'en' as const,
  };
  const commands = new CommandRouter(deps);
  // Errors are collected rather than printed, so a test can say there were none.
  const quiet = { warn: () => {}, error: (obj: object) => void errors.push(obj) };
  const notifier = new PaymentNotifier({ db: t.db, events, surfaces: [surface], defaultLocale: 'en', log: quiet });
  notifier.start();

  const http = new HttpServer(log);
  const playground = mountPlayground(http, {
    commands,
    surface,
    listUsers: () => t.db.read((em) => directory.users(em)),
    defaultLocale: 'en',
    log: quiet,
  });
  const { port } = await http.listen('127.0.0.1', 0);
  const loop = new OutboxLoop(outbox, 200, (err) => errors.push(err));
  loop.start();
  await events.start(); // the outbox delivers to the notifier live, as in startApp

  return {
    url: `http://127.0.0.1:${port}`,
    db: t.db,
    surface,
    errors,
    async stop() {
      playground.close();
      http.closeAllConnections();
      await http.close();
      await loop.stop();
      await events.stop();
      notifier.stop();
      await t.drop();
    },
  };
}
