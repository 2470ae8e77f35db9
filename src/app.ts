import { SandboxBank } from './banks/sandbox-bank';
import type { BankGateway } from './banks/bank-gateway';
import type { AppConfig } from './config';
import { resolveDatabase } from './database-bootstrap';
import { healthHandler } from './http/health';
import { HttpServer } from './http/http-server';
import type { Logger } from './logger';
import { Database } from './persistence/database';
import { migrate, openOrm } from './persistence/orm';
import { BankOutbox } from './services/bank/bank-outbox';
import { OutboxLoop } from './services/bank/outbox-loop';
import { seedOnFirstStart } from './seed-on-start';
import { PaymentEvents } from './services/events';
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
}

export interface RunningApp {
  core: Core;
  http: HttpServer;
  url: string;
  stop(): Promise<void>;
}

/** Composition root: builds everything the configuration asks for and starts it. */
export async function startApp(config: AppConfig, log: Logger): Promise<RunningApp> {
  const target = await resolveDatabase(config, log);
  const stops: (() => Promise<void>)[] = [() => target.stop()];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch((err) => log.error({ err }, 'error during shutdown'));
  };
  try {
    const db = new Database(await openOrm(target.url));
    stops.push(() => db.close());
    const applied = await migrate(db.orm);
    if (applied.length) log.info({ applied }, 'migrations applied');
    await seedOnFirstStart(db, config, log);

    const events = new PaymentEvents((err, e) => log.error({ err, event: e.type }, 'event listener failed'));
    const bank = new SandboxBank(db, config.bank.sandbox.settleDelayMs);
    const outbox = new BankOutbox(db, bank, events, log);
    const core: Core = {
      config, log, db, events, bank, outbox,
      createPayment: new CreatePayment(db, events),
      decideApproval: new DecideApproval(db, events),
      cancelPayment: new CancelPayment(db, events),
    };

    const loop = new OutboxLoop(outbox, config.outbox.intervalMs, (err) => log.error({ err }, 'bank outbox round failed'));
    loop.start();
    stops.push(() => loop.stop());
    stops.push(() => events.settle());

    const http = new HttpServer(log);
    http.mount('/', healthHandler(db));
    const bound = await http.listen(config.http.host, config.http.port);
    stops.push(async () => {
      http.closeAllConnections();
      await http.close();
    });
    const url = `http://${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}`;
    return { core, http, url, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
