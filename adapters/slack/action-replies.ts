import type { ActionReply } from '../../commands/contracts';
import { publishHome } from './app-home';
import type { RejectMeta } from './reject-modal';
import { renderView } from './render-block-kit';
import { SlackDeps, postToResponseUrl, tellUser } from './slack-deps';
import type { TapPlace } from './slack-payloads';

export const placeFromMeta = (m: Partial<RejectMeta>): TapPlace =>
  m.home ? { kind: 'home' } : m.channel && m.ts ? { kind: 'message', channel: m.channel, ts: m.ts } : { kind: 'ephemeral' };

/**
 * After a tap: the tapped card shows the new state at once (its buttons go when the
 * payment is decided) and a refusal is explained to the tapper alone. Every copy
 * elsewhere is refreshed by the notifier through SlackSurface.updateCard.
 */
export async function deliverActionReply(
  d: SlackDeps,
  to: { userId: string; responseUrl?: string; place: TapPlace },
  reply: ActionReply,
): Promise<void> {
  const { place } = to;
  if (reply.card && place.kind === 'message') await d.surface.updateMessage(place.channel, place.ts, renderView(reply.card), { key: reply.card.key });
  if (reply.card && place.kind === 'ephemeral' && to.responseUrl) {
    const msg = renderView(reply.card);
    await d.followUps.run('replace ephemeral', { slackUser: to.userId }, () => postToResponseUrl(to.responseUrl!, { replace_original: true, ...msg }));
  }
  if (place.kind === 'home') {
    await d.followUps.run('publish home', { slackUser: to.userId }, () =>
      publishHome({ client: d.client, commands: d.commands, queries: d.queries, slackUserId: to.userId, defaultLocale: d.defaultLocale, timeZone: d.timeZone }),
    );
  }
  const refused = reply.toast && (reply.toast.tone === 'warning' || reply.toast.tone === 'danger');
  if (refused) await tellUser(d, to, { kind: 'message', tone: reply.toast!.tone, text: reply.toast!.text });
  else if (!reply.card) await tellUser(d, to, reply.view);
}
