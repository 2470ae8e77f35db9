/**
 * The payment core wired the way src/app.ts wires it (same services, same
 * sandbox bank, same outbox), minus HTTP and chat, plus one lifecycle function
 * the lifecycle benchmark runs many of at once.
 */
import { SandboxBank } from '../../src/banks/sandbox-bank';
import type { Database } from '../../src/persistence/database';
import { BankOutbox } from '../../src/services/bank/bank-outbox';
import { PaymentEvents } from '../../src/services/events';
import { anomalyCheckFor, preSubmitCheckFor } from '../../src/services/monitoring/anomaly-check';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { Fixture, seedFixture } from '../../test/support/fixtures';

export type Phase = 'create' | 'approve' | 'submit' | 'settle';

export interface World {
  f: Fixture;
  create: CreatePayment;
  decide: DecideApproval;
  outbox: BankOutbox;
  events: PaymentEvents;
  /** Opening balance of the one account every payment debits. */
  opening: bigint;
}

// Enough that no run of the benchmark is refused for insufficient funds.
const OPENING = 10n ** 15n;

export async function buildWorld(db: Database): Promise<World> {
  const f = await seedFixture(db, { balanceMinor: OPENING });
  const events = new PaymentEvents();
  // Settle delay 0: the benchmark measures our transactions, not the sandbox's pretend clearing time.
  const bank = new SandboxBank(db, 0);
  // The anomaly rules run on creation and again before submission, as src/app.ts wires them.
  const anomaly = { timezone: 'Asia/Shanghai' };
  return {
    f, events, opening: OPENING,
    create: new CreatePayment(db, events, anomalyCheckFor(anomaly)),
    decide: new DecideApproval(db, events),
    outbox: new BankOutbox(db, bank, events, undefined, undefined, preSubmitCheckFor(anomaly)),
  };
}

/** ¥500,000 needs two approvals (one a treasurer); ¥50,000 needs one (see CNY_TIERS). */
export const amountFor = (approvals: 1 | 2): bigint => (approvals === 2 ? 50_000_000n : 5_000_000n);

/**
 * One payment from request to settlement, every step its own transaction as in
 * production: create, each vote, the outbox's submission (plus the bank's own
 * transaction), the status poll that records settlement. Throws on any refusal,
 * because a benchmark that silently counts refusals measures nothing.
 */
export async function lifecycle(w: World, i: number, approvals: 1 | 2, phases: Map<Phase, number[]>, tag: string): Promise<void> {
  const time = async <T>(phase: Phase, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await fn();
    phases.get(phase)?.push(performance.now() - t0) ?? phases.set(phase, [performance.now() - t0]);
    return r;
  };
  const created = await time('create', () =>
    w.create.execute({
      source: 'api', idempotencyKey: `${tag}-${i}`, debtorAccountId: w.f.accountId, payeeId: w.f.knownPayeeId,
      // A different amount each time: identical ones would (rightly) be flagged as duplicates.
      amount: { minor: amountFor(approvals) + BigInt(i), currency: 'CNY' }, purpose: `bench ${tag} ${i}`,
      requesterId: w.f.users.requester, actor: 'api:bench',
    }),
  );
  if (!created.ok) throw new Error(`create refused: ${created.code}`);
  const id = created.value.payment.id;
  const voters = approvals === 2 ? [w.f.users.approver, w.f.users.treasurer] : [w.f.users.approver];
  for (const approverId of voters) {
    const d = await time('approve', () => w.decide.execute({ paymentId: id, approverId, decision: 'approve', via: 'bench' }));
    if (!d.ok) throw new Error(`vote refused: ${d.code}`);
  }
  if (!(await time('submit', () => w.outbox.submitOne(id)))) throw new Error(`payment ${id} was not submitted`);
  if (!(await time('settle', () => w.outbox.pollOne(id)))) throw new Error(`payment ${id} did not settle`);
}

/** Runs `count` lifecycles on `concurrency` workers; returns wall time and each lifecycle's latency. */
export async function runLifecycles(
  w: World, o: { count: number; concurrency: number; approvals: 1 | 2; tag: string },
): Promise<{ wallMs: number; latencies: number[]; phases: Map<Phase, number[]> }> {
  const latencies: number[] = [];
  const phases = new Map<Phase, number[]>();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < o.count; i = next++) {
      const t0 = performance.now();
      await lifecycle(w, i, o.approvals, phases, o.tag);
      latencies.push(performance.now() - t0);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return { wallMs: performance.now() - started, latencies, phases };
}
