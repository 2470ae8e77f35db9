import { createHash } from 'node:crypto';
import swagger from '@fastify/swagger';
import type { FastifyError, FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { registerCatalog } from '../../domain/i18n';
import { apiTokenMessages } from '../../services/api-tokens/api-token.messages';
import type { ApiToken } from '../../services/api-tokens/api-tokens';
import { HttpRoutes, jsonText } from '../http-server';
import { accountRoutes } from './account-routes';
import { authenticate } from './api-auth';
import { ApiError, fromZod, localeOf, sendError } from './api-errors';
import { apiMessages } from './api.messages';
import { API_BASE, ApiDeps, ApiLimits, DEFAULT_API_LIMITS, Route } from './api-route';
import { finishOpenApi, OPENAPI_INFO, swaggerSchemaOf } from './openapi';
import { paymentRoutes } from './payment-routes';
import { webhookRoutes } from './webhook-routes';
import { reportRoutes } from './report-routes';

export type { ApiDeps } from './api-route';

export const API_ROUTES: readonly Route[] = [...paymentRoutes, ...accountRoutes, ...webhookRoutes, ...reportRoutes];

/** The body as received; turned into JSON only for routes that take one (see jsonBody). */
class RawBody {
  constructor(readonly text: string) {}
}

const tokens = new WeakMap<FastifyRequest, ApiToken>();
const fastifyPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/**
 * The REST API for ERP integration, everything under /api/v1. Each route of the
 * table is declared once: its zod schemas validate the request (Fastify with
 * fastify-type-provider-zod) and feed the OpenAPI document (@fastify/swagger).
 * Here: authentication, rate limits, the JSON rules, and the one error shape
 * `{ "error": { "code", "message" } }` in the caller's language.
 */
export function createApiRoutes(deps: ApiDeps, limits: ApiLimits = DEFAULT_API_LIMITS): HttpRoutes {
  registerCatalog(apiMessages);
  registerCatalog(apiTokenMessages);
  return async (server) => {
    await server.register(async (app) => apiScope(app, deps, limits), { prefix: API_BASE });
  };
}

async function apiScope(app: FastifyInstance, deps: ApiDeps, limits: ApiLimits): Promise<void> {
  await app.register(swagger, {
    openapi: OPENAPI_INFO,
    transform: ({ url, route }) => {
      const r = (route.config as { apiRoute?: Route } | undefined)?.apiRoute;
      return r ? { url, schema: swaggerSchemaOf(r) as never } : { url, schema: { hide: true } as never };
    },
  });

  // Every body is read as text under the size limit; routes that take JSON parse it in jsonBody, with our codes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: limits.bodyLimit }, (_req, text, done) => done(null, new RawBody(String(text))));

  const limiter = rateLimiter(app, limits);
  for (const route of API_ROUTES) {
    const auth: onRequestHookHandler = async (req) => {
      // Before the body is read: an anonymous caller learns nothing about validation.
      if (route.scope) tokens.set(req, await authenticate(deps.db, req.raw, route.scope, route.ownScope));
    };
    app.route({
      method: route.method,
      url: fastifyPath(route.path),
      schema: { ...(route.body ? { body: route.body } : {}), ...(route.query ? { querystring: route.query } : {}) },
      config: { apiRoute: route },
      onRequest: [limiter, auth],
      preValidation: async (req) => prepare(req, route),
      handler: async (req, reply) => {
        const locale = localeOf(req.headers['accept-language']);
        const r = await route.handle({
          req, params: req.params as Record<string, string>, token: tokens.get(req)!, body: req.body ?? {}, query: (req.query ?? {}) as Record<string, unknown>, deps, locale,
        });
        void reply.code(r.status).headers(r.headers ?? {});
        if (r.raw) return reply.send(r.raw); // a file (CSV): its content-type is in r.headers
        return r.body === undefined ? reply.send() : reply.type('application/json; charset=utf-8').send(jsonText(r.body));
      },
    });
  }

  let openapi: string | undefined;
  app.get('/openapi.json', { onRequest: limiter }, async (_req, reply) => {
    openapi ??= JSON.stringify(finishOpenApi(app.swagger() as unknown as Record<string, unknown>, API_ROUTES));
    return reply.type('application/json; charset=utf-8').send(openapi);
  });

  const allowed = allowedMethods();
  app.setNotFoundHandler({ preHandler: limiter }, (req, reply) => {
    const locale = localeOf(req.headers['accept-language']);
    const methods = allowed(new URL(req.url, 'http://localhost').pathname);
    if (methods.length === 0) return sendError(reply, new ApiError(404, 'API.NOT_FOUND'), locale);
    const allow = methods.join(', ');
    sendError(reply, new ApiError(405, 'API.METHOD_NOT_ALLOWED', { allowed: allow }, undefined, { allow }), locale);
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const locale = localeOf(req.headers['accept-language']);
    if (err instanceof ApiError) return sendError(reply, err, locale);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext === 'querystring' ? 'query' : 'body';
      const issues = err.validation.map((v) => ({ path: v.instancePath.split('/').filter(Boolean), message: v.message }));
      return sendError(reply, fromZod({ issues } as never, where), locale);
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, new ApiError(413, 'API.BODY_TOO_LARGE'), locale);
    throw err; // the server's handler logs it and answers 500
  });
}

