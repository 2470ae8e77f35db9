import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { t } from '../../domain/i18n';
import type { Locale } from '../../domain/locale';
import type { Refusal } from '../../domain/result';
import { jsonText } from '../http-server';

/** An answer other than success; thrown inside a route, rendered once by the handler. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    readonly details?: { path: string; message: string }[],
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }
}

// Refusals the services return, by HTTP status; anything else a service refuses is 422.
const STATUS_OF: Record<string, number> = {
  'PAYMENT.NOT_FOUND': 404,
  'WEBHOOK.NOT_FOUND': 404,
  'PAYMENT.CANCEL_NOT_YOURS': 403,
  'PAYMENT.CANCEL_TOO_LATE': 409,
  'PAYMENT.IDEMPOTENCY_CONFLICT': 422,
};

export function fromRefusal(r: Refusal): ApiError {
  return new ApiError(STATUS_OF[r.code] ?? 422, r.code, r.params ?? {});
}

export function fromZod(error: Pick<z.ZodError, 'issues'>, where: 'body' | 'query'): ApiError {
  const details = error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  const detail = details.map((d) => `${d.path}: ${d.message}`).join('; ');
  return new ApiError(400, 'API.INVALID_REQUEST', { detail }, details);
}

/** `Accept-Language: zh…` gets Chinese messages; the codes never change. */
export function localeOf(acceptLanguage: string | undefined): Locale {
  return /^\s*zh\b/i.test(acceptLanguage ?? '') ? 'zh-CN' : 'en';
}

export function sendError(reply: FastifyReply, e: ApiError, locale: Locale): void {
  const body = { error: { code: e.code, message: t(locale, e.code, e.params), ...(e.details ? { details: e.details } : {}) } };
  void reply.code(e.status).headers(e.headers).type('application/json; charset=utf-8').send(jsonText(body));
}
