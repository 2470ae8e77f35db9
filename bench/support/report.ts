/**
 * Shared output of every benchmark: one summary line per figure on stdout, and
 * with `--json <path>` the same figures plus the machine and commit, so runs on
 * different commits can be compared by a script rather than by eye.
 */
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** What the number was measured under (concurrency, counts…), printed after it. */
  note?: string;
}

export interface Args {
  get(name: string, fallback: number): number;
  str(name: string, fallback?: string): string | undefined;
  flag(name: string): boolean;
}

/** `--name value` and bare `--flag`; unknown names are ignored so wrappers can pass extras. */
export function parseArgs(argv = process.argv.slice(2)): Args {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const [k, inline] = a.slice(2).split('=', 2);
    if (inline !== undefined) values.set(k, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) values.set(k, argv[++i]);
    else values.set(k, 'true');
  }
  return {
    get(name, fallback) {
      const v = values.get(name);
      if (v === undefined) return fallback;
      const n = Number(v);
      if (!Number.isFinite(n)) throw new Error(`--${name} must be a number (got ${v})`);
      return n;
    },
    str: (name, fallback) => values.get(name) ?? fallback,
    flag: (name) => values.get(name) === 'true',
  };
}

/** Nearest-rank percentile of an unsorted sample (ms); NaN for an empty one. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function machine(): Record<string, string | number> {
  const sh = (cmd: string) => {
    try {
      return execSync(cmd, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    commit: sh('git rev-parse HEAD'),
    // Uncommitted changes make a figure hard to reproduce from the commit alone.
    dirty: sh('git status --porcelain') === '' ? 'no' : 'yes',
  };
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v >= 100 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(3));

export class Report {
  readonly figures: Figure[] = [];
  private readonly extra: Record<string, unknown> = {};

  constructor(readonly bench: string, readonly params: Record<string, unknown>) {}

  /** Prints the figure's summary line at once, so a run cut short still shows what it measured. */
  add(name: string, value: number, unit: string, note?: string): void {
    this.figures.push({ name, value, unit, note });
    process.stdout.write(`${this.bench}.${name}: ${fmt(value)} ${unit}${note ? `  (${note})` : ''}\n`);
  }

  /** Non-figure context for the JSON (EXPLAIN plans, PostgreSQL version…). */
  attach(key: string, value: unknown): void {
    this.extra[key] = value;
  }

  write(path: string | undefined): void {
    if (!path) return;
    const body = { bench: this.bench, at: new Date().toISOString(), machine: machine(), params: this.params, figures: this.figures, ...this.extra };
    writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
    process.stdout.write(`wrote ${path}\n`);
  }
}

/** Progress and explanations go to stderr so stdout stays the figures only. */
export const note = (msg: string): void => void process.stderr.write(`${msg}\n`);
