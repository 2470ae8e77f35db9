import { User, mayRequest } from '../../src/domain/directory';
import type { Locale } from '../../src/domain/locale';
import type { Refusal, Result } from '../../src/domain/result';
import type { PaymentSchedule, ScheduleStatus } from '../../src/domain/schedule';
import { directoryQuery } from '../../src/services/queries/directory.query';
import type { ExtraCommandHandler } from '../command-context';
import { chooseAccount, resolvePayee } from '../resolve/resolve-directory';
import { Reply, message } from '../view/view';
import { parseHolidayArgs, parseScheduleCommand } from './parse-schedule-command';
import { decideSchedule } from './schedule-actions';
import { currentScheduleCard, loadScheduleCard } from './schedule-card.query';
import { scheduleCard } from './schedule-card.view';
import { st } from './schedule-command.messages';
import type { NewScheduleCommand, ScheduleCommand, ScheduleListFilter, ScheduleParseResult, ScheduleUsageKey } from './schedule-command.types';
import { holidaysView, scheduleListView } from './schedule-list.view';
import { noticeScheduleCreated } from './schedule-notices';
import { ScheduleCommandDeps, scheduleHelpView, scheduleRefusal } from './schedule-replies';

export type { ScheduleCommandDeps } from './schedule-replies';

const LIVE: ScheduleStatus[] = ['pending_approval', 'active', 'paused'];
const LIST_MAX = 40;

type Ctx = { deps: ScheduleCommandDeps; user: User; locale: Locale };

/**
 * `/pay schedule …` (`/付款 定时 …`) for the router's extraCommands: create,
 * list, show, pause, resume, cancel, approve and reject recurring payments,
 * and the holiday calendar. Every rule is enforced again by ScheduleService
 * inside its transaction; this layer only reads names and words.
 */
export function scheduleCommand(deps: ScheduleCommandDeps): ExtraCommandHandler {
  return ({ user, locale, args }) => run({ deps, user, locale }, parseScheduleCommand(args));
}

/** `/pay holidays …` (`/付款 节假日 …`): the holiday calendar as a command of its own. */
export function holidaysCommand(deps: ScheduleCommandDeps): ExtraCommandHandler {
  return ({ user, locale, args }) => run({ deps, user, locale }, parseHolidayArgs(args));
}

async function run(ctx: Ctx, parsed: ScheduleParseResult): Promise<Reply> {
  if (!parsed.ok) return refused(ctx, parsed, parsed.usage);
  return execute(ctx, parsed.command);
}

async function execute(ctx: Ctx, cmd: ScheduleCommand): Promise<Reply> {
  const { deps, user, locale } = ctx;
  switch (cmd.kind) {
    case 'help':
      return reply(scheduleHelpView(locale));
    case 'new':
      return create(ctx, cmd);
    case 'list':
      return list(ctx, cmd.filter);
    case 'show':
      return cardReply(ctx, cmd.reference);
    case 'pause':
      return change(ctx, await deps.schedules.pause(cmd.reference, user.id), 'SCHEDULE_CMD.PAUSED');
    case 'resume':
      return change(ctx, await deps.schedules.resume(cmd.reference, user.id), 'SCHEDULE_CMD.RESUMED');
    case 'cancel':
      return change(ctx, await deps.schedules.cancel(cmd.reference, user.id, cmd.reason), 'SCHEDULE_CMD.CANCELLED');
    case 'approve':
    case 'reject': {
      const decision = cmd.kind === 'reject' ? { kind: 'reject' as const, reason: cmd.reason } : { kind: 'approve' as const };
      const r = await decideSchedule(deps, user, locale, cmd.reference, decision);
      // Typed, the card with its note says it all; a refusal stays a sentence.
      return reply(r.card && r.toast?.tone === 'good' ? r.card : r.view);
    }
    case 'holidays':
      return holidays(ctx, cmd);
  }
}

