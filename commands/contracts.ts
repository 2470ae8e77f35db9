import type { User } from '../src/domain/directory';
import type { Locale } from '../src/domain/locale';
import type { Payment } from '../src/domain/payment/payment';
import type { CardView, Reply, View } from './view/view';

export type Platform = 'web' | 'slack' | 'feishu';

/** Who is speaking, as the platform knows them. For the playground the id is the paydesk handle. */
export interface Actor {
  platform: Platform;
  platformUserId: string;
}

/** A typed chat command such as `/pay new 5,000 to acme for invoice 7`. */
export interface TextRequest {
  actor: Actor;
  /** The whole text including the leading command word (`/pay …`, `/balance`, `/付款 …`). */
  text: string;
  /** The channel or chat it was typed in, when there is one. */
  channel?: string;
}

export const ACTION_IDS = {
  approve: 'payment.approve',
  reject: 'payment.reject',
  cancel: 'payment.cancel',
  acknowledgeAlert: 'alert.ack',
} as const;
export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS] | string;

/** A button tap, already parsed by the adapter from the platform's payload. */
export interface ActionRequest {
  actor: Actor;
  actionId: ActionId;
  /** The button's value as rendered (JSON `{"id": "<payment id>", "v": <version>}` for payment buttons). */
  value: string;
  /** Text typed into the card's reason input (reject). */
  reason?: string;
  /**
   * The platform's unique id for this delivery (Slack trigger_id/action_ts, Feishu event id…).
   * The same receipt seen twice acts once; the second answer shows the current state.
   */
  receiptId: string;
}

export interface ActionReply extends Reply {
  /** The up-to-date card for the tapped message, when the tap concerned a card. */
  card?: CardView;
  /** A short confirmation for toasts (Feishu) or ephemerals (Slack). */
  toast?: { tone: 'good' | 'warning' | 'danger' | 'info'; text: string };
  /** The stable code when the action was refused (a form can show it on its field). */
  refusal?: string;
}

/** The neutral entry point every surface calls. */
export interface CommandHandler {
  handleText(req: TextRequest): Promise<Reply>;
  handleAction(req: ActionRequest): Promise<ActionReply>;
  /** The paydesk user behind a platform identity, if mapped. */
  resolveUser(actor: Actor): Promise<User | undefined>;
}

/** A card rendered for a viewer's language; surfaces call it with each recipient's locale. */
export type LocalisedCard = (locale: Locale) => CardView;
export type LocalisedView = (locale: Locale) => View;

/** Where a report goes: a configured channel (report route) or one person's direct messages. */
export type ReportTarget = { channel: string } | { user: User };

export interface ReportPostInput {
  to: ReportTarget;
  /** In the reader's language; its `image` (a chart) and `files` (exports) are uploaded where the platform needs it. */
  card: CardView;
  /** Added to the card when the image could not be uploaded, so the reader knows the figures stand in for it. */
  imageFailedNote?: string;
}

/** What happened: `image` uploaded (Slack, Feishu), shown inline (playground), failed, or there was none. */
export interface ReportPostResult {
  posted: boolean;
  image: 'uploaded' | 'inline' | 'failed' | 'none';
  files: 'sent' | 'failed' | 'none';
}

/**
 * What the notifier needs from a chat surface (web playground, Slack, Feishu).
 * The surface remembers which of its messages show which card (`card.key`) so
 * that `updateCard` can refresh every copy in place.
 */
export interface ChatSurface {
  readonly platform: Platform;
  /** Posts a new approval card to the approvals channel and, when configured, to each approver directly. */
  postApprovalCard(input: { payment: Payment; key: string; card: LocalisedCard; approvers: User[] }): Promise<void>;
  /** Re-renders every copy of a card already posted on this surface. */
  updateCard(input: { key: string; card: LocalisedCard }): Promise<void>;
  /**
   * A direct message to one person (requester notifications, reminders). `idempotencyKey` (the
   * outbox event id) lets a platform that supports it drop a repeated send (Feishu's uuid).
   */
  notifyUser(input: { user: User; view: LocalisedView; idempotencyKey?: string }): Promise<void>;
  /** An alert card into a channel (monitoring). */
  postAlert(input: { channel: string; key: string; card: LocalisedCard }): Promise<void>;
  /** A report (daily summary, cash chart, export) into a channel or a DM; see adapters/<platform>/*-report-poster.ts. */
  postReport?(input: ReportPostInput): Promise<ReportPostResult>;
}