/**
 * The old reader's rules, kept: an empty body is `{}` where the body is optional
 * and a 400 elsewhere; a body that is not JSON by its content type is 415; U+0000
 * (which PostgreSQL text cannot hold) is refused as bad input, in the query too.
 */
async function prepare(req: FastifyRequest, route: Route): Promise<void> {
  const params = req.params as Record<string, string>;
  // An undecodable or NUL-carrying id never matches a reference or id, so the route answers its own 404.
  for (const [k, v] of Object.entries(params)) if (v.includes('\u0000')) params[k] = encodeURIComponent(v);
  if (route.query && Object.values(req.query as Record<string, string>).some((v) => String(v).includes('\u0000')))
    throw new ApiError(400, 'API.INVALID_CHARACTERS');
  req.body = route.body ? jsonBody(req, route.bodyOptional ?? false) : undefined;
}

function jsonBody(req: FastifyRequest, optional: boolean): unknown {
  const text = req.body instanceof RawBody ? req.body.text : '';
  if (text.trim() === '') {
    if (optional) return {};
    throw new ApiError(400, 'API.INVALID_JSON');
  }
  const type = req.headers['content-type'];
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) throw new ApiError(415, 'API.UNSUPPORTED_MEDIA_TYPE');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'API.INVALID_JSON');
  }
  if (containsNul(body)) throw new ApiError(400, 'API.INVALID_CHARACTERS');
  return body;
}

/**
 * Two budgets per minute: one per API token (a hash of the credential, so a
 * leaked log of keys reveals nothing) and one per client address, which also
 * covers callers that rotate made-up tokens. Over either: 429 with Retry-After.
 */
function rateLimiter(app: FastifyInstance, limits: ApiLimits): onRequestHookHandler {
  const perIp = app.createRateLimit({ max: limits.perIpPerMinute, timeWindow: 60_000, keyGenerator: (req) => `ip:${req.ip}` });
  const perToken = app.createRateLimit({ max: limits.perTokenPerMinute, timeWindow: 60_000, keyGenerator: (req) => `token:${tokenKey(req)}` });
  return async (req: FastifyRequest) => {
    for (const [limit, applies] of [[perIp, true], [perToken, tokenKey(req) !== undefined]] as const) {
      if (!applies) continue;
      const r = await limit(req);
      if (!r.isAllowed && r.isExceeded) {
        throw new ApiError(429, 'API.RATE_LIMITED', { seconds: r.ttlInSeconds }, undefined, { 'retry-after': String(r.ttlInSeconds) });
      }
    }
  };
}

function tokenKey(req: FastifyRequest): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m ? createHash('sha256').update(m[1]).digest('base64url').slice(0, 22) : undefined;
}

/** For 405: which methods the table has for a path (in table order), `GET` for the document. */
function allowedMethods(): (pathname: string) => string[] {
  const table = [
    ...API_ROUTES.map((r) => ({ method: r.method as string, path: r.path })),
    { method: 'GET', path: '/openapi.json' },
  ].map((r) => ({ method: r.method, pattern: new RegExp(`^${API_BASE}${r.path.replace(/\{\w+\}/g, '[^/]+')}/?$`) }));
  return (pathname) => [...new Set(table.filter((r) => r.pattern.test(pathname)).map((r) => r.method))];
}

function containsNul(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (Array.isArray(v)) return v.some(containsNul);
  if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => k.includes('\u0000') || containsNul(x));
  return false;
}
