import type { App } from '@slack/bolt';
import { SUB_COMMANDS } from '../../commands/parse/keywords';
import type { User } from '../../src/domain/directory';
import { message } from '../../commands/view/view';
import { NewPaymentMeta, newPaymentModal } from './payment-modal';
import { renderView } from './render-block-kit';
import { SlackDeps, failedView, slackActor, tellUser } from './slack-deps';
import { st } from './slack.messages';

export const SLASH_COMMANDS = ['/pay', '/balance', '/report'] as const;

/** `/pay new` (or `/pay 新建`) with nothing after it asks for the form instead of a usage hint. */
export function isBareNew(command: string, text: string): boolean {
  return command === '/pay' && SUB_COMMANDS.get(text.trim().toLowerCase()) === 'new';
}

/**
 * `/pay …` and `/balance …` → CommandHandler.handleText. Slack wants the ack within
 * 3 s, so it goes first (empty) and the answer follows through response_url, ephemeral
 * or in the channel as the command layer decided.
 */
export function registerSlashCommands(app: App, d: SlackDeps): void {
  for (const name of SLASH_COMMANDS) {
    app.command(name, async ({ command, ack, respond }) => {
      await ack();
      const to = { userId: command.user_id, responseUrl: command.response_url };
      try {
        // A stranger's command still goes to the command layer: it tells them their member id and
        // the exact `/pay link …` to hand an admin, and takes the one-time setup code (`/pay link me …`).
        const user = await d.commands.resolveUser(slackActor(command.user_id));
        if (user && isBareNew(command.command, command.text) && d.queries) {
          await openNewPaymentModal(d, user, command.trigger_id, { responseUrl: command.response_url, channel: command.channel_id });
          return;
        }
        const reply = await d.commands.handleText({
          actor: slackActor(command.user_id),
          text: `${command.command} ${command.text}`.trim(),
          channel: command.channel_id,
        });
        const msg = renderView(reply.view);
        await d.followUps.run('respond', { command: command.command }, () => respond({ response_type: reply.visibility, ...msg }));
      } catch (err) {
        d.log.error({ err, command: command.command, slackUser: command.user_id }, 'slack: slash command failed');
        await tellUser(d, to, failedView(d.defaultLocale));
      }
    });
  }
}

/** views.open must happen within 3 s of the trigger, so only two quick reads come before it. */
export async function openNewPaymentModal(d: SlackDeps, user: User, triggerId: string, meta: NewPaymentMeta): Promise<void> {
  const { accounts, payees } = await d.queries!.choices();
  if (accounts.length === 0 || payees.length === 0) {
    await tellUser(d, { userId: user.slackUserId!, responseUrl: meta.responseUrl }, message('warning', st(user.locale, 'SLACK.NEW.NO_ACCOUNTS')));
    return;
  }
  const view = newPaymentModal({ locale: user.locale, accounts, payees, meta });
  await d.client.views.open({ trigger_id: triggerId, view: view as any });
}
