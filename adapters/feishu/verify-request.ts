/**
 * paydesk's own check of Feishu HTTP callbacks. The SDK's is not enough (no signature
 * check without an encrypt key, no token check for v2 events, a signature computed over
 * re-serialised JSON, HTTP 200 on failure), so every request is checked here first:
 *
 *  1. the body must be encrypted: `{ "encrypt": "<base64>" }`;
 *  2. `X-Lark-Signature` = sha256(timestamp + nonce + encryptKey + RAW body bytes), and the
 *     timestamp within five minutes of our clock;
 *  3. it must decrypt with our key, and carry our verification token
 *     (`token` in v1 events, `header.token` in v2 events and card callbacks).
 *
 * The one exception is Feishu's URL check (`url_verification`): like Feishu's own Go and
 * Python SDKs we answer it without a signature, because Feishu does not sign it. It still
 * has to decrypt with our key and carry our token, and answering it changes nothing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AESCipher } from '@larksuiteoapi/node-sdk';

export const MAX_CLOCK_SKEW_SECONDS = 300;

export type VerifyResult =
  | { ok: true; kind: 'challenge'; challenge: string }
  | { ok: true; kind: 'event'; payload: Record<string, unknown> }
  | { ok: false; reason: 'not_encrypted' | 'missing_signature' | 'bad_signature' | 'stale_timestamp' | 'undecryptable' | 'bad_token' };

export interface VerifyOptions {
  encryptKey: string;
  verificationToken: string;
  /** Seconds since the epoch; injectable for tests. */
  nowSeconds?: number;
}

/** Equal-time comparison of two strings of any length (digests first, so lengths don't leak). */
export function safeEqual(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(h(a), h(b));
}

export function feishuSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey, 'utf8').update(rawBody).digest('hex');
}

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The verification token a decrypted payload carries, whatever its schema. */
function tokenOf(p: Record<string, unknown>): unknown {
  if ('schema' in p) return isObject(p.header) ? p.header.token : undefined;
  return p.token;
}

export function verifyFeishuRequest(headers: IncomingHttpHeaders, rawBody: Buffer, opts: VerifyOptions): VerifyResult {
  const body = parseJson(rawBody.toString('utf8'));
  if (!isObject(body) || typeof body.encrypt !== 'string' || body.encrypt === '') return { ok: false, reason: 'not_encrypted' };

  const timestamp = header(headers, 'x-lark-request-timestamp');
  const nonce = header(headers, 'x-lark-request-nonce');
  const signature = header(headers, 'x-lark-signature');
  const signed = timestamp !== undefined && nonce !== undefined && signature !== undefined;
  if (signed) {
    // Signature first: a forged request should cost us one hash, not a decryption.
    if (!safeEqual(feishuSignature(timestamp, nonce, opts.encryptKey, rawBody), signature.toLowerCase()))
      return { ok: false, reason: 'bad_signature' };
    const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
    const ts = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
    if (!(Math.abs(now - ts) <= MAX_CLOCK_SKEW_SECONDS)) return { ok: false, reason: 'stale_timestamp' };
  }

  let payload: unknown;
  try {
    payload = parseJson(new AESCipher(opts.encryptKey).decrypt(body.encrypt));
  } catch {
    payload = undefined;
  }
  if (!isObject(payload)) return { ok: false, reason: 'undecryptable' };

  const token = tokenOf(payload);
  if (typeof token !== 'string' || !safeEqual(token, opts.verificationToken)) return { ok: false, reason: 'bad_token' };

  if (payload.type === 'url_verification') {
    return typeof payload.challenge === 'string'
      ? { ok: true, kind: 'challenge', challenge: payload.challenge }
      : { ok: false, reason: 'undecryptable' };
  }
  if (!signed) return { ok: false, reason: 'missing_signature' };
  return { ok: true, kind: 'event', payload };
}