async function create(ctx: Ctx, cmd: NewScheduleCommand): Promise<Reply> {
  const { deps, user, locale } = ctx;
  if (!mayRequest(user)) return refused(ctx, { code: 'PAYMENT.NOT_ALLOWED_TO_REQUEST' });
  const [accounts, payees] = [await directoryQuery.accounts(deps.db), await directoryQuery.payees(deps.db)];
  const payee = resolvePayee(payees, cmd.payee);
  if (!payee.ok) return refused(ctx, payee);
  // Like /pay new: with no currency typed, the payee's only currency decides (then the account follows).
  const chosen = chooseAccount(accounts, cmd.amount, cmd.account, payee.value);
  if (!chosen.ok) return refused(ctx, chosen, chosen.code.startsWith('MONEY.') ? 'new' : undefined);

  const created = await deps.schedules.create({
    requesterId: user.id,
    debtorAccountId: chosen.value.account.id,
    payeeId: payee.value.id,
    amount: chosen.value.amount,
    purpose: cmd.purpose,
    cadence: cmd.cadence,
    ...(cmd.timezone ? { timezone: cmd.timezone } : {}),
    ...(cmd.startDate ? { startDate: cmd.startDate } : {}),
    ...(cmd.endDate ? { endDate: cmd.endDate } : {}),
    ...(cmd.maxRuns !== undefined ? { maxRuns: cmd.maxRuns } : {}),
    ...(cmd.combine ? { combine: true } : {}),
  });
  // Timing mistakes (a past start, an end before the start) are typing mistakes: show how to write it.
  if (!created.ok) return refused(ctx, created, created.code.startsWith('SCHEDULE.') ? 'new' : undefined);
  const data = await loadScheduleCard(deps.db, created.value);
  noticeScheduleCreated(deps, data);
  return reply(scheduleCard(data, { locale, timeZone: deps.timeZone, note: st(locale, 'SCHEDULE_CMD.CREATED') }));
}

async function list(ctx: Ctx, filter: ScheduleListFilter): Promise<Reply> {
  const { deps, user, locale } = ctx;
  const where =
    filter === 'live' ? { statuses: LIVE } : filter === 'all' ? {} : filter === 'mine' ? { requesterId: user.id } : { statuses: [filter] };
  const all = await deps.schedules.list(where);
  const shown = all.slice(0, LIST_MAX);
  const [payees, users] = [await directoryQuery.payees(deps.db), await directoryQuery.users(deps.db)];
  const names = <T extends { id: string; name: string }>(items: T[]) => new Map(items.map((i) => [i.id, i.name]));
  const [payeeNames, userNames] = [names(payees), names(users)];
  const rows = shown.map((schedule: PaymentSchedule) => ({
    schedule,
    payeeName: payeeNames.get(schedule.payeeId),
    requesterName: userNames.get(schedule.requesterId),
  }));
  const view = scheduleListView(rows, filter, locale);
  if (all.length > shown.length) view.footer = `${st(locale, 'SCHEDULE_LIST.MORE', { shown: shown.length, total: all.length })} · ${view.footer}`;
  return reply(view);
}

async function cardReply(ctx: Ctx, reference: string, note?: string): Promise<Reply> {
  const data = await currentScheduleCard(ctx.deps, reference);
  if (!data.ok) return refused(ctx, data);
  return reply(scheduleCard(data.value, { locale: ctx.locale, timeZone: ctx.deps.timeZone, ...(note ? { note } : {}) }));
}

async function change(ctx: Ctx, r: Result<PaymentSchedule>, code: string): Promise<Reply> {
  if (!r.ok) return refused(ctx, r);
  return cardReply(ctx, r.value.id, st(ctx.locale, code, { reference: r.value.reference }));
}

async function holidays(ctx: Ctx, cmd: Extract<ScheduleCommand, { kind: 'holidays' }>): Promise<Reply> {
  const { deps, user, locale } = ctx;
  if (cmd.action === 'list') return reply(holidaysView(await deps.schedules.holidays(cmd.year), locale));
  // The service refuses too; asking first means a non-admin never learns more than "admins only".
  if (!user.roles.includes('admin')) return refused(ctx, { code: 'SCHEDULE.ADMIN_ONLY' });
  if (cmd.action === 'add' || cmd.action === 'workday') {
    const r = cmd.action === 'add' ? await deps.schedules.addHoliday(cmd.date, cmd.name, user.id) : await deps.schedules.workday(cmd.date, cmd.name, user.id);
    if (!r.ok) return refused(ctx, r);
    const code = cmd.action === 'add' ? 'SCHEDULE_CMD.HOLIDAY_ADDED' : 'SCHEDULE_CMD.WORKDAY_ADDED';
    return reply(message('good', st(locale, code, { date: r.value.date, name: r.value.name || cmd.name })));
  }
  const r = await deps.schedules.removeHoliday(cmd.date, user.id);
  if (!r.ok) return refused(ctx, r);
  return reply(message('good', st(locale, 'SCHEDULE_CMD.HOLIDAY_REMOVED', { date: r.value.date, name: r.value.name })));
}

const reply = (view: Reply['view']): Reply => ({ visibility: 'ephemeral', view });

const refused = (ctx: Ctx, r: Pick<Refusal, 'code' | 'params'>, usage?: ScheduleUsageKey): Reply =>
  reply(scheduleRefusal(ctx.locale, r, usage));
