import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConnectionException, DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';
import type { Database } from '../../persistence/database';
import type { PaymentEvents } from '../../services/events';
import { applyStatusReport } from '../../services/reconciliation/apply-status-report';
import { reconcileStatement } from '../../services/reconciliation/reconcile-statement';
import type { BankStatusChange, ReconciliationFinding } from '../../services/reconciliation/reconciliation.types';
import { parseCamt053 } from './camt053.parser';
import { parsePain002 } from './pain002.parser';
import { MalformedFileError, documentOf, parseXml } from './xml-read';

export interface InboxLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface InboxProcessorOptions {
  /** config.bank.iso20022.inboxDir; `processed/` and `failed/` are created below it. */
  inboxDir: string;
  /** Called after commit for every statement line reconciliation could not account for. */
  onUnmatched?: (finding: ReconciliationFinding) => Promise<void> | void;
  log?: InboxLogger;
  clock?: () => Date;
}

export type InboxResult =
  | { file: string; kind: 'pain.002' | 'camt.053'; outcome: 'processed'; changes: number; matched: number; findings: number; duplicate?: boolean }
  | { file: string; outcome: 'failed'; error: string }
  /** Not applied because the database, network or disk failed: left in the inbox for the next round. */
  | { file: string; outcome: 'retry'; error: string };

// SQLSTATE classes that say nothing about the file: connection (08), rollback for
// serialization/deadlock (40), resources (53), operator intervention incl. statement
// timeouts (57), system (58), internal (XX); plus lock and idle-session timeouts.
const TRANSIENT_SQLSTATE = /^(08|40|53|57|58|XX)[0-9A-Z]{3}$|^55P03$|^25P03$/;
// What pg and knex say when the connection itself is gone (these errors carry no code).
const TRANSIENT_MESSAGE = /Connection terminated|Timeout acquiring a connection|Client has encountered a connection error|not queryable|terminating connection|connection (is )?closed/i;

/**
 * True when the failure is ours, not the file's: a lost or exhausted database
 * connection, a deadlock or serialization failure, a timeout, a disk or network
 * error (Node's E… codes). Such a file is valid as far as we know and must be
 * retried, never parked in failed/. Looks through `cause` chains as well.
 */
export function isInfrastructureError(err: unknown): boolean {
  for (let e: any = err, depth = 0; e && depth < 5; e = e.cause, depth += 1) {
    if (e instanceof MalformedFileError) return false;
    if (e instanceof ConnectionException || e instanceof DeadlockException || e instanceof LockWaitTimeoutException) return true;
    const code = typeof e.code === 'string' ? e.code : typeof e.sqlState === 'string' ? e.sqlState : '';
    if (TRANSIENT_SQLSTATE.test(code) || /^E[A-Z0-9_]+$/.test(code)) return true;
    if (e.name === 'KnexTimeoutError' || (typeof e.message === 'string' && TRANSIENT_MESSAGE.test(e.message))) return true;
  }
  return false;
}

/**
 * Reads what the bank drops into the inbox: pain.002 status reports and camt.053
 * statements. Each file is applied in ONE transaction: it all commits, or nothing
 * of it is applied. A file we refuse (malformed, or content we cannot accept)
 * goes to `failed/` with a `.error.txt` beside it; a file that failed because of
 * us (database, network, disk: see isInfrastructureError) stays where it is and
 * the round stops, so the next round retries it in order. Applied files go to `processed/`. Files are taken in name order; names starting
 * with a dot or ending in .tmp/.part are uploads in progress and are left alone.
 * The app runs processAll as the `bank-inbox` Agenda job (src/jobs/operations-jobs.ts),
 * so one replica at a time reads the folder.
 */
export class InboxProcessor {
  private readonly clock: () => Date;

  constructor(
    private readonly db: Database,
    private readonly events: PaymentEvents,
    private readonly opts: InboxProcessorOptions,
  ) {
    this.clock = opts.clock ?? (() => new Date());
  }

