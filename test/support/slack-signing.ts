import { createHmac } from 'node:crypto';

/** Headers Slack sends: `v0=` + HMAC-SHA256(secret, `v0:${ts}:${rawBody}`). */
export function slackSignature(secret: string, rawBody: string, timestampSec: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${rawBody}`).digest('hex')}`;
}

export interface SlackPost {
  /** Raw body exactly as sent (form or JSON). */
  body: string;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  /** Signing secret; omit to send an unsigned request. */
  secret?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  headers?: Record<string, string>;
}

/** Posts a request into the receiver the way Slack's servers do. */
export async function postSigned(url: string, p: SlackPost): Promise<{ status: number; text: string; json?: any }> {
  const ts = p.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': p.contentType, ...p.headers };
  if (p.secret !== undefined) {
    headers['x-slack-request-timestamp'] = String(ts);
    headers['x-slack-signature'] = slackSignature(p.secret, p.body, ts);
  }
  const res = await fetch(url, { method: 'POST', headers, body: p.body });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** A slash command as Slack posts it (form fields). */
export function slashCommandForm(fields: {
  command: string;
  text: string;
  user_id: string;
  channel_id?: string;
  trigger_id?: string;
  response_url: string;
}): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0001',
    team_domain: 'acme',
    channel_id: fields.channel_id ?? 'C_GENERAL',
    channel_name: 'general',
    user_id: fields.user_id,
    user_name: fields.user_id.toLowerCase(),
    command: fields.command,
    text: fields.text,
    api_app_id: 'A0001',
    response_url: fields.response_url,
    trigger_id: fields.trigger_id ?? `trig.${Math.random().toString(36).slice(2)}`,
  }).toString();
}

/** Interactions (block_actions, view_submission) arrive as one form field holding JSON. */
export const interactionForm = (payload: unknown): string => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

/** An Events API envelope (`event_callback`). */
export function eventBody(event: Record<string, unknown>, eventId = `Ev${Math.random().toString(36).slice(2, 10)}`): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: 'T0001',
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event,
  });
}
