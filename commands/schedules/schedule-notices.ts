import type { User } from '../../src/domain/directory';
import { directoryQuery } from '../../src/services/queries/directory.query';
import type { LocalisedView } from '../contracts';
import { scheduleCard, ScheduleCardData } from './schedule-card.view';
import { st } from './schedule-command.messages';
import type { ScheduleCommandDeps } from './schedule-replies';

/**
 * Direct messages about schedules: approvers get a new schedule's card with its
 * Approve / Reject buttons, and the requester hears the decision. Fire and
 * forget: the command has already answered; a failing surface is logged and
 * the other surfaces still deliver.
 */
export function noticeScheduleCreated(deps: ScheduleCommandDeps, data: ScheduleCardData): void {
  const notify = deps.notify;
  if (!notify) return;
  later(deps, 'schedule created', async () => {
    const users = await directoryQuery.users(deps.db);
    // Whoever may decide it: approvers and treasurers other than the requester (maker–checker).
    const deciders = users.filter(
      (u) => u.active && u.id !== data.schedule.requesterId && u.roles.some((r) => r === 'approver' || r === 'treasurer'),
    );
    const note = (locale: User['locale']) =>
      st(locale, 'SCHEDULE_CMD.NOTICE_PENDING', { requester: data.requester?.name ?? '?', reference: data.schedule.reference });
    await send(deps, deciders, (locale) => scheduleCard(data, { locale, timeZone: deps.timeZone, note: note(locale) }));
  });
}

export function noticeScheduleDecided(deps: ScheduleCommandDeps, data: ScheduleCardData, decider: User, reason?: string): void {
  const requester = data.requester;
  if (!deps.notify || !requester?.active || requester.id === decider.id) return;
  later(deps, 'schedule decided', async () => {
    const approved = data.schedule.status !== 'rejected';
    const note = (locale: User['locale']) =>
      st(locale, approved ? 'SCHEDULE_CMD.NOTICE_APPROVED' : 'SCHEDULE_CMD.NOTICE_REJECTED', {
        reference: data.schedule.reference, name: decider.name, reason: reason ?? '',
      });
    await send(deps, [requester], (locale) => scheduleCard(data, { locale, timeZone: deps.timeZone, note: note(locale) }));
  });
}

async function send(deps: ScheduleCommandDeps, users: User[], view: LocalisedView): Promise<void> {
  const { surfaces, log } = deps.notify!;
  await Promise.all(
    [...surfaces].flatMap((s) =>
      users.map(async (user) => {
        try {
          await s.notifyUser({ user, view });
        } catch (err) {
          log.error({ err, platform: s.platform, user: user.handle }, 'schedule notice failed on one surface; others continue');
        }
      }),
    ),
  );
}

function later(deps: ScheduleCommandDeps, what: string, task: () => Promise<void>): void {
  void task().catch((err) => deps.notify?.log.error({ err, what }, 'schedule notice failed'));
}
