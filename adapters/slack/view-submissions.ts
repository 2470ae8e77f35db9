import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewResponseAction } from '@slack/bolt';
import { ACTION_IDS } from '../../commands/contracts';
import { deliverActionReply, placeFromMeta } from './action-replies';
import { NEW_PAYMENT_CALLBACK, NewPaymentMeta, readSubmission, readValues, todayIn } from './payment-modal';
import { REJECT_CALLBACK, RejectMeta, readReason } from './reject-modal';
import { renderView } from './render-block-kit';
import { SlackDeps, failedView, postToResponseUrl, slackActor, tellUser } from './slack-deps';
import { ViewSubmission, ViewSubmissionSchema, parseMeta } from './slack-payloads';
import { st } from './slack.messages';

type Ack = (response?: ViewResponseAction) => Promise<void>;

/**
 * Form submissions. Field errors must travel in the ack itself (`response_action: errors`),
 * so checks run before it. A rejection commits before the ack too, like a button tap: an
 * acknowledged submission is a recorded decision, and a business refusal (stale card, not an
 * approver, already decided) is shown on the reason field with the form still open.
 */
export function registerViewSubmissions(app: App, d: SlackDeps): void {
  app.view(REJECT_CALLBACK, guarded(d, 'reason', async (sub, ack) => {
    const userId = sub.user.id;
    const meta = parseMeta<RejectMeta>(sub.view.private_metadata);
    const user = await d.commands.resolveUser(slackActor(userId));
    const locale = user?.locale ?? d.defaultLocale;
    const reason = readReason(sub.view.state.values);
    if (!user) return ack({ response_action: 'errors', errors: { reason: st(locale, 'AUTH.UNKNOWN_USER') } });
    // The same rule as the core (two characters at least), answered on the field itself.
    if (reason.length < 2) return ack({ response_action: 'errors', errors: { reason: st(locale, 'APPROVAL.REASON_REQUIRED') } });
    const reply = await d.commands.handleAction({
      actor: slackActor(userId),
      actionId: meta.actionId ?? ACTION_IDS.reject,
      value: meta.value ?? '',
      reason,
      // One submission of one view: a redelivery of it carries the same view id.
      receiptId: `view:${sub.view.id}`,
    });
    if (reply.refusal) {
      // Slack caps a field error at 2,000 characters; ours are one sentence.
      const text = reply.view.kind === 'message' ? reply.view.text : (reply.toast?.text ?? st(locale, 'SLACK.ERR.FAILED'));
      await ack({ response_action: 'errors', errors: { reason: text.slice(0, 2000) } });
      // A stale or decided card is corrected in place, as after a tap.
      if (reply.card) await deliverActionReply(d, { userId, responseUrl: meta.responseUrl, place: placeFromMeta(meta) }, { ...reply, toast: undefined });
      return;
    }
    await ack(); // after the commit: the form closes on a decision that is already recorded
    await deliverActionReply(d, { userId, responseUrl: meta.responseUrl, place: placeFromMeta(meta) }, reply);
  }));

  app.view(NEW_PAYMENT_CALLBACK, guarded(d, 'purpose', async (sub, ack) => {
    const userId = sub.user.id;
    const meta = parseMeta<NewPaymentMeta>(sub.view.private_metadata);
    const user = await d.commands.resolveUser(slackActor(userId));
    const locale = user?.locale ?? d.defaultLocale;
    if (!user) return ack({ response_action: 'errors', errors: { purpose: st(locale, 'AUTH.UNKNOWN_USER') } });
    const accounts = d.queries ? (await d.queries.choices()).accounts : [];
    const checked = readSubmission({ values: readValues(sub.view.state.values), accounts, locale, today: todayIn(d.timeZone) });
    if (!checked.ok) return ack({ response_action: 'errors', errors: checked.errors });
    await ack(); // closes the form; the outcome follows where /pay new was typed
    const reply = await d.commands.handleText({ actor: slackActor(userId), text: checked.text, channel: meta.channel });
    const msg = renderView(reply.view);
    await d.followUps.run('answer new payment', { slackUser: userId }, async () => {
      if (meta.responseUrl) await postToResponseUrl(meta.responseUrl, { response_type: reply.visibility, ...msg });
      else await d.client.chat.postMessage({ channel: await d.surface.dmChannel(userId), ...msg });
    });
  }));
}

/**
 * One error path for both forms: a failure before the ack shows on `field` and keeps
 * the form open; after the ack the person is told privately. Either way it is logged.
 */
function guarded(d: SlackDeps, field: string, run: (sub: ViewSubmission, ack: Ack) => Promise<void>) {
  return async ({ ack, body }: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    let acked = false;
    const once: Ack = async (r) => {
      acked = true;
      await (ack as Ack)(r);
    };
    try {
      await run(ViewSubmissionSchema.parse(body), once);
    } catch (err) {
      const userId = String((body as { user?: { id?: string } }).user?.id ?? '');
      d.log.error({ err, callbackId: body.view?.callback_id, slackUser: userId }, 'slack: form submission failed');
      if (!acked) return ack({ response_action: 'errors', errors: { [field]: st(d.defaultLocale, 'SLACK.ERR.FAILED') } });
      const meta = parseMeta<{ responseUrl?: string }>(body.view?.private_metadata ?? '');
      if (userId) await tellUser(d, { userId, responseUrl: meta.responseUrl }, failedView(d.defaultLocale));
    }
  };
}
