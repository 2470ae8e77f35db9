/**
 * Inbound Feishu events → the command layer. The same handlers serve both connection
 * modes: registered on one EventDispatcher that the HTTP handler and the WSClient share.
 */
import type { ActionReply, Actor, CommandHandler } from '../../commands/contracts';
import { message, type CardView, type Reply } from '../../commands/view/view';
import { t } from '../../src/domain/i18n';
import type { Locale } from '../../src/domain/locale';
import type { Logger } from '../../src/logger';
import { FeishuMessenger, sendUuid } from './feishu-messenger';
import { cardActionSchema, commandText, mentionsBot, reasonOf, messageEventSchema, type MessageEvent } from './feishu-payloads';
import type { FeishuStore } from './feishu-store';
import type { FeishuSurface } from './feishu-surface';
import type { FollowUps } from './follow-ups';
import { renderCardView, renderView, TOAST_TYPE } from './render-card';

export interface FeishuEventDeps {
  commands: CommandHandler;
  store: FeishuStore;
  surface: FeishuSurface;
  messenger: FeishuMessenger;
  followUps: FollowUps;
  log: Logger;
  defaultLocale: Locale;
  /** The bot's open_id (cached by the caller); undefined while it cannot be learnt. */
  botOpenId: () => Promise<string | undefined>;
}

/** What a card callback answers within Feishu's 3 seconds. */
export interface CardActionAnswer {
  toast?: { type: 'success' | 'warning' | 'error' | 'info'; content: string };
  card?: { type: 'raw'; data: Record<string, unknown> };
}

const actorOf = (openId: string): Actor => ({ platform: 'feishu', platformUserId: openId });

async function localeOf(d: FeishuEventDeps, actor: Actor): Promise<Locale> {
  try {
    return (await d.commands.resolveUser(actor))?.locale ?? d.defaultLocale;
  } catch {
    return d.defaultLocale;
  }
}

export function feishuEventHandlers(d: FeishuEventDeps) {
  return {
    'im.message.receive_v1': (data: unknown) => onMessage(d, data),
    'card.action.trigger': (data: unknown) => onCardAction(d, data),
  };
}

/**
 * A text command. Runs the command before Feishu gets its answer, so a crash makes Feishu
 * retry; the reply is sent afterwards. The event-id claim makes a redelivery act once.
 */
async function onMessage(d: FeishuEventDeps, data: unknown): Promise<void> {
  const parsed = messageEventSchema.safeParse(data);
  if (!parsed.success) {
    d.log.warn({ issues: parsed.error.issues }, 'unexpected im.message.receive_v1 payload ignored');
    return;
  }
  const e = parsed.data;
  // Our own and other bots' messages must never trigger commands (reply loops).
  if (e.sender.sender_type !== 'user') return;
  const m = e.message;
  const p2p = m.chat_type === 'p2p';
  // Only mentions need the bot's own id; a plain direct message must not depend on it.
  const bot = p2p && !m.mentions?.length ? undefined : await d.botOpenId();
  if (!p2p && !mentionsBot(m, bot)) return;
  if (!(await d.store.claimEvent(e.event_id))) {
    d.log.info({ eventId: e.event_id }, 'redelivered feishu event ignored');
    return;
  }
  const actor = actorOf(e.sender.sender_id.open_id);
  const text = m.message_type === 'text' ? commandText(m, bot) : undefined;
  let reply: Reply;
  if (!text) {
    reply = { visibility: 'ephemeral', view: message('info', t(await localeOf(d, actor), 'FEISHU.TEXT_ONLY')) };
  } else {
    try {
      reply = await d.commands.handleText({ actor, text, channel: m.chat_id });
    } catch (err) {
      await d.store.releaseEvent(e.event_id);
      throw err;
    }
  }
  d.followUps.run(`reply to ${m.message_id}`, () => deliver(d, e, actor, reply));
}

async function deliver(d: FeishuEventDeps, e: MessageEvent, actor: Actor, reply: Reply): Promise<void> {
  const m = e.message;
  const locale = await localeOf(d, actor);
  const card = renderView(reply.view, locale);
  // Feishu has no private message inside a group: "only you" replies go to a direct chat.
  const direct = m.chat_type !== 'p2p' && reply.visibility === 'ephemeral';
  const uuid = sendUuid('reply', m.message_id);
  const messageId = await d.followUps.retry(`reply to ${m.message_id}`, () =>
    direct ? d.messenger.send('open_id', actor.platformUserId, card, uuid) : d.messenger.reply(m.message_id, card, uuid),
  );
  if (reply.view.kind === 'card' && reply.view.key) {
    const receiveId = direct ? actor.platformUserId : m.chat_id;
    await d.surface.recordCopy(reply.view.key, messageId, receiveId, locale);
  }
}

/**
 * A button tap or the reject form: decide, then answer with toast + card, which updates the
 * tapped copy. Every other copy is patched once, by whoever owns the consequence (the
 * notifier's outbox delivery for payments, the alert router for alerts), not here as well:
 * patching here too would patch each copy twice per decision.
 */
async function onCardAction(d: FeishuEventDeps, data: unknown): Promise<CardActionAnswer> {
  const parsed = cardActionSchema.safeParse(data);
  if (!parsed.success) {
    d.log.warn({ issues: parsed.error.issues }, 'unexpected card.action.trigger payload');
    return { toast: { type: 'error', content: t(d.defaultLocale, 'FEISHU.ACTION_FAILED') } };
  }
  const a = parsed.data;
  const actor = actorOf(a.operator.open_id);
  // Feishu redelivers a callback with the same event id (and card token): one decision.
  const receiptId = a.event_id ?? (a.token && `token:${a.token}`);
  let reply: ActionReply;
  try {
    if (!receiptId) throw new Error('card callback without event id or token');
    reply = await d.commands.handleAction({
      actor, actionId: a.action.value.action, value: a.action.value.value, reason: reasonOf(a.action), receiptId,
    });
  } catch (err) {
    d.log.error({ err, action: a.action.value.action }, 'feishu card action failed');
    return { toast: { type: 'error', content: t(await localeOf(d, actor), 'FEISHU.ACTION_FAILED') } };
  }
  const card: CardView | undefined = reply.card ?? (reply.view.kind === 'card' ? reply.view : undefined);
  const toast = reply.toast ?? (reply.view.kind === 'message' ? { tone: reply.view.tone, text: reply.view.text } : undefined);
  const answer: CardActionAnswer = {};
  if (toast) answer.toast = { type: TOAST_TYPE[toast.tone], content: toast.text };
  if (card) answer.card = { type: 'raw', data: renderCardView(card, await localeOf(d, actor)) };
  return answer;
}
