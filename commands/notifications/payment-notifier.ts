import { mayReleaseAmount } from '../../src/domain/approval/approval-rules';
import type { Locale } from '../../src/domain/locale';
import type { Payment } from '../../src/domain/payment/payment';
import type { Database } from '../../src/persistence/database';
import { directoryQuery } from '../../src/services/queries/directory.query';
import { PaymentCardFacts, paymentCardQuery } from '../../src/services/queries/payment-card.query';
import type { DeliveryContext, PaymentEvent, PaymentEvents } from '../../src/services/events';
import type { ChatSurface, LocalisedCard } from '../contracts';
import { DEFAULT_TIME_ZONE } from '../views/format';
import { paymentCard, paymentCardKey } from '../views/payment-card.view';
import { NOTIFY_REQUESTER, requesterNoticeView } from './payment-notice.view';

/** The part of a logger the notifier uses (pino's Logger fits). */
export interface NotifierLog {
  error(obj: object, msg?: string): void;
}

export interface PaymentNotifierDeps {
  db: Database;
  events: PaymentEvents;
  surfaces: ChatSurface[];
  /** Reserved for recipients without a locale; cards are rendered per recipient by the surfaces. */
  defaultLocale: Locale;
  log: NotifierLog;
  timeZone?: string;
  clock?: () => Date;
  /** Outbox consumer names are `<prefix>:<platform>`; `notifier` unless a second notifier shares the outbox. */
  consumerPrefix?: string;
}

/**
 * Keeps every chat surface in step with the payment core: approval cards are
 * posted when a payment starts waiting, refreshed in place after each vote or
 * status change, and requesters hear the outcome. Each surface is its own durable
 * outbox consumer (`notifier:slack`, `notifier:feishu`, …): a slow or failing
 * platform never undoes a decision nor holds up the others, a failed call is
 * retried from the outbox (also after a crash), and events of one payment reach
 * a surface in order. Cards are re-read from the database at delivery, so a card
 * always shows the newest state; when a later event of the same payment is already
 * waiting, the refresh is left to it (coalescing), so a stale card never follows a newer one.
 */
export class PaymentNotifier {
  private readonly surfaces: ChatSurface[] = [];
  private readonly unsubscribes: (() => void)[] = [];
  private started = false;

  constructor(private readonly deps: PaymentNotifierDeps) {
    for (const s of deps.surfaces) this.addSurface(s);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const s of this.surfaces) this.subscribe(s);
  }

  stop(): void {
    this.started = false;
    for (const u of this.unsubscribes.splice(0)) u();
  }

  /** For adapters that connect after start-up (a Slack socket, a Feishu long connection). */
  addSurface(surface: ChatSurface): void {
    if (this.surfaces.includes(surface)) return;
    this.surfaces.push(surface);
    if (this.started) this.subscribe(surface);
  }

  /** The consumer name of a surface: stable across restarts, so its deliveries carry over. */
  consumerName(surface: ChatSurface): string {
    const same = this.surfaces.filter((s) => s.platform === surface.platform);
    const i = same.indexOf(surface);
    const prefix = this.deps.consumerPrefix ?? 'notifier';
    return i <= 0 ? `${prefix}:${surface.platform}` : `${prefix}:${surface.platform}:${i + 1}`;
  }

  private subscribe(surface: ChatSurface): void {
    this.unsubscribes.push(this.deps.events.subscribe(this.consumerName(surface), (e, ctx) => this.deliver(surface, e, ctx)));
  }

  /** One event to one surface; throws when the surface failed, so the outbox retries it. */
  async deliver(surface: ChatSurface, e: PaymentEvent, ctx: DeliveryContext): Promise<unknown> {
    const key = paymentCardKey(e.payment.id);
    if (e.type === 'payment.created') {
      if (e.payment.status === 'pending_approval') await this.postApprovalCard(surface, e.payment);
      return { posted: e.payment.status === 'pending_approval' };
    }
    // A deciding vote is followed by its status change; refreshing once for both is enough.
    if (e.type === 'payment.voted' && e.payment.status !== 'pending_approval') return { skipped: 'decided' };
    const data = await this.load(e.payment.id);
    if (!data) return { skipped: 'missing' };
    const refreshed = !ctx.superseded;
    if (refreshed) await surface.updateCard({ key, card: this.localised(data) });
    let told = false;
    if (e.type === 'payment.status_changed' && NOTIFY_REQUESTER[e.payment.status]) told = await this.notifyRequester(surface, data, ctx.eventId);
    return { refreshed, version: data.payment.version, ...(told ? { told } : {}) };
  }

  private async postApprovalCard(surface: ChatSurface, payment: Payment): Promise<void> {
    const data = await this.load(payment.id);
    if (!data) return;
    const users = await directoryQuery.users(this.deps.db);
    // Someone whose limit cannot release the amount would only meet a refusal on tapping: they get no card.
    const approvers = users.filter((u) => mayReleaseAmount(u, payment));
    const card = this.localised(data);
    const key = paymentCardKey(payment.id);
    await surface.postApprovalCard({ payment: data.payment, key, card, approvers });
  }

  private async notifyRequester(surface: ChatSurface, data: PaymentCardFacts, eventId: string): Promise<boolean> {
    const user = data.requester;
    if (!user || !user.active) return false;
    await surface.notifyUser({ user, view: (locale) => requesterNoticeView(data, locale), idempotencyKey: eventId });
    return true;
  }

  private load(paymentId: string): Promise<PaymentCardFacts | undefined> {
    return paymentCardQuery.current(this.deps.db, { id: paymentId });
  }

  private localised(data: PaymentCardFacts): LocalisedCard {
    const timeZone = this.deps.timeZone ?? DEFAULT_TIME_ZONE;
    const now = (this.deps.clock ?? (() => new Date()))();
    return (locale) => paymentCard({ ...data, locale, timeZone, now });
  }
}
