/**
 * A Slack button tap exactly as Slack posts it (block_actions, form-encoded), for the
 * forged-request tests and the ack-latency benchmark. Signing is test/support/slack-signing.ts.
 */
import { interactionForm } from './slack-signing';

export interface TapInput {
  user: string;
  actionId: string;
  value: string;
  /** Slack's per-tap id; a redelivery repeats it. */
  actionTs: string;
  responseUrl: string;
  channel?: string;
  ts?: string;
}

export function blockActionsPayload(i: TapInput): Record<string, unknown> {
  const channel = i.channel ?? 'C_approvals';
  const ts = i.ts ?? '1700000000.000100';
  return {
    type: 'block_actions', team: { id: 'T0001', domain: 'acme' }, user: { id: i.user, username: i.user, team_id: 'T0001' },
    api_app_id: 'A0001', token: 'legacy', trigger_id: `trig-${i.actionTs}`, response_url: i.responseUrl,
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
    channel: { id: channel, name: 'approvals' },
    message: { type: 'message', ts, blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Payment' } }] },
    actions: [{ type: 'button', action_id: i.actionId, block_id: 'b', value: i.value, action_ts: i.actionTs, text: { type: 'plain_text', text: 'Approve' } }],
  };
}

export const blockActionsBody = (i: TapInput): string => interactionForm(blockActionsPayload(i));
