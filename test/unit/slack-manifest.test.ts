import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SLACK_EVENTS_PATH } from '../../adapters/slack/slack-app';
import { SLASH_COMMANDS } from '../../adapters/slack/slash-commands';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../adapters/slack/manifest.json'), 'utf8'));

test('the manifest declares exactly the commands, events and endpoint the adapter serves', () => {
  expect(manifest.features.slash_commands.map((c: any) => c.command)).toEqual([...SLASH_COMMANDS]);
  const urls = [
    ...manifest.features.slash_commands.map((c: any) => c.url),
    manifest.settings.event_subscriptions.request_url,
    manifest.settings.interactivity.request_url,
  ];
  expect(new Set(urls)).toEqual(new Set([`https://YOUR-HOST${SLACK_EVENTS_PATH}`]));
  expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
  expect(manifest.settings.interactivity.is_enabled).toBe(true);
  expect(manifest.features.app_home.home_tab_enabled).toBe(true);
});

test('the bot asks for the scopes its Web API calls need, and no more', () => {
  // chat.postMessage/update → chat:write; posting where it was not invited → chat:write.public;
  // conversations.open for DMs → im:write; slash commands → commands; files.uploadV2 (charts, exports) → files:write.
  expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['chat:write', 'chat:write.public', 'commands', 'files:write', 'im:write']);
});
