import { randomBytes, randomUUID } from 'node:crypto';
import { Result, ok, refuse } from '../../domain/result';
import type { Database } from '../../persistence/database';
import { ApiToken, apiActor } from '../api-tokens/api-tokens';
import { appendAudit } from '../audit/audit-log';
import './webhook.messages';
import { WebhookUrlPolicy, checkWebhookUrl } from './webhook-url-policy';

export interface WebhookSubscription {
  id: string;
  url: string;
  createdAt: Date;
  active: boolean;
}

const fromRow = (r: any): WebhookSubscription => ({ id: r.id, url: r.url, createdAt: new Date(r.created_at), active: r.active });

/**
 * Per-token webhook subscriptions. The signing secret is returned once, at
 * creation. URLs must be https to a public host unless the policy allows a
 * local receiver (see WebhookUrlPolicy); the dispatcher checks again at send.
 */
export class WebhookStore {
  constructor(private readonly policy: WebhookUrlPolicy = {}) {}

  async subscribe(db: Database, token: ApiToken, url: string): Promise<Result<WebhookSubscription & { secret: string }>> {
    const verdict = checkWebhookUrl(url, this.policy);
    if (verdict === 'invalid') return refuse('WEBHOOK.INVALID_URL');
    if (verdict === 'not_allowed') return refuse('WEBHOOK.URL_NOT_ALLOWED');
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    return db.tx(async (em) => {
      const rows = await em.execute(
        `insert into webhook_subscriptions (id, token_id, url, secret, created_at, active) values (?, ?, ?, ?, now(), true) returning *`,
        [randomUUID(), token.id, url, secret],
      );
      const sub = fromRow(rows[0]);
      await appendAudit(em, { actor: apiActor(token), action: 'webhook.subscribed', subjectType: 'webhook', subjectId: sub.id, data: { url } });
      return ok({ ...sub, secret });
    });
  }

  async list(db: Database, token: ApiToken): Promise<WebhookSubscription[]> {
    const rows = await db.read((em) =>
      em.execute(`select * from webhook_subscriptions where token_id = ? and active order by created_at, id`, [token.id]),
    );
    return rows.map(fromRow);
  }

  async unsubscribe(db: Database, token: ApiToken, id: string): Promise<Result<WebhookSubscription>> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return refuse('WEBHOOK.NOT_FOUND');
    return db.tx(async (em) => {
      const rows = await em.execute(
        `update webhook_subscriptions set active = false where id = ? and token_id = ? and active returning *`,
        [id, token.id],
      );
      if (rows.length === 0) return refuse('WEBHOOK.NOT_FOUND');
      await appendAudit(em, { actor: apiActor(token), action: 'webhook.unsubscribed', subjectType: 'webhook', subjectId: id, data: {} });
      return ok(fromRow(rows[0]));
    });
  }
}

/** The production default: https to public hosts only. */
export const webhookStore = new WebhookStore();
