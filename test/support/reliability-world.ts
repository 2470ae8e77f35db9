/**
 * The payment core and the command layer on a test database, wired as
 * src/app.ts wires them, for the reliability tests that drive CommandRouter
 * directly (concurrency, authorization matrix).
 */
import { randomUUID } from 'node:crypto';
import { CommandRouter } from '../../commands/command-router';
import type { Actor, Platform } from '../../commands/contracts';
import { SandboxBank } from '../../src/banks/sandbox-bank';
import type { Role } from '../../src/domain/approval/approval-policy';
import type { Database } from '../../src/persistence/database';
import { UserEntity } from '../../src/persistence/entities';
import { BankOutbox } from '../../src/services/bank/bank-outbox';
import { PaymentEvents } from '../../src/services/events';
import { CancelPayment } from '../../src/services/payments/cancel-payment';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';

export interface Core {
  events: PaymentEvents;
  create: CreatePayment;
  decide: DecideApproval;
  cancel: CancelPayment;
  bank: SandboxBank;
  outbox: BankOutbox;
}

export function buildCore(db: Database): Core {
  const events = new PaymentEvents(db);
  const bank = new SandboxBank(db, 0);
  return {
    events, bank,
    create: new CreatePayment(db, events),
    decide: new DecideApproval(db, events),
    cancel: new CancelPayment(db, events),
    outbox: new BankOutbox(db, bank, events),
  };
}

/** A router over the given core; two routers on one database behave like two paydesk processes. */
export function buildRouter(db: Database, core: Core): CommandRouter {
  return new CommandRouter({
    db, createPayment: core.create, decideApproval: core.decide, cancelPayment: core.cancel, defaultLocale: 'en',
  });
}

/** A person with exactly these roles, known on Slack as `U_<handle>` and on the web by handle. */
export async function addUser(db: Database, handle: string, roles: Role[], limits: Record<string, bigint> = {}): Promise<string> {
  const id = randomUUID();
  await db.tx(async (em) => {
    em.create(UserEntity, {
      id, handle, name: handle.toUpperCase(), roles, locale: 'en', active: true,
      approvalLimits: Object.fromEntries(Object.entries(limits).map(([c, v]) => [c, v.toString()])),
      slackUserId: `U_${handle}`, feishuOpenId: `ou_${handle}`, createdAt: new Date(),
    });
  });
  return id;
}

export const slackActor = (handle: string): Actor => ({ platform: 'slack', platformUserId: `U_${handle}` });
export const actor = (platform: Platform, handle: string): Actor =>
  platform === 'web' ? { platform, platformUserId: handle } : { platform, platformUserId: platform === 'slack' ? `U_${handle}` : `ou_${handle}` };

/** Button value of a payment card as rendered at `version`. */
export const buttonValue = (paymentId: string, version: number): string => JSON.stringify({ id: paymentId, v: version });

export async function count(db: Database, sql: string, params: unknown[] = []): Promise<number> {
  const rows = await db.read((em) => em.execute(sql, params));
  return Number(rows[0].n);
}

/** Row counts of every table a command could write, to prove a refused request changed nothing. */
export async function tableCounts(db: Database): Promise<Record<string, number>> {
  const tables = ['payments', 'approvals', 'audit_events', 'interaction_receipts', 'sandbox_bank_transfers', 'users', 'payees', 'bank_accounts'];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = await count(db, `select count(*) as n from ${t}`);
  // Status and version changes do not change counts; their sum does.
  out['payments.version'] = await count(db, `select coalesce(sum(version), 0) as n from payments`);
  return out;
}
