import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../../persistence/database';
import type { PaymentEvents } from '../../services/events';
import { applyStatusReport } from '../../services/reconciliation/apply-status-report';
import { reconcileStatement } from '../../services/reconciliation/reconcile-statement';
import type { BankStatusChange, ReconciliationFinding } from '../../services/reconciliation/reconciliation.types';
import { parseCamt053 } from './camt053.parser';
import { parsePain002 } from './pain002.parser';
import { MalformedFileError, parseXml } from './xml-read';

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
  | { file: string; outcome: 'failed'; error: string };

/**
 * Reads what the bank drops into the inbox: pain.002 status reports and camt.053
 * statements. Each file is applied in ONE transaction: it all commits, or the file
 * goes to `failed/` with a `.error.txt` beside it and nothing of it is applied.
 * Applied files go to `processed/`. Files are taken in name order; names starting
 * with a dot or ending in .tmp/.part are uploads in progress and are left alone.
 */
export class InboxProcessor {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;
  private readonly clock: () => Date;

  constructor(
    private readonly db: Database,
    private readonly events: PaymentEvents,
    private readonly opts: InboxProcessorOptions,
  ) {
    this.clock = opts.clock ?? (() => new Date());
  }

  start(intervalMs: number): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.processAll()
        .catch((err) => this.opts.log?.error({ err }, 'bank inbox round failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, intervalMs);
        });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  async processAll(): Promise<InboxResult[]> {
    const dir = this.opts.inboxDir;
    await mkdir(dir, { recursive: true });
    const names = (await readdir(dir)).filter((n) => !n.startsWith('.') && /\.xml$/i.test(n)).sort();
    const results: InboxResult[] = [];
    for (const name of names) {
      const s = await stat(path.join(dir, name)).catch(() => undefined);
      if (s?.isFile()) results.push(await this.processFile(name));
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
      await this.moveTo('failed', name, error);
      this.opts.log?.warn({ file: name, error, malformed: err instanceof MalformedFileError }, 'bank file refused; moved to failed/');
      return { file: name, outcome: 'failed', error };
    }
    await this.moveTo('processed', name);
    // After commit, like every service: listeners and alerts never undo what the file applied.
    for (const c of applied.changes) this.events.publish({ type: 'payment.status_changed', payment: c.payment, from: c.from });
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
    const root = Object.keys(parseXml(xml).Document ?? {}).find((k) => !k.startsWith('@_'));
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
