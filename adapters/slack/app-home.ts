/**
 * The App Home tab: what is waiting for my approval (full cards, with buttons) and my
 * recent requests. Cards and list come from the command layer's views, so Home shows
 * exactly what the channel cards and `/pay list` show.
 */
import type { App, webApi } from '@slack/bolt';
import type { CommandHandler } from '../../commands/contracts';
import { paymentCard } from '../../commands/views/payment-card.view';
import { paymentListView } from '../../commands/views/payment-list.view';
import { message } from '../../commands/view/view';
import type { User } from '../../src/domain/directory';
import type { Locale } from '../../src/domain/locale';
import type { PaymentWithParties } from '../../src/services/payments/payment-queries';
import { Block, LIMITS } from './block-kit-limits';
import { cardBlocks, renderView } from './render-block-kit';
import { unknownUserView, type SlackDeps } from './slack-deps';
import { st } from './slack.messages';

/** The reads Home needs; PaymentQueries provides them. */
export interface HomeQueries {
  awaitingDecisionBy(user: User, limit?: number): Promise<{ items: PaymentWithParties[]; total: number }>;
  requestedBy(userId: string, limit?: number): Promise<{ items: PaymentWithParties[]; total: number }>;
}

export const HOME_PENDING_SHOWN = 5;
export const HOME_RECENT_SHOWN = 10;

const header = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text: text.slice(0, LIMITS.headerText), emoji: true } });
const divider: Block = { type: 'divider' };

export async function homeBlocks(user: User, queries: HomeQueries | undefined, timeZone?: string): Promise<Block[]> {
  const locale = user.locale;
  const blocks: Block[] = [header(st(locale, 'SLACK.HOME.PENDING'))];
  if (queries) {
    const pending = await queries.awaitingDecisionBy(user, HOME_PENDING_SHOWN);
    if (pending.items.length === 0) blocks.push(...renderView(message('neutral', st(locale, 'SLACK.HOME.PENDING_EMPTY'))).blocks);
    for (const item of pending.items) blocks.push(...cardBlocks(paymentCard({ ...item, locale, timeZone })), divider);
    if (pending.total > pending.items.length) {
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: st(locale, 'SLACK.HOME.MORE', { count: pending.total - pending.items.length }) }] });
    }

    const recent = await queries.requestedBy(user.id, HOME_RECENT_SHOWN);
    const list = paymentListView({
      rows: recent.items.map((i) => ({ payment: i.payment, payeeName: i.payee?.name, requesterName: i.requester?.name })),
      spec: { words: ['mine'] },
      page: 1,
      pageSize: HOME_RECENT_SHOWN,
      total: recent.total,
      locale,
      timeZone,
    });
    blocks.push(divider, ...renderView({ ...list, title: st(locale, 'SLACK.HOME.RECENT'), empty: st(locale, 'SLACK.HOME.RECENT_EMPTY') }).blocks);
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: st(locale, 'SLACK.HOME.HELP') }] });
  return blocks.slice(0, LIMITS.blocksPerModal);
}

/** Publishes (or refreshes) one person's Home tab. */
export async function publishHome(input: {
  client: webApi.WebClient;
  commands: CommandHandler;
  queries?: HomeQueries;
  slackUserId: string;
  defaultLocale: Locale;
  timeZone?: string;
}): Promise<void> {
  const user = await input.commands.resolveUser({ platform: 'slack', platformUserId: input.slackUserId });
  const blocks = user
    ? await homeBlocks(user, input.queries, input.timeZone)
    : renderView(unknownUserView(input.defaultLocale, input.slackUserId)).blocks;
  await input.client.views.publish({ user_id: input.slackUserId, view: { type: 'home', blocks } as any });
}

/** `app_home_opened` → views.publish of that person's Home. */
export function registerAppHome(app: App, d: SlackDeps): void {
  app.event('app_home_opened', async ({ event, body, context }) => {
    if (event.tab !== 'home') return;
    // Events API retries redeliver the same event_id. The claim lives in the receipts table, so a
    // redelivery after a restart or to another replica is ignored too (the first one was acked at once).
    const id = (body as { event_id?: string }).event_id;
    if (id && !(await d.claimEvent(id))) return void d.log.debug({ eventId: id, retryNum: context.retryNum }, 'slack: duplicate event ignored');
    await d.followUps.run('publish home', { slackUser: event.user }, () =>
      publishHome({ client: d.client, commands: d.commands, queries: d.queries, slackUserId: event.user, defaultLocale: d.defaultLocale, timeZone: d.timeZone }),
    );
  });
}
