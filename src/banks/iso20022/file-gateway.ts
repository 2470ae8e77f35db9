import { mkdir, open, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Database, Tx } from '../../persistence/database';
import { BankTextProfile, toBankText } from '../../domain/bank-text';
import { BankBalance, BankGateway, PaymentInstruction, SubmitOutcome, TransferStatus } from '../bank-gateway';
import { BatchRow, batchStore } from './batch-store';
import { buildPain001 } from './pain001.builder';

export interface FileGatewayOptions {
  /** Where pain.001 files appear for the bank connector (config.bank.iso20022.outboxDir). */
  outboxDir: string;
  /**
   * Only when no directory was loaded (tests seeding rows directly): the company's
   * legal name from the directory is what files say as initiating party and debtor.
   */
  initiatingParty?: string;
  /** The bank's character set; every text is converted (or the instruction refused) before it joins a batch. */
  textProfile?: BankTextProfile;
  /** "Today" for execution dates is the business day in this zone. */
  timezone?: string;
  /**
   * An open batch older than this is published by the next submit or publishDue(),
   * even if nobody calls flush(): a backstop, not the normal way out. 5 s by default.
   */
  publishAfterMs?: number;
  /** Hears about backstop publishes that failed (flush() and publishDue() throw instead). */
  log?: { warn(obj: object, msg: string): void };
  clock?: () => Date;
}

type BankForm = { ok: true; instruction: PaymentInstruction } | { ok: false; code: string; field: string; char: string };

/** The instruction with every free text in the bank's character set (see domain/bank-text.ts). */
function bankFormOf(i: PaymentInstruction, profile: BankTextProfile): BankForm {
  const texts = {
    purpose: i.purpose, 'debtor name': i.debtor.name, 'debtor bank': i.debtor.bankName,
    'creditor name': i.creditor.name, 'creditor bank': i.creditor.bankName,
  };
  const out: Record<string, string> = {};
  for (const [field, text] of Object.entries(texts)) {
    const r = toBankText(text, profile, field);
    if (!r.ok) return { ok: false, code: r.code, field, char: String(r.params?.char ?? '') };
    out[field] = r.value;
  }
  return {
    ok: true,
    instruction: {
      ...i,
      purpose: out.purpose,
      debtor: { ...i.debtor, name: out['debtor name'], bankName: out['debtor bank'] },
      creditor: { ...i.creditor, name: out['creditor name'], bankName: out['creditor bank'] },
    },
  };
}

const exists = (p: string) => stat(p).then(() => true, () => false);

/** Writes and fsyncs, so a committed "staged" state never points at a file a power cut emptied. */
async function writeDurably(file: string, text: string): Promise<void> {
  const fh = await open(file, 'w');
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes a rename durable. Not every platform can fsync a directory; there it is best effort. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => undefined);
  if (!fh) return;
  try {
    await fh.sync();
  } catch {
    // EISDIR/EPERM on some platforms: nothing more we can do.
  } finally {
    await fh.close();
  }
}

/**
 * The ISO 20022 bank gateway: approved payments become pain.001.001.09 credit
 * transfers, one message per debtor account and execution date and round.
 * pain.002 reports and camt.053 statements come back through the InboxProcessor,
 * which records what status() and balance() answer.
 *
 * A visible file is NEVER modified: a connector that copies instead of moving
 * would otherwise send one MsgId twice. So a batch lives in three states:
 *  - open: it collects payments in the database only; nothing is in the outbox.
 *  - sealed: it takes no more payments; its complete file is staged under a
 *    hidden `.<name>.tmp` (fsynced) in the same transaction that seals it.
 *  - published: the staged file was renamed to `pain.001.001.09-<MsgId>.xml`
 *    (atomic), under the batch's lock. The batch is closed forever; the next
 *    payment starts a new batch with a new MsgId.
 * flush() seals and publishes every open batch (called at the end of each outbox
 * round); publishDue() only those older than `publishAfterMs`, and runs after
 * every submit and status poll as a backstop. Both finish sealed batches a crash left unpublished:
 * a staged file still there means the rename never happened; no staged file under
 * a sealed batch means it did (the crash came before recording it), so it is only
 * recorded, never written again. An end-to-end id belongs to one batch (primary
 * key), and a batch is published once: no instruction is ever sent twice.
 */
export class FileGateway implements BankGateway {
  readonly name = 'iso20022';
  private readonly fallbackLegalName?: string;
  private readonly clock: () => Date;
  private readonly dateFormat: Intl.DateTimeFormat;
  private readonly publishAfterMs: number;

