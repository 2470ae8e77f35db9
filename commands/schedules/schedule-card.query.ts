import type { Result } from '../../src/domain/result';
import { ok } from '../../src/domain/result';
import type { Database } from '../../src/persistence/database';
import { directory } from '../../src/persistence/repositories/directory.repository';
import type { ScheduleDetails, ScheduleService } from '../../src/services/schedules/schedule-service';
import type { ScheduleCardData } from './schedule-card.view';

/** The payee, account, requester, approver and pauser a schedule card shows next to the schedule itself. */
export async function loadScheduleCard(db: Database, details: ScheduleDetails): Promise<ScheduleCardData> {
  const s = details.schedule;
  return db.read(async (em) => {
    // One after another: an EntityManager must not run queries concurrently.
    const payee = await directory.payee(em, s.payeeId);
    const account = await directory.account(em, s.debtorAccountId);
    const requester = await directory.user(em, s.requesterId);
    const approver = s.approvedBy ? await directory.user(em, s.approvedBy) : undefined;
    const pauser = s.status === 'paused' && s.pausedBy ? await directory.user(em, s.pausedBy) : undefined;
    return { ...details, payee, account, requester, approver, pauser };
  });
}

/** The current card data of a schedule by id or reference (its next three runs computed now). */
export async function currentScheduleCard(deps: { schedules: ScheduleService; db: Database }, ref: string): Promise<Result<ScheduleCardData>> {
  const shown = await deps.schedules.show(ref);
  if (!shown.ok) return shown;
  return ok(await loadScheduleCard(deps.db, shown.value));
}
