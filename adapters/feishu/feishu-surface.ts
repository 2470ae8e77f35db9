import type { ChatSurface, LocalisedCard, LocalisedView, ReportPostInput, ReportPostResult } from '../../commands/contracts';
import { postFeishuReport } from './feishu-report-poster';
import type { CardView } from '../../commands/view/view';
import type { User } from '../../src/domain/directory';
import type { Locale } from '../../src/domain/locale';
import type { Payment } from '../../src/domain/payment/payment';
import type { Logger } from '../../src/logger';
import { FeishuMessenger, receiveIdTypeOf, ReceiveIdType, sendUuid } from './feishu-messenger';
import type { FeishuStore } from './feishu-store';
import type { FollowUps } from './follow-ups';
import { renderCardView, renderView } from './render-card';

interface Target {
  type: ReceiveIdType;
  id: string;
  locale: Locale;
}

export interface FeishuSurfaceOptions {
  messenger: FeishuMessenger;
  store: FeishuStore;
  followUps: FollowUps;
  log: Logger;
  approvalsChat?: string;
  dmApprovers: boolean;
  /** Language of cards in group chats, where readers differ. */
  defaultLocale: Locale;
}

/**
 * paydesk's outbound side on Feishu. Each card copy is recorded (card key → message id and
 * language) so updateCard can re-render every copy in the language it was posted in.
 * One recipient's failure never stops the others: each send is retried, then logged.
 */
export class FeishuSurface implements ChatSurface {
  readonly platform = 'feishu' as const;

  private readonly queues = new Map<string, { tail: Promise<void>; seq: number }>();

  constructor(private readonly o: FeishuSurfaceOptions) {}

  async postApprovalCard(input: { payment: Payment; key: string; card: LocalisedCard; approvers: User[] }): Promise<void> {
    const targets: Target[] = [];
    if (this.o.approvalsChat) targets.push({ type: 'chat_id', id: this.o.approvalsChat, locale: this.o.defaultLocale });
    if (this.o.dmApprovers) {
      for (const a of input.approvers) {
        if (a.active && a.feishuOpenId) targets.push({ type: 'open_id', id: a.feishuOpenId, locale: a.locale });
      }
    }
    await Promise.all(targets.map((t) => this.postCard(t, input.key, input.card(t.locale))));
  }

  /**
   * An outbox delivery: every copy is patched once here, and a failure is thrown so the outbox
   * retries the whole refresh later (with back-off, across restarts) instead of this process.
   */
  async updateCard(input: { key: string; card: LocalisedCard }): Promise<void> {
    await this.inOrder(input.key, async () => {
      const copies = await this.o.store.cardCopies(input.key);
      const byLocale = new Map<Locale, CardView>();
      const render = (l: Locale) => byLocale.get(l) ?? byLocale.set(l, input.card(l)).get(l)!;
      const failed = (await Promise.allSettled(copies.map((c) => this.o.messenger.patch(c.messageId, renderCardView(render(c.locale), c.locale)))))
        .find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    });
  }

  async notifyUser(input: { user: User; view: LocalisedView; idempotencyKey?: string }): Promise<void> {
    // People who only use Slack or the playground have no open_id: not an error.
    if (!input.user.feishuOpenId) return;
    const view = input.view(input.user.locale);
    if (input.idempotencyKey) {
      // An outbox delivery: Feishu drops a second send with the same uuid (the event id), so a
      // redelivery after a crash never DMs twice; a failure throws and the outbox retries it.
      await this.o.followUps.retry('notifyUser', () =>
        this.o.messenger.send('open_id', input.user.feishuOpenId!, renderView(view, input.user.locale), input.idempotencyKey),
      );
      return;
    }
    await this.tryLogged('notifyUser', () => this.o.messenger.send('open_id', input.user.feishuOpenId!, renderView(view, input.user.locale)));
  }

  async postAlert(input: { channel: string; key: string; card: LocalisedCard }): Promise<void> {
    const t: Target = { type: receiveIdTypeOf(input.channel), id: input.channel, locale: this.o.defaultLocale };
    await this.postCard(t, input.key, input.card(t.locale));
  }

  async postReport(input: ReportPostInput): Promise<ReportPostResult> {
    return postFeishuReport({ messenger: this.o.messenger, log: this.o.log }, input);
  }

  /** Remembers a message that shows a card (e.g. a reply to `/pay new`) so updates reach it. */
  async recordCopy(key: string, messageId: string, receiveId: string, locale: Locale): Promise<void> {
    await this.o.store.addCardCopy({ key, messageId, receiveId, locale });
  }

  /**
   * Card refreshes run one at a time per card, in the order asked, so a slow (retried)
   * patch can never land after a newer one and bring back buttons of a decided payment.
   * A refresh is skipped when a later one is already queued: it re-renders every copy anyway.
   */
  private inOrder(key: string, job: () => Promise<void>): Promise<void> {
    const q = this.queues.get(key) ?? { tail: Promise.resolve(), seq: 0 };
    this.queues.set(key, q);
    const n = ++q.seq;
    let failure: unknown;
    const run = async () => {
      if (q.seq === n) await job().catch((err) => (failure = err));
      if (q.seq === n) this.queues.delete(key);
    };
    q.tail = q.tail.then(run);
    // The queue itself never rejects (the next refresh of this card must still run); the caller may.
    return q.tail.then(() => {
      if (failure !== undefined) throw failure;
    });
  }

  private async postCard(t: Target, key: string, card: CardView): Promise<void> {
    await this.tryLogged(`post ${key}`, async () => {
      const messageId = await this.o.messenger.send(t.type, t.id, renderCardView(card, t.locale), sendUuid('card', key, t.id));
      await this.recordCopy(key, messageId, t.id, t.locale);
    });
  }

  private async tryLogged(label: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await this.o.followUps.retry(label, fn);
    } catch (err) {
      this.o.log.error({ err, task: label }, 'feishu delivery failed after retries');
    }
  }
}
