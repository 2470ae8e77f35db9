/**
 * Whole payment lifecycles through paydesk's public doors only, on a running paydesk
 * (src/main.ts as its own process) with a loopback fake of Slack's Web API:
 *
 *   1. an ERP client: POST /api/v1/payments (¥250,000.xx: two approvals, one a treasurer);
 *   2. the approval card appears in Slack (chat.postMessage to the fake);
 *   3. erin taps its signed Approve button (block_actions → Bolt's HTTP receiver);
 *   4. carol types `/pay approve PAY-…` (signed slash command; answered via response_url);
 *   5. the outbox submits to the sandbox bank, which settles at once; the bench sees `settled`.
 *
 * `concurrency` clients each run steps 1–4 one payment after another (closed loop) and
 * do not wait for step 5; a level ends when every one of its payments has settled, and
 * lifecycles/s = payments ÷ (first create → last settlement). Then pgbench (TPC-B-like)
 * on the same server in the same run is the yardstick.
 *
 *   npx tsx bench/e2e.ts [--levels 1,4,8,16] [--per-client 25] [--min-count 50]
 *        [--outbox-interval 100] [--pgbench-clients 8] [--pgbench-seconds 15] [--pgbench-scale 10]
 *        [--no-pgbench] [--json out.json]
 *
 * SQL statements and transactions are counted inside the server process by
 * bench/support/server-probe.cjs (every round trip through `pg`), so they include
 * everything the process does in the window; what the idle process does in the same time
 * (Agenda's polling every --outbox-interval ms) is measured first and subtracted.
 */
import os from 'node:os';
import { Client } from 'pg';
import { Database } from '../src/persistence/database';
import { openOrm } from '../src/persistence/orm';
import { verifyAuditChain } from '../src/services/audit/verify-audit-chain';
import { createRawDb, dropOnExit, serverVersion } from './support/bench-db';
import { E2eWorld, ProbeCounts, startE2eWorld } from './support/e2e-world';
import { runPgbench } from './support/pgbench';
import { note, parseArgs, percentile, Report } from './support/report';

type Step = 'create' | 'card' | 'approve_button' | 'approve_slash' | 'settle' | 'lifecycle';
const STEPS: Step[] = ['create', 'card', 'approve_button', 'approve_slash', 'settle', 'lifecycle'];

interface LevelRun {
  count: number;
  wallMs: number;
  steps: Map<Step, number[]>;
  before: ProbeCounts;
  after: ProbeCounts;
  /** Statuses of Approve taps not answered 200 (Slack shows the user an error). */
  notOk: number[];
}

/** What the idle process sends per second (the outbox and webhook sweeps, Agenda's polling), to tell it apart from the lifecycles' own work. */
async function idleRate(w: E2eWorld, ms: number): Promise<{ orm: number; ormTx: number; scheduler: number; cpuMs: number }> {
  const a = await w.probe();
  await new Promise((r) => setTimeout(r, ms));
  const b = await w.probe();
  const per = (x: number, y: number) => ((y - x) * 1000) / ms;
  return {
    orm: per(a.orm.statements, b.orm.statements),
    ormTx: per(a.orm.begins + a.orm.autocommit, b.orm.begins + b.orm.autocommit),
    scheduler: per(a.scheduler.roundTrips, b.scheduler.roundTrips),
    cpuMs: per(a.cpuUserMs + a.cpuSystemMs, b.cpuUserMs + b.cpuSystemMs),
  };
}

let serial = 0;

