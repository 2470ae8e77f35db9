import type { User } from '../src/domain/directory';
import type { Locale } from '../src/domain/locale';
import type { Database } from '../src/persistence/database';
import type { CancelPayment } from '../src/services/payments/cancel-payment';
import type { CreatePayment } from '../src/services/payments/create-payment';
import type { DecideApproval } from '../src/services/payments/decide-approval';
import type { ActionReply, ActionRequest, Actor } from './contracts';
import type { Reply } from './view/view';

/** A button handler contributed by another module (e.g. monitoring's `alert.ack`). */
export type ExtraActionHandler = (req: ActionRequest, user: User) => Promise<ActionReply>;

/** A `/pay <word> …` sub-command contributed by another module (e.g. `/pay alerts`, `/付款 告警`). */
export type ExtraCommandHandler = (input: { actor: Actor; user: User; locale: Locale; args: string }) => Promise<Reply>;

/** What the command layer needs from the payment core. */
export interface CommandDeps {
  db: Database;
  createPayment: CreatePayment;
  decideApproval: DecideApproval;
  cancelPayment: CancelPayment;
  /** Language for people paydesk does not know (their own locale is used otherwise). */
  defaultLocale: Locale;
  clock?: () => Date;
  /** IANA zone for times on cards and for "today"; defaults to Asia/Shanghai. */
  timeZone?: string;
  /** Buttons this layer does not own, by action id. */
  extraActions?: Record<string, ExtraActionHandler>;
  /** Sub-commands of /pay this layer does not own, by word (any case); built-in words take precedence. */
  extraCommands?: Record<string, ExtraCommandHandler>;
  /** Top-level commands this layer does not own (`/report`, `/报表`), by word without the slash; built-in words take precedence. */
  extraTopCommands?: Record<string, ExtraCommandHandler>;
}

/** One command being handled: who asked, in which language, with what. */
export interface CommandContext {
  deps: CommandDeps;
  actor: Actor;
  user: User;
  locale: Locale;
  timeZone: string;
  now(): Date;
}
