import { mayReleaseAmount } from '../../src/domain/approval/approval-rules';
import type { Locale } from '../../src/domain/locale';
import type { Payment } from '../../src/domain/payment/payment';
import type { Database } from '../../src/persistence/database';
import { directoryQuery } from '../../src/services/queries/directory.query';
import { PaymentCardFacts, paymentCardQuery } from '../../src/services/queries/payment-card.query';
import type { PaymentEvent, PaymentEvents } from '../../src/services/events';
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
}

/**
 * Keeps every chat surface in step with the payment core: approval cards are
 * posted when a payment starts waiting, refreshed in place after each vote or
 * status change, and requesters hear the outcome. It runs after the commit
 * (PaymentEvents), so a slow or failing platform never undoes a decision, and
 * one failing surface never silences the others.
 */
export class PaymentNotifier {
  private readonly surfaces: ChatSurface[];
  private unsubscribe?: () => void;
  // Per card, one refresh at a time and in order, each re-reading the database:
  // the last write to a card is therefore always the latest state.
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly deps: PaymentNotifierDeps) {
    this.surfaces = [...deps.surfaces];
  }

  start(): void {
    this.unsubscribe ??= this.deps.events.subscribe((e) => this.onEvent(e));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** For adapters that connect after start-up (a Slack socket, a Feishu long connection). */
  addSurface(surface: ChatSurface): void {
    if (!this.surfaces.includes(surface)) this.surfaces.push(surface);
  }

  private onEvent(e: PaymentEvent): Promise<void> {
    const key = paymentCardKey(e.payment.id);
    return this.enqueue(key, async () => {
      if (e.type === 'payment.created') {
        if (e.payment.status === 'pending_approval') await this.postApprovalCard(e.payment);
        return;
      }
      // A deciding vote is followed by its status change; refreshing once for both is enough.
      if (e.type === 'payment.voted' && e.payment.status !== 'pending_approval') return;
      const data = await this.load(e.payment.id);
      if (!data) return;
      const card = this.localised(data);
      await this.each('updateCard', (s) => s.updateCard({ key, card }));
      if (e.type === 'payment.status_changed' && NOTIFY_REQUESTER[data.payment.status]) await this.notifyRequester(data);
    });
  }

  private async postApprovalCard(payment: Payment): Promise<void> {
    const data = await this.load(payment.id);
    if (!data) return;
    const users = await directoryQuery.users(this.deps.db);
    // Someone whose limit cannot release the amount would only meet a refusal on tapping: they get no card.
    const approvers = users.filter((u) => mayReleaseAmount(u, payment));
    const card = this.localised(data);
    const key = paymentCardKey(payment.id);
    await this.each('postApprovalCard', (s) => s.postApprovalCard({ payment: data.payment, key, card, approvers }));
  }

  private async notifyRequester(data: PaymentCardFacts): Promise<void> {
    const user = data.requester;
    if (!user || !user.active) return;
    await this.each('notifyUser', (s) => s.notifyUser({ user, view: (locale) => requesterNoticeView(data, locale) }));
  }

  private load(paymentId: string): Promise<PaymentCardFacts | undefined> {
    return paymentCardQuery.current(this.deps.db, { id: paymentId });
  }

  private localised(data: PaymentCardFacts): LocalisedCard {
    const timeZone = this.deps.timeZone ?? DEFAULT_TIME_ZONE;
    const now = (this.deps.clock ?? (() => new Date()))();
    return (locale) => paymentCard({ ...data, locale, timeZone, now });
  }

  private async each(what: string, call: (s: ChatSurface) => Promise<void>): Promise<void> {
    await Promise.all(
      [...this.surfaces].map(async (s) => {
        try {
          await call(s);
        } catch (err) {
          this.deps.log.error({ err, platform: s.platform, call: what }, 'chat surface failed; other surfaces continue');
        }
      }),
    );
  }

  private enqueue(key: string, task: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(key) ?? Promise.resolve()).then(task).catch((err) => {
      this.deps.log.error({ err, key }, 'payment notification failed');
    });
    this.queues.set(key, next);
    // Forget finished queues so the map does not grow with every payment ever seen.
    void next.then(() => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    });
    return next;
  }
}
