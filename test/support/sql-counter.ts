/**
 * Counts the SQL this process sends through `pg` (every copy in node_modules), split the way
 * bench/support/server-probe.cjs splits it: paydesk's own connections vs Agenda's (a connection
 * that touched an agenda_* table). For deterministic statement-count tests, not timings.
 */
import path from 'node:path';

export interface SqlCounts {
  /** Statements other than BEGIN/COMMIT/ROLLBACK/SAVEPOINT, on paydesk's own connections. */
  statements: number;
  /** BEGIN…COMMIT blocks plus statements sent outside one. */
  transactions: number;
  /** Statements that read or write the outbox tables (outbox_events, outbox_deliveries). */
  outbox: number;
  /** INSERTs into outbox_events (what a state change adds). */
  outboxInserts: number;
  /** Agenda's round trips (not paydesk's own SQL). */
  agenda: number;
  /** Every counted statement's text, in order (for a diagnosis when a bound is crossed). */
  texts: string[];
}

const AGENDA = Symbol('sqlCounterAgenda');
const IN_TX = Symbol('sqlCounterInTx');
const IGNORED = Symbol('sqlCounterIgnored');

let counts: SqlCounts = fresh();
let installed = false;

function fresh(): SqlCounts {
  return { statements: 0, transactions: 0, outbox: 0, outboxInserts: 0, agenda: 0, texts: [] };
}

function classify(client: Record<symbol, boolean>, config: unknown): void {
  if (client[IGNORED]) return;
  const text = typeof config === 'string' ? config : typeof (config as { text?: unknown })?.text === 'string' ? (config as { text: string }).text : '';
  if (!client[AGENDA] && /agenda/i.test(text)) client[AGENDA] = true;
  if (client[AGENDA]) {
    counts.agenda += 1;
    return;
  }
  const head = text.trimStart().slice(0, 20).toLowerCase();
  if (head.startsWith('begin') || head.startsWith('start transaction')) {
    counts.transactions += 1;
    client[IN_TX] = true;
  } else if (head.startsWith('commit') || (head.startsWith('rollback') && !head.startsWith('rollback to'))) {
    client[IN_TX] = false;
  } else if (!head.startsWith('savepoint') && !head.startsWith('release') && !head.startsWith('rollback to')) {
    counts.statements += 1;
    if (!client[IN_TX]) counts.transactions += 1;
    if (/outbox_(events|deliveries)/i.test(text)) counts.outbox += 1;
    if (/insert\s+into\s+"?outbox_events/i.test(text)) counts.outboxInserts += 1;
    counts.texts.push(text.replace(/\s+/g, ' ').slice(0, 200));
  }
}

/** Patches every copy of pg's Client.prototype.query once per process. */
export function installSqlCounter(): void {
  if (installed) return;
  installed = true;
  const root = path.resolve(__dirname, '../..');
  const seen = new Set<string>();
  for (const from of ['', 'node_modules/@mikro-orm/postgresql', 'node_modules/@mikro-orm/knex', 'node_modules/@agendajs/postgres-backend']) {
    let file: string;
    try {
      file = require.resolve('pg', { paths: [path.join(root, from)] });
    } catch {
      continue;
    }
    if (seen.has(file)) continue;
    seen.add(file);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Client = require(file).Client;
    const original = Client.prototype.query;
    Client.prototype.query = function countedQuery(this: Record<symbol, boolean>, config: unknown, ...rest: unknown[]) {
      try {
        classify(this, config);
      } catch {
        // counting must never break a query
      }
      return original.call(this, config, ...rest);
    };
  }
}

/** Starts a new count; returns a function that reads it. */
export function countSql(): () => SqlCounts {
  counts = fresh();
  const mine = counts;
  return () => ({ ...mine, texts: [...mine.texts] });
}

/** A pg client whose own queries (the test watching the database) are not counted. */
export function ignoreClient<T extends object>(client: T): T {
  (client as Record<symbol, boolean>)[IGNORED] = true;
  return client;
}
