/**
 * Time to the HTTP acknowledgement of signed Slack `block_actions` approvals sent
 * at fixed rates into the real Bolt HTTP receiver of a running paydesk (startApp
 * with Slack configured against a loopback fake of the Web API), plus the time
 * until each decision is committed. Slack gives up on an interaction after 3000 ms.
 *
 *   npx tsx bench/ack-latency.ts [--rates 50,100,200,400] [--seconds 20] [--json out.json]
 *
 * Open loop: tap i leaves at start + i / rate however slow the answers are, and
 * its latency counts from that planned moment. Every tap is a real, distinct vote
 * (bob approving one of many pending payments), so each one commits a decision.
 * paydesk commits the vote and only then acknowledges; the bench checks that for
 * every tap (the vote's commit was seen before its HTTP 200 arrived) and counts
 * every answer that was not a 200 (Bolt answers by itself when paydesk is too slow).
 * Each rate runs long enough (--seconds, 20 by default) to show a steady state
 * rather than a burst the queues can absorb.
 */
import os from 'node:os';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { directory } from '../src/persistence/repositories/directory.repository';
import { FakeSlackApi } from '../test/support/fake-slack-api';
import { freePort } from '../test/support/reliability-process';
import { blockActionsBody } from '../test/support/reliability-slack';
import { slackSignature } from '../test/support/slack-signing';
import { createRawDb, serverVersion } from './support/bench-db';
import { openLoop } from './support/open-loop';
import { note, parseArgs, percentile, Report } from './support/report';

const SECRET = 'bench-signing-secret';

async function main(): Promise<void> {
  const args = parseArgs();
  const rates = (args.str('rates', '50,100,200,400') ?? '').split(',').map(Number).filter((n) => n > 0);
  const seconds = args.get('seconds', 20);
  const report = new Report('ack', { rates, seconds, server: await serverVersion() });

  const fake = await new FakeSlackApi().start();
  const target = await createRawDb('paydesk_bench_ack');
  const config = loadConfig({
    DATABASE_URL: target.url, PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'warn', PLAYGROUND: 'off',
    PAYDESK_DEMO: 'on', DEFAULT_LOCALE: 'en', SLACK_BOT_TOKEN: 'xoxb-bench-token', SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl, SLACK_APPROVALS_CHANNEL: '#approvals', SANDBOX_SETTLE_DELAY_MS: '1000', OUTBOX_INTERVAL_MS: '1000',
  });
  // Logs to stderr, so stdout stays the figures.
  const app = await startApp(config, createLogger({ level: 'warn', destination: process.stderr }), { schedulerLockLifetimeMs: 60_000 });
  try {
    const ids = await pendingPayments(app, rates.reduce((n, r) => n + r * seconds, 0));
    const committedAt = new Map<string, number>();
    // An outbox consumer: sees the vote once it is committed and dispatched (NOTIFY at commit wakes it).
    app.core.events.subscribe('bench:votes', (e) => void (e.type === 'payment.voted' && committedAt.set(e.payment.id, performance.now())), { types: ['payment.voted'] });
    const url = `${app.url}/slack/events`;
    let offset = 0;
    for (const rate of rates) {
      const batch = ids.slice(offset, (offset += rate * seconds));
      note(`${rate}/s for ${seconds} s: ${batch.length} taps…`);
      const run = await openLoop({
        url, rate, count: batch.length,
        make: (i) => {
          const body = blockActionsBody({
            user: 'U0BOB', actionId: 'payment.approve', value: JSON.stringify({ id: batch[i], v: 1 }),
            actionTs: `${rate}.${i}`, responseUrl: fake.responseUrl(`r${rate}-${i}`),
          });
          const ts = Math.floor(Date.now() / 1000);
          return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature(SECRET, body, ts) } };
        },
      });
      for (const end = Date.now() + 60_000; batch.some((id) => !committedAt.has(id)) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
      const acks = run.shots.map((s) => s.latencyMs);
      const decided = batch.map((id, i) => (committedAt.get(id) ?? NaN) - (run.startedAt + (i * 1000) / rate)).filter(Number.isFinite);
      const lastDone = Math.max(...run.shots.map((s) => s.doneAt));
      const statuses = new Map<number, number>();
      for (const s of run.shots) statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);
      const bad = run.shots.filter((s) => s.status !== 200).length + run.errors;
      // A 200 that arrived before its vote was seen committed would break DESIGN's "an acknowledged tap is a recorded tap".
      const ackedEarly = run.shots.filter((s) => s.status === 200 && !((committedAt.get(batch[s.index]) ?? Infinity) <= s.doneAt)).length;
      const late = run.shots.filter((s) => s.latencyMs > 3000).length;
      report.add(`r${rate}.loadavg`, os.loadavg()[0], '', '1-minute load average after the rate (2 cores; other work on the machine included)');
      report.add(`r${rate}.achieved`, run.shots.length / ((lastDone - run.startedAt) / 1000), 'acks/s', `target ${rate}/s`);
      report.add(`r${rate}.not_200`, bad, 'taps', `of ${batch.length}; answers by status: ${[...statuses].map(([k, v]) => `${k}×${v}`).join(', ')}; ${run.errors} socket errors`);
      report.add(`r${rate}.over_3s`, late, 'taps', 'answered later than Slack\'s 3,000 ms (Slack shows the user an error)');
      report.add(`r${rate}.acked_before_commit`, ackedEarly, 'taps', 'HTTP 200 arrived before the vote was seen committed (must be 0)');
      for (const p of [50, 95, 99]) report.add(`r${rate}.ack_p${p}`, percentile(acks, p), 'ms', 'planned send → HTTP answer (any status)');
      report.add(`r${rate}.decided_p50`, percentile(decided, 50), 'ms', `planned send → vote committed (${decided.length}/${batch.length})`);
      report.add(`r${rate}.decided_p99`, percentile(decided, 99), 'ms', 'planned send → vote committed');
    }
    const [{ n }] = await app.core.db.read((em) => em.execute(`select count(*)::int as n from approvals`));
    note(`${n} votes recorded for ${offset} taps`);
    report.write(args.str('json'));
  } finally {
    await app.stop();
    await fake.stop();
    await target.drop();
  }
}

