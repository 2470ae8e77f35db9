import type { WebhookStore } from '../../services/webhooks/webhook-store';
import type { ReportService } from '../../services/reports/report-service';
import type { IncomingMessage } from 'node:http';
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
  /** Reports (issue 17): CSV of payments, cash-position series. Absent → those routes answer 404. */
  reports?: ReportService;
}

export interface RouteContext {
  req: IncomingMessage;
  params: Record<string, string>;
  /** Present on every route that declares a scope. */
  token: ApiToken;
  body: any;
  query: any;
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
export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Under /api/v1, OpenAPI template style: /payments/{ref}. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  scope?: ApiScope;
  query?: z.ZodObject<any>;
  body?: z.ZodType;
  /** An absent or empty body is read as {}. */
  bodyOptional?: boolean;
  requestHeaders?: { name: string; required: boolean; description: string }[];
  responses: Record<number, { description: string; schema?: z.ZodType; headers?: Record<string, string> }>;
  handle(ctx: RouteContext): Promise<Reply>;
}

export const API_BASE = '/api/v1';
