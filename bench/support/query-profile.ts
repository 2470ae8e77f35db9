/**
 * Where the lifecycle's time goes, seen from both ends:
 *  - in the Node process, every SQL round trip is timed and put in a bucket
 *    (payment row lock, audit advisory lock, audit chain head, commit, …), so
 *    "time in queries" can be told from "time in our JS/ORM and pool waits";
 *  - on the server, pg_stat_activity is sampled, so lock waits, WAL flushes and
 *    "idle in transaction" (the server waiting for us mid-transaction) show up.
 * Patching pg's Client is crude but needs no change to the code under test.
 */
import { createRequire } from 'node:module';
import { Client } from 'pg';

interface Bucket {
  count: number;
  ms: number;
}

export class QueryProfile {
  readonly buckets = new Map<string, Bucket>();
  /** How long each transaction held the audit chain's lock: from getting it to its commit returning. */
  readonly auditHolds: number[] = [];
  private readonly holding = new WeakMap<object, number>();
  private restore: (() => void)[] = [];

  /** Starts timing every query of every pg copy the ORM may load (MikroORM nests its own). */
  install(): void {
    const req = createRequire(__filename);
    const copies = new Set<any>();
    for (const from of [__filename, req.resolve('@mikro-orm/postgresql'), req.resolve('knex')]) {
      try {
        copies.add(createRequire(from)('pg').Client.prototype);
      } catch {
        // that package has no pg of its own
      }
    }
    for (const proto of copies) {
      const original = proto.query;
      const self = this;
      proto.query = function (this: unknown, config: any, values?: any, callback?: any) {
        const text: string = typeof config === 'string' ? config : config?.text ?? '';
        const started = performance.now();
        const client = this as object;
        const done = () => self.record(text, performance.now() - started, client);
        const cb = typeof values === 'function' ? values : typeof callback === 'function' ? callback : typeof config?.callback === 'function' ? config.callback : undefined;
        if (cb) {
          const wrapped = (err: unknown, res: unknown) => (done(), cb(err, res));
          if (typeof values === 'function') return original.call(this, config, wrapped);
          if (typeof callback === 'function') return original.call(this, config, values, wrapped);
          config.callback = wrapped;
          return original.call(this, config);
        }
        const r = original.call(this, config, values);
        if (r && typeof r.then === 'function') r.then(done, done);
        return r;
      };
      this.restore.push(() => (proto.query = original));
    }
  }

  uninstall(): void {
    for (const r of this.restore) r();
    this.restore = [];
  }

  reset(): void {
    this.buckets.clear();
    this.auditHolds.length = 0;
  }

  private record(sql: string, ms: number, client: object): void {
    // The WaitSampler's own polling is not the workload.
    if (sql.includes('pg_stat_activity')) return;
    const key = bucketOf(sql);
    const now = performance.now();
    // The lock is re-entrant: a second append in one transaction keeps the first acquisition time.
    if (key === 'audit: advisory lock' && !this.holding.has(client)) this.holding.set(client, now);
    if ((key === 'commit' || key === 'rollback') && this.holding.has(client)) {
      this.auditHolds.push(now - this.holding.get(client)!);
      this.holding.delete(client);
    }
    const b = this.buckets.get(key) ?? { count: 0, ms: 0 };
    b.count += 1;
    b.ms += ms;
    this.buckets.set(key, b);
  }

  totals(): Bucket {
    let count = 0;
    let ms = 0;
    for (const b of this.buckets.values()) (count += b.count), (ms += b.ms);
    return { count, ms };
  }

  /** Per unit of work (one lifecycle), biggest time first. */
  table(per: number): { bucket: string; perUnit: number; msPerUnit: number; meanMs: number }[] {
    return [...this.buckets.entries()]
      .map(([bucket, b]) => ({ bucket, perUnit: b.count / per, msPerUnit: b.ms / per, meanMs: b.ms / b.count }))
      .sort((a, b) => b.msPerUnit - a.msPerUnit);
  }
}

/** A readable name for a statement; the point is to group the hot path's few shapes. */
export function bucketOf(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim().toLowerCase();
  if (/^(begin|start transaction)/.test(s)) return 'begin';
  if (/^commit/.test(s)) return 'commit';
  if (/^rollback/.test(s)) return 'rollback';
  if (/^(savepoint|release)/.test(s)) return 'savepoint';
  if (s.includes('pg_advisory_xact_lock')) return 'audit: advisory lock';
  // Insert first: a one-statement append reads the chain head inside its INSERT.
  if (/^insert into "?audit_events/.test(s)) return 'audit: insert event';
  if (/from "?audit_events"? order by seq desc/.test(s)) return 'audit: read chain head';
  const table = /(?:from|into|update)\s+"?(\w+)"?/.exec(s)?.[1] ?? '?';
  if (/for update skip locked|for no key update skip locked/.test(s)) return `lock ${table} (skip locked)`;
  if (/for update|for no key update/.test(s)) return `lock ${table} (for update)`;
  const verb = s.split(' ', 1)[0];
  return `${verb} ${table}`;
}

/** Samples what the database's backends are doing, every `everyMs`. */
export class WaitSampler {
  readonly counts = new Map<string, number>();
  samples = 0;
  private client?: Client;
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(private readonly url: string, private readonly everyMs = 5) {}

  async start(): Promise<void> {
    this.client = new Client({ connectionString: this.url });
    await this.client.connect();
    this.timer = setInterval(() => void this.sample(), this.everyMs);
  }

  private async sample(): Promise<void> {
    if (this.busy || !this.client) return;
    this.busy = true;
    try {
      const { rows } = await this.client.query(
        `select state, wait_event_type, wait_event from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
      );
      this.samples += 1;
      for (const r of rows) {
        const key = r.state === 'active' ? `active: ${r.wait_event_type ? `${r.wait_event_type}/${r.wait_event}` : 'on CPU'}` : `${r.state}${r.wait_event ? ` (${r.wait_event})` : ''}`;
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      }
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
    await this.client?.end();
  }

  /** Average number of backends in each state at any instant, biggest first. */
  table(): { state: string; backends: number }[] {
    return [...this.counts.entries()]
      .map(([state, n]) => ({ state, backends: n / Math.max(1, this.samples) }))
      .sort((a, b) => b.backends - a.backends);
  }
}
