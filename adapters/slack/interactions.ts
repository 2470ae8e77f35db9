import type { App } from '@slack/bolt';
import { ACTION_IDS, type ActionReply } from '../../commands/contracts';
import type { User } from '../../src/domain/directory';
import { publishHome } from './app-home';
import { NEW_PAYMENT_CALLBACK, NewPaymentMeta, readSubmission, readValues, todayIn } from './payment-modal';
import { REJECT_CALLBACK, RejectMeta, readReason, rejectModal } from './reject-modal';
import { renderView } from './render-block-kit';
import { SlackDeps, failedView, postToResponseUrl, requireUser, slackActor, tellUser } from './slack-deps';
import { ButtonTapSchema, TapPlace, ViewSubmissionSchema, parseMeta, placeOf, receiptFor, tappedTitle } from './slack-payloads';
import { st } from './slack.messages';

/** Buttons that go straight to the command layer (Reject first asks for a reason). */
const DIRECT_ACTIONS = /^(?!payment\.reject$)(payment|alert)\.[\w.-]+$/;

export function registerInteractions(app: App, d: SlackDeps): void {
  app.action({ type: 'block_actions', action_id: DIRECT_ACTIONS }, async ({ ack, body }) => {
    await ack();
    const tap = ButtonTapSchema.safeParse(body);
    if (!tap.success) return void d.log.warn({ issues: tap.error.issues }, 'slack: unexpected block_actions payload ignored');
    const { user: { id: userId }, response_url: responseUrl } = tap.data;
    const action = tap.data.actions[0];
    try {
      const user = await requireUser(d, { userId, responseUrl });
      if (!user) return;
      const reply = await d.commands.handleAction({
        actor: slackActor(userId),
        actionId: action.action_id,
        value: action.value,
        receiptId: receiptFor(tap.data),
      });
      await deliverActionReply(d, { user, userId, responseUrl, place: placeOf(tap.data) }, reply);
    } catch (err) {
      d.log.error({ err, actionId: action.action_id, slackUser: userId }, 'slack: button tap failed');
      await tellUser(d, { userId, responseUrl }, failedView(d.defaultLocale));
    }
  });

  app.action({ type: 'block_actions', action_id: ACTION_IDS.reject }, async ({ ack, body }) => {
    await ack();
    const tap = ButtonTapSchema.safeParse(body);
    if (!tap.success) return void d.log.warn({ issues: tap.error.issues }, 'slack: unexpected block_actions payload ignored');
    const { user: { id: userId }, response_url: responseUrl } = tap.data;
    try {
      const user = await requireUser(d, { userId, responseUrl });
      if (!user) return;
      const place = placeOf(tap.data);
      const meta: RejectMeta = {
        value: tap.data.actions[0].value,
        actionId: ACTION_IDS.reject,
        ...(place.kind === 'message' ? { channel: place.channel, ts: place.ts } : {}),
        ...(place.kind === 'home' ? { home: true } : {}),
        ...(responseUrl ? { responseUrl } : {}),
      };
      // trigger_id lives 3 s: open the modal before anything slower.
      await d.client.views.open({ trigger_id: tap.data.trigger_id, view: rejectModal(user.locale, meta, tappedTitle(tap.data)) as any });
    } catch (err) {
      d.log.error({ err, slackUser: userId }, 'slack: could not open the reject modal');
      await tellUser(d, { userId, responseUrl }, failedView(d.defaultLocale));
    }
  });

  app.view(REJECT_CALLBACK, async ({ ack, body }) => {
    const sub = ViewSubmissionSchema.parse(body);
    const userId = sub.user.id;
    const meta = parseMeta<RejectMeta>(sub.view.private_metadata);
    const user = await d.commands.resolveUser(slackActor(userId));
    const locale = user?.locale ?? d.defaultLocale;
    const reason = readReason(sub.view.state.values);
    if (!user) return void (await ack({ response_action: 'errors', errors: { reason: st(locale, 'AUTH.UNKNOWN_USER') } }));
    // The same rule as the core (two characters at least), answered on the field itself.
    if (reason.length < 2) return void (await ack({ response_action: 'errors', errors: { reason: st(locale, 'APPROVAL.REASON_REQUIRED') } }));
    await ack();
    const to = { user, userId, responseUrl: meta.responseUrl, place: placeFromMeta(meta) };
    try {
      const reply = await d.commands.handleAction({
        actor: slackActor(userId),
        actionId: meta.actionId ?? ACTION_IDS.reject,
        value: meta.value ?? '',
        reason,
        // A view is submitted once; Slack's redelivery of that submission carries the same view id.
        receiptId: `view:${sub.view.id}`,
      });
      await deliverActionReply(d, to, reply);
    } catch (err) {
      d.log.error({ err, slackUser: userId }, 'slack: rejection failed');
      await tellUser(d, { userId, responseUrl: meta.responseUrl }, failedView(locale));
    }
  });

  app.view(NEW_PAYMENT_CALLBACK, async ({ ack, body }) => {
    const sub = ViewSubmissionSchema.parse(body);
    const userId = sub.user.id;
    const meta = parseMeta<NewPaymentMeta>(sub.view.private_metadata);
    const user = await d.commands.resolveUser(slackActor(userId));
    const locale = user?.locale ?? d.defaultLocale;
    if (!user) return void (await ack({ response_action: 'errors', errors: { purpose: st(locale, 'AUTH.UNKNOWN_USER') } }));
    const accounts = d.queries ? (await d.queries.choices()).accounts : [];
    const checked = readSubmission({ values: readValues(sub.view.state.values), accounts, locale, today: todayIn(d.timeZone) });
    if (!checked.ok) return void (await ack({ response_action: 'errors', errors: checked.errors }));
    await ack(); // closes the modal; the outcome follows where /pay new was typed
    const to = { userId, responseUrl: meta.responseUrl };
    try {
      const reply = await d.commands.handleText({ actor: slackActor(userId), text: checked.text, channel: meta.channel });
      const msg = renderView(reply.view);
      await d.followUps.run('answer new payment', { slackUser: userId }, async () => {
        if (meta.responseUrl) await postToResponseUrl(meta.responseUrl, { response_type: reply.visibility, ...msg });
        else await d.client.chat.postMessage({ channel: await d.surface.dmChannel(userId), ...msg });
      });
    } catch (err) {
      d.log.error({ err, slackUser: userId }, 'slack: new payment from the modal failed');
      await tellUser(d, to, failedView(locale));
    }
  });
}

const placeFromMeta = (m: Partial<RejectMeta>): TapPlace =>
  m.home ? { kind: 'home' } : m.channel && m.ts ? { kind: 'message', channel: m.channel, ts: m.ts } : { kind: 'ephemeral' };

/**
 * After a tap: the tapped card shows the new state at once (its buttons go when the
 * payment is decided) and a refusal is explained to the tapper alone. Every copy
 * elsewhere is refreshed by the notifier through SlackSurface.updateCard.
 */
export async function deliverActionReply(
  d: SlackDeps,
  to: { user: User; userId: string; responseUrl?: string; place: TapPlace },
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
