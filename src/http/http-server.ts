import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import rateLimit from '@fastify/rate-limit';
import Fastify, { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from '../logger';
import { runInRequestContext } from '../request-context';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The API route table entry behind a Fastify route (validation, docs). */
    apiRoute?: unknown;
    /** A signed chat-platform callback: only the generous per-address flood limit applies. */
    chatCallback?: boolean;
  }
}

/** A group of routes (an adapter's callback, the API, the playground) registered on the one server. */
export type HttpRoutes = FastifyPluginAsync;

/** What the server reports about each answered request (metrics hook in here). */
export interface RequestObservation {
  method: string;
  /** The route pattern (`/api/v1/payments/:ref`), never the raw URL: no ids or query strings. */
  route: string;
  status: number;
  seconds: number;
}

export interface HttpServerOptions {
  /** Called once per finished (or aborted) request, after the access log line. */
  onRequestDone?: (o: RequestObservation) => void;
  /** Default body limit for routes that set none (bytes). */
  bodyLimit?: number;
  /**
   * Requests per minute from one address to chat callbacks (Slack, Feishu). Generous:
   * a busy workspace sends from few addresses, and Slack gives up after 3 s, so this
   * only stops a flood.
   */
  chatPerIpPerMinute?: number;
  /** Fastify's trustProxy (TRUST_PROXY): which X-Forwarded-For hops give the client address. */
  trustProxy?: boolean | number | string;
}

// A caller's id is reused only when it cannot smuggle anything into logs or headers.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * paydesk's one HTTP server (Fastify): the REST API, Slack and Feishu callbacks,
 * the playground, health and metrics are route groups registered on it.
 * Here live what every request gets: a request id (`X-Request-Id`, accepted or
 * made, returned and put on every log line), one access log line, the server's
 * own 404 and 500 shapes, and the rate-limit plugin the route groups use.
 */
export class HttpServer {
  readonly app: FastifyInstance;

  constructor(private readonly log: Logger, options: HttpServerOptions = {}) {
    this.app = Fastify({
      // Logging is ours (one access line, request id through request-context), not Fastify's per-request lines.
      logger: false,
      genReqId: (req) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      },
      // A slow client must not pin a connection forever; Slack retries anyway.
      requestTimeout: 30_000,
      bodyLimit: options.bodyLimit ?? 1_000_000,
      // A hop count is valid for Fastify (proxy-addr) though its types only list the other forms.
      trustProxy: (options.trustProxy ?? false) as boolean | string,
      // A path the router cannot even decode (`%E0%A4%A`) names nothing: the usual 404, not Fastify's own 400 shape.
      frameworkErrors: (_err, _req, reply: FastifyReply) => {
        void reply.code(404).send({ error: { code: 'HTTP.NOT_FOUND', message: 'Not found' } });
      },
      routerOptions: {
        ignoreTrailingSlash: true,
        // Long made-up references reach their route and get its own 404, as before.
        maxParamLength: 1000,
        // Repeated keys keep the last value, as URLSearchParams does, so `?a=1&a=2` is a string, not an array.
        querystringParser: (s: string) => Object.fromEntries(new URLSearchParams(s)),
      },
    });
    this.app.setValidatorCompiler(validatorCompiler);
    this.app.setSerializerCompiler(serializerCompiler);
    // Route groups create their own limiters (createRateLimit) with their own limits and keys.
    void this.app.register(rateLimit, { global: false });

    this.app.addHook('onRequest', (req, reply, done) => {
      reply.raw.setHeader('x-request-id', req.id);
      watch(req, reply.raw, this.log, options.onRequestDone);
      runInRequestContext({ requestId: req.id }, done);
    });
    this.app.after(() => {
      const chatLimit = this.app.createRateLimit({ max: options.chatPerIpPerMinute ?? 20_000, timeWindow: 60_000, keyGenerator: (req) => `chat:${req.ip}` });
      this.app.addHook('onRequest', async (req, reply) => {
        if (!req.routeOptions.config?.chatCallback) return;
        const r = await chatLimit(req);
        if (!r.isAllowed && r.isExceeded) {
          return reply.code(429).header('retry-after', String(r.ttlInSeconds)).send({ error: { code: 'HTTP.RATE_LIMITED', message: 'Too many requests' } });
        }
      });
    });
    this.app.setNotFoundHandler((_req, reply) => {
      void reply.code(404).send({ error: { code: 'HTTP.NOT_FOUND', message: 'Not found' } });
    });
    this.app.setErrorHandler((err: FastifyError, req, reply) => serverError(this.log, err, req, reply));
  }

  register(routes: HttpRoutes): void {
    void this.app.register(routes);
  }

  async listen(host: string, port: number): Promise<{ host: string; port: number }> {
    await this.app.listen({ host, port });
    // After start-up (EMFILE, a broken socket) the server must log, not bring the process down.
    this.app.server.on('error', (err) => this.log.error({ err }, 'http server error'));
    const addr = this.app.server.address();
    return { host, port: typeof addr === 'object' && addr ? addr.port : port };
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  /** Immediately drops keep-alive and streaming connections (SSE) at shutdown. */
  closeAllConnections(): void {
    this.app.server.closeAllConnections?.();
  }
}

/**
 * One access log line per request, written when the response is done (also for
 * routes that answer on the raw response, like Slack's receiver and the SSE
 * stream). Method, route pattern, status and milliseconds: no URL, no query, no
 * headers, no body, so nothing secret can reach the log from here.
 */
function watch(req: FastifyRequest, res: ServerResponse, log: Logger, done?: (o: RequestObservation) => void): void {
  const started = process.hrtime.bigint();
  const requestId = req.id;
  res.once('close', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const route = req.routeOptions.url ?? UNMATCHED_ROUTE;
    const line = {
      method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1e4) / 10,
      ...(res.writableFinished ? {} : { aborted: true }),
    };
    runInRequestContext({ requestId }, () => log.info(line, 'http request'));
    done?.({ method: req.method, route, status: res.statusCode, seconds });
  });
}

/** The server's last word on anything a route group did not answer itself: logged, and a 500 in the usual shape. */
function serverError(log: Logger, err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  if (status === 500) log.error({ err, route: req.routeOptions.url }, 'http handler failed');
  const body =
    status === 413 ? { code: 'HTTP.TOO_LARGE', message: 'Request body too large' }
    : status === 500 ? { code: 'HTTP.INTERNAL', message: 'Internal error' }
    : { code: 'HTTP.BAD_REQUEST', message: 'Bad request' };
  void reply.code(status).send({ error: body });
}

/** JSON with bigints as strings, for handlers that answer on the raw response. */
export function jsonText(body: unknown): string {
  return JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}
