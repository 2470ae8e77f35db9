/**
 * Reports benchmark (issue 17). Prints figures, asserts nothing:
 *  1. renders the cash chart (demo company with two months of settled payments,
 *     approved future-dated ones and the thresholds) N times in each language,
 *     and writes docs/cash-chart.png (zh-CN) and docs/cash-chart-en.png, the
 *     pictures in the README;
 *  2. loads 100,000 payments into one month and times the daily summary's
 *     database work, printing EXPLAIN (ANALYZE, BUFFERS) of its main queries.
 * Run: npx tsx bench/reports.ts   (DATABASE_URL's server, or 127.0.0.1:5432)
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { cashAltText, cashChartLabels } from '../commands/reports/cash-report.view';
import { applyDirectoryFile } from '../src/services/directory/load-directory';
import { dailySummary } from '../src/services/reports/daily-summary.query';
import { renderCashChart } from '../src/services/reports/render-cash-chart';
import { ReportService } from '../src/services/reports/report-service';
import { createBenchDb } from './support/bench-db';

const NOW = new Date('2026-12-01T01:00:00Z'); // Tuesday 09:00 in Shanghai
const TZ = 'Asia/Shanghai';
const RENDERS = Number(process.env.RENDERS ?? 20);
const PAYMENTS = Number(process.env.PAYMENTS ?? 100_000);
const TIER = `'{"upTo":null,"approvals":2,"roles":["approver","treasurer"],"requireRole":"treasurer","autoApprove":false}'::jsonb`;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main() {
  const b = await createBenchDb('bench_reports');
  try {
    await applyDirectoryFile(b.db, path.resolve(__dirname, '../demo/demo-company.yaml'), { actor: 'system:bench' });
    const reports = new ReportService(b.db, { timezone: TZ, clock: () => NOW });
    // Two months of settled outflows (so the history has a shape), then committed future ones.
    await b.db.tx((em) =>
      em.execute(`insert into payments (id, reference, source, debtor_account_id, payee_id, amount_minor, currency, purpose, requester_id,
          requested_by, status, version, tier, warnings, end_to_end_id, created_at, updated_at, final_at, execution_date)
        select gen_random_uuid(), 'PAY-2026-H' || lpad(g::text, 5, '0'), 'chat', a.id, y.id,
               (3000000 + (g * 7919) % 9000000)::bigint * (case when a.currency = 'USD' then 1 else 10 end) / 10, a.currency, 'history ' || g,
               u.id, 'user:alice', case when g > 0 then 'settled' end, 3, ${TIER}, '[]'::jsonb, 'PDH' || g,
               ?::timestamptz - (g || ' hours')::interval * 14, ?::timestamptz - (g || ' hours')::interval * 14,
               ?::timestamptz - (g || ' hours')::interval * 14 + interval '1 hour', null
          from generate_series(1, 100) g
          join bank_accounts a on a.code = case when g % 5 = 0 then 'cmb-usd' else 'cmb-cny-main' end
          join payees y on y.code = 'acme' join users u on u.handle = 'alice'`, [NOW, NOW, NOW]),
    );
    await b.db.tx((em) =>
      em.execute(`insert into payments (id, reference, source, debtor_account_id, payee_id, amount_minor, currency, purpose, requester_id,
          requested_by, status, version, tier, warnings, end_to_end_id, created_at, updated_at, execution_date)
        select gen_random_uuid(), 'PAY-2026-F' || lpad(g::text, 5, '0'), 'api', a.id, y.id, 45000000 + g * 1000000, 'CNY', 'committed ' || g,
               u.id, 'user:alice', 'approved', 2, ${TIER}, '[]'::jsonb, 'PDF' || g, ?, ?, (date '2026-12-01' + g * 3)
          from generate_series(1, 9) g join bank_accounts a on a.code = 'cmb-cny-main'
          join payees y on y.code = 'huaxin' join users u on u.handle = 'alice'`, [NOW, NOW]),
    );
    // The book has already paid the history: today's balances are what the bank says now.
    console.log(`backfilled ${await reports.backfill(60)} daily snapshots`);

    const position = await reports.cash(60);
    for (const locale of ['zh-CN', 'en'] as const) {
      const labels = cashChartLabels(position, locale, TZ);
      renderCashChart(position, labels); // warm-up: font registration, JIT
      const times: number[] = [];
      let png: Buffer = Buffer.alloc(0);
      for (let i = 0; i < RENDERS; i++) {
        const t0 = performance.now();
        png = renderCashChart(position, labels);
        times.push(performance.now() - t0);
      }
      const file = path.resolve(__dirname, `../docs/${locale === 'en' ? 'cash-chart-en' : 'cash-chart'}.png`);
      writeFileSync(file, png);
      console.log(`chart ${locale}: ${RENDERS} renders, median ${pct(times, 50).toFixed(0)} ms, p95 ${pct(times, 95).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms, ${png.length} bytes → ${path.relative(process.cwd(), file)}`);
      console.log(`  alt: ${cashAltText(position, locale)}`);
    }

    // 100,000 payments in November, every status, spread over the month's days and hours.
    const t0 = performance.now();
    await b.db.tx((em) =>
      em.execute(`insert into payments (id, reference, source, debtor_account_id, payee_id, amount_minor, currency, purpose, requester_id,
          requested_by, status, version, tier, warnings, end_to_end_id, created_at, updated_at)
        select gen_random_uuid(), 'PAY-2026-B' || lpad(g::text, 6, '0'), 'api', (array_agg_a)[1 + g % 2], (array_agg_p)[1 + g % 5],
               1000 + (g::bigint * 104729) % 100000000, 'CNY', 'bulk ' || g, u.id, 'user:alice',
               (array['pending_approval','approved','submitted','settled','settled','settled','failed','rejected','cancelled','expired'])[1 + g % 10],
               2, ${TIER}, '[]'::jsonb, 'PDB' || g,
               timestamptz '2026-10-31T16:00:00Z' + (g::double precision / ${PAYMENTS} * 30 * 86400) * interval '1 second',
               timestamptz '2026-10-31T16:00:00Z' + (g::double precision / ${PAYMENTS} * 30 * 86400) * interval '1 second'
          from generate_series(1, ${PAYMENTS}) g,
               (select array_agg(id order by code) as array_agg_a from bank_accounts where currency = 'CNY') a,
               (select array_agg(id order by code) as array_agg_p from payees) p,
               users u where u.handle = 'alice'`),
    );
    await b.db.read((em) => em.execute('analyze payments'));
    console.log(`inserted ${PAYMENTS} payments in November in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const days = ['2026-11-05', '2026-11-17', '2026-11-30'];
    for (const date of days) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        await b.db.read((em) => dailySummary(em, { date, now: NOW, timezone: TZ }));
        times.push(performance.now() - s);
      }
      console.log(`daily summary ${date} (≈${Math.round(PAYMENTS / 30)} payments that day): median ${pct(times, 50).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`);
    }
    const explain = async (label: string, sql: string, params: unknown[]) => {
      const rows = await b.db.read((em) => em.execute(`explain (analyze, buffers, costs off, timing on) ${sql}`, params));
      console.log(`\n-- ${label}\n${rows.map((r: any) => r['QUERY PLAN']).join('\n')}`);
    };
    await explain('payments of one day by status and currency',
      `select status, currency, count(*)::int, sum(amount_minor)::text from payments where created_at >= ? and created_at < ? group by status, currency`,
      ['2026-11-16T16:00:00Z', '2026-11-17T16:00:00Z']);
    await explain('oldest pending approvals',
      `select reference, created_at from payments where status = 'pending_approval' order by created_at limit 5`, []);
    await explain('pending approvals count', `select count(*) from payments where status = 'pending_approval'`, []);
    await explain('approved and submitted outflows (forecast)',
      `select p.debtor_account_id, p.amount_minor from payments p where p.status in ('approved', 'submitted') and (p.execution_date is null or p.execution_date <= ?::date)`,
      ['2026-12-07']);
  } finally {
    await b.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
