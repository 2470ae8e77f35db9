/**
 * Scheduler fire lag: N one-off jobs falling due evenly across a short window,
 * two worker processes running Agenda on PostgreSQL exactly as paydesk does
 * (src/jobs/agenda-backend.ts, same lock lifetime), each firing job recording
 * the moment it ran. Prints fire lag p50/p99/max, double fires and misses.
 *
 *   npx tsx bench/scheduler.ts [--jobs 10000] [--window 10] [--process-every 1000] [--concurrency 10] [--json out.json]
 *
 * --process-every defaults to 1000 ms, what startScheduler derives from the
 * default OUTBOX_INTERVAL_MS; --concurrency is jobs run at once per worker.
 */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { createBenchDb, dropOnExit, serverVersion } from './support/bench-db';
import { note, parseArgs, percentile, Report } from './support/report';

async function main(): Promise<void> {
  const args = parseArgs();
  const jobs = args.get('jobs', 10_000);
  const windowS = args.get('window', 10);
  const processEvery = args.get('process-every', 1000);
  const concurrency = args.get('concurrency', 10);
  const report = new Report('scheduler', { jobs, windowS, processEvery, concurrency, workers: 2, server: await serverVersion() });
  const bench = await createBenchDb('paydesk_bench_scheduler', { poolMax: 2 }); // migrations create agenda_jobs
  dropOnExit(bench.drop);
  const workers: ChildProcess[] = [];
  const pg = new Client({ connectionString: bench.url });
  try {
    await pg.connect();
    await pg.query(`create table bench_fires (i int not null, worker text not null, fired_at timestamptz not null)`);
    for (const name of ['worker-a', 'worker-b']) workers.push(await startWorker(bench.url, name, processEvery, concurrency));

    // Due times start a little ahead, so the insert itself is not part of the window.
    const t0 = Date.now() + 3000;
    const stepMs = (windowS * 1000) / jobs;
    await pg.query(
      `insert into agenda_jobs (name, next_run_at, data)
       select 'bench-fire', to_timestamp($1::double precision / 1000) + make_interval(secs => g * $2::double precision / 1000), jsonb_build_object('i', g)
         from generate_series(0, $3::int - 1) g`,
      [t0, stepMs, jobs],
    );
    note(`${jobs} jobs due over ${windowS} s from ${new Date(t0).toISOString()}; waiting…`);
    const deadline = t0 + windowS * 1000 + 120_000;
    for (;;) {
      const { rows } = await pg.query(`select count(distinct i)::int as n from bench_fires`);
      if (rows[0].n >= jobs || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 2 * processEvery)); // late doubles would show up here

    const { rows } = await pg.query(
      `select i, worker, extract(epoch from fired_at) * 1000 - ($1::double precision + i * $2::double precision) as lag_ms from bench_fires`,
      [t0, stepMs],
    );
    const firstFire = new Map<number, number>();
    const perWorker = new Map<string, number>();
    let doubles = 0;
    for (const r of rows) {
      perWorker.set(r.worker, (perWorker.get(r.worker) ?? 0) + 1);
      if (firstFire.has(r.i)) doubles += 1;
      else firstFire.set(r.i, Number(r.lag_ms));
    }
    const lags = [...firstFire.values()];
    report.add('fire_lag_p50', percentile(lags, 50), 'ms', 'due → job ran');
    report.add('fire_lag_p99', percentile(lags, 99), 'ms', 'due → job ran');
    report.add('fire_lag_max', Math.max(...lags), 'ms', 'due → job ran');
    report.add('double_fires', doubles, 'jobs', 'ran more than once');
    report.add('misses', jobs - firstFire.size, 'jobs', 'never ran within 2 minutes of the window');
    note(`fires per worker: ${JSON.stringify(Object.fromEntries(perWorker))}`);
    report.write(args.str('json'));
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)))));
    await pg.end().catch(() => undefined);
    await bench.drop();
  }
}

function startWorker(url: string, name: string, processEvery: number, concurrency: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'support', 'scheduler-worker.ts'), url, name, String(processEvery), String(concurrency)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
