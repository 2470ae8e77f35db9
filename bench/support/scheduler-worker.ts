/**
 * One scheduler process for bench/scheduler.ts: Agenda on PostgreSQL through
 * paydesk's own backend factory (src/jobs/agenda-backend.ts), configured as
 * startScheduler configures it, running a job that records when it fired.
 *
 *   node --import tsx bench/support/scheduler-worker.ts <database url> <worker name> <processEvery ms> <concurrency>
 */
import { Agenda } from 'agenda';
import { Pool } from 'pg';
import { createAgendaBackend } from '../../src/jobs/agenda-backend';

async function main(): Promise<void> {
  const [url, name, processEvery, concurrency] = process.argv.slice(2);
  const pool = new Pool({ connectionString: url, max: 5 });
  const backend = createAgendaBackend({ kind: 'postgres', connectionString: url });
  await backend.connect();
  const agenda = new Agenda({ backend, name, processEvery: Number(processEvery), defaultLockLifetime: 60_000 });
  await agenda.ready;
  agenda.define(
    'bench-fire',
    async (job) => {
      // clock_timestamp(), not now(): the moment of this statement, not of some enclosing transaction.
      await pool.query(`insert into bench_fires (i, worker, fired_at) values ($1, $2, clock_timestamp())`, [(job.attrs.data as { i: number }).i, name]);
    },
    { concurrency: Number(concurrency) },
  );
  await agenda.start();
  process.stdout.write('ready\n');
  const stop = async () => {
    await agenda.stop();
    await backend.disconnect();
    await pool.end();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
