import type { IncomingMessage } from 'node:http';
import type { EventDispatcher } from '@larksuiteoapi/node-sdk';
import { sendJson, type HttpHandler } from '../../src/http/http-server';
import type { Logger } from '../../src/logger';
import { verifyFeishuRequest } from './verify-request';

export const FEISHU_EVENTS_PATH = '/feishu/events';
const BODY_LIMIT = 1_000_000;

export interface FeishuHttpOptions {
  dispatcher: EventDispatcher;
  encryptKey: string;
  verificationToken: string;
  log: Logger;
  /** Seconds since the epoch; injectable for tests. */
  nowSeconds?: () => number;
}

/** Raw bytes, because the signature covers exactly what Feishu sent. */
async function readRaw(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Events and card callbacks on one URL (`/feishu/events`, any query string). Requests are
 * verified here (see verify-request.ts); only then does the SDK's EventDispatcher see the
 * decrypted payload, with its own (weaker) check switched off.
 */
export function feishuHttpHandler(o: FeishuHttpOptions): HttpHandler {
  return async (req, res, url) => {
    // Our own path match: the SDK's adaptDefault compares req.url, query string included.
    if (url.pathname.replace(/\/+$/, '') !== FEISHU_EVENTS_PATH) return false;
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      sendJson(res, 405, { error: { code: 'HTTP.METHOD_NOT_ALLOWED', message: 'POST only' } });
      return true;
    }
    const raw = await readRaw(req);
    if (!raw) {
      sendJson(res, 413, { error: { code: 'HTTP.TOO_LARGE', message: 'Request body too large' } });
      return true;
    }
    const v = verifyFeishuRequest(req.headers, raw, {
      encryptKey: o.encryptKey,
      verificationToken: o.verificationToken,
      nowSeconds: o.nowSeconds?.(),
    });
    if (!v.ok) {
      o.log.warn({ reason: v.reason, path: url.pathname }, 'feishu request refused');
      sendJson(res, 401, { error: { code: 'FEISHU.UNAUTHORIZED', message: 'Request verification failed' } });
      return true;
    }
    if (v.kind === 'challenge') {
      sendJson(res, 200, { challenge: v.challenge });
      return true;
    }
    // The SDK reads request headers from the prototype of the payload object.
    const data = Object.assign(Object.create({ headers: req.headers }), v.payload);
    const result: unknown = await o.dispatcher.invoke(data, { needCheck: false });
    // Events answer with an empty object; card callbacks with { toast, card }.
    sendJson(res, 200, typeof result === 'object' && result !== null ? result : {});
    return true;
  };
}
