import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database, Tx } from '../../persistence/database';
import { BankBalance, BankGateway, PaymentInstruction, SubmitOutcome, TransferStatus } from '../bank-gateway';
import { BatchRow, batchStore } from './batch-store';
import { buildPain001 } from './pain001.builder';

export interface FileGatewayOptions {
  /** Where pain.001 files appear for the bank connector (config.bank.iso20022.outboxDir). */
  outboxDir: string;
  /** InitgPty/Nm in every file: the company as the bank knows it. */
  initiatingParty?: string;
  /** "Today" for execution dates is the business day in this zone. */
  timezone?: string;
  clock?: () => Date;
}

/** A file write prepared inside the transaction, made visible only after the commit. */
interface PendingWrite {
  batch: BatchRow;
  /** The claim was an empty marker for a brand-new file (nothing to restore on rollback). */
  fresh: boolean;
}

const exists = (p: string) => stat(p).then(() => true, () => false);

/**
 * The ISO 20022 bank gateway: approved payments become pain.001.001.09 credit
 * transfers, one file per debtor account and execution date, extended while it
 * still waits in the outbox. pain.002 reports and camt.053 statements come back
 * through the InboxProcessor, which records what status() and balance() answer.
 *
 * No second instruction, ever: an end-to-end id belongs to one batch (primary key),
 * and a batch's file is only rewritten while we hold it. Rewriting starts by
 * renaming the file to a hidden `.claim` (an atomic grab: if the connector took it
 * first, the rename fails and the batch is sealed, so new payments start a new
 * file with a new MsgId). The new file is written to a hidden `.tmp` inside the
 * transaction and renamed into place only after commit. A crash leaves the claim
 * behind; the next touch of that batch (or recover()) rebuilds the file from the
 * database, which is the truth. The connector must MOVE files out of the outbox
 * and ignore names starting with a dot.
 */
export class FileGateway implements BankGateway {
  readonly name = 'iso20022';
  private readonly initiatingParty: string;
  private readonly clock: () => Date;
  private readonly dateFormat: Intl.DateTimeFormat;

