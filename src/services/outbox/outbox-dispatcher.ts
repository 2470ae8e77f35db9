import { PollingLoop } from '../polling-loop';
import { Client } from 'pg';
import type { Database } from '../../persistence/database';
import type { ConsumerOptions, PaymentEvent, PaymentEvents, RegisteredConsumer } from '../events';
import { RetryLater } from './retry-later';
import { decodePayload } from './outbox-codec';

export interface OutboxLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OutboxDispatcherOptions {
  log?: OutboxLog;
  /** Polling fallback when a NOTIFY is missed (the listening connection dropped). */
  pollMs?: number;
  /** Deliveries claimed per round. */
  batchSize?: number;
  /** Failures before a delivery is parked for an admin (`/pay outbox`). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A claim nobody finished is free again after this long even if its claimer looks alive. */
  leaseMs?: number;
  /** How long stop() waits for deliveries in flight. */
  stopTimeoutMs?: number;
  /** Listen for NOTIFY on a connection of its own (off in a few unit-style tests: settle() drives). */
  listen?: boolean;
  /** Called for every failed attempt (tests collect them; the log has them too). */
  onError?: (err: unknown, e: PaymentEvent | undefined, consumer: string) => void;
}

interface Claimed {
  consumer: string;
  seq: string;
  event_id: string;
  payload: unknown;
  attempts: number;
  superseded: boolean;
}

const CHANNEL = 'paydesk_outbox';

/**
 * Delivers outbox events to the consumers registered on PaymentEvents, at least once each.
 *
 * A round: (1) fan new events out into one delivery row per consumer; (2) claim due deliveries
 * with FOR UPDATE SKIP LOCKED, only the oldest pending one per consumer and subject, so events of
 * one payment reach a consumer in order and two replicas never work on the same one; (3) run each
 * consumer outside any transaction; (4) mark it done with what it returned, or reschedule it with
 * exponential back-off and jitter, or park it after maxAttempts. A claim carries the backend pid
 * of this dispatcher's listening connection: when that process dies its claims are free at once.
 */
