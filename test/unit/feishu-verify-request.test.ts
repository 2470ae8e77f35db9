import { commandText, mentionsBot, messageEventSchema, reasonOf, cardActionSchema } from '../../adapters/feishu/feishu-payloads';
import { verifyFeishuRequest } from '../../adapters/feishu/verify-request';
import { cardActionEvent, challengeEvent, signedRequest, textMessageEvent } from '../support/feishu-crypto';

const KEY = 'encrypt-key-for-tests';
const TOKEN = 'verification-token';
const opts = { encryptKey: KEY, verificationToken: TOKEN };
const event = textMessageEvent({ token: TOKEN, openId: 'ou_rita', text: '/pay list' });
const verify = (r: { headers: Record<string, string>; body: string }, now?: number) =>
  verifyFeishuRequest(r.headers, Buffer.from(r.body), { ...opts, nowSeconds: now });

test('a correctly encrypted and signed event passes and is decrypted', () => {
  const r = verify(signedRequest(KEY, event));
  expect(r).toEqual({ ok: true, kind: 'event', payload: event });
});

test('the signature covers the raw bytes: the same JSON with other spacing still verifies', () => {
  // Re-serialising would lose this spacing; the SDK's own check would then fail.
  const r = verify(signedRequest(KEY, event, { body: (e) => `{ "encrypt" :  "${e}" }\n` }));
  expect(r.ok).toBe(true);
});

test('a body changed after signing is refused', () => {
  const req = signedRequest(KEY, event);
  const other = signedRequest(KEY, { ...event, header: { ...event.header, event_id: 'other' } });
  expect(verify({ headers: req.headers, body: other.body })).toEqual({ ok: false, reason: 'bad_signature' });
});

test('a signature made with another key is refused', () => {
  expect(verify(signedRequest(KEY, event, { signWith: 'guess' }))).toEqual({ ok: false, reason: 'bad_signature' });
});

test('a timestamp more than five minutes off is refused, either way', () => {
  const now = Math.floor(Date.now() / 1000);
  expect(verify(signedRequest(KEY, event, { timestamp: now - 301 }), now)).toEqual({ ok: false, reason: 'stale_timestamp' });
  expect(verify(signedRequest(KEY, event, { timestamp: now + 301 }), now)).toEqual({ ok: false, reason: 'stale_timestamp' });
  expect(verify(signedRequest(KEY, event, { timestamp: now - 299 }), now).ok).toBe(true);
});

test('an unsigned event is refused even when it decrypts', () => {
  expect(verify(signedRequest(KEY, event, { unsigned: true }))).toEqual({ ok: false, reason: 'missing_signature' });
});

test('an unencrypted body is refused', () => {
  const body = JSON.stringify(event);
  expect(verify({ headers: {}, body })).toEqual({ ok: false, reason: 'not_encrypted' });
  expect(verify({ headers: {}, body: 'not json' })).toEqual({ ok: false, reason: 'not_encrypted' });
});

test('a payload encrypted with another key is refused', () => {
  const req = signedRequest('another-key', event);
  // Signed correctly for our key, so only decryption can catch it.
  const resigned = signedRequest(KEY, event, { body: () => req.body });
  expect(verify(resigned)).toEqual({ ok: false, reason: 'undecryptable' });
});

test('the verification token is checked in v2 events, card callbacks and v1 events', () => {
  expect(verify(signedRequest(KEY, textMessageEvent({ token: 'wrong', openId: 'ou_x', text: 'x' })))).toEqual({ ok: false, reason: 'bad_token' });
  const card = cardActionEvent({ token: 'wrong', openId: 'ou_x', value: {}, messageId: 'om_1' });
  expect(verify(signedRequest(KEY, card))).toEqual({ ok: false, reason: 'bad_token' });
  expect(verify(signedRequest(KEY, { uuid: 'u', token: 'wrong', event: { type: 'x' } }))).toEqual({ ok: false, reason: 'bad_token' });
  expect(verify(signedRequest(KEY, { uuid: 'u', token: TOKEN, event: { type: 'x' } })).ok).toBe(true);
  // A v2 event must carry the token in its header; a top-level one does not count.
  expect(verify(signedRequest(KEY, { schema: '2.0', token: TOKEN, header: {}, event: {} }))).toEqual({ ok: false, reason: 'bad_token' });
});

test('the URL check is answered without a signature, but only encrypted and with our token', () => {
  expect(verify(signedRequest(KEY, challengeEvent(TOKEN, 'c-123'), { unsigned: true }))).toEqual({ ok: true, kind: 'challenge', challenge: 'c-123' });
  expect(verify(signedRequest(KEY, challengeEvent('wrong', 'c-123'), { unsigned: true }))).toEqual({ ok: false, reason: 'bad_token' });
  expect(verify({ headers: {}, body: JSON.stringify(challengeEvent(TOKEN, 'c-123')) })).toEqual({ ok: false, reason: 'not_encrypted' });
  // When it is signed, the signature must still be right.
  expect(verify(signedRequest(KEY, challengeEvent(TOKEN, 'c-1'), { signWith: 'x' }))).toEqual({ ok: false, reason: 'bad_signature' });
});

describe('payload parsing', () => {
  const flat = (e: ReturnType<typeof textMessageEvent>) => ({ ...e.header, ...e.event });

  test('the bot mention is stripped, other people become <@open_id>, @_user_1 does not eat @_user_10', () => {
    const e = textMessageEvent({
      token: TOKEN, openId: 'ou_rita', chatType: 'group', text: '@_user_1  /pay list  @_user_10',
      mentions: [{ key: '@_user_1', openId: 'ou_bot', name: 'paydesk' }, { key: '@_user_10', openId: 'ou_amy', name: 'Amy' }],
    });
    const m = messageEventSchema.parse(flat(e)).message;
    expect(mentionsBot(m, 'ou_bot')).toBe(true);
    expect(mentionsBot(m, 'ou_other_bot')).toBe(false);
    expect(mentionsBot(m, undefined)).toBe(false);
    expect(commandText(m, 'ou_bot')).toBe('/pay list <@ou_amy>');
    const noId = messageEventSchema.parse(flat(textMessageEvent({
      token: TOKEN, openId: 'ou_rita', text: 'hi @_user_1', mentions: [{ key: '@_user_1', openId: undefined as unknown as string, name: 'Amy' }],
    }))).message;
    expect(commandText(noId, 'ou_bot')).toBe('hi @Amy');
  });

  test('a card callback value may arrive as an object or as a JSON string; the reason comes from the form', () => {
    const v = { action: 'payment.reject', value: '{"id":"p","v":1}' };
    for (const value of [v, JSON.stringify(v)]) {
      const e = cardActionEvent({ token: TOKEN, openId: 'ou_amy', value, messageId: 'om_1', formValue: { reason_1: '  duplicate invoice ' } });
      const a = cardActionSchema.parse({ ...e.header, ...e.event });
      expect(a.action.value).toEqual(v);
      expect(reasonOf(a.action)).toBe('duplicate invoice');
    }
    const bad = cardActionEvent({ token: TOKEN, openId: 'ou_amy', value: 'not json', messageId: 'om_1' });
    expect(cardActionSchema.safeParse({ ...bad.header, ...bad.event }).success).toBe(false);
  });
});
