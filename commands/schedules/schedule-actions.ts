import type { User } from '../../src/domain/directory';
import type { Locale } from '../../src/domain/locale';
import type { ExtraActionHandler } from '../command-context';
import type { ActionReply, ActionRequest } from '../contracts';
import { message } from '../view/view';
import { currentScheduleCard } from './schedule-card.query';
import { SCHEDULE_ACTION_IDS, scheduleCard, ScheduleCardData } from './schedule-card.view';
import { st } from './schedule-command.messages';
import { noticeScheduleDecided } from './schedule-notices';
import { ScheduleCommandDeps, scheduleRefusal } from './schedule-replies';
import { parseButtonValue } from '../shared/button-value';


// The schedule moved on (someone else decided, or it was cancelled): show what is true now.
const SHOW_CURRENT = new Set(['SCHEDULE.NOT_PENDING', 'SCHEDULE.FINISHED']);

export type ScheduleDecision = { kind: 'approve' } | { kind: 'reject'; reason: string };

/**
 * Approve or reject a pending schedule, from a button or a typed command. The
 * service checks maker–checker, role and status under the schedule's row lock;
 * the answer carries the up-to-date card either way.
 */
export async function decideSchedule(
  deps: ScheduleCommandDeps,
  user: User,
  locale: Locale,
  reference: string,
  decision: ScheduleDecision,
): Promise<ActionReply> {
  const r =
    decision.kind === 'approve'
      ? await deps.schedules.approveSchedule(reference, user.id)
      : await deps.schedules.rejectSchedule(reference, user.id, decision.reason);
  if (!r.ok) {
    const current = SHOW_CURRENT.has(r.code) ? await currentScheduleCard(deps, reference) : undefined;
    return refused(scheduleRefusal(locale, r).text, current?.ok ? cardFor(deps, current.value, locale) : undefined);
  }
  const data = await currentScheduleCard(deps, r.value.id);
  if (!data.ok) throw new Error(`schedule ${r.value.reference} vanished right after it was decided`);
  noticeScheduleDecided(deps, data.value, user, decision.kind === 'reject' ? decision.reason : undefined);
  const text = st(locale, decision.kind === 'approve' ? 'SCHEDULE_CMD.APPROVED' : 'SCHEDULE_CMD.REJECTED', { reference: r.value.reference });
  return { visibility: 'ephemeral', view: message('good', text), card: cardFor(deps, data.value, locale, text), toast: { tone: 'good', text } };
}

/**
 * The `schedule.approve` / `schedule.reject` buttons, for the router's
 * extraActions. A tap from an out-of-date card (the schedule changed since it
 * was drawn) acts on nothing and shows the current card instead. A repeated
 * tap therefore lands on a schedule that is no longer pending and is refused by
 * the service: no interaction receipt is needed to act once.
 */
export function scheduleActions(deps: ScheduleCommandDeps): Record<string, ExtraActionHandler> {
  const handle: ExtraActionHandler = (req, user) => handleScheduleAction(deps, req, user);
  return { [SCHEDULE_ACTION_IDS.approve]: handle, [SCHEDULE_ACTION_IDS.reject]: handle };
}

async function handleScheduleAction(deps: ScheduleCommandDeps, req: ActionRequest, user: User): Promise<ActionReply> {
  const locale = user.locale ?? deps.defaultLocale;
  const parsed = parseButtonValue(req.value);
  if (!parsed) return refused(st(locale, 'SCHEDULE_CMD.BAD_ACTION_VALUE'));
  const current = await currentScheduleCard(deps, parsed.id);
  if (!current.ok) return refused(scheduleRefusal(locale, current).text);
  const s = current.value.schedule;

  const reason = req.reason?.trim();
  if (req.actionId === SCHEDULE_ACTION_IDS.reject && !reason) {
    const text = st(locale, 'SCHEDULE_CMD.ASK_REJECT_REASON', { reference: s.reference });
    return { visibility: 'ephemeral', view: message('warning', text), toast: { tone: 'warning', text } };
  }
  if (s.version !== parsed.v) {
    const text = st(locale, 'SCHEDULE_CMD.STALE_CARD', { reference: s.reference });
    return refused(text, cardFor(deps, current.value, locale), 'info');
  }
  const decision: ScheduleDecision = req.actionId === SCHEDULE_ACTION_IDS.approve ? { kind: 'approve' } : { kind: 'reject', reason: reason! };
  return decideSchedule(deps, user, locale, s.reference, decision);
}

const cardFor = (deps: ScheduleCommandDeps, data: ScheduleCardData, locale: Locale, note?: string) =>
  scheduleCard(data, { locale, timeZone: deps.timeZone, ...(note ? { note } : {}) });

function refused(text: string, card?: ReturnType<typeof cardFor>, tone: 'warning' | 'info' = 'warning'): ActionReply {
  return { visibility: 'ephemeral', view: message(tone, text), toast: { tone, text }, ...(card ? { card } : {}) };
}
