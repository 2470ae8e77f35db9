import { randomUUID } from 'node:crypto';
import { ApprovalVote, Payment } from '../domain/payment/payment';
import { PaymentStatus } from '../domain/payment/payment-status';
import type { Database, Tx } from '../persistence/database';
import { currentRequestId } from '../request-context';
import { encodePayload } from './outbox/outbox-codec';
import { OutboxDispatcher, type OutboxDispatcherOptions } from './outbox/outbox-dispatcher';

/** Facts a state change records in its own transaction; consumers react to them after the commit. */
export type PaymentEvent =
  | { type: 'payment.created'; payment: Payment }
  | { type: 'payment.voted'; payment: Payment; vote: ApprovalVote }
  | { type: 'payment.status_changed'; payment: Payment; from: PaymentStatus };

export type PaymentEventType = PaymentEvent['type'];

/**
 * Facts about an alert (raised; acknowledged or resolved). They carry only the id: the consumer
 * shows the alert as it is when it runs, so a late or repeated delivery never shows a stale card.
 */
export type AlertEvent = { type: 'alert.raised' | 'alert.changed'; alertId: string };

/** Everything the outbox carries. */
export type OutboxEvent = PaymentEvent | AlertEvent;
export type OutboxEventType = OutboxEvent['type'];

/** What a consumer that names no types receives: the payment events (as before alerts went through the outbox). */
export const PAYMENT_EVENT_TYPES: PaymentEventType[] = ['payment.created', 'payment.voted', 'payment.status_changed'];

/** What a consumer is told besides the event itself. */
export interface DeliveryContext {
  eventId: string;
  /** Position in the outbox; events of one subject reach each consumer in this order. */
  seq: string;
  /** 1 on the first delivery; more after a failure or a crash mid-delivery. */
  attempt: number;
  /**
   * A later event about the same subject is already waiting for this consumer: work that only
   * shows the newest state (a card refresh) can be left to that one.
   */
  superseded: boolean;
}

/**
 * A named consumer. It may run more than once for one event (at least once), so it must act once
 * per event id: write through de-duplicating keys, or look at what it recorded before. What it
 * returns is stored with the delivery (e.g. the chat message it posted).
 */
export type Consumer<E extends OutboxEvent = PaymentEvent> = (e: E, ctx: DeliveryContext) => Promise<unknown> | unknown;

export interface ConsumerOptions {
  /** Only these event types reach the consumer (others are never claimed for it); the payment events by default. */
  types?: OutboxEventType[];
}

export { RetryLater } from './outbox/retry-later';

export interface RegisteredConsumer extends ConsumerOptions {
  name: string;
  handle: Consumer<OutboxEvent>;
}

const subjectOf = (e: OutboxEvent): [string, string, number] =>
  'payment' in e ? ['payment', e.payment.id, e.payment.version] : ['alert', e.alertId, 0];

/** PaymentEvents.record for code that holds a transaction but no PaymentEvents (recordBankOutcome). */
export async function recordEvents(em: Tx, ...events: OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  const params: unknown[] = [];
  // The request (or chat interaction) that caused the change, if any: webhooks send it on as X-Request-Id.
  const requestId = currentRequestId() ?? null;
  for (const e of events) params.push(randomUUID(), e.type, ...subjectOf(e), encodePayload(e), requestId);
  await em.execute(
    `insert into outbox_events (id, type, subject_type, subject_id, subject_version, payload, request_id) values ${events.map(() => '(?, ?, ?, ?, ?, ?::jsonb, ?)').join(', ')}`,
    params,
  );
}

/**
 * The transactional outbox's two ends. Writers call `record(em, …)` inside the transaction of
 * the state change, one INSERT for all of its events, so the events commit with the change or not
 * at all. Readers `subscribe` under a stable name; the OutboxDispatcher (outbox/outbox-dispatcher)
 * delivers every event to every consumer at least once, from any replica. Nothing is delivered from
 * memory: a crash after the commit only delays a consequence.
 */
export class PaymentEvents {
  private readonly consumers = new Map<string, RegisteredConsumer>();
  // Every consumer this process has had: an event is not complete until one that unsubscribed during
  // shutdown has it too, so its deliveries wait in the table for the next start instead of being skipped.
  private readonly known = new Map<string, ConsumerOptions>();
  private readonly changed: (() => void)[] = [];
  /** Present when the events were given a database to deliver from (not in write-only set-ups like bench/). */
  readonly dispatcher?: OutboxDispatcher;

  constructor(db?: Database, opts: OutboxDispatcherOptions = {}) {
    if (db) this.dispatcher = new OutboxDispatcher(db, this, opts);
  }

  /** Starts delivering (LISTEN/NOTIFY plus polling). */
  async start(): Promise<void> {
    await this.dispatcher?.start();
  }

  /** Stops delivering after the deliveries in flight (bounded); the rest waits in the table. */
  async stop(): Promise<void> {
    await this.dispatcher?.stop();
  }

  /** Delivers everything due now to the registered consumers, then returns (tests, benchmarks). */
  async settle(): Promise<void> {
    await this.dispatcher?.settle();
  }

  /** Inserts the events in the caller's transaction (one statement; a trigger NOTIFYs at commit). */
  record(em: Tx, ...events: OutboxEvent[]): Promise<void> {
    return recordEvents(em, ...events);
  }

  /** Registers a consumer under a name that stays the same across releases (deliveries are kept per name). */
  subscribe(name: string, handle: Consumer, opts?: { types?: PaymentEventType[] }): () => void;
  subscribe<T extends OutboxEventType>(name: string, handle: Consumer<Extract<OutboxEvent, { type: T }>>, opts: { types: T[] }): () => void;
  subscribe(name: string, handle: Consumer<any>, opts: ConsumerOptions = {}): () => void {
    if (this.consumers.has(name)) throw new Error(`outbox consumer ${name} is already registered`);
    const filter = { types: opts.types ?? PAYMENT_EVENT_TYPES };
    this.consumers.set(name, { name, handle, ...filter });
    this.known.set(name, filter);
    for (const c of this.changed) c();
    return () => {
      if (this.consumers.get(name)?.handle === handle) this.consumers.delete(name);
    };
  }

  /** The consumers this process delivers to. */
  list(): RegisteredConsumer[] {
    return [...this.consumers.values()];
  }

  /** Every consumer name (and filter) an event must reach before it is complete, subscribed now or earlier. */
  fanOutTargets(): ({ name: string } & ConsumerOptions)[] {
    return [...this.known.entries()].map(([name, opts]) => ({ name, ...opts }));
  }

  get(name: string): RegisteredConsumer | undefined {
    return this.consumers.get(name);
  }

  /** The dispatcher is told when a consumer joins, so open events waiting for it are claimed. */
  onChange(fn: () => void): void {
    this.changed.push(fn);
  }
}
