/**
 * PostgreSQL's own TPC-B-like benchmark on the same server, as the yardstick for
 * paydesk's lifecycle throughput: it tells how many small write transactions per
 * second this machine's PostgreSQL commits at a given client count.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';
import { createRawDb } from './bench-db';

const run = promisify(execFile);

export function pgbenchPath(): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    // Newest installed major first; its pgbench speaks to older servers too.
    const majors = readdirSync(base).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
    for (const m of majors) if (existsSync(`${base}/${m}/bin/pgbench`)) return `${base}/${m}/bin/pgbench`;
  }
  return 'pgbench';
}

export interface PgbenchResult {
  tps: number;
  latencyMs: number;
  clients: number;
  seconds: number;
  scale: number;
}

/** `pgbench -i -s <scale>` then `pgbench -c <clients> -T <seconds>` on a database of its own, dropped after. */
export async function runPgbench(clients: number, seconds = 10, scale = 1): Promise<PgbenchResult> {
  const bin = pgbenchPath();
  const target = await createRawDb('paydesk_bench_pgbench');
  try {
    await run(bin, ['-i', '-s', String(scale), '-q', target.url], { maxBuffer: 10e6 });
    const threads = Math.max(1, Math.min(clients, os.cpus().length));
    const { stdout } = await run(bin, ['-c', String(clients), '-j', String(threads), '-T', String(seconds), target.url], { maxBuffer: 10e6 });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout) ?? /tps = ([\d.]+)/.exec(stdout);
    const lat = /latency average = ([\d.]+) ms/.exec(stdout);
    if (!tps) throw new Error(`could not read pgbench output:\n${stdout}`);
    return { tps: Number(tps[1]), latencyMs: lat ? Number(lat[1]) : NaN, clients, seconds, scale };
  } finally {
    await target.drop();
  }
}
