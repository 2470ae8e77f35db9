import { PollingLoop } from '../polling-loop';
import type { Payment } from '../../domain/payment/payment';
import type { PaymentStatus } from '../../domain/payment/payment-status';
import type { Database } from '../../persistence/database';
import { DeliveryContext, PaymentEvent, PaymentEvents } from '../events';
import { MAX_REPLY_BYTES, postWebhook } from './webhook-http';
import { statusChangedPayload } from './webhook-payload';
import { signWebhook } from './webhook-signature';
import type { WebhookUrlPolicy } from './webhook-url-policy';

export interface WebhookDispatcherOptions {
  /** Attempts before a delivery is given up (config.webhooks.maxAttempts). */
  maxAttempts: number;
  /** First retry delay; each further retry doubles it, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How often due deliveries are looked for when nothing new arrives. */
  pollMs?: number;
  timeoutMs?: number;
  batchSize?: number;
  log?: { info?(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /**
   * Send to loopback and private addresses too (a receiver on 127.0.0.1 in
   * development and tests). False by default: every send resolves the host and
   * refuses anything but public addresses.
   */
  allowInsecureLocal?: boolean;
  /** How much of a reply is read; 64 KB by default. */
  maxReplyBytes?: number;
}

interface Claimed {
  id: string;
  event_id: string;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string;
  request_id: string | null;
}

/**
 * Status changes of API-created payments go to the creating token's subscribers.
 * Deliveries are rows first (queued in webhook_deliveries), HTTP second: each is
 * claimed by pushing its next attempt past a lease (SKIP LOCKED, so several
 * processes share the queue without sending twice at once), sent outside any
 * transaction, then marked delivered or rescheduled with exponential back-off.
 * Delivery is at least once; receivers de-duplicate by the event id.
 */
export class WebhookDispatcher {
  private readonly o: Required<Omit<WebhookDispatcherOptions, 'log' | 'allowInsecureLocal'>> & Pick<WebhookDispatcherOptions, 'log'>;
  private readonly policy: WebhookUrlPolicy;
  private unsubscribe?: () => void;
  private readonly loop: PollingLoop;

  constructor(
    private readonly db: Database,
    private readonly events: PaymentEvents,
    opts: WebhookDispatcherOptions,
  ) {
    this.o = {
      maxAttempts: opts.maxAttempts,
      baseDelayMs: opts.baseDelayMs ?? 5_000,
      maxDelayMs: opts.maxDelayMs ?? 3_600_000,
      pollMs: opts.pollMs ?? 1_000,
      timeoutMs: opts.timeoutMs ?? 10_000,
      batchSize: opts.batchSize ?? 20,
      maxReplyBytes: opts.maxReplyBytes ?? MAX_REPLY_BYTES,
      log: opts.log,
    };
    this.policy = { allowInsecureLocal: opts.allowInsecureLocal ?? false };
    this.loop = new PollingLoop({
      round: () => this.deliverDue(),
      pollMs: this.o.pollMs,
      onError: (err) => this.o.log?.error({ err }, 'webhook round failed'),
      rerunAfter: () => false, // deliveries are paced by their next_attempt_at, not chained
    });
  }

  start(): void {
    if (this.loop.active) return;
    // Durable: queueing is an idempotent insert (one row per subscription and event id).
    this.unsubscribe = this.events.subscribe('webhooks', (e, ctx) => this.onEvent(e, ctx), { types: ['payment.status_changed'] });
    this.loop.start();
  }

  /** Stops queueing and sending; the round in flight finishes so no attempt is left unrecorded. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.loop.stop();
  }

  /**
   * Queues one delivery per active subscription of the token that created the payment.
   * `outboxEventId` names the outbox event that caused it: its request id (the X-Request-Id of
   * the request that made the change) is copied onto each delivery, in the same statement.
   */
  async enqueue(payment: Payment, from: PaymentStatus, outboxEventId?: string): Promise<number> {
    const tokenName = payment.source === 'api' && payment.requestedBy.startsWith('api:') ? payment.requestedBy.slice(4) : undefined;
    if (!tokenName) return 0;
    const payload = statusChangedPayload(payment, from, payment.updatedAt); // the same bytes on a redelivery
    const rows = await this.db.tx((em) =>
      em.execute(
        `insert into webhook_deliveries (id, subscription_id, event_id, payload, attempts, next_attempt_at, created_at, request_id)
         select gen_random_uuid(), s.id, ?, ?::jsonb, 0, now(), now(), (select e.request_id from outbox_events e where e.id = ?::uuid)
         from webhook_subscriptions s join api_tokens t on t.id = s.token_id
         where t.name = ? and t.revoked_at is null and s.active
         on conflict (subscription_id, event_id) do nothing returning id`,
        [payload.id, JSON.stringify(payload), outboxEventId ?? null, tokenName],
      ),
    );
    return rows.length;
  }

  /** One round: sends what is due; returns how many were delivered. */
  async deliverDue(): Promise<number> {
    const claimed = await this.claim();
    const results = await Promise.all(claimed.map((d) => this.attempt(d)));
    return results.filter(Boolean).length;
  }

  /** Runs a round now (or right after the one in flight). */
  kick(): void {
    this.loop.kick();
  }

  private async onEvent(e: PaymentEvent, ctx: DeliveryContext): Promise<{ queued: number }> {
    if (e.type !== 'payment.status_changed') return { queued: 0 };
    const queued = await this.enqueue(e.payment, e.from, ctx.eventId);
    if (queued > 0) this.kick();
    return { queued };
  }

  private async claim(): Promise<Claimed[]> {
    // The lease outlives the request timeout, so a slow receiver is never sent the same attempt twice.
    const leaseMs = this.o.timeoutMs * 2 + 5_000;
    return this.db.tx((em) =>
      em.execute(
        `update webhook_deliveries d set attempts = d.attempts + 1, next_attempt_at = now() + ? * interval '1 millisecond'
         from webhook_subscriptions s
         where s.id = d.subscription_id and d.id in (
           select d2.id from webhook_deliveries d2 join webhook_subscriptions s2 on s2.id = d2.subscription_id
           where d2.delivered_at is null and d2.failed_at is null and d2.next_attempt_at <= now() and s2.active
           order by d2.next_attempt_at limit ${Number(this.o.batchSize)}
           for update of d2 skip locked)
         returning d.id, d.event_id, d.payload, d.attempts, s.url, s.secret, d.request_id`,
        [leaseMs],
      ),
    );
  }

  private async attempt(d: Claimed): Promise<boolean> {
    const body = JSON.stringify(d.payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    let error: string | undefined;
    try {
      const res = await postWebhook({
        url: d.url,
        timeoutMs: this.o.timeoutMs,
        maxReplyBytes: this.o.maxReplyBytes,
        policy: this.policy,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'paydesk-webhooks/1',
          'x-paydesk-event': 'payment.status_changed',
          'x-paydesk-event-id': d.event_id,
          'x-paydesk-delivery': d.id,
          'x-paydesk-timestamp': timestamp,
          'x-paydesk-signature': signWebhook(d.secret, timestamp, body),
          // The request that caused the change, so both sides' logs can be joined on it.
          ...(d.request_id ? { 'x-request-id': d.request_id } : {}),
        },
        body,
      });
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    const reqId = d.request_id ?? undefined;
    if (error === undefined) {
      await this.db.tx((em) => em.execute(`update webhook_deliveries set delivered_at = now(), last_error = null where id = ?`, [d.id]));
      this.o.log?.info?.({ delivery: d.id, event: d.event_id, attempts: d.attempts, reqId }, 'webhook delivered');
      return true;
    }
    const giveUp = d.attempts >= this.o.maxAttempts;
    const delay = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.min(d.attempts - 1, 30));
    await this.db.tx((em) =>
      em.execute(
        giveUp
          ? `update webhook_deliveries set failed_at = now(), last_error = ? where id = ?`
          : `update webhook_deliveries set next_attempt_at = now() + ? * interval '1 millisecond', last_error = ? where id = ?`,
        giveUp ? [error.slice(0, 500), d.id] : [delay, error.slice(0, 500), d.id],
      ),
    );
    this.o.log?.warn({ delivery: d.id, event: d.event_id, attempts: d.attempts, giveUp, error, reqId }, 'webhook delivery failed');
    return false;
  }
}
