import type { webApi } from '@slack/bolt';
import { ACTION_IDS, ChatSurface, LocalisedCard, LocalisedView, ReportPostInput, ReportPostResult } from '../../commands/contracts';
import { postSlackReport } from './slack-report-poster';
import type { CardView } from '../../commands/view/view';
import type { User } from '../../src/domain/directory';
import type { Locale } from '../../src/domain/locale';
import type { Logger } from '../../src/logger';
import { RetryLater } from '../../src/services/outbox/retry-later';
import type { CardMessageStore } from './card-message-store';
import type { FollowUps } from './follow-ups';
import { SlackMessage, renderView } from './render-block-kit';
import { st } from './slack.messages';

export interface SlackSurfaceOptions {
  client: webApi.WebClient;
  store: CardMessageStore;
  followUps: FollowUps;
  log: Logger;
  defaultLocale: Locale;
  approvalsChannel?: string;
  dmApprovers: boolean;
  /** Republishes one person's Home tab; called for every approver whose "waiting for you" list changed. */
  refreshHome?: (slackUserId: string) => Promise<void>;
  /** Slack ids of everyone who may vote (their Home lists pending cards), for cards without DM copies. */
  homeAudience?: () => Promise<string[]>;
}

interface Target {
  /** Channel name/id, or a Slack user id for a DM. */
  target: string;
  dm: boolean;
  locale: Locale;
}

/**
 * paydesk's notifier talks to Slack through this: approval cards into the approvals
 * channel and each approver's DM, in-place updates of every copy, DMs, alert cards.
 * These calls run for outbox deliveries, so a failure throws and the outbox retries it
 * (durably, across restarts), and a 429 becomes RetryLater with Slack's Retry-After: the
 * queue waits instead of failing. Updates right after a tap (updateMessage) still go
 * through FollowUps, since nothing durable stands behind them but the outbox's own refresh.
 */
export class SlackSurface implements ChatSurface {
  readonly platform = 'slack' as const;
  /** Updates of one message run one after another, so the newest state is what stays. */
  private readonly messageChains = new Map<string, Promise<unknown>>();

  constructor(private readonly o: SlackSurfaceOptions) {}

  async postApprovalCard(input: { key: string; card: LocalisedCard; approvers: User[] }): Promise<void> {
    const targets: Target[] = [];
    if (this.o.approvalsChannel) targets.push({ target: this.o.approvalsChannel, dm: false, locale: this.o.defaultLocale });
    if (this.o.dmApprovers) {
      for (const a of input.approvers) {
        if (a.active && a.slackUserId) targets.push({ target: a.slackUserId, dm: true, locale: a.locale });
      }
    }
    if (targets.length === 0) this.o.log.warn({ key: input.key }, 'slack: no approvals channel and no approver with a Slack id; card not posted');
    await this.postCopies(input.key, targets, input.card);
    await this.refreshHomes(input.approvers.filter((a) => a.active).map((a) => a.slackUserId));
  }

  async updateCard(input: { key: string; card: LocalisedCard }): Promise<void> {
    const copies = await this.o.store.copies(input.key);
    await settleAll(
      copies.map((c) =>
        this.chained(`${c.channel}:${c.ts}`, () => outboxCall(() => this.o.client.chat.update({ channel: c.channel, ts: c.ts, ...renderView(input.card(c.locale)) }))),
      ),
    );
    // Whoever got the card in a DM had it on their Home list too: after a decision that list changed.
    // DM conversations are D… ids; their target is the person's Slack user id.
    const dmTargets = copies.filter((c) => c.channel.startsWith('D')).map((c) => c.target);
    await this.refreshHomes([...dmTargets, ...((await this.o.homeAudience?.()) ?? [])]);
  }

  private async refreshHomes(targets: (string | undefined)[]): Promise<void> {
    const refresh = this.o.refreshHome;
    if (!refresh) return;
    const people = [...new Set(targets.filter((x): x is string => !!x))];
    await Promise.all(people.map((u) => this.o.followUps.run('refresh home', { slackUser: u }, () => refresh(u))));
  }

