import type { AgendaBackend } from 'agenda';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { Pool } from 'pg';

/**
 * Where Agenda keeps its jobs. The only file that knows a concrete backend, so
 * another one (e.g. `{ kind: 'mongodb', address }` with @agendajs/mongo-backend)
 * can be swapped in by configuration without touching the job definitions.
 */
export type AgendaBackendConfig = {
  kind: 'postgres';
  connectionString: string;
  /**
   * Let the backend create its tables on connect. Off by default: the migration
   * creates them, and two processes creating them at once crash on PostgreSQL.
   */
  ensureSchema?: boolean;
  /**
   * Called when the server cuts an idle pooled connection (a restart, or the
   * embedded server stopping first on Ctrl-C). Without a listener pg would
   * raise it as an uncaught 'error' event and crash the process.
   */
  onConnectionError?: (err: Error) => void;
};

/** A backend whose connect() runs once and can be awaited before Agenda is built. */
export interface PreparedBackend extends AgendaBackend {
  /** Resolves when connected; rejects with the real cause (Agenda's own connect would leave it unhandled). */
  connect(): Promise<void>;
  /**
   * Clears every lock this worker (Agenda `name`) still holds, except on jobs it
   * is still running. Called at shutdown after running jobs finished, so a lock
   * taken in a race with stop() never outlives the process.
   */
  releaseLocksOf(worker: string, exceptJobIds: string[]): Promise<number>;
  /** Workers (Agenda `name`s) that currently hold a job lock. */
  lockHolders(): Promise<string[]>;
}

export function createAgendaBackend(config: AgendaBackendConfig): PreparedBackend {
  switch (config.kind) {
    case 'postgres': {
      const pool = new Pool({ connectionString: config.connectionString });
      pool.on('error', (err) => config.onConnectionError?.(err));
      // Passing our own pool means Agenda never ends it; disconnect() below does, after Agenda is done.
      const releaseLocksOf = async (worker: string, exceptJobIds: string[]) =>
        (
          await pool.query(
            `update agenda_jobs set locked_at = null
             where last_modified_by = $1 and locked_at is not null and not (id::text = any($2::text[]))`,
            [worker, exceptJobIds],
          )
        ).rowCount ?? 0;
      const lockHolders = async () =>
        (await pool.query(`select distinct last_modified_by as w from agenda_jobs where locked_at is not null and last_modified_by is not null`)).rows.map(
          (r) => r.w as string,
        );
      const backend = new PostgresBackend({ pool, ensureSchema: config.ensureSchema ?? false });
      // Its LISTEN connection re-emits connection loss as 'error' (it reconnects by itself): log, never crash.
      (backend.notificationChannel as unknown as NodeJS.EventEmitter | undefined)?.on?.('error', (err: Error) => config.onConnectionError?.(err));
      return once(backend, () => pool.end(), { releaseLocksOf, lockHolders });
    }
  }
}

/**
 * Agenda calls connect() from its constructor without a catch; connecting first
 * through this wrapper means that call only ever sees an already settled promise.
 * A disconnect ends the pool for good: build a new backend to connect again.
 */
function once(
  inner: AgendaBackend,
  release: () => Promise<void>,
  locks: Pick<PreparedBackend, 'releaseLocksOf' | 'lockHolders'>,
): PreparedBackend {
  let connecting: Promise<void> | undefined;
  return {
    get name() { return inner.name; },
    get repository() { return inner.repository; },
    get notificationChannel() { return inner.notificationChannel; },
    get logger() { return inner.logger; },
    get ownsConnection() { return inner.ownsConnection; },
    connect() {
      connecting ??= inner.connect().catch((err) => {
        connecting = undefined;
        throw err;
      });
      return connecting;
    },
    ...locks,
    async disconnect() {
      connecting = undefined;
      await inner.disconnect();
      await release();
    },
  };
}
