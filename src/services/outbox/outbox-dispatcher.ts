import { PollingLoop } from '../polling-loop';
import { Client } from 'pg';
import type { Database } from '../../persistence/database';
import type { OutboxEvent, PaymentEvents, RegisteredConsumer } from '../events';
import { RetryLater } from './retry-later';
import { decodePayload } from './outbox-codec';

export interface OutboxLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OutboxDispatcherOptions {
  log?: OutboxLog;
  /** Polling fallback while LISTEN works (a NOTIFY can only be missed if the connection drops). */
  pollMs?: number;
  /** Polling interval when LISTEN is not available (the listening connection failed or was lost). */
  pollWithoutListenMs?: number;
  /** (event, consumer) deliveries claimed per round. */
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
  onError?: (err: unknown, e: OutboxEvent | undefined, consumer: string) => void;
}

interface Claimed {
  consumer: string;
  seq: string;
  event_id: string;
  payload: unknown;
  attempts: number;
  superseded: boolean;
}

/** How one claimed delivery ended, written back with the rest of its batch in one statement. */
interface Outcome {
  consumer: string;
  seq: string;
  state: 'done' | 'pending' | 'parked';
  result: unknown;
  error: string | null;
  delay_ms: number;
  deferred: boolean;
}

const CHANNEL = 'paydesk_outbox';