export class OutboxDispatcher {
  private readonly o: Required<Omit<OutboxDispatcherOptions, 'log' | 'onError'>> & Pick<OutboxDispatcherOptions, 'log' | 'onError'>;
  private listener?: Client;
  private pid = 0;
  private readonly loop: PollingLoop;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Database,
    private readonly events: PaymentEvents,
    opts: OutboxDispatcherOptions = {},
  ) {
    this.o = {
      pollMs: opts.pollMs ?? 1_000,
      batchSize: opts.batchSize ?? 50,
      maxAttempts: opts.maxAttempts ?? 10,
      baseDelayMs: opts.baseDelayMs ?? 1_000,
      maxDelayMs: opts.maxDelayMs ?? 600_000,
      leaseMs: opts.leaseMs ?? 120_000,
      stopTimeoutMs: opts.stopTimeoutMs ?? 10_000,
      listen: opts.listen ?? true,
      log: opts.log,
      onError: opts.onError,
    };
    this.loop = new PollingLoop({ round: () => this.round(), pollMs: this.o.pollMs, onError: (err) => this.o.log?.error({ err }, 'outbox round failed') });
    events.onChange(() => this.kick());
  }

  async start(): Promise<void> {
    if (this.loop.active) return;
    if (this.o.listen) await this.connectListener();
    this.loop.start();
  }

  /**
   * Stops claiming, waits (bounded) for the deliveries in flight, then closes the listening
   * connection. Anything not delivered stays in the table for the next start or another replica.
   */
  async stop(): Promise<void> {
    const waited = Promise.allSettled([this.loop.stop(), ...this.inFlight]);
    let late: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      waited.then(() => false),
      new Promise<boolean>((r) => (late = setTimeout(() => r(true), this.o.stopTimeoutMs))),
    ]);
    clearTimeout(late);
    if (timedOut) this.o.log?.warn({ inFlight: this.inFlight.size }, 'outbox: deliveries still running at stop; they will be redelivered');
    const l = this.listener;
    this.listener = undefined;
    await l?.end().catch(() => undefined);
  }

  /** Runs rounds until nothing is due now (tests, and the end of a graceful stop in a single process). */
  async settle(maxRounds = 1_000): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      await this.loop.running;
      const did = await this.round();
      if (did === 0) return;
    }
  }

  /** Runs a round now (or right after the one in flight). */
  kick(): void {
    this.loop.kick();
  }

  /** One round; returns how many events were fanned out plus deliveries finished. */
  async round(): Promise<number> {
    const consumers = this.events.list();
    if (consumers.length === 0) return 0;
    const fanned = await this.fanOut(this.events.fanOutTargets());
    const claimed = await this.claim(consumers.map((c) => c.name));
    await Promise.all(claimed.map((d) => this.track(this.deliver(d, consumers))));
    return fanned + claimed.length;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  private async fanOut(consumers: ({ name: string } & ConsumerOptions)[]): Promise<number> {
    // One statement: lock a batch of new events, insert a delivery per interested consumer, mark them fanned out.
    const names = consumers.map((c) => c.name);
    const types = consumers.map((c) => (c.types ? c.types.join(',') : '*'));
    const rows = await this.db.tx((em) =>
      em.execute(
        `with e as (
           select seq, type, subject_type || ':' || subject_id as subject_key from outbox_events
           where fanned_out_at is null order by seq limit 500 for update skip locked),
         c as (select * from unnest(?::text[], ?::text[]) as c(name, types)),
         ins as (
           insert into outbox_deliveries (consumer, seq, subject_key)
           select c.name, e.seq, e.subject_key from e join c on c.types = '*' or e.type = any(string_to_array(c.types, ','))
           on conflict do nothing)
         update outbox_events o set fanned_out_at = now() from e where o.seq = e.seq returning o.seq`,
        [toPgArray(names), toPgArray(types)],
      ),
    );
    return rows.length;
  }

  private async claim(names: string[]): Promise<Claimed[]> {
    return this.db.tx((em) =>
      em.execute(
        `with due as (
           select d.consumer, d.seq from outbox_deliveries d
           where d.state = 'pending' and d.consumer = any(?::text[])
             and (d.next_attempt_at <= now()
                  or (d.claimed_by is not null and not exists (select 1 from pg_stat_activity a where a.pid = d.claimed_by)))
             and not exists (
               select 1 from outbox_deliveries p
               where p.consumer = d.consumer and p.subject_key = d.subject_key and p.state = 'pending' and p.seq < d.seq)
           order by d.seq limit ${Number(this.o.batchSize)}
           for update of d skip locked)
         update outbox_deliveries d set attempts = d.attempts + 1, claimed_by = ?,
           next_attempt_at = now() + ? * interval '1 millisecond'
         from due, outbox_events e
         where d.consumer = due.consumer and d.seq = due.seq and e.seq = d.seq
         returning d.consumer, d.seq::text as seq, e.id as event_id, e.payload, d.attempts,
           exists (select 1 from outbox_deliveries n where n.consumer = d.consumer and n.subject_key = d.subject_key
                   and n.state = 'pending' and n.seq > d.seq) as superseded`,
        [toPgArray(names), this.pid || null, this.o.leaseMs],
      ),
    );
  }

  private async deliver(d: Claimed, consumers: RegisteredConsumer[]): Promise<void> {
    const consumer = consumers.find((c) => c.name === d.consumer);
    if (!consumer) return;
    let result: unknown;
    let event: PaymentEvent | undefined;
    try {
      event = decodePayload<PaymentEvent>(d.payload);
      result = await consumer.handle(event, { eventId: d.event_id, seq: d.seq, attempt: d.attempts, superseded: d.superseded });
    } catch (err) {
      if (!(err instanceof RetryLater)) this.o.onError?.(err, event, d.consumer);
      await this.failed(d, err);
      return;
    }
    await this.db.tx((em) =>
      em.execute(
        `update outbox_deliveries set state = 'done', done_at = now(), claimed_by = null, last_error = null, result = ?::jsonb
         where consumer = ? and seq = ?`,
        [result === undefined ? null : JSON.stringify(result), d.consumer, d.seq],
      ),
    );
  }

  private async failed(d: Claimed, err: unknown): Promise<void> {
    const error = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 1000);
    if (err instanceof RetryLater) {
      // The other side told us when; waiting is not a failure, so it does not count towards parking.
      await this.db.tx((em) =>
        em.execute(
          `update outbox_deliveries set attempts = greatest(attempts - 1, 0), claimed_by = null, last_error = ?,
             next_attempt_at = now() + ? * interval '1 millisecond' where consumer = ? and seq = ?`,
          [error, Math.max(0, Math.round(err.delayMs)), d.consumer, d.seq],
        ),
      );
      this.o.log?.info({ consumer: d.consumer, event: d.event_id, delayMs: err.delayMs }, 'outbox: delivery deferred (rate limited)');
      return;
    }
    const park = d.attempts >= this.o.maxAttempts;
    const delay = backoff(d.attempts, this.o.baseDelayMs, this.o.maxDelayMs);
    await this.db.tx((em) =>
      em.execute(
        park
          ? `update outbox_deliveries set state = 'parked', claimed_by = null, last_error = ? where consumer = ? and seq = ?`
          : `update outbox_deliveries set claimed_by = null, last_error = ?, next_attempt_at = now() + ${delay} * interval '1 millisecond'
             where consumer = ? and seq = ?`,
        [error, d.consumer, d.seq],
      ),
    );
    const log = park ? this.o.log?.error.bind(this.o.log) : this.o.log?.warn.bind(this.o.log);
    log?.({ err, consumer: d.consumer, event: d.event_id, attempts: d.attempts, parked: park, retryInMs: park ? undefined : delay },
      park ? 'outbox: delivery parked after repeated failures' : 'outbox: delivery failed; will retry');
  }

  private async connectListener(): Promise<void> {
    const url = this.db.orm.config.get('clientUrl');
    const client = new Client({ connectionString: url });
    // A dropped connection must not crash the process: polling carries on and the next start listens again.
    client.on('error', (err) => this.o.log?.warn({ err }, 'outbox: listening connection lost; polling only'));
    client.on('notification', () => this.kick());
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
      const res = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      this.pid = res.rows[0].pid;
      this.listener = client;
    } catch (err) {
      this.o.log?.warn({ err }, 'outbox: could not LISTEN; polling only');
      await client.end().catch(() => undefined);
    }
  }
}

/** Exponential back-off with full jitter, so replicas retrying one failing platform spread out. */
export function backoff(attempt: number, baseMs: number, maxMs: number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

/** A text[] literal (MikroORM's `?` binds a JS array as a list, not as one array value). */
function toPgArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/(["\\])/g, '\\$1')}"`).join(',')}}`;
}
