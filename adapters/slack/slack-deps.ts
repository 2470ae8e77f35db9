import type { webApi } from '@slack/bolt';
import type { Actor, CommandHandler } from '../../commands/contracts';
import { unlinkedView } from '../../commands/handlers/identity.handler';
import { message, type View } from '../../commands/view/view';
import type { User } from '../../src/domain/directory';
import type { Locale } from '../../src/domain/locale';
import type { Logger } from '../../src/logger';
import type { HomeQueries } from './app-home';
import type { FollowUps } from './follow-ups';
import type { AccountChoice, PayeeChoice } from './payment-modal';
import { renderView } from './render-block-kit';
import type { SlackSurface } from './slack-surface';
import { st } from './slack.messages';

/** Directory choices for the new-payment modal; PaymentQueries provides them. */
export interface ChoiceQueries {
  choices(): Promise<{ accounts: AccountChoice[]; payees: PayeeChoice[] }>;
}

/** What every Slack listener needs, built once in createSlackAdapter. */
export interface SlackDeps {
  commands: CommandHandler;
  client: webApi.WebClient;
  surface: SlackSurface;
  followUps: FollowUps;
  log: Logger;
  defaultLocale: Locale;
  timeZone: string;
  queries?: HomeQueries & ChoiceQueries;
  /** True the first time an Events API event id is seen, false for Slack's redelivery of it. */
  claimEvent(eventId: string): Promise<boolean>;
}

export const slackActor = (userId: string): Actor => ({ platform: 'slack', platformUserId: userId });

/** An unlinked (or deactivated) Slack user: their member id and the exact `/pay link …` to hand an admin. */
export const unknownUserView = (locale: Locale, slackUserId: string): View => unlinkedView(locale, slackActor(slackUserId));
export const failedView = (locale: Locale): View => message('danger', st(locale, 'SLACK.ERR.FAILED'));

/** Posts to a `response_url` (valid 30 minutes); Bolt's respond() does the same for commands. */
export async function postToResponseUrl(url: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  // Shaped like a Web API error so FollowUps retries server-side failures only.
  if (!res.ok) throw Object.assign(new Error(`response_url answered ${res.status}`), { code: 'slack_webapi_http_error', statusCode: res.status });
}

/**
 * Shows a view to one person only: ephemerally through the interaction's response_url
 * when there is one, otherwise as a DM (App Home and modals have no response_url).
 */
export function tellUser(d: SlackDeps, to: { userId: string; responseUrl?: string }, view: View): Promise<unknown> {
  const msg = renderView(view);
  return d.followUps.run('tell user', { user: to.userId }, async () => {
    if (to.responseUrl) {
      await postToResponseUrl(to.responseUrl, { response_type: 'ephemeral', replace_original: false, ...msg });
    } else {
      await d.client.chat.postMessage({ channel: await d.surface.dmChannel(to.userId), ...msg });
    }
  });
}

/** The mapped paydesk user, or undefined after telling the Slack user why nothing happens. */
export async function requireUser(d: SlackDeps, to: { userId: string; responseUrl?: string }): Promise<User | undefined> {
  const user = await d.commands.resolveUser(slackActor(to.userId));
  if (!user || !user.active) {
    d.log.info({ slackUser: to.userId }, 'slack: unmapped user refused');
    await tellUser(d, to, unknownUserView(d.defaultLocale, to.userId));
    return undefined;
  }
  return user;
}