  async processAll(): Promise<InboxResult[]> {
    const dir = this.opts.inboxDir;
    await mkdir(dir, { recursive: true });
    const names = (await readdir(dir)).filter((n) => !n.startsWith('.') && /\.xml$/i.test(n)).sort();
    const results: InboxResult[] = [];
    for (const name of names) {
      const s = await stat(path.join(dir, name)).catch(() => undefined);
      if (!s?.isFile()) continue;
      const r = await this.processFile(name);
      results.push(r);
      // The database or disk is in trouble: the later files would meet it too, and keep their order.
      if (r.outcome === 'retry') break;
    }
    return results;
  }

  private async processFile(name: string): Promise<InboxResult> {
    const file = path.join(this.opts.inboxDir, name);
    let applied: Applied;
    try {
      applied = await this.apply(name, await readFile(file, 'utf8'));
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      if (isInfrastructureError(err)) {
        this.opts.log?.error({ err, file: name }, 'bank file not applied (infrastructure error); left in the inbox for the next round');
        return { file: name, outcome: 'retry', error };
      }
      await this.moveTo('failed', name, error);
      this.opts.log?.warn({ file: name, error, malformed: err instanceof MalformedFileError }, 'bank file refused; moved to failed/');
      return { file: name, outcome: 'failed', error };
    }
    await this.moveTo('processed', name);
    // Status changes went into the outbox with the file's transaction (recordBankOutcome).
    for (const f of applied.findings) {
      try {
        await this.opts.onUnmatched?.(f);
      } catch (err) {
        this.opts.log?.error({ err, file: name }, 'reconciliation alert hook failed');
      }
    }
    for (const c of applied.conflicts)
      this.opts.log?.warn({ file: name, ...c }, 'bank report contradicts a final payment status; left unchanged');
    this.opts.log?.info({ file: name, kind: applied.kind, changes: applied.changes.length, matched: applied.matched, findings: applied.findings.length, duplicate: applied.duplicate }, 'bank file processed');
    return {
      file: name, kind: applied.kind, outcome: 'processed', changes: applied.changes.length, matched: applied.matched,
      findings: applied.findings.length, ...(applied.duplicate ? { duplicate: true } : {}),
    };
  }

  private async apply(name: string, xml: string): Promise<Applied> {
    const root = Object.keys(documentOf(parseXml(xml)) ?? {}).find((k) => !k.startsWith('@_'));
    const now = this.clock();
    if (root === 'CstmrPmtStsRpt') {
      const report = parsePain002(xml);
      const r = await this.db.tx((em) => applyStatusReport(em, report, now));
      return { kind: 'pain.002', changes: r.changes, findings: [], matched: 0, conflicts: r.conflicts, duplicate: false };
    }
    if (root === 'BkToCstmrStmt') {
      const statements = parseCamt053(xml);
      return this.db.tx(async (em) => {
        const acc: Applied = { kind: 'camt.053', changes: [], findings: [], matched: 0, conflicts: [], duplicate: true };
        for (const s of statements) {
          const r = await reconcileStatement(em, s, { fileName: name, now });
          acc.changes.push(...r.changes);
          acc.findings.push(...r.findings);
          acc.matched += r.matched.length;
          acc.duplicate &&= r.duplicate;
        }
        return acc;
      });
    }
    throw new MalformedFileError(root ? `unsupported ISO 20022 message ${root}` : 'no ISO 20022 Document element');
  }

  private async moveTo(folder: 'processed' | 'failed', name: string, error?: string): Promise<void> {
    const dir = path.join(this.opts.inboxDir, folder);
    await mkdir(dir, { recursive: true });
    // Never overwrite an earlier file of the same name: the bank may reuse names.
    let target = name;
    if (await stat(path.join(dir, target)).then(() => true, () => false)) target = `${name.replace(/\.xml$/i, '')}.${this.clock().getTime()}.xml`;
    await rename(path.join(this.opts.inboxDir, name), path.join(dir, target));
    if (error !== undefined) await writeFile(path.join(dir, `${target}.error.txt`), `${error}\n`, 'utf8');
  }
}

interface Applied {
  kind: 'pain.002' | 'camt.053';
  changes: BankStatusChange[];
  findings: ReconciliationFinding[];
  matched: number;
  conflicts: { reference: string; status: string; reported: string }[];
  duplicate: boolean;
}