  constructor(
    private readonly db: Database,
    private readonly opts: FileGatewayOptions,
  ) {
    this.initiatingParty = opts.initiatingParty ?? 'paydesk';
    this.clock = opts.clock ?? (() => new Date());
    this.dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: opts.timezone ?? 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  async submit(i: PaymentInstruction): Promise<SubmitOutcome> {
    await mkdir(this.opts.outboxDir, { recursive: true });
    const now = this.clock();
    const today = this.dateFormat.format(now);
    // Banks refuse execution dates in the past; a payment approved late goes out today.
    const date = i.executionDate && i.executionDate > today ? i.executionDate : today;
    let pending: PendingWrite | undefined;
    try {
      await this.db.tx(async (em) => {
        pending = undefined;
        // Locked before looking, so two submissions of one instruction cannot both miss it.
        await batchStore.lockKey(em, i.debtor.accountNumber, date);
        const existing = await batchStore.link(em, i.endToEndId);
        if (existing) {
          // A repeat (our commit or the caller's was lost): already instructed, only finish an interrupted write.
          pending = await this.finishInterrupted(em, await batchStore.batch(em, existing.batchId));
          return;
        }
        let batch = await batchStore.openBatch(em, i.debtor.accountNumber, date);
        let fresh = false;
        if (batch && !(await this.claim(batch))) {
          await batchStore.seal(em, batch.id, now);
          batch = undefined;
        }
        if (!batch) {
          batch = await batchStore.createBatch(em, {
            accountNumber: i.debtor.accountNumber, currency: i.amount.currency, executionDate: date, createdAt: now,
            debtor: { name: i.debtor.name, accountNumber: i.debtor.accountNumber, bankName: i.debtor.bankName, ...(i.debtor.bic ? { bic: i.debtor.bic } : {}) },
          });
          await writeFile(this.claimPath(batch), '');
          fresh = true;
        }
        pending = { batch, fresh };
        await batchStore.addLink(em, batch.id, i, now);
        await this.writeTmp(em, batch);
      });
    } catch (err) {
      if (pending) await this.undo(pending);
      throw err;
    }
    if (pending) await this.publish(pending.batch);
    return { status: 'accepted' };
  }

  /** What the last pain.002 (or a booked statement entry) said about this instruction. */
  async status(endToEndId: string): Promise<TransferStatus> {
    const link = await this.db.read((em) => batchStore.link(em, endToEndId));
    if (!link) return { status: 'unknown' };
    if (link.status === 'ACSC' || link.status === 'ACCC') return { status: 'settled', at: link.statusAt ?? new Date() };
    if (link.status === 'RJCT') {
      const reason = link.statusReason ?? 'NARR rejected by the bank';
      return { status: 'failed', code: reason.slice(0, 4), reason };
    }
    return { status: 'pending' };
  }

  /** The closing balance of the latest camt.053 read for this account. */
  async balance(accountNumber: string): Promise<BankBalance | undefined> {
    const b = await this.db.read((em) => batchStore.latestBalance(em, accountNumber));
    return b && { accountNumber, balance: { minor: b.minor, currency: b.currency }, asOf: b.asOf };
  }

  /** Finishes file writes a crash interrupted; run at start-up. Returns how many files were rebuilt. */
  async recover(): Promise<number> {
    const batches = await this.db.read((em) => batchStore.openBatches(em));
    let rebuilt = 0;
    for (const b of batches) {
      if (!(await exists(this.claimPath(b)))) continue;
      const pending = await this.db.tx((em) => this.finishInterrupted(em, b));
      if (pending) {
        await this.publish(pending.batch);
        rebuilt += 1;
      }
    }
    return rebuilt;
  }

  private async finishInterrupted(em: Tx, batch: BatchRow): Promise<PendingWrite | undefined> {
    await batchStore.lockKey(em, batch.accountNumber, batch.executionDate);
    if (!(await exists(this.claimPath(batch)))) return undefined;
    if (await exists(this.finalPath(batch))) {
      // Crashed after publishing but before dropping the claim: the visible file is complete.
      await unlink(this.claimPath(batch));
      return undefined;
    }
    await this.writeTmp(em, batch);
    return { batch, fresh: false };
  }

  /** Takes the batch's file out of the connector's sight; false when the connector already took it. */
  private async claim(batch: BatchRow): Promise<boolean> {
    try {
      // Also replaces a stale claim left by a crash after publishing: the visible file is the newer one.
      await rename(this.finalPath(batch), this.claimPath(batch));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      // No visible file: either a crash left our claim (still ours), or the file was collected.
      return exists(this.claimPath(batch));
    }
  }

  private async writeTmp(em: Tx, batch: BatchRow): Promise<void> {
    const xml = buildPain001(await batchStore.message(em, batch, this.initiatingParty));
    await writeFile(this.tmpPath(batch), xml, 'utf8');
  }

  private async publish(batch: BatchRow): Promise<void> {
    await rename(this.tmpPath(batch), this.finalPath(batch));
    await unlink(this.claimPath(batch)).catch(() => undefined);
  }

  /**
   * The transaction rolled back. A fresh batch never existed; an extended one is
   * rebuilt from what the database still holds (the claimed copy may predate a
   * committed instruction, so it is never restored as is).
   */
  private async undo(p: PendingWrite): Promise<void> {
    await unlink(this.tmpPath(p.batch)).catch(() => undefined);
    if (p.fresh) {
      await unlink(this.claimPath(p.batch)).catch(() => undefined);
      return;
    }
    try {
      const again = await this.db.tx((em) => this.finishInterrupted(em, p.batch));
      if (again) await this.publish(again.batch);
    } catch {
      // The claim stays; the next submit for this batch or recover() rebuilds the file.
    }
  }

  private finalPath(b: BatchRow): string {
    return path.join(this.opts.outboxDir, b.fileName);
  }
  private claimPath(b: BatchRow): string {
    return path.join(this.opts.outboxDir, `.${b.fileName}.claim`);
  }
  private tmpPath(b: BatchRow): string {
    return path.join(this.opts.outboxDir, `.${b.fileName}.tmp`);
  }
}
