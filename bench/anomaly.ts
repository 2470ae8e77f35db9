/**
 * Cost of the anomaly rules for one new payment (the check CreatePayment runs
 * inside its transaction, and the pre-submission re-check) with 1,000,000
 * historical payments in the table, and EXPLAIN ANALYZE of every query they
 * issue, to confirm each one is answered from an index.
 *
 *   npx tsx bench/anomaly.ts [--history 1000000] [--iterations 500] [--json out.json]
 *
 * History is bulk-inserted with generate_series: one payee in ten is `acme` (the
 * payee under test, so ~100,000 rows of history), the rest spread over 1,000
 * payees, two years of timestamps, the usual mix of statuses.
 */
import { createRequire } from 'node:module';
import { Client } from 'pg';
import { paymentFromRecord } from '../src/persistence/mappers/payment.mapper';
import { PaymentEntity } from '../src/persistence/entities';
import { anomalyCheckFor, preSubmitCheckFor } from '../src/services/monitoring/anomaly-check';
import type { PaymentDraft } from '../src/services/payments/create-payment';
import { seedFixture } from '../test/support/fixtures';
import { createBenchDb, dropOnExit, serverVersion } from './support/bench-db';
import { note, parseArgs, percentile, Report } from './support/report';

async function main(): Promise<void> {
  const args = parseArgs();
  const history = args.get('history', 1_000_000);
  const iterations = args.get('iterations', 500);
  const report = new Report('anomaly', { history, iterations, server: await serverVersion() });
  const bench = await createBenchDb('paydesk_bench_anomaly');
  dropOnExit(bench.drop);
  try {
    const f = await seedFixture(bench.db);
    note(`inserting ${history} historical payments…`);
    const t0 = performance.now();
    const pg = new Client({ connectionString: bench.url });
    await pg.connect();
    await pg.query(HISTORY_SQL, [f.knownPayeeId, f.accountId, f.users.requester, history]);
    await pg.query('analyze payments');
    await pg.end();
    note(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const cfg = { timezone: 'Asia/Shanghai' };
    const check = anomalyCheckFor(cfg);
    const preSubmit = preSubmitCheckFor(cfg);
    const draft = (i: number): PaymentDraft & { source: string } => ({
      source: 'api', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: 1_234_500n + BigInt(i), currency: 'CNY' },
      purpose: 'bench', requesterId: f.users.requester, externalRef: `PO-${100_000 + i}`,
    });
    const existing = await bench.db.read(async (em) => paymentFromRecord((await em.findOne(PaymentEntity, { reference: `PAY-H-${String(Math.floor(history / 2)).padStart(10, '0')}` }))!));

    const time = async (label: string, fn: (i: number) => Promise<unknown>) => {
      for (let i = 0; i < 50; i++) await fn(i); // warm caches and the JIT
      const sample: number[] = [];
      for (let i = 0; i < iterations; i++) {
        const s = performance.now();
        await fn(i);
        sample.push(performance.now() - s);
      }
      report.add(`${label}_p50`, percentile(sample, 50), 'ms', `${iterations} runs, ${history.toLocaleString('en')} payments in history`);
      report.add(`${label}_p99`, percentile(sample, 99), 'ms', `${iterations} runs`);
    };
    let warnings: string[] = [];
    await time('create_check', (i) => bench.db.tx(async (em) => (warnings = (await check(em, draft(i), new Date())).map((w) => w.code))));
    note(`  warnings raised for the test payment: ${warnings.join(', ') || 'none'}`);
    await time('presubmit_check', () => bench.db.tx((em) => preSubmit(em, existing, new Date())));

    const plans = await explainAll(bench.url, () => bench.db.tx((em) => check(em, draft(0), new Date())));
    const seqScans = plans.filter((p) => /Seq Scan on payments/.test(p.plan));
    for (const p of plans) note(`\n${p.sql.slice(0, 140)}…\n${p.plan.split('\n').filter((l) => /Scan|Execution Time|Index Cond/.test(l)).map((l) => `   ${l.trim()}`).join('\n')}`);
    report.add('queries', plans.length, 'statements', 'issued by one evaluation (BEGIN/COMMIT excluded)');
    report.add('seq_scans_on_payments', seqScans.length, 'plans', seqScans.length ? 'NOT all indexed' : 'every query on payments used an index');
    report.attach('explain', plans);
    report.write(args.str('json'));
  } finally {
    await bench.drop();
  }
}

const HISTORY_SQL = `
  with extra as (
    insert into payees (id, code, name, aliases, bank_name, account_number, account_name, verified, created_at)
    select gen_random_uuid(), 'hist-' || g, 'Historic ' || g, '{}', 'ICBC', lpad(g::text, 16, '7'), 'Historic ' || g, true, now() - interval '3 years'
      from generate_series(1, 1000) g
    returning id
  ), payees_arr as (select array_agg(id) as ids from extra)
  insert into payments (id, reference, source, debtor_account_id, payee_id, amount_minor, currency, purpose, requester_id,
    requested_by, status, version, tier, warnings, end_to_end_id, external_ref, submit_attempts, created_at, updated_at)
  select gen_random_uuid(), 'PAY-H-' || lpad(g::text, 10, '0'), 'api', $2::uuid,
         case when g % 10 = 0 then $1::uuid else (select ids[1 + g % 1000] from payees_arr) end,
         10000 + (g::bigint * 7919) % 5000000, 'CNY', 'historic ' || g, $3::uuid, 'api:history',
         (array['settled','settled','settled','settled','settled','settled','settled','failed','rejected','cancelled'])[1 + g % 10],
         1, '{"upTo":null,"approvals":1,"roles":["approver"],"autoApprove":false}'::jsonb, '[]'::jsonb, 'E2E-H-' || g,
         case when g % 2 = 0 then 'PO-' || g end, 0,
         now() - (g * interval '63 seconds'), now() - (g * interval '63 seconds')
    from generate_series(1, $4::int) g`;

/** Records the statements one evaluation sends (through pg), then EXPLAIN ANALYZEs each with its own parameters. */
async function explainAll(url: string, run: () => Promise<unknown>): Promise<{ sql: string; plan: string }[]> {
  const seen: { text: string; values: unknown[] }[] = [];
  const req = createRequire(__filename);
  const protos = new Set<any>([req('pg').Client.prototype, createRequire(req.resolve('@mikro-orm/postgresql'))('pg').Client.prototype]);
  const originals = [...protos].map((p) => [p, p.query] as const);
  for (const [proto, original] of originals)
    proto.query = function (this: unknown, config: any, ...rest: any[]) {
      if (config && typeof config === 'object' && typeof config.text === 'string') seen.push({ text: config.text, values: config.values ?? [] });
      return original.call(this, config, ...rest);
    };
  try {
    await run();
  } finally {
    for (const [proto, original] of originals) proto.query = original;
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const out: { sql: string; plan: string }[] = [];
    for (const s of seen.filter((x) => /^\s*select/i.test(x.text))) {
      const { rows } = await client.query(`explain (analyze, buffers, format text) ${s.text}`, s.values as unknown[]);
      out.push({ sql: s.text.replace(/\s+/g, ' ').trim(), plan: rows.map((r: any) => r['QUERY PLAN']).join('\n') });
    }
    return out;
  } finally {
    await client.end();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