/** One client's lifecycle; returns when the payment is settled (the client itself moved on after step 4). */
async function lifecycle(w: E2eWorld, steps: Map<Step, number[]>, settlements: Promise<void>[], notOk: number[]): Promise<void> {
  const i = ++serial;
  const time = async <T>(step: Step, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await fn();
    steps.get(step)!.push(performance.now() - t0);
    return r;
  };
  const t0 = performance.now();
  // A different amount each time: identical ones would (rightly) be flagged as possible duplicates.
  const amount = `${250_000 + Math.floor(i / 100)}.${String(i % 100).padStart(2, '0')}`;
  const reference = await time('create', () => w.createPayment(`e2e-${process.pid}-${i}`, amount));
  const value = await time('card', () => w.approvalCard(reference));
  // A tap answered late (Bolt's 404 after 3 s) still has its vote committed: counted, not fatal.
  const status = await time('approve_button', () => w.tapApprove('U0ERIN', value, `${i}.1`));
  if (status !== 200) notOk.push(status);
  const voted = performance.now();
  await time('approve_slash', () => w.slashApprove('U0CAROL', reference, `${i}.2`));
  settlements.push(
    w.settled(reference).then(() => {
      const now = performance.now();
      steps.get('settle')!.push(now - voted);
      steps.get('lifecycle')!.push(now - t0);
    }),
  );
}

async function runLevel(w: E2eWorld, concurrency: number, count: number): Promise<LevelRun> {
  const steps = new Map<Step, number[]>(STEPS.map((s) => [s, []]));
  const settlements: Promise<void>[] = [];
  const notOk: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await lifecycle(w, steps, settlements, notOk);
    }
  };
  const before = await w.probe();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  await Promise.all(settlements);
  const wallMs = performance.now() - started;
  const after = await w.probe();
  return { count, wallMs, steps, before, after, notOk };
}

async function main(): Promise<void> {
  const args = parseArgs();
  const levels = (args.str('levels', '1,4,8,16') ?? '').split(',').map(Number).filter((n) => n > 0);
  const perClient = args.get('per-client', 25);
  const minCount = args.get('min-count', 50);
  const outboxIntervalMs = args.get('outbox-interval', 100);
  const pgClients = args.get('pgbench-clients', 8);
  const pgSeconds = args.get('pgbench-seconds', 15);
  const pgScale = args.get('pgbench-scale', 10);
  const report = new Report('e2e', { levels, perClient, minCount, outboxIntervalMs, pgClients, pgSeconds, pgScale, server: await serverVersion() });

  const target = await createRawDb('paydesk_bench_e2e');
  dropOnExit(target.drop);
  try {
    await run(args, report, target, levels, perClient, minCount, outboxIntervalMs, pgClients, pgSeconds, pgScale);
  } finally {
    await target.drop(); // also when the run fails: a bench leaves no database behind
  }
}