  async notifyUser(input: { user: User; view: LocalisedView; idempotencyKey?: string }): Promise<void> {
    const userId = input.user.slackUserId;
    if (!userId) return; // people without a Slack identity are told on their other surfaces
    const msg = renderView(input.view(input.user.locale));
    const channel = await outboxCall(() => this.dmChannel(userId));
    // The event id travels as message metadata, so a notice can be traced to its outbox event.
    const metadata = input.idempotencyKey ? { metadata: { event_type: 'paydesk_notice', event_payload: { event_id: input.idempotencyKey } } } : {};
    await outboxCall(() => this.o.client.chat.postMessage({ channel, ...msg, ...metadata }));
  }

  async postAlert(input: { channel: string; key: string; card: LocalisedCard }): Promise<void> {
    const withAck: LocalisedCard = (locale) => ensureAckButton(input.card(locale), input.key, locale);
    await this.postCopies(input.key, [{ target: input.channel, dm: false, locale: this.o.defaultLocale }], withAck);
  }

  async postReport(input: ReportPostInput): Promise<ReportPostResult> {
    return postSlackReport({ client: this.o.client, log: this.o.log, dmChannel: (id) => this.dmChannel(id) }, input);
  }

  /** chat.update one message, queued behind earlier updates of the same message. */
  updateMessage(channel: string, ts: string, msg: SlackMessage, context: Record<string, unknown> = {}): Promise<unknown> {
    return this.chained(`${channel}:${ts}`, () =>
      this.o.followUps.run('chat.update', { channel, ts, ...context }, () => this.o.client.chat.update({ channel, ts, ...msg })),
    );
  }

  /** Runs `task` after the earlier updates of the same message (in this process), so the last one sent stays. */
  private chained<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = this.messageChains.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    this.messageChains.set(id, next);
    void next
      .catch(() => undefined)
      .finally(() => {
        if (this.messageChains.get(id) === next) this.messageChains.delete(id);
      });
    return next;
  }

  /** The DM conversation with a user (conversations.open is idempotent on Slack's side). */
  async dmChannel(userId: string): Promise<string> {
    const res = await this.o.client.conversations.open({ users: userId });
    const id = res.channel?.id;
    if (!id) throw new Error(`conversations.open returned no channel for ${userId}`);
    return id;
  }

  private async postCopies(key: string, targets: Target[], card: LocalisedCard): Promise<void> {
    // A repeated call (the notifier retrying) must not post a second copy where one exists.
    const already = new Set((await this.o.store.copies(key)).map((c) => c.target));
    await settleAll(
      targets
        .filter((tg) => !already.has(tg.target))
        .map(async (tg) => {
          const msg = renderView(card(tg.locale));
          const channel = tg.dm ? await outboxCall(() => this.dmChannel(tg.target)) : tg.target;
          const res = await outboxCall(() => this.o.client.chat.postMessage({ channel, ...msg }));
          if (!res.ts || !res.channel) throw new Error('chat.postMessage returned no channel/ts');
          // The copy's ts is recorded before the delivery counts as done: a redelivery skips this target.
          await this.o.store
            .record(key, { target: tg.target, channel: res.channel, ts: res.ts, locale: tg.locale })
            .catch((err) => this.o.log.error({ err, key, target: tg.target }, 'slack: card copy posted but not recorded; it will not be updated'));
        }),
    );
  }
}

/** A Slack call for an outbox delivery: rate limits become RetryLater (Slack's Retry-After), other failures throw. */
async function outboxCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { code?: string; retryAfter?: number };
    if (e?.code === 'slack_webapi_rate_limited_error') throw new RetryLater(Math.max(1, e.retryAfter ?? 1) * 1000, 'slack: rate limited');
    throw err;
  }
}

/** Waits for every call (one failing copy must not stop the others), then throws the first failure, if any. */
async function settleAll(calls: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(calls);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Alerts are acknowledged by a button; add one when the card did not bring its own. */
export function ensureAckButton(card: CardView, key: string, locale: Locale): CardView {
  if (card.buttons.some((b) => b.actionId === ACTION_IDS.acknowledgeAlert)) return card;
  return {
    ...card,
    key: card.key ?? key,
    buttons: [...card.buttons, { actionId: ACTION_IDS.acknowledgeAlert, label: st(locale, 'SLACK.ALERT.ACK'), value: JSON.stringify({ id: key.replace(/^alert:/, '') }) }],
  };
}