/**
 * Delivers outbox events to the consumers registered on PaymentEvents, at least once each.
 *
 * Writers insert only the event row (one statement in their own transaction; a trigger NOTIFYs at
 * commit). A round is two statements for a whole batch: (1) one claim that looks at the open events
 * (not yet delivered to every consumer they concern), picks per consumer and subject the oldest
 * event that consumer has not finished, and claims it by inserting (or re-arming a due retry of) its
 * delivery row: the row's primary key is the arbiter, so two replicas never hold the same
 * (event, consumer), and a claim carries the backend pid of this dispatcher's listening connection,
 * so when that process dies its claims are free at once; the same statement marks complete the open
 * events every consumer has finished. (2) The consumers run outside any transaction; then one
 * statement writes every outcome of the batch (done with what the consumer returned, a retry with
 * exponential back-off and jitter, or parked after maxAttempts) and completes the events of the batch
 * whose consumers are all done. Rounds are woken by NOTIFY; polling is only the fallback.
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
      pollMs: opts.pollMs ?? 30_000,
      pollWithoutListenMs: opts.pollWithoutListenMs ?? 1_000,
      batchSize: opts.batchSize ?? 100,
      maxAttempts: opts.maxAttempts ?? 10,
      baseDelayMs: opts.baseDelayMs ?? 1_000,
      maxDelayMs: opts.maxDelayMs ?? 600_000,
      leaseMs: opts.leaseMs ?? 120_000,
      stopTimeoutMs: opts.stopTimeoutMs ?? 10_000,
      listen: opts.listen ?? true,
      log: opts.log,
      onError: opts.onError,
    };
    this.loop = new PollingLoop({
      round: () => this.round(),
      pollMs: this.o.listen ? this.o.pollMs : this.o.pollWithoutListenMs,
      onError: (err) => this.o.log?.error({ err }, 'outbox round failed'),
      // Another round at once only when there is more to claim: a full batch, or a later event of a
      // subject whose earlier one was just delivered. Otherwise the next NOTIFY (or poll) wakes it.
      rerunAfter: (more) => more > 0,
    });
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
      const did = await this.round(true);
      if (did === 0) return;
    }
  }

  /** Runs a round now (or right after the one in flight). */
  kick(): void {
    this.loop.kick();
  }

  /**
   * One round: claim a batch, deliver it, write the outcomes. Returns how much more there is to do
   * at once (0: wait for a NOTIFY); with `counting`, how many deliveries and completions it made.
   */
  async round(counting = false): Promise<number> {
    const consumers = this.events.list();
    if (consumers.length === 0) return 0;
    const { claimed, completed } = await this.claim(consumers.map((c) => c.name));
    if (claimed.length > 0) {
      const outcomes = (await Promise.all(claimed.map((d) => this.track(this.deliver(d, consumers))))).filter((o): o is Outcome => o !== undefined);
      await this.finish(outcomes);
      // A retry is due `delay_ms` after the finish statement (the database's clock): wake then, not at the next poll.
      const retries = outcomes.filter((o) => o.state === 'pending').map((o) => o.delay_ms);
      if (retries.length > 0) this.loop.kickIn(Math.min(...retries) + 10);
    }
    if (counting) return claimed.length + completed;
    return claimed.length >= this.o.batchSize || claimed.some((d) => d.superseded) ? 1 : 0;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  /** The consumers new events concern: every one this process has had (see PaymentEvents.fanOutTargets). */
  private targets(): [string, string] {
    const all = this.events.fanOutTargets();
    return [toPgArray(all.map((c) => c.name)), toPgArray(all.map((c) => (c.types ? c.types.join(',') : '*')))];
  }

  private async claim(active: string[]): Promise<{ claimed: Claimed[]; completed: number }> {
    const [names, types] = this.targets();
    // One autocommit statement. `pairs`: every (open event, consumer) not finished yet; `heads`: per
    // consumer and subject the oldest of them (events of one payment reach a consumer in order);
    // `due`: heads nobody holds (new, a retry whose time came, or a claim whose process is gone).
    const rows = await this.db.read((em) =>
      em.execute(
        `with c(name, types) as (select * from unnest(?::text[], ?::text[])),
         open as (select seq, type, subject_type || ':' || subject_id as subject_key from outbox_events where completed_at is null),
         pairs as (
           select c.name as consumer, o.seq, o.subject_key, d.state, d.next_attempt_at, d.claimed_by
           from open o join c on c.types = '*' or o.type = any(string_to_array(c.types, ','))
           left join outbox_deliveries d on d.consumer = c.name and d.seq = o.seq
           where d.state is null or d.state = 'pending'),
         heads as (
           select distinct on (consumer, subject_key) *, count(*) over (partition by consumer, subject_key) > 1 as superseded
           from pairs order by consumer, subject_key, seq),
         due as (
           select * from heads h
           where h.consumer = any(?::text[])
             and (h.state is null or h.next_attempt_at <= now()
                  or (h.claimed_by is not null and not exists (select 1 from pg_stat_activity a where a.pid = h.claimed_by)))
           order by h.seq limit ${Number(this.o.batchSize)}),
         claimed as (
           insert into outbox_deliveries as d (consumer, seq, subject_key, attempts, claimed_by, next_attempt_at)
           select consumer, seq, subject_key, 1, ?::int, now() + ? * interval '1 millisecond' from due order by seq, consumer
           on conflict (consumer, seq) do update set attempts = d.attempts + 1, claimed_by = excluded.claimed_by,
             next_attempt_at = excluded.next_attempt_at
           where d.state = 'pending' and (d.next_attempt_at <= now()
             or (d.claimed_by is not null and not exists (select 1 from pg_stat_activity a where a.pid = d.claimed_by)))
           returning d.consumer, d.seq, d.attempts),
         completed as (
           update outbox_events e set completed_at = now() from open o
           where e.seq = o.seq and e.completed_at is null and not exists (select 1 from pairs p where p.seq = o.seq)
           returning e.seq)
         select 'claimed' as kind, k.consumer, k.seq::text as seq, e.id as event_id, e.payload, k.attempts, due.superseded
         from claimed k join outbox_events e on e.seq = k.seq join due on due.consumer = k.consumer and due.seq = k.seq
         union all select 'completed', null, null, null, null, (select count(*)::int from completed), null`,
        [names, types, toPgArray(active), this.pid || null, this.o.leaseMs],
      ),
    );
    const claimed = rows.filter((r: any) => r.kind === 'claimed') as Claimed[];
    claimed.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
    const completed = Number(rows.find((r: any) => r.kind === 'completed')?.attempts ?? 0);
    return { claimed, completed };
  }

  private async deliver(d: Claimed, consumers: RegisteredConsumer[]): Promise<Outcome | undefined> {
    const consumer = consumers.find((c) => c.name === d.consumer);
    if (!consumer) return undefined; // unsubscribed while claiming: its lease runs out, or the next start takes it
    let result: unknown;
    let event: OutboxEvent | undefined;
    try {
      event = decodePayload<OutboxEvent>(d.payload);
      result = await consumer.handle(event, { eventId: d.event_id, seq: d.seq, attempt: d.attempts, superseded: d.superseded });
    } catch (err) {
      if (!(err instanceof RetryLater)) this.o.onError?.(err, event, d.consumer);
      return this.failed(d, err);
    }
    return { consumer: d.consumer, seq: d.seq, state: 'done', result: result === undefined ? null : result, error: null, delay_ms: 0, deferred: false };
  }

  private failed(d: Claimed, err: unknown): Outcome {
    const error = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 1000);
    const base = { consumer: d.consumer, seq: d.seq, result: null, error };
    if (err instanceof RetryLater) {
      // The other side told us when; waiting is not a failure, so it does not count towards parking.
      const delayMs = Math.max(0, Math.round(err.delayMs));
      this.o.log?.info({ consumer: d.consumer, event: d.event_id, delayMs }, 'outbox: delivery deferred (rate limited)');
      return { ...base, state: 'pending', delay_ms: delayMs, deferred: true };
    }
    const park = d.attempts >= this.o.maxAttempts;
    const delay = backoff(d.attempts, this.o.baseDelayMs, this.o.maxDelayMs);
    const log = park ? this.o.log?.error.bind(this.o.log) : this.o.log?.warn.bind(this.o.log);
    log?.({ err, consumer: d.consumer, event: d.event_id, attempts: d.attempts, parked: park, retryInMs: park ? undefined : delay },
      park ? 'outbox: delivery parked after repeated failures' : 'outbox: delivery failed; will retry');
    return { ...base, state: park ? 'parked' : 'pending', delay_ms: delay, deferred: false };
  }

  /** Writes a batch's outcomes in one statement, and completes the events all of whose consumers are now done. */
  private async finish(outcomes: Outcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    const [names, types] = this.targets();
    // The outer check cannot see this statement's own updates (one snapshot), hence `fin` beside the table.
    await this.db.read((em) =>
      em.execute(
        `with r as (
           select * from jsonb_to_recordset(?::jsonb)
             as r(consumer text, seq bigint, state text, result jsonb, error text, delay_ms bigint, deferred boolean)),
         fin as (
           update outbox_deliveries d set state = r.state, claimed_by = null, last_error = r.error,
             done_at = case when r.state = 'done' then now() else d.done_at end,
             result = case when r.state = 'done' then r.result else d.result end,
             attempts = case when r.deferred then greatest(d.attempts - 1, 0) else d.attempts end,
             next_attempt_at = case when r.state = 'pending' then now() + r.delay_ms * interval '1 millisecond' else d.next_attempt_at end
           from r where d.consumer = r.consumer and d.seq = r.seq
           returning d.consumer, d.seq, d.state),
         c(name, types) as (select * from unnest(?::text[], ?::text[]))
         update outbox_events e set completed_at = now()
         where e.seq in (select seq from fin where state <> 'pending') and e.completed_at is null
           and not exists (
             select 1 from c where (c.types = '*' or e.type = any(string_to_array(c.types, ',')))
               and not exists (select 1 from fin where fin.consumer = c.name and fin.seq = e.seq and fin.state <> 'pending')
               and not exists (select 1 from outbox_deliveries d where d.consumer = c.name and d.seq = e.seq and d.state in ('done', 'parked')))`,
        [JSON.stringify(outcomes), names, types],
      ),
    );
  }

  private async connectListener(): Promise<void> {
    const url = this.db.orm.config.get('clientUrl');
    const client = new Client({ connectionString: url });
    // A dropped connection must not crash the process: polling (at the faster rate) carries on and the next start listens again.
    client.on('error', (err) => {
      this.o.log?.warn({ err }, 'outbox: listening connection lost; polling only');
      this.loop.setPollMs(this.o.pollWithoutListenMs);
    });
    client.on('notification', () => this.kick());
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
      const res = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      this.pid = res.rows[0].pid;
      this.listener = client;
    } catch (err) {
      this.o.log?.warn({ err }, 'outbox: could not LISTEN; polling only');
      this.loop.setPollMs(this.o.pollWithoutListenMs);
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
