import type { Result } from '../../src/domain/result';
import { ok } from '../../src/domain/result';
import type { Database } from '../../src/persistence/database';
import { loadScheduleParties } from '../../src/services/queries/schedule-parties.query';
import type { ScheduleDetails, ScheduleService } from '../../src/services/schedules/schedule-service';
import type { ScheduleCardData } from './schedule-card.view';

/** The payee, account, requester, approver and pauser a schedule card shows next to the schedule itself. */
export async function loadScheduleCard(db: Database, details: ScheduleDetails): Promise<ScheduleCardData> {
  return { ...details, ...(await loadScheduleParties(db, details.schedule)) };
}

/** The current card data of a schedule by id or reference (its next three runs computed now). */
export async function currentScheduleCard(deps: { schedules: ScheduleService; db: Database }, ref: string): Promise<Result<ScheduleCardData>> {
  const shown = await deps.schedules.show(ref);
  if (!shown.ok) return shown;
  return ok(await loadScheduleCard(deps.db, shown.value));
}
