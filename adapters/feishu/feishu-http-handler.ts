import type { EventDispatcher } from '@larksuiteoapi/node-sdk';
import type { FastifyError } from 'fastify';
import type { HttpRoutes } from '../../src/http/http-server';
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
  /** Told how long each verified callback took to answer, by event type (metrics). */
  onAck?: (action: string, seconds: number) => void;
}

/**
 * Events and card callbacks on one URL (`/feishu/events`, any query string). Requests are
 * verified here (see verify-request.ts); only then does the SDK's EventDispatcher see the
 * decrypted payload, with its own (weaker) check switched off.
 */
export function feishuHttpRoutes(o: FeishuHttpOptions): HttpRoutes {
  return async (app) => {
    // Raw bytes, because the signature covers exactly what Feishu sent.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
    app.setErrorHandler((err: FastifyError, _req, reply) => {
      if (err.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw err;
      return reply.code(413).send({ error: { code: 'HTTP.TOO_LARGE', message: 'Request body too large' } });
    });
    app.route({
      method: ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url: FEISHU_EVENTS_PATH,
      handler: async (_req, reply) =>
        reply.code(405).header('allow', 'POST').send({ error: { code: 'HTTP.METHOD_NOT_ALLOWED', message: 'POST only' } }),
    });
    app.post(FEISHU_EVENTS_PATH, { config: { chatCallback: true } }, async (req, reply) => {
      const started = process.hrtime.bigint();
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const v = verifyFeishuRequest(req.headers, raw, {
        encryptKey: o.encryptKey,
        verificationToken: o.verificationToken,
        nowSeconds: o.nowSeconds?.(),
      });
      if (!v.ok) {
        o.log.warn({ reason: v.reason, path: FEISHU_EVENTS_PATH }, 'feishu request refused');
        return reply.code(401).send({ error: { code: 'FEISHU.UNAUTHORIZED', message: 'Request verification failed' } });
      }
      if (v.kind === 'challenge') return { challenge: v.challenge };
      // The SDK reads request headers from the prototype of the payload object.
      const data = Object.assign(Object.create({ headers: req.headers }), v.payload);
      const result: unknown = await o.dispatcher.invoke(data, { needCheck: false });
      // Feishu's answer is this reply (a card callback's card comes back in it), so this is the ack.
      o.onAck?.(actionOf(v.payload), Number(process.hrtime.bigint() - started) / 1e9);
      // Events answer with an empty object; card callbacks with { toast, card }.
      return typeof result === 'object' && result !== null ? result : {};
    });
  };
}

function actionOf(payload: unknown): string {
  const p = payload as { header?: { event_type?: unknown }; type?: unknown } | undefined;
  const type = p?.header?.event_type ?? p?.type;
  return typeof type === 'string' && /^[\w.]{1,64}$/.test(type) ? type : 'other';
}
