import { webhookStore, WebhookSubscription } from '../../services/webhooks/webhook-store';
import { fromRefusal } from './api-errors';
import { defineRoute, type Route } from './api-route';
import { ApiErrorBody, CreateWebhookRequest, WebhookCreated, WebhookList } from './api.schemas';

const json = (s: WebhookSubscription) => ({ id: s.id, url: s.url, created_at: s.createdAt.toISOString(), active: s.active });

// Receiving status changes of your own payments is reading them, hence payments:read.
const subscribe = defineRoute({
  method: 'POST',
  path: '/webhooks',
  operationId: 'createWebhook',
  summary: 'Subscribe to status changes of the payments this token creates',
  description:
    'Each delivery is a POST of JSON signed with `X-Paydesk-Signature: sha256=<hex HMAC-SHA256(secret, X-Paydesk-Timestamp + "." + body)>`. ' +
    'Answer 2xx; anything else is retried with exponential back-off. Deliveries are at least once: de-duplicate by `id`.',
  scope: 'payments:read',
  body: CreateWebhookRequest,
  responses: {
    201: { description: 'Subscribed; the secret is shown only now', schema: WebhookCreated },
    400: { description: 'Not an http(s) URL', schema: ApiErrorBody },
    422: { description: 'WEBHOOK.INVALID_URL (for example credentials inside the URL) or WEBHOOK.URL_NOT_ALLOWED (plain http, or an internal address)', schema: ApiErrorBody },
  },
  async handle({ token, body, deps }) {
    const r = await (deps.webhookStore ?? webhookStore).subscribe(deps.db, token, body.url);
    if (!r.ok) throw fromRefusal(r);
    return { status: 201, body: { ...json(r.value), secret: r.value.secret } };
  },
});

const list = defineRoute({
  method: 'GET',
  path: '/webhooks',
  operationId: 'listWebhooks',
  summary: "This token's active webhook subscriptions",
  scope: 'payments:read',
  responses: { 200: { description: 'Subscriptions (without secrets)', schema: WebhookList } },
  async handle({ token, deps }) {
    return { status: 200, body: { data: (await (deps.webhookStore ?? webhookStore).list(deps.db, token)).map(json) } };
  },
});

const unsubscribe = defineRoute({
  method: 'DELETE',
  path: '/webhooks/{id}',
  operationId: 'deleteWebhook',
  summary: 'Stop a subscription; queued deliveries are dropped',
  scope: 'payments:read',
  responses: { 204: { description: 'Removed' }, 404: { description: 'WEBHOOK.NOT_FOUND', schema: ApiErrorBody } },
  async handle({ token, params, deps }) {
    const r = await (deps.webhookStore ?? webhookStore).unsubscribe(deps.db, token, params.id);
    if (!r.ok) throw fromRefusal(r);
    return { status: 204 };
  },
});

export const webhookRoutes: Route[] = [subscribe, list, unsubscribe];
