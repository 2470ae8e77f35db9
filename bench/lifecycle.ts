/**
 * Payments per second through the whole lifecycle (create → approvals → bank
 * submission → settled, audit chain included) at a given concurrency, then
 * PostgreSQL's own TPC-B-like rate (pgbench) at the same client count on the
 * same server, and their ratio.
 *
 *   npx tsx bench/lifecycle.ts [--concurrency 8] [--count 500] [--approvals 2]
 *        [--pool 10] [--pgbench-seconds 10] [--no-pgbench] [--profile] [--json out.json]
 *
 * DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432);
 * a fresh database is created for the run and dropped after.
 */
import { verifyAuditChain } from '../src/services/audit/verify-audit-chain';
import { createBenchDb, dropOnExit, serverVersion } from './support/bench-db';
import { runPgbench } from './support/pgbench';
import { QueryProfile, WaitSampler } from './support/query-profile';
import { buildWorld, Phase, runLifecycles } from './support/lifecycle-world';
import { note, parseArgs, percentile, Report } from './support/report';

// create + each vote + outbox submit + the bank's own submit + status poll + the bank's own status.
const txPerLifecycle = (approvals: number) => 1 + approvals + 2 + 2;

async function main(): Promise<void> {
  const args = parseArgs();
  const concurrency = args.get('concurrency', 8);
  const count = args.get('count', 500);
  const approvals = args.get('approvals', 2) === 1 ? 1 : 2;
  // The app's default pool is 10. The outbox holds one connection while the sandbox bank takes a
  // second, so fewer than concurrency + 2 connections could starve; raise it rather than hang.
  const wanted = args.get('pool', 10);
  const pool = Math.max(wanted, concurrency + 2);
  if (pool !== wanted) note(`pool raised from ${wanted} to ${pool}: each outbox step holds two connections`);
  const report = new Report('lifecycle', { concurrency, count, approvals, pool, server: await serverVersion() });

  const bench = await createBenchDb('paydesk_bench_lifecycle', { poolMax: pool });
  dropOnExit(bench.drop);
  try {
    const world = await buildWorld(bench.db);
    note(`warming up (${Math.min(20, count)} lifecycles)…`);
    await runLifecycles(world, { count: Math.min(20, count), concurrency, approvals, tag: 'warm' });

    const profile = args.flag('profile') ? new QueryProfile() : undefined;
    const sampler = profile ? new WaitSampler(bench.url) : undefined;
    profile?.install();
    await sampler?.start();
    note(`running ${count} lifecycles on ${concurrency} workers…`);
    const cpu = process.cpuUsage();
    const run = await runLifecycles(world, { count, concurrency, approvals, tag: 'run' });
    const cpuMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpu));
    await sampler?.stop();
    profile?.uninstall();

    const perSecond = count / (run.wallMs / 1000);
    report.add('throughput', perSecond, 'payments/s', `${count} payments, ${approvals} approval(s) each, concurrency ${concurrency}`);
    report.add('transactions', perSecond * txPerLifecycle(approvals), 'tx/s', `${txPerLifecycle(approvals)} transactions per lifecycle`);
    // Node is single-threaded: this over the wall time says how close the client itself is to a full core.
    report.add('node_cpu', cpuMs / count, 'ms/payment', `client CPU; ${((cpuMs / run.wallMs) * 100).toFixed(0)}% of one core during the run`);
    report.add('latency_p50', percentile(run.latencies, 50), 'ms', 'one whole lifecycle');
    report.add('latency_p99', percentile(run.latencies, 99), 'ms', 'one whole lifecycle');
    for (const phase of ['create', 'approve', 'submit', 'settle'] as Phase[])
      report.add(`${phase}_p50`, percentile(run.phases.get(phase) ?? [], 50), 'ms', `${phase} step`);

    await checkOutcome(bench.db, world.opening, count + Math.min(20, count));
    const chain = await verifyAuditChain(bench.db);
    if (!chain.intact) throw new Error(`audit chain broken: ${JSON.stringify(chain)}`);
    note(`checked: every payment settled once, balance = opening − settled, audit chain intact (${chain.checked} events)`);

    if (profile && sampler) printProfile(report, profile, sampler, count);

    if (!args.flag('no-pgbench')) {
      await bench.drop(); // pgbench should not share the server with our idle pool
      const seconds = args.get('pgbench-seconds', 10);
      note(`pgbench -i -s 1; pgbench -c ${concurrency} -T ${seconds}…`);
      const pg = await runPgbench(concurrency, seconds);
      report.add('pgbench_tps', pg.tps, 'tx/s', `TPC-B-like, ${concurrency} clients, ${seconds} s, scale 1`);
      report.add('ratio', perSecond / pg.tps, 'payments per pgbench tx', 'lifecycles/s ÷ pgbench tps');
    }
    report.write(args.str('json'));
  } finally {
    await bench.drop();
  }
}

async function checkOutcome(db: import('../src/persistence/database').Database, opening: bigint, expected: number) {
  const rows = await db.read((em) =>
    em.execute(`select status, count(*)::int as n, sum(amount_minor)::text as total from payments group by status`),
  );
  const settled = rows.find((r: any) => r.status === 'settled');
  if (rows.length !== 1 || !settled || settled.n !== expected) throw new Error(`unexpected outcome: ${JSON.stringify(rows)}`);
  const [acct] = await db.read((em) => em.execute(`select balance_minor::text as b from bank_accounts`));
  const [bank] = await db.read((em) => em.execute(`select count(*)::int as n from sandbox_bank_transfers`));
  if (BigInt(acct.b) !== opening - BigInt(settled.total) || bank.n !== expected)
    throw new Error(`balance or bank ledger off: ${acct.b}, ${bank.n} transfers`);
}

function printProfile(report: Report, profile: QueryProfile, sampler: WaitSampler, count: number): void {
  const totals = profile.totals();
  report.add('round_trips', totals.count / count, 'queries/payment', 'every SQL statement, BEGIN/COMMIT included');
  report.add('query_time', totals.ms / count, 'ms/payment', 'summed over the lifecycle’s round trips');
  // Every audited transaction in the system queues for this lock. Seen from Node, so event-loop delay is
  // included: compare it between runs on one machine, do not read it as the server's hold time.
  const holds = profile.auditHolds;
  report.add('audit_lock_hold', holds.reduce((a, b) => a + b, 0) / Math.max(1, holds.length), 'ms', `mean, lock granted → COMMIT returned, client side, ${holds.length} transactions`);
  const rows = profile.table(count);
  note('\nround trips per payment (client side), by kind:');
  note('  ms/payment  count/payment  mean ms  kind');
  for (const r of rows) note(`  ${r.msPerUnit.toFixed(2).padStart(10)}  ${r.perUnit.toFixed(2).padStart(13)}  ${r.meanMs.toFixed(3).padStart(7)}  ${r.bucket}`);
  note('\nserver backends by state (average number at any instant):');
  for (const r of sampler.table()) note(`  ${r.backends.toFixed(2).padStart(6)}  ${r.state}`);
  report.attach('profile', { queries: rows, backends: sampler.table(), samples: sampler.samples });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