/**
 * `n` payments needing one approval (¥50,000 and a few fen, so none looks like a duplicate of another).
 * One is created through CreatePayment and its approval card posted; the rest are copies of its
 * row (and of its posted card copies) made in one statement, since creating 15,000 payments one by one
 * would take longer than the taps. Every copy is a real pending payment a vote changes.
 */
async function pendingPayments(app: Awaited<ReturnType<typeof startApp>>, n: number): Promise<string[]> {
  note(`creating ${n} pending payments…`);
  const { alice, account, payee } = await app.core.db.read(async (em) => ({
    alice: (await directory.userByHandle(em, 'alice'))!,
    account: (await directory.accounts(em)).find((a) => a.code === 'cmb-cny-main')!,
    payee: (await directory.payees(em)).find((p) => p.code === 'acme')!,
  }));
  const r = await app.core.createPayment.execute({
    source: 'api', idempotencyKey: 'ack-template', debtorAccountId: account.id, payeeId: payee.id,
    amount: { minor: 5_000_000n, currency: 'CNY' }, purpose: 'ack bench', requesterId: alice.id, actor: 'api:bench',
  });
  if (!r.ok || r.value.payment.status !== 'pending_approval') throw new Error(`could not create the template payment: ${r.ok ? r.value.payment.status : r.code}`);
  await app.core.events.settle();
  const template = r.value.payment.id;
  return app.core.db.tx(async (em) => {
    // Column list read from the table, so a column added by a later migration is copied too.
    const cols: string[] = (await em.execute(`select column_name from information_schema.columns where table_name = 'payments' and table_schema = current_schema() order by ordinal_position`)).map((c: any) => c.column_name);
    const override: Record<string, string> = {
      id: 'gen_random_uuid()',
      reference: `'PAY-' || extract(year from now())::int || '-A' || lpad(g::text, 6, '0')`,
      idempotency_key: `'ack-' || g`,
      amount_minor: 'p.amount_minor + g',
      end_to_end_id: `'PDACK' || lpad(g::text, 8, '0')`,
      created_at: 'now()',
      updated_at: 'now()',
    };
    const ids = await em.execute(
      `insert into payments (${cols.join(', ')})
       select ${cols.map((c) => override[c] ?? `p.${c}`).join(', ')} from payments p, generate_series(1, ${n - 1}) g where p.id = ?
       returning id`,
      [template],
    );
    await em.execute(
      `insert into slack_card_messages (card_key, target, channel, ts, locale, created_at)
       select 'payment:' || c.id, m.target, m.channel, m.ts, m.locale, now()
       from slack_card_messages m, payments c where m.card_key = ? and c.idempotency_key like 'ack-%' and c.id <> ?`,
      [`payment:${template}`, template],
    );
    // Enough money that no approved payment fails at the bank for want of funds.
    await em.execute(`update bank_accounts set balance_minor = 1000000000000000 where id = ?`, [account.id]);
    return [template, ...ids.map((x: any) => x.id as string)];
  });
}

main().then(
  () => process.exit(0), // Agenda's liveness timers would keep a stopped process alive for a while
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
