import type { App } from '@slack/bolt';
import { deliverActionReply } from './action-replies';
import { RejectMeta, rejectModal } from './reject-modal';
import { SlackDeps, failedView, requireUser, slackActor, tellUser } from './slack-deps';
import { ButtonTapSchema, placeOf, receiptFor, tappedTitle } from './slack-payloads';
import { registerViewSubmissions } from './view-submissions';

/** Buttons that go straight to the command layer (Reject first asks for a reason). */
const DIRECT_ACTIONS = /^(?!(payment|schedule)\.reject$)(payment|alert|schedule)\.[\w.-]+$/;
// Rejections need a reason first: a modal opens, and its submission carries the original action id.
const REJECT_ACTIONS = /^(payment|schedule)\.reject$/;

export function registerInteractions(app: App, d: SlackDeps): void {
  app.action({ type: 'block_actions', action_id: DIRECT_ACTIONS }, async ({ ack, body }) => {
    // Commit the decision, then answer Slack (DESIGN: a tap acknowledged is a tap recorded; the
    // commit takes milliseconds), then update cards and tell people — those may be slow.
    let acked = false;
    const ackOnce = async () => {
      if (acked) return;
      acked = true;
      // Past ~3 s Bolt has already answered for us; the decision still stands, and a Slack retry
      // of the same tap meets its receipt and acts no further.
      await ack().catch((err: unknown) => d.log.warn({ err }, 'slack: acknowledged too late; Bolt answered first'));
    };
    const tap = ButtonTapSchema.safeParse(body);
    if (!tap.success) {
      await ackOnce();
      return void d.log.warn({ issues: tap.error.issues }, 'slack: unexpected block_actions payload ignored');
    }
    const { user: { id: userId }, response_url: responseUrl } = tap.data;
    const action = tap.data.actions[0];
    try {
      // The command layer identifies the person itself and refuses unmapped people with nothing
      // changed, so no separate lookup here: one directory read per tap.
      const reply = await d.commands.handleAction({
        actor: slackActor(userId),
        actionId: action.action_id,
        value: action.value,
        receiptId: receiptFor(tap.data),
      });
      await ackOnce();
      await deliverActionReply(d, { userId, responseUrl, place: placeOf(tap.data) }, reply);
    } catch (err) {
      await ackOnce();
      d.log.error({ err, actionId: action.action_id, slackUser: userId }, 'slack: button tap failed');
      await tellUser(d, { userId, responseUrl }, failedView(d.defaultLocale));
    }
  });

  app.action({ type: 'block_actions', action_id: REJECT_ACTIONS }, async ({ ack, body }) => {
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
        actionId: tap.data.actions[0].action_id,
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

  registerViewSubmissions(app, d);
}