async function run(
  args: ReturnType<typeof parseArgs>, report: Report, target: Awaited<ReturnType<typeof createRawDb>>, levels: number[],
  perClient: number, minCount: number, outboxIntervalMs: number, pgClients: number, pgSeconds: number, pgScale: number,
): Promise<void> {
  let world: E2eWorld | undefined;
  const throughput = new Map<number, number>();
  let total = 0;
  try {
    note('starting paydesk (src/main.ts) against a fresh database…');
    world = await startE2eWorld({ dbUrl: target.url, outboxIntervalMs });
    note('warming up (10 lifecycles, concurrency 2)…');
    await runLevel(world, 2, 10);
    total += 10;

    for (const c of levels) {
      const count = Math.max(minCount, perClient * c);
      note(`concurrency ${c}: ${count} lifecycles…`);
      const idle = await idleRate(world, 5000);
      const run = await runLevel(world, c, count);
      total += count;
      const perSecond = count / (run.wallMs / 1000);
      throughput.set(c, perSecond);
      const { before: b, after: a } = run;
      const per = (x: number, y: number) => (y - x) / count;
      const idleShare = (rate: number) => (rate * run.wallMs) / 1000 / count;
      report.add(`c${c}.loadavg`, os.loadavg()[0], '', '1-minute load average at the end of the level (2 cores; other work on the machine included)');
      report.add(`c${c}.lifecycles`, perSecond, 'lifecycles/s', `${count} lifecycles, ${c} clients, create → settled`);
      for (const s of STEPS) {
        const sample = run.steps.get(s)!;
        report.add(`c${c}.${s}_p50`, percentile(sample, 50), 'ms', `${s} step, ${sample.length} samples`);
        report.add(`c${c}.${s}_p99`, percentile(sample, 99), 'ms', `${s} step`);
      }
      report.add(`c${c}.taps_not_200`, run.notOk.length, 'taps', `of ${count} Approve taps: ${run.notOk.join(', ') || 'none'}`);
      const stmts = per(b.orm.statements, a.orm.statements);
      const txs = per(b.orm.begins + b.orm.autocommit, a.orm.begins + a.orm.autocommit);
      report.add(`c${c}.statements`, stmts, 'statements/lifecycle', `paydesk's own SQL (BEGIN/COMMIT/SAVEPOINT not counted), idle sweeps included; the idle process sends ${idle.orm.toFixed(1)}/s, ${idleShare(idle.orm).toFixed(1)} per lifecycle over this level`);
      report.add(`c${c}.round_trips`, per(b.orm.roundTrips, a.orm.roundTrips), 'round trips/lifecycle', "paydesk's own, BEGIN/COMMIT included");
      report.add(`c${c}.transactions`, txs, 'transactions/lifecycle', `${per(b.orm.begins, a.orm.begins).toFixed(2)} BEGIN…COMMIT + ${per(b.orm.autocommit, a.orm.autocommit).toFixed(2)} single statements; idle: ${idleShare(idle.ormTx).toFixed(1)} per lifecycle`);
      report.add(`c${c}.scheduler_round_trips`, per(b.scheduler.roundTrips, a.scheduler.roundTrips), 'round trips/lifecycle', `Agenda's polling and locking (idle ${idle.scheduler.toFixed(1)}/s)`);
      const cpu = a.cpuUserMs + a.cpuSystemMs - b.cpuUserMs - b.cpuSystemMs;
      report.add(`c${c}.node_cpu`, cpu / count, 'ms/lifecycle', `server process CPU, ${((cpu / run.wallMs) * 100).toFixed(0)}% of one core during the level; idle ${idle.cpuMs.toFixed(0)} ms/s, ${idleShare(idle.cpuMs).toFixed(1)} per lifecycle`);
    }

    const [{ n: payments }] = await query(target.url, `select count(*)::int as n from payments where status = 'settled'`);
    const [{ n: all }] = await query(target.url, `select count(*)::int as n from payments`);
    const [{ n: transfers }] = await query(target.url, `select count(*)::int as n from sandbox_bank_transfers`);
    if (payments !== total || all !== total || transfers !== total) throw new Error(`expected ${total} settled payments and bank transfers, got ${payments}/${all}/${transfers}`);
    const chain = await verifyChainAt(target.url);
    if (!chain.intact) throw new Error(`audit chain broken after the run: ${JSON.stringify(chain, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
    note(`checked: ${total} payments settled once each, one bank transfer each, audit chain intact (${chain.checked} events)`);
  } catch (err) {
    // The server's own last words, so a failed run says whether paydesk or the bench broke.
    if (world) note(`paydesk's last log lines:\n${world.paydesk.lines.slice(-15).join('\n')}`);
    throw err;
  } finally {
    await world?.stop();
  }

  if (!args.flag('no-pgbench')) {
    await target.drop(); // pgbench should not share the server with paydesk's idle pool
    note(`pgbench -i -s ${pgScale}; pgbench -c ${pgClients} -T ${pgSeconds}…`);
    const pg = await runPgbench(pgClients, pgSeconds, pgScale);
    report.add('pgbench_tps', pg.tps, 'tx/s', `TPC-B-like, ${pgClients} clients, ${pgSeconds} s, scale ${pgScale}`);
    const mine = throughput.get(pgClients) ?? throughput.get(Math.max(...throughput.keys()))!;
    report.add('ratio', mine / pg.tps, 'lifecycles per pgbench tx', `lifecycles/s at concurrency ${throughput.has(pgClients) ? pgClients : Math.max(...throughput.keys())} ÷ pgbench tps`);
  }
  report.write(args.str('json'));
}

async function query(url: string, sql: string): Promise<any[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

async function verifyChainAt(url: string) {
  const db = new Database(await openOrm(url, { pool: { min: 0, max: 2 } }));
  try {
    return await verifyAuditChain(db);
  } finally {
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