  constructor(
    private readonly db: Database,
    private readonly opts: FileGatewayOptions,
  ) {
    this.fallbackLegalName = opts.initiatingParty;
    this.clock = opts.clock ?? (() => new Date());
    this.publishAfterMs = opts.publishAfterMs ?? 5_000;
    this.dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: opts.timezone ?? 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  /** Adds the instruction to the open batch of its account and date; it goes out when that batch is published. */
  async submit(given: PaymentInstruction): Promise<SubmitOutcome> {
    // The account holder is the company, under its registered name, not the account's nickname in paydesk.
    const legalName = (await this.db.read((em) => batchStore.companyLegalName(em))) ?? this.fallbackLegalName;
    if (!legalName) return { status: 'rejected', code: 'NARR', reason: 'no company legal name: load the directory (company.legalName) before paying by file' };
    const raw = { ...given, debtor: { ...given.debtor, name: legalName } };
    // The edges refuse what the bank cannot carry; this is the last gate, since a published file is never rewritten.
    const safe = bankFormOf(raw, this.opts.textProfile ?? 'cnaps');
    if (!safe.ok) return { status: 'rejected', code: 'NARR', reason: `${safe.code} ${safe.field} ${safe.char}` };
    const i = safe.instruction;
    const now = this.clock();
    const today = this.dateFormat.format(now);
    // Banks refuse execution dates in the past; a payment approved late goes out today.
    const date = i.executionDate && i.executionDate > today ? i.executionDate : today;
    const earlier = await this.db.tx(async (em) => {
      // Locked before looking, so two submissions of one instruction cannot both miss it.
      await batchStore.lockKey(em, i.debtor.accountNumber, date);
      // A repeat (our commit or the caller's was lost): already instructed, never a second time.
      const link = await batchStore.link(em, i.endToEndId);
      if (link) return link;
      const batch =
        (await batchStore.openBatch(em, i.debtor.accountNumber, date)) ??
        (await batchStore.createBatch(em, {
          accountNumber: i.debtor.accountNumber, currency: i.amount.currency, executionDate: date, createdAt: now,
          debtor: { name: i.debtor.name, accountNumber: i.debtor.accountNumber, bankName: i.debtor.bankName, ...(i.debtor.bic ? { bic: i.debtor.bic } : {}) },
        }));
      await batchStore.addLink(em, batch.id, i, now);
      return undefined;
    });
    if (earlier?.published) return { status: 'accepted' };
    await this.backstop();
    // Not submitted yet: the bank sees nothing until the batch's file is published (flush, or the backstop).
    return { status: 'queued' };
  }

  /** Seals and publishes every open batch, and finishes interrupted publishes. Returns how many files appeared. */
  flush(): Promise<number> {
    return this.publishOlderThan(0);
  }

  /** Publishes open batches older than `publishAfterMs` and finishes interrupted publishes. */
  publishDue(): Promise<number> {
    return this.publishOlderThan(this.publishAfterMs);
  }

  /** Run at start-up: finishes publishes a crash interrupted (and overdue batches). Returns how many files appeared. */
  recover(): Promise<number> {
    return this.publishDue();
  }

  /** What the last pain.002 (or a booked statement entry) said about this instruction. */
  async status(endToEndId: string): Promise<TransferStatus> {
    // The outbox asks about every submitted payment each round: an overdue batch nobody flushed goes out now at the latest.
    await this.backstop();
    const link = await this.db.read((em) => batchStore.link(em, endToEndId));
    if (!link) return { status: 'unknown' };
    if (!link.published && !link.status) return { status: 'queued' };
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

  /**
   * publishDue() beside submit and status: its failure (one stuck batch) must not stop
   * unrelated payments or status polls; flush() at the end of the round reports it.
   */
  private async backstop(): Promise<void> {
    try {
      await this.publishDue();
    } catch (err) {
      this.opts.log?.warn({ err }, 'publishing overdue pain.001 files failed; the next round retries');
    }
  }

  private async publishOlderThan(minAgeMs: number): Promise<number> {
    const now = this.clock();
    const batches = await this.db.read((em) => batchStore.unpublished(em));
    let published = 0;
    let failure: unknown;
    for (const b of batches) {
      // Sealed batches are interrupted publishes: always finished. Open ones wait until due.
      if (!b.sealedAt && now.getTime() - b.createdAt.getTime() < minAgeMs) continue;
      try {
        if (await this.publish(b, now)) published += 1;
      } catch (err) {
        // One stuck batch must not hold back the others; the caller still hears about it.
        failure ??= err;
      }
    }
    if (failure) throw failure;
    return published;
  }

  /** Seals (if still open) and publishes one batch; true when its file appeared now. */
  private async publish(b: BatchRow, now: Date): Promise<boolean> {
    await mkdir(this.opts.outboxDir, { recursive: true });
    // Step 1: seal, and stage the complete file hidden before the seal commits.
    const sealed = await this.db.tx(async (em) => {
      const current = await this.lockedState(em, b);
      if (current.publishedAt) return false;
      if (!current.sealedAt) {
        await batchStore.seal(em, b.id, now);
        await this.stage(em, b);
      }
      return true;
    });
    if (!sealed) return false;
    // Step 2: under the lock again, so no other process can stage or rename this batch meanwhile.
    return this.db.tx(async (em) => {
      const current = await this.lockedState(em, b);
      if (current.publishedAt) return false;
      let appeared = false;
      if (await exists(this.tmpPath(b))) {
        if (await exists(this.finalPath(b))) throw new Error(`${b.fileName} is already in the outbox; refusing to overwrite it`);
        // Rebuilt from the sealed batch (deterministic), so a staged copy damaged by a crash never goes out.
        await this.stage(em, b);
        await rename(this.tmpPath(b), this.finalPath(b));
        await syncDir(this.opts.outboxDir);
        appeared = true;
      }
      // Without a staged file the rename already happened (a crash came before this mark): only record it.
      await batchStore.markPublished(em, b.id, now);
      return appeared;
    });
  }

  private async lockedState(em: Tx, b: BatchRow): Promise<BatchRow> {
    await batchStore.lockKey(em, b.accountNumber, b.executionDate);
    return batchStore.batch(em, b.id);
  }

  private async stage(em: Tx, batch: BatchRow): Promise<void> {
    // The debtor name was fixed when the batch opened (the legal name then), so a rebuild is byte-identical.
    const xml = buildPain001(await batchStore.message(em, batch, batch.debtor.name));
    await writeDurably(this.tmpPath(batch), xml);
  }

  private finalPath(b: BatchRow): string {
    return path.join(this.opts.outboxDir, b.fileName);
  }
  private tmpPath(b: BatchRow): string {
    return path.join(this.opts.outboxDir, `.${b.fileName}.tmp`);
  }
}
