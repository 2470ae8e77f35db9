import { z } from 'zod';
import type { User } from '../../src/domain/directory';
import { t } from '../../src/domain/i18n';
import type { AlertService } from '../../src/services/monitoring/alert-service';
import type { ActionReply } from '../contracts';
import { message } from '../view/view';
import { alertCard, alertTitle } from './alert-card.view';
import './alerts.messages';

export interface AlertActionDeps {
  alerts: AlertService;
  timeZone?: string;
}

const ButtonValue = z.object({ id: z.uuid() });

// Someone else got there first, or it is over: show the card as it is now.
const SHOW_CURRENT = new Set(['ALERT.ALREADY_ACKNOWLEDGED', 'ALERT.ALREADY_RESOLVED']);

/**
 * The `alert.ack` button. Acknowledging twice is harmless (the second tap just
 * shows who did it), so no interaction receipt is needed; the card in the reply
 * replaces the tapped copy at once and the service refreshes the other copies.
 */
export async function handleAlertAction(deps: AlertActionDeps, user: User, value: string): Promise<ActionReply> {
  const locale = user.locale;
  const parsed = parse(value);
  if (!parsed) return refused(t(locale, 'ALERTS.BAD_VALUE'), 'warning');

  const r = await deps.alerts.acknowledge(parsed.id, user.id);
  if (r.ok) {
    const text = t(locale, 'ALERTS.ACKNOWLEDGED', { title: alertTitle(r.value, locale) });
    return { visibility: 'ephemeral', view: message('good', text), toast: { tone: 'good', text }, card: alertCard(r.value, deps)(locale) };
  }
  const text = t(locale, r.code, r.params);
  const current = SHOW_CURRENT.has(r.code) ? await deps.alerts.byId(parsed.id) : undefined;
  return { ...refused(text, SHOW_CURRENT.has(r.code) ? 'info' : 'danger'), ...(current ? { card: alertCard(current, deps)(locale) } : {}) };
}

function parse(value: string): { id: string } | undefined {
  try {
    const r = ButtonValue.safeParse(JSON.parse(value));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

function refused(text: string, tone: 'warning' | 'danger' | 'info'): ActionReply {
  return { visibility: 'ephemeral', view: message(tone, text), toast: { tone, text } };
}
