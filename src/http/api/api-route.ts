import type { WebhookStore } from '../../services/webhooks/webhook-store';
import type { FastifyRequest } from 'fastify';
import type { ReportService } from '../../services/reports/report-service';
import type { z } from 'zod';
import type { Locale } from '../../domain/locale';
import type { Logger } from '../../logger';
import type { Database } from '../../persistence/database';
import type { ApiScope, ApiToken } from '../../services/api-tokens/api-tokens';
import type { PaymentEvents } from '../../services/events';
import type { CancelPayment } from '../../services/payments/cancel-payment';
import type { CreatePayment } from '../../services/payments/create-payment';

export interface ApiDeps {
  db: Database;
  createPayment: CreatePayment;
  /** The user path; API tokens cancel through cancelApiPayment (own payments only). */
  cancelPayment: CancelPayment;
  events: PaymentEvents;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Webhook subscriptions; the default refuses plain-http and internal URLs. */
  webhookStore?: WebhookStore;
  /** AUDIT_CHECKPOINT_KEY, for GET /audit/verify. */
  auditCheckpointKey?: string;
  /** Reports (issue 17): CSV of payments, cash-position series. Absent → those routes answer 404. */
  reports?: ReportService;
}

export interface RouteContext<B = unknown, Q = unknown> {
  req: FastifyRequest;
  params: Record<string, string>;
  /** Present on every route that declares a scope. */
  token: ApiToken;
  /** The request body as the route's zod schema outputs it. */
  body: B;
  query: Q;
  deps: ApiDeps;
  locale: Locale;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Sent as is instead of JSON (a CSV file); set its content-type in `headers`. */
  raw?: Buffer;
  headers?: Record<string, string>;
}

/** One endpoint: what it accepts and answers (this also feeds the OpenAPI document) and what it does. */
export interface Route<B extends z.ZodType = z.ZodType, Q extends z.ZodObject<any> = z.ZodObject<any>> {
  method: 'GET' | 'POST' | 'DELETE';
  /** Under /api/v1, OpenAPI template style: /payments/{ref}. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  scope?: ApiScope;
  /** Reads that narrow themselves to the token's own payments, so `payments:read:own` suffices. */
  ownScope?: boolean;
  query?: Q;
  body?: B;
  /** An absent or empty body is read as {}. */
  bodyOptional?: boolean;
  requestHeaders?: { name: string; required: boolean; description: string }[];
  responses: Record<number, { description: string; schema?: z.ZodType; headers?: Record<string, string> }>;
  handle(ctx: RouteContext<z.output<B>, z.output<Q>>): Promise<Reply>;
}

/** Declares a route; its handler's `body` and `query` are typed by the route's own schemas. */
export function defineRoute<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodObject<any> = z.ZodObject<{}>>(route: Route<B, Q>): Route {
  return route as unknown as Route;
}

export const API_BASE = '/api/v1';

/** What the API accepts per request; over these it answers 413 and 429. */
export interface ApiLimits {
  /** Largest JSON body, in bytes. */
  bodyLimit: number;
  /** Requests per minute for one API token (keyed by a hash of the bearer credential). */
  perTokenPerMinute: number;
  /** Requests per minute from one client address, with or without a token. */
  perIpPerMinute: number;
}

export const DEFAULT_API_LIMITS: ApiLimits = { bodyLimit: 64 * 1024, perTokenPerMinute: 600, perIpPerMinute: 1200 };
