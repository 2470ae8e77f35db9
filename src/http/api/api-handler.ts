import type { IncomingMessage } from 'node:http';
import { registerCatalog } from '../../domain/i18n';
import { apiTokenMessages } from '../../services/api-tokens/api-token.messages';
import { HttpHandler, readBody, sendJson } from '../http-server';
import { accountRoutes } from './account-routes';
import { authenticate } from './api-auth';
import { ApiError, fromZod, localeOf, sendError } from './api-errors';
import { apiMessages } from './api.messages';
import { API_BASE, ApiDeps, Route } from './api-route';
import { buildOpenApi } from './openapi';
import { paymentRoutes } from './payment-routes';
import { webhookRoutes } from './webhook-routes';
import { reportRoutes } from './report-routes';

export type { ApiDeps } from './api-route';

export const API_ROUTES: readonly Route[] = [...paymentRoutes, ...accountRoutes, ...webhookRoutes, ...reportRoutes];

interface Compiled {
  route: Route;
  pattern: RegExp;
  names: string[];
}

const compile = (route: Route): Compiled => {
  const names: string[] = [];
  const source = (API_BASE + route.path).replace(/\{(\w+)\}/g, (_m, n) => (names.push(n), '([^/]+)'));
  return { route, pattern: new RegExp(`^${source}/?$`), names };
};

async function jsonBody(req: IncomingMessage, optional: boolean): Promise<unknown> {
  const type = req.headers['content-type'];
  let text: string;
  try {
    text = await readBody(req, 64 * 1024);
  } catch (e) {
    if ((e as { status?: number }).status === 413) throw new ApiError(413, 'API.BODY_TOO_LARGE');
    throw e;
  }
  if (text.trim() === '') {
    if (optional) return {};
    throw new ApiError(400, 'API.INVALID_JSON');
  }
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) throw new ApiError(415, 'API.UNSUPPORTED_MEDIA_TYPE');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'API.INVALID_JSON');
  }
  // PostgreSQL text cannot hold U+0000; refuse it here as bad input rather than fail in the database.
  if (containsNul(body)) throw new ApiError(400, 'API.INVALID_CHARACTERS');
  return body;
}

/**
 * The REST API for ERP integration, answering everything under /api/v1 (and
 * nothing else, so the other handlers on the server keep their paths). Routes
 * declare their scope and schemas; this function does auth, parsing and the one
 * error shape `{ "error": { "code", "message" } }`.
 */
export function createApiHandler(deps: ApiDeps): HttpHandler {
  registerCatalog(apiMessages);
  registerCatalog(apiTokenMessages);
  const compiled = API_ROUTES.map(compile);
  let openapi: string | undefined;

  return async (req, res, url) => {
    if (url.pathname !== API_BASE && !url.pathname.startsWith(`${API_BASE}/`)) return false;
    const locale = localeOf(req.headers['accept-language']);
    try {
      if (url.pathname === `${API_BASE}/openapi.json`) {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError(405, 'API.METHOD_NOT_ALLOWED', { allowed: 'GET' }, undefined, { allow: 'GET' });
        openapi ??= JSON.stringify(buildOpenApi(API_ROUTES));
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(openapi) });
        res.end(req.method === 'HEAD' ? undefined : openapi);
        return true;
      }
      const hits = compiled.map((c) => ({ c, m: c.pattern.exec(url.pathname) })).filter((h) => h.m);
      if (hits.length === 0) throw new ApiError(404, 'API.NOT_FOUND');
      const hit = hits.find((h) => h.c.route.method === req.method);
      if (!hit) {
        const allowed = [...new Set(hits.map((h) => h.c.route.method))].join(', ');
        throw new ApiError(405, 'API.METHOD_NOT_ALLOWED', { allowed }, undefined, { allow: allowed });
      }
      const { route, names } = hit.c;
      const params = Object.fromEntries(names.map((n, i) => [n, decodePathPart(hit.m![i + 1])]));
      // Authenticate before reading the body: an anonymous caller learns nothing about validation.
      const token = route.scope ? await authenticate(deps.db, req, route.scope) : undefined;
      let query: unknown = {};
      if (route.query) {
        if ([...url.searchParams.values()].some((v) => v.includes('\u0000'))) throw new ApiError(400, 'API.INVALID_CHARACTERS');
        const parsed = route.query.safeParse(Object.fromEntries(url.searchParams));
        if (!parsed.success) throw fromZod(parsed.error, 'query');
        query = parsed.data;
      }
      let body: unknown = {};
      if (route.body) {
        const parsed = route.body.safeParse(await jsonBody(req, route.bodyOptional ?? false));
        if (!parsed.success) throw fromZod(parsed.error, 'body');
        body = parsed.data;
      }
      const reply = await route.handle({ req, params, token: token!, body, query, deps, locale });
      for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
      if (reply.raw) {
        res.writeHead(reply.status, { 'content-length': reply.raw.length });
        res.end(reply.raw);
      } else if (reply.body === undefined) {
        res.writeHead(reply.status);
        res.end();
      } else sendJson(res, reply.status, reply.body);
      return true;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      sendError(res, e, locale);
      return true;
    }
  };
}

/** `%E0%A4%A` is the client's mistake: answer 404 like any unknown path, not 500. */
function decodePathPart(part: string): string {
  try {
    const decoded = decodeURIComponent(part);
    return decoded.includes('\u0000') ? part : decoded;
  } catch {
    return part; // never matches a reference or id, so the route answers 404
  }
}

function containsNul(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (Array.isArray(v)) return v.some(containsNul);
  if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => k.includes('\u0000') || containsNul(x));
  return false;
}
