import { Writable } from 'node:stream';
import { FollowUps, isTransient } from '../../adapters/slack/follow-ups';
import { createLogger } from '../../src/logger';

const platform = (error: string) => Object.assign(new Error(error), { code: 'slack_webapi_platform_error', data: { ok: false, error } });

test('only failures that can pass on a second try count as transient', () => {
  expect(isTransient(platform('ratelimited'))).toBe(true);
  expect(isTransient(platform('internal_error'))).toBe(true);
  expect(isTransient(platform('channel_not_found'))).toBe(false);
  expect(isTransient(platform('invalid_blocks'))).toBe(false);
  expect(isTransient({ code: 'slack_webapi_request_error' })).toBe(true);
  expect(isTransient({ code: 'slack_webapi_http_error', statusCode: 502 })).toBe(true);
  expect(isTransient({ code: 'slack_webapi_http_error', statusCode: 404 })).toBe(false);
  expect(isTransient({ code: 'slack_bolt_respond_error', statusCode: 404 })).toBe(false); // expired response_url
  expect(isTransient(new TypeError('fetch failed'))).toBe(true);
  expect(isTransient(new Error('a bug of ours'))).toBe(false);
});

test('retries with growing delays, then logs the loss with its context and resolves undefined', async () => {
  const lines: any[] = [];
  const log = createLogger({ level: 'warn', destination: new Writable({ write: (c, _e, cb) => (lines.push(JSON.parse(String(c))), cb()) }) });
  const followUps = new FollowUps(log, { attempts: 3, baseDelayMs: 10, maxDelayMs: 15 });
  let calls = 0;
  const result = followUps.run('chat.update', { key: 'payment:1' }, async () => {
    calls++;
    throw platform('internal_error');
  });
  await followUps.settle();
  expect(await result).toBeUndefined();
  expect(calls).toBe(3);
  expect(lines.map((l) => [l.msg, l.delayMs])).toEqual([
    ['slack follow-up failed; retrying', 10],
    ['slack follow-up failed; retrying', 15],
    ['slack follow-up failed; giving up', undefined],
  ]);
  expect(lines[2]).toMatchObject({ level: 50, what: 'chat.update', key: 'payment:1', attempt: 3, slackError: 'internal_error' });

  let tries = 0;
  const ok = await followUps.run('post', {}, async () => (++tries < 2 ? Promise.reject(platform('ratelimited')) : 'posted'));
  expect([ok, tries]).toEqual(['posted', 2]);
});
